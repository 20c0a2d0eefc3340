"""The forms of a circle's page: the vote, the pick, RSVP, the shared note, who came, and
moving a meeting."""

from django import forms

from circles.models import Attendance
from circles.services.attendance import NOTE_MAX_LENGTH


class VoteForm(forms.Form):
    """The candidate times a member can make (the others are a no)."""

    can_attend = forms.MultipleChoiceField(
        label="Times I can make", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["can_attend"].choices = [(str(c.pk), str(c.pk)) for c in candidates]

    def chosen(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["can_attend"]}


class PickForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(choices=Attendance.Rsvp.choices)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Shared note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was discussed, and commitments to revisit next time. Every member sees it.",
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="Who came", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(pk), name) for pk, name in members]

    def chosen(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["present"]}


class MoveForm(forms.Form):
    """A meeting's new time, as the person moving it reads the clock (their timezone)."""

    starts_at = forms.DateTimeField(
        label="New time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your timezone. Only this meeting moves; the rest of the series stays.",
    )
