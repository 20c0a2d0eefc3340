"""Forms of the mentoring pages: they validate, the services act."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from community.fields import ModelMultipleChoiceField
from mentoring.models import (
    AvailabilityException,
    AvailabilityRule,
    CoachProfile,
    MentorshipDay,
    Topic,
)
from mentoring.models.coaches import MAX_HORIZON_DAYS, SESSION_LENGTHS


class CoachFilterForm(forms.Form):
    topic = forms.ModelChoiceField(
        Topic.objects.all(), required=False, to_field_name="slug", empty_label="Any topic"
    )
    language = forms.CharField(required=False, max_length=40)


class SlotField(forms.DateTimeField):
    """A slot's start as the pages send it: an ISO 8601 instant with its offset, within a couple
    of years of now (no slot is further away, and an instant near the ends of the calendar, such
    as year 9999, cannot be shifted into a timezone or by a session length)."""

    widget = forms.HiddenInput
    reach = timedelta(days=2 * 366)

    def to_python(self, value):
        if isinstance(value, datetime) or value in self.empty_values:
            return super().to_python(value)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise forms.ValidationError("Pick one of the times offered.") from exc
        if parsed.tzinfo is None or abs(parsed - timezone.now()) > self.reach:
            raise forms.ValidationError("Pick one of the times offered.")
        return parsed


def parse_slot(value) -> datetime | None:
    try:
        return SlotField().to_python(value)
    except forms.ValidationError:
        return None


class BookingForm(forms.Form):
    starts_at = SlotField()
    minutes = forms.TypedChoiceField(
        choices=[(n, f"{n} minutes") for n in SESSION_LENGTHS], coerce=int, widget=forms.HiddenInput
    )
    topic = forms.ModelChoiceField(
        Topic.objects.none(), required=False, empty_label="No topic in particular"
    )
    agenda = forms.CharField(
        label="What would you like to talk about?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    intake_answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, coach: CoachProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = coach.topics.all()
        if coach.intake_question:
            self.fields["intake_answer"].label = coach.intake_question
        else:
            del self.fields["intake_answer"]


class MoveForm(forms.Form):
    starts_at = SlotField()
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say why; the member is told.",
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say why; the member is told.",
    )


class OutcomeForm(forms.Form):
    status = forms.CharField(max_length=20)


class RuleForm(forms.ModelForm):
    class Meta:
        model = AvailabilityRule
        fields = ["weekday", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"starts_at": "From", "ends_at": "Until"}
        help_texts = {"ends_at": "An end before the start runs past midnight."}

    def clean(self):
        # Errors go on the end time, so the model's own check of the same rule (its constraint,
        # which names the field) is skipped rather than shown as a second, technical message.
        data = super().clean()
        if data.get("starts_at") and data.get("starts_at") == data.get("ends_at"):
            self.add_error("ends_at", "A window needs an end different from its start.")
        return data


class ExceptionForm(forms.ModelForm):
    class Meta:
        model = AvailabilityException
        fields = ["day", "kind", "starts_at", "ends_at"]
        widgets = {
            "day": forms.DateInput(attrs={"type": "date"}),
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"day": "Date", "starts_at": "From", "ends_at": "Until"}
        help_texts = {
            "kind": "A day off closes the date; an extra window opens the times given on it.",
            "ends_at": "An end before the start runs past midnight.",
        }

    def clean_day(self):
        # A past date changes nothing: most likely the year was mistyped, and the date meant is
        # still open to bookings. The coach's own today (the page is in their timezone).
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError("That date has passed: check the year.")
        # Nobody books further ahead than a year (the longest horizon a coach may set).
        if day > timezone.localdate() + timedelta(days=MAX_HORIZON_DAYS):
            raise forms.ValidationError("That date is too far ahead: check the year.")
        return day

    def clean(self):
        data = super().clean()
        # As for weekly windows, each error names a field so the model's constraint is not
        # reported a second time.
        if data.get("kind") == AvailabilityException.Kind.DAY_OFF:
            data["starts_at"] = data["ends_at"] = None
        elif data.get("kind"):
            missing = [
                n for n in ("starts_at", "ends_at") if not data.get(n) and n not in self.errors
            ]
            if missing:
                self.add_error(missing[0], "An extra window needs a start and an end.")
            if data.get("starts_at") and data["starts_at"] == data.get("ends_at"):
                self.add_error("ends_at", "A window needs an end different from its start.")
        return data


class CoachSettingsForm(forms.ModelForm):
    session_lengths = forms.TypedMultipleChoiceField(
        choices=[(n, f"{n} minutes") for n in SESSION_LENGTHS],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CoachProfile
        fields = [
            "accepting_bookings",
            "bio",
            "topics",
            "languages",
            "session_lengths",
            "intake_question",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "notice_hours",
            "horizon_days",
            "max_per_day",
            "max_per_week",
        ]
        field_classes = {"topics": ModelMultipleChoiceField}
        widgets = {"topics": forms.CheckboxSelectMultiple, "bio": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "accepting_bookings": "Taking bookings",
            "bio": "About you",
            "topics": "Topics you coach on",
            "languages": "Languages you coach in",
            "session_lengths": "Session lengths you offer",
            "intake_question": "A question for members who book",
            "buffer_before_minutes": "Free time before each session",
            "buffer_after_minutes": "Free time after each session",
            "notice_hours": "Minimum notice",
            "horizon_days": "How far ahead members can book",
            "max_per_day": "Most sessions in a day",
            "max_per_week": "Most sessions in a week",
        }
        help_texts = {
            "accepting_bookings": "When off, members cannot book you, on your mentorship days "
            "either. The sessions already booked stand.",
            "bio": "Shown on your coach page.",
            "languages": "Separate them with commas, e.g. English, French.",
            "intake_question": "Optional. Members answer it when they book, e.g. “What would make "
            "this session a success?”",
            "buffer_before_minutes": "Minutes kept free before a session, so none starts straight "
            "after another. 0 for none, up to 120.",
            "buffer_after_minutes": "Minutes kept free after a session. 0 for none, up to 120.",
            "notice_hours": "Hours: members cannot book a session that starts sooner than this. "
            "Up to 336 (two weeks).",
            "horizon_days": "Days: members can book up to this far ahead, from 1 to 365.",
            "max_per_day": "Counted per day in your timezone. Leave empty for no limit.",
            "max_per_week": "Counted Monday to Sunday in your timezone. Leave empty for no limit.",
        }


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Your private notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(label="Action item", max_length=500)


class ActionItemDoneForm(forms.Form):
    """Tick an action item off, or put it back on the list."""

    done = forms.TypedChoiceField(
        choices=[("yes", "Done"), ("no", "Not done")], coerce=lambda value: value == "yes"
    )


class OfferForm(forms.Form):
    starts_at = SlotField()
    minutes = forms.TypedChoiceField(
        choices=[(n, f"{n} minutes") for n in SESSION_LENGTHS], coerce=int, widget=forms.HiddenInput
    )
    agenda = forms.CharField(
        label="What the follow-up is about",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PauseForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300)


class MentorshipDayForm(forms.ModelForm):
    class Meta:
        model = MentorshipDay
        fields = [
            "title",
            "day",
            "starts_at",
            "ends_at",
            "session_minutes",
            "break_minutes",
            "topics",
            "description",
        ]
        widgets = {
            # The browser's date and time inputs take ISO values, whatever the locale.
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "topics": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"topics": ModelMultipleChoiceField}
        help_texts = {"topics": "Members who want to discuss them are told. None: your topics."}

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            # On the field, so the model's constraint on the same rule is not reported again.
            self.add_error("ends_at", "A mentorship day ends after it starts, on the same date.")
        return data


class DayCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why the day is cancelled",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The members who booked a session are told, with this reason.",
    )


class DayBookingForm(forms.Form):
    starts_at = SlotField()
    agenda = forms.CharField(
        label="What would you like to talk about?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
