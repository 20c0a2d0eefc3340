import zoneinfo

from django import forms

from community.models import Application, SelfIdentification

REQUIRED_TO_SUBMIT = (
    "full_name",
    "job_title",
    "role_kind",
    "company",
    "company_size",
    "team_size",
    "city",
    "timezone",
    "leadership",
)


def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    return [("", "Choose your timezone")] + [(name, name.replace("_", " ")) for name in names]


class ApplicationForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=timezone_choices, required=False)
    accepts_code_of_conduct = forms.BooleanField(
        required=False,
        label="I have read and agree to the code of conduct",
    )

    class Meta:
        model = Application
        fields = [
            "full_name",
            "job_title",
            "role_kind",
            "company",
            "company_size",
            "team_size",
            "linkedin_url",
            "city",
            "timezone",
            "leadership",
            "wants_circles",
            "wants_mentoring",
            "wants_content",
            "referred_by",
            "pronouns",
        ]
        widgets = {"leadership": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.fields["pronouns"].help_text = "Optional, e.g. she/her. Shown to your circle."
        self.fields["team_size"].widget.attrs["min"] = 0
        if self.instance.code_of_conduct_accepted_at:
            self.fields["accepts_code_of_conduct"].initial = True
        for name in REQUIRED_TO_SUBMIT:
            self.fields[name].widget.attrs["aria-required"] = "true"

    def clean(self):
        data = super().clean()
        if self.submitting:
            for name in REQUIRED_TO_SUBMIT:
                if data.get(name) in (None, ""):
                    self.add_error(name, "This field is required to submit your application.")
            if not data.get("wants_circles") and not (
                data.get("wants_mentoring") or data.get("wants_content")
            ):
                self.add_error("wants_content", "Tell us at least one thing you are looking for.")
            if not data.get("accepts_code_of_conduct"):
                self.add_error(
                    "accepts_code_of_conduct", "Please accept the code of conduct to submit."
                )
        return data


class SelfIdentificationForm(forms.Form):
    gender = forms.CharField(
        required=False,
        max_length=60,
        help_text="In your own words, e.g. woman, man, non-binary. Leave blank to skip.",
    )
    underrepresented = forms.ChoiceField(
        label="Do you belong to a group under-represented in technology leadership?",
        choices=SelfIdentification.Underrepresented.choices,
        initial=SelfIdentification.Underrepresented.UNSAID,
        required=False,
    )
    consent = forms.BooleanField(
        required=False,
        label="I agree that Roundtable stores these answers to compose learning circles.",
    )
