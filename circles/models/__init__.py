from .circles import Backfill, Circle, CircleMember
from .meetings import Attendance, Meeting, MeetingCandidate, MeetingVote
from .rounds import CompositionPart, CompositionRun, ReviewEvent, Round
from .signups import Alias, ImportBatch, SignUp

__all__ = [
    "Alias",
    "Attendance",
    "Backfill",
    "Circle",
    "CircleMember",
    "CompositionPart",
    "CompositionRun",
    "ImportBatch",
    "Meeting",
    "MeetingCandidate",
    "MeetingVote",
    "ReviewEvent",
    "Round",
    "SignUp",
]
