"""The organizers' back office: the vetting queue, members, the email outbox and Slack.

Organizers (group "Organizers", staff) hold the view/change permissions listed in `community/roles.py`;
deciding on an application needs the change permission. Superusers are operators.
"""

from . import accounts, applications, slack  # noqa: F401  (each registers its models)
