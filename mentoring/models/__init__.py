from .assessments import Adjustment, Assessment, MentorAssignment, Review, Score, ScoreValue
from .bookings import Booking
from .coaches import AvailabilityException, AvailabilityRule, CoachProfile, Topic
from .days import MentorshipDay
from .followups import ActionItem, BookingPause, SessionNote
from .framework import Competency, Direction, DirectionWeight, FrameworkVersion, Skill
from .groups import GroupMembership, GroupSession, MentoringGroup, SessionAttendance

__all__ = [
    "ActionItem",
    "Adjustment",
    "Assessment",
    "AvailabilityException",
    "AvailabilityRule",
    "Booking",
    "BookingPause",
    "CoachProfile",
    "Competency",
    "Direction",
    "DirectionWeight",
    "FrameworkVersion",
    "GroupMembership",
    "GroupSession",
    "MentorAssignment",
    "MentoringGroup",
    "MentorshipDay",
    "Review",
    "Score",
    "ScoreValue",
    "SessionAttendance",
    "SessionNote",
    "Skill",
    "Topic",
]
