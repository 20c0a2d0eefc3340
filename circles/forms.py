from django import forms
from django.core import validators
from django.core.exceptions import ValidationError

from circles.domain import DAYS, SLOTS_PER_DAY
from circles.models import Alias, Round, SignUp
from circles.services.import_files import FIELDS
from circles.services.rounds import EDITABLE_STATUSES, check_round
from circles.services.signups import clock
from community.timezones import TimezoneField

GRID_CHOICES = [(f"{day}-{half}", "") for day in range(len(DAYS)) for half in range(SLOTS_PER_DAY)]
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.ModelForm):
    """A round's window and rules; times are in the organizer's own timezone."""

    class Meta:
        model = Round
        fields = [
            "name",
            "description",
            "status",
            "signup_opens_at",
            "signup_closes_at",
            "first_meeting",
            "formats_offered",
            *Round.RULE_FIELDS,
        ]
        widgets = {
            "signup_opens_at": DateTimeInput(),
            "signup_closes_at": DateTimeInput(),
            "first_meeting": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.status not in EDITABLE_STATUSES:
            del self.fields["status"]
        else:
            self.fields["status"].choices = [
                (value, label)
                for value, label in Round.Status.choices
                if value in EDITABLE_STATUSES
            ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = Round(**{**_rules_of(self.instance), **cleaned})
        try:
            check_round(candidate)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned

    def _post_clean(self):
        # The rules were checked above with plain-words messages; the database constraints
        # still hold them, so Django's own constraint check would only repeat them.
        pass


def _rules_of(round: Round) -> dict:
    return {name: getattr(round, name) for name in ("status", *Round.RULE_FIELDS)}


class SignUpForm(forms.Form):
    format = forms.ChoiceField(label="How you would like to meet", widget=forms.RadioSelect)
    city = forms.CharField(
        max_length=100,
        required=False,
        help_text="Where you could meet in person, e.g. San Francisco, Berlin, London.",
    )
    meeting_area = forms.CharField(
        label="Meeting area",
        max_length=150,
        required=False,
        help_text="A station or neighbourhood you can reach easily, e.g. Caltrain 4th/King, "
        "Kreuzberg, near Liverpool Street.",
    )
    timezone = TimezoneField(
        required=True, help_text="The times you tick below are in this timezone."
    )
    cells = forms.MultipleChoiceField(
        label="When you could meet, every week",
        choices=GRID_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.CharField(
        label="Topics you would like to discuss",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. hiring senior engineers, managing managers, a first board meeting.",
    )

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(SignUp.Format.choices)
        self.fields["format"].choices = [
            (format.value, labels[format.value]) for format in round.formats()
        ]
        if len(round.formats()) == 1:
            self.fields["format"].initial = round.formats()[0].value

    def clean_cells(self) -> list[tuple[int, int]]:
        cells = [
            tuple(int(part) for part in cell.split("-")) for cell in self.cleaned_data["cells"]
        ]
        if not cells:
            raise ValidationError("Tick at least one half-hour when you could meet.")
        return cells

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format") in ("in_person", "either") and not cleaned.get("city", "").strip():
            self.add_error("city", "Say which city you could meet in, or choose video.")
        return cleaned

    def grid(self) -> list[dict]:
        """Rows of the availability table: one per half-hour, a cell per day."""
        ticked = set(self["cells"].value() or [])
        return [
            {
                "time": clock(half),
                "cells": [
                    {
                        "value": f"{day}-{half}",
                        "checked": f"{day}-{half}" in ticked,
                        "label": f"{DAY_NAMES[day]} {clock(half)}–{clock(half + 1)}",
                    }
                    for day in range(len(DAYS))
                ],
            }
            for half in range(SLOTS_PER_DAY)
        ]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        help_text="A CSV export (Airtable, Google Forms, Typeform…) or a JSON Lines file, one "
        "sign-up per line."
    )


class ColumnMappingForm(forms.Form):
    """One choice per column of the CSV file: which of our fields it feeds, if any."""

    def __init__(self, *args, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not imported —"), *FIELDS.items()]
        self.headers = [header for header in headers if header]
        for number, header in enumerate(self.headers):
            self.fields[f"column_{number}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data[f"column_{number}"]
            for number, header in enumerate(self.headers)
        }


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(choices=Alias.Kind.choices)
    raw = forms.CharField(max_length=200)
    value = forms.CharField(max_length=200, required=False)


class ProposeCircleForm(forms.Form):
    """A member's own circle: what it is about, how it meets, and how many people it wants."""

    topic = forms.CharField(
        max_length=200, help_text="What the circle is about, e.g. managing managers in a scale-up."
    )
    format = forms.ChoiceField(label="How it meets", widget=forms.RadioSelect)
    timezone = TimezoneField(
        label="Its timezone",
        help_text="Video circles: the timezone its meetings are set in. In person, it meets near "
        "the meeting place of your sign-up.",
    )
    target_size = forms.IntegerField(label="How many people, you included")

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(SignUp.Format.choices)
        self.fields["format"].choices = [
            (format.value, labels[format.value])
            for format in round.formats()
            if format.value != SignUp.Format.EITHER
        ]
        size = self.fields["target_size"]
        size.min_value, size.max_value = round.min_size, round.max_size
        size.initial = round.target_min_size
        size.help_text = f"Between {round.min_size} and {round.max_size}."
        size.widget.attrs.update({"min": round.min_size, "max": round.max_size})
        size.validators += [
            validators.MinValueValidator(round.min_size),
            validators.MaxValueValidator(round.max_size),
        ]
