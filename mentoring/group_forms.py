"""Forms of the mentoring groups' pages: they validate, the services act."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from mentoring.models import MentoringGroup, SessionAttendance
from mentoring.models.groups import DEFAULT_CAPACITY
from mentoring.services.group_sessions import NOTE_MAX_LENGTH
from mentoring.services.groups import DEFAULT_SESSIONS

# Further off is a typo; near the year 9999 the later sessions cannot even be computed.
MAX_LEAD = timedelta(days=366)


class GroupForm(forms.Form):
    topic = forms.CharField(max_length=120)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text="Who it is for and how the sessions work.",
    )
    format = forms.ChoiceField(choices=MentoringGroup.Format.choices)
    place = forms.CharField(
        max_length=200,
        required=False,
        help_text="The address for in-person sessions, or the video link.",
    )
    first_session_at = forms.DateTimeField(
        label="First session",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your timezone; later sessions keep this time of day there.",
    )
    every_weeks = forms.TypedChoiceField(
        label="Meets every",
        choices=[(1, "week"), (2, "2 weeks"), (3, "3 weeks"), (4, "4 weeks")],
        coerce=int,
        initial=2,
    )
    session_minutes = forms.TypedChoiceField(
        label="Length",
        choices=[(45, "45 minutes"), (60, "1 hour"), (90, "1 hour 30"), (120, "2 hours")],
        coerce=int,
        initial=60,
    )
    sessions = forms.IntegerField(
        label="Number of sessions", min_value=1, max_value=52, initial=DEFAULT_SESSIONS
    )
    capacity = forms.IntegerField(min_value=2, max_value=20, initial=DEFAULT_CAPACITY)

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(zone or "UTC")

    def full_clean(self):
        """The first session's wall-clock time is read in the coach's timezone."""
        with timezone.override(self.zone):
            super().full_clean()

    def clean_first_session_at(self):
        first = self.cleaned_data["first_session_at"]
        if first <= timezone.now():
            raise forms.ValidationError("The first session has to be in the future.")
        if first > timezone.now() + MAX_LEAD:
            raise forms.ValidationError("Plan the first session at most a year ahead.")
        return first

    def clean(self):
        data = super().clean()
        if data.get("format") == MentoringGroup.Format.IN_PERSON and not data.get("place"):
            self.add_error("place", "Say where the group meets.")
        return data


class JoinForm(forms.Form):
    note = forms.CharField(
        label="Why would you like to join?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="A few words for the coach: what you hope to bring and to take away.",
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(required=False, max_length=1000)


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(choices=SessionAttendance.Rsvp.choices)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Shared note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was discussed, and what to come back to. The group's members see it.",
    )


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, str(m.pk)) for m in members]
