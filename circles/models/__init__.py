from .circles import Circle, CircleMember
from .rounds import CompositionRun, ReviewEvent, Round
from .signups import Alias, ImportBatch, SignUp

__all__ = [
    "Alias",
    "Circle",
    "CircleMember",
    "CompositionRun",
    "ImportBatch",
    "ReviewEvent",
    "Round",
    "SignUp",
]
