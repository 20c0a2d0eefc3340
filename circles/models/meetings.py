"""A circle's meetings: the candidate times members vote on, the series, RSVPs and who came."""

from django.db import models

from community.models.meetings import Answer, Occurrence

from .circles import Circle, CircleMember


class MeetingCandidate(models.Model):
    """A time drawn from the circle's common window, offered for the first meeting."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="candidates")
    starts_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["circle", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "starts_at"], name="meeting_candidate_once_per_circle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circle} at {self.starts_at:%Y-%m-%d %H:%M} UTC"


class MeetingVote(models.Model):
    """Whether a member can make a candidate time."""

    candidate = models.ForeignKey(MeetingCandidate, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CircleMember, on_delete=models.CASCADE, related_name="votes")
    can_attend = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "member"], name="meeting_vote_once_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {'can' if self.can_attend else 'cannot'} make {self.candidate}"


class Meeting(Occurrence):
    """One occurrence of a circle's series."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="meetings")
    note = models.TextField(
        "shared note",
        blank=True,
        help_text="What was discussed, and commitments to revisit next time.",
    )
    attendance_taken_at = models.DateTimeField(
        null=True, blank=True, help_text="When the facilitator recorded who came."
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["circle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "number"], name="meeting_number_per_circle"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="meeting_status_start")]

    def __str__(self) -> str:
        return f"{self.circle} meeting {self.number + 1}"


class Attendance(Answer):
    """A member's answer for one meeting (RSVP), and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CircleMember, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="attendance_once_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.meeting}"
