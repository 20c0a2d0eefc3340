from django import forms

from community.models import Application, Member, SelfIdentification
from community.models.applications import TEAM_SIZE_MAX
from community.timezones import TimezoneField
from community.validators import visible_text

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


class VisibleCharField(forms.CharField):
    """A line of text as people read it: invisible format characters and extra spaces dropped."""

    def to_python(self, value):
        return visible_text(super().to_python(value))


# The one-line answers of both forms; a name must also have letters (the models' validator).
VISIBLE_TEXT = {
    name: VisibleCharField
    for name in ("full_name", "job_title", "company", "city", "referred_by", "pronouns")
}


class ApplicationForm(forms.ModelForm):
    team_size = Application._meta.get_field("team_size").formfield(
        min_value=1, max_value=TEAM_SIZE_MAX
    )
    timezone = TimezoneField()  # the user's, not the application's
    accepts_code_of_conduct = forms.BooleanField(
        required=False,
        label="I have read and agree to the code of conduct",
    )

    class Meta:
        model = Application
        fields = list(Application.ANSWERS)
        field_classes = VISIBLE_TEXT
        widgets = {
            "leadership": forms.Textarea(attrs={"rows": 5}),
            "interests": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.fields["pronouns"].help_text = "Optional, e.g. she/her. Shown to your circle."
        if self.instance.code_of_conduct_accepted_at:
            self.fields["accepts_code_of_conduct"].initial = True
        for name in REQUIRED_TO_SUBMIT:
            self.fields[name].required_to_submit = True
            self.fields[name].widget.attrs["aria-required"] = "true"

    def clean(self):
        data = super().clean()
        if self.submitting:
            for name in REQUIRED_TO_SUBMIT:
                # A field that is already wrong says so once, not also "required".
                if name not in self.errors and data.get(name) in (None, ""):
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


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters (read from the query string)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="A name, job title, company or city.",
        widget=forms.SearchInput,
    )
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Member.RoleKind.choices]
    )
    city = forms.ChoiceField(label="City", required=False)

    def __init__(self, *args, cities: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "e.g. Berlin, platform, CTO"
        self.fields["city"].choices = [("", "Any city"), *((city, city) for city in cities)]

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is ignored (and shown as an error)."""
        if not self.is_bound:
            return {"q": "", "role": "", "city": ""}
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "role", "city")}


class ProfileForm(forms.ModelForm):
    timezone = TimezoneField(help_text="Dates and times are shown to you in this timezone.")

    class Meta:
        model = Member
        fields = list(Member.EDITABLE)
        field_classes = {
            name: kind for name, kind in VISIBLE_TEXT.items() if name in Member.EDITABLE
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "interests": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"bio": "A few lines other members will see, if you choose to show it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pronouns"].help_text = "Optional, e.g. she/her."
        self.fields["linkedin_url"].help_text = "e.g. https://www.linkedin.com/in/your-name"


DELETE_CONFIRMATION = "delete my account"


class AccountDeleteForm(forms.Form):
    confirmation = forms.CharField(
        label=f"To confirm, type “{DELETE_CONFIRMATION}”",
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def clean_confirmation(self) -> str:
        typed = " ".join(self.cleaned_data["confirmation"].lower().split())
        if typed != DELETE_CONFIRMATION:
            raise forms.ValidationError(
                f"Please type “{DELETE_CONFIRMATION}” exactly to delete your account."
            )
        return typed
