from .circles import Circle, CircleMember
from .rounds import CompositionPart, CompositionRun, ReviewEvent, Round
from .signups import Alias, ImportBatch, SignUp

__all__ = [
    "Alias",
    "Circle",
    "CircleMember",
    "CompositionPart",
    "CompositionRun",
    "ImportBatch",
    "ReviewEvent",
    "Round",
    "SignUp",
]
