from .accounts import User
from .applications import Application, Decision
from .emails import Email
from .members import Member, SelfIdentification

__all__ = ["Application", "Decision", "Email", "Member", "SelfIdentification", "User"]
