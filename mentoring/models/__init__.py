from .assessments import Adjustment, Assessment, MentorAssignment, Review, Score, ScoreValue
from .bookings import Booking
from .coaches import AvailabilityException, AvailabilityRule, CoachProfile, Topic
from .framework import Competency, Direction, DirectionWeight, FrameworkVersion, Skill
from .groups import GroupMembership, GroupSession, MentoringGroup, SessionAttendance

__all__ = [
    "Adjustment",
    "Assessment",
    "AvailabilityException",
    "AvailabilityRule",
    "Booking",
    "CoachProfile",
    "Competency",
    "Direction",
    "DirectionWeight",
    "FrameworkVersion",
    "GroupMembership",
    "GroupSession",
    "MentorAssignment",
    "MentoringGroup",
    "Review",
    "Score",
    "ScoreValue",
    "SessionAttendance",
    "Skill",
    "Topic",
]
