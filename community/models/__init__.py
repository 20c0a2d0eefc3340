from .accounts import User
from .applications import Application, Decision
from .emails import Email
from .members import Member, MembershipChange, SelfIdentification
from .slack import SlackAccount, SlackChannel, SlackChannelMembership, SlackSyncRun, SlackWorkspace

__all__ = [
    "Application",
    "Decision",
    "Email",
    "Member",
    "MembershipChange",
    "SelfIdentification",
    "SlackAccount",
    "SlackChannel",
    "SlackChannelMembership",
    "SlackSyncRun",
    "SlackWorkspace",
    "User",
]
