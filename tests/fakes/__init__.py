"""Local stand-ins for outside services, spoken to over their real protocols.

Test modules import the fixtures they use: `from tests.fakes import fake_slack_fixture, slack_fixture  # noqa: F401`
brings in `fake_slack` and `slack`.
"""

import pytest

from tests.fakes.slack_server import FakeSlack

SIGNING_SECRET = "test-signing-secret"
INVITE_URL = "https://join.slack.com/t/roundtable/shared_invite/zt-test"


@pytest.fixture(name="fake_slack")
def fake_slack_fixture():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(name="slack")
def slack_fixture(fake_slack, settings):
    """The site configured for the fake workspace, whose default channels already exist.

    #lobby has the app in it; #announcements does not yet, so the app joins it first.
    """
    settings.SLACK_BOT_TOKEN = fake_slack.bot_token
    settings.SLACK_ENABLED = True
    settings.SLACK_API_URL = fake_slack.base_url
    settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
    settings.SLACK_INVITE_URL = INVITE_URL
    settings.SLACK_DEFAULT_CHANNELS = ["lobby", "announcements"]
    settings.SLACK_TIMEOUT_SECONDS = 2
    fake_slack.add_channel("lobby")
    fake_slack.add_channel("announcements", bot_is_member=False)
    return fake_slack
