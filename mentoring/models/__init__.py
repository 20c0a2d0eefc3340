from .bookings import Booking
from .coaches import AvailabilityException, AvailabilityRule, CoachProfile, Topic

__all__ = ["AvailabilityException", "AvailabilityRule", "Booking", "CoachProfile", "Topic"]
