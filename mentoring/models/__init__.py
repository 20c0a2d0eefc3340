from .bookings import Booking
from .coaches import AvailabilityException, AvailabilityRule, CoachProfile, Topic
from .groups import GroupMembership, GroupSession, MentoringGroup, SessionAttendance

__all__ = [
    "AvailabilityException",
    "AvailabilityRule",
    "Booking",
    "CoachProfile",
    "GroupMembership",
    "GroupSession",
    "MentoringGroup",
    "SessionAttendance",
    "Topic",
]
