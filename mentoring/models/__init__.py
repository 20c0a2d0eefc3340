from .bookings import Booking
from .coaches import AvailabilityException, AvailabilityRule, CoachProfile, Topic
from .days import MentorshipDay
from .followups import ActionItem, BookingPause, SessionNote

__all__ = [
    "ActionItem",
    "AvailabilityException",
    "AvailabilityRule",
    "Booking",
    "BookingPause",
    "CoachProfile",
    "MentorshipDay",
    "SessionNote",
    "Topic",
]
