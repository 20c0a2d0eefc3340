from .bookings import Booking
from .coaches import AvailabilityException, AvailabilityRule, CoachProfile, Topic
from .followups import ActionItem, BookingPause, SessionNote

__all__ = [
    "ActionItem",
    "AvailabilityException",
    "AvailabilityRule",
    "Booking",
    "BookingPause",
    "CoachProfile",
    "SessionNote",
    "Topic",
]
