"""community.slack: the real slack-sdk client against the local Slack server, errors sorted in two."""

import socket
import time

import pytest

from community.slack import PermanentSlackError, SlackClient, TransientSlackError
from tests.fakes.slack_server import FakeSlack


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(fake):
    return SlackClient(token=fake.bot_token, base_url=fake.base_url, timeout=1)


def test_a_429_is_a_transient_error_carrying_retry_after_and_nobody_sleeps(fake, client):
    fake.rate_limit(retry_after=17)
    started = time.monotonic()

    with pytest.raises(TransientSlackError) as raised:
        client.call("auth.test")

    assert raised.value.retry_after == 17
    assert time.monotonic() - started < 1
    assert fake.calls["auth.test"] == 1  # slack-sdk did not retry behind our back


def test_a_server_error_is_transient(fake, client):
    fake.server_error(status=503)
    with pytest.raises(TransientSlackError) as raised:
        client.call("auth.test")
    assert raised.value.retry_after is None
    assert client.call("auth.test")["ok"]


def test_a_slow_reply_times_out_as_a_transient_error(fake, client):
    fake.slow(1.5, times=1)
    started = time.monotonic()
    with pytest.raises(TransientSlackError):
        client.call("auth.test")
    assert time.monotonic() - started < 1.4


def test_an_unreachable_slack_is_a_transient_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = SlackClient(token="xoxb-x", base_url=f"http://127.0.0.1:{port}/api/", timeout=1)
    with pytest.raises(TransientSlackError):
        client.call("auth.test")


def test_a_bad_token_is_a_permanent_error_about_the_whole_workspace(fake):
    client = SlackClient(token="xoxb-wrong", base_url=fake.base_url, timeout=1)
    with pytest.raises(PermanentSlackError) as raised:
        client.call("auth.test")
    assert raised.value.code == "invalid_auth"
    assert raised.value.is_workspace_wide


def test_an_unknown_channel_is_a_permanent_error_about_that_channel(client):
    with pytest.raises(PermanentSlackError) as raised:
        client.channel_member_ids("C404")
    assert raised.value.code == "channel_not_found"
    assert not raised.value.is_workspace_wide


def test_answers_that_mean_already_done_count_as_success(fake, client):
    user_id = fake.add_user("ada@example.com")
    channel_id = fake.add_channel("lobby", members=[user_id])
    other = fake.add_user("bob@example.com")

    assert client.invite(channel_id, {user_id}) == (set(), {})
    assert client.kick(channel_id, other) is False
    assert client.create_channel("lobby", private=False) is None
    assert client.archive(channel_id) is True
    assert client.archive(channel_id) is False
    assert client.user_by_email("nobody@example.com") is None


def test_invites_go_in_batches_of_at_most_one_hundred(fake, client):
    users = {fake.add_user(f"member{i}@example.com") for i in range(250)}
    channel_id = fake.add_channel("lobby")

    added, refused = client.invite(channel_id, users)

    assert (added, refused) == (users, {})
    assert fake.calls["conversations.invite"] == 3
    assert fake.channels[channel_id]["members"] >= users


def test_an_invite_adds_everyone_slack_accepts_and_reports_the_others(fake, client):
    ada, bob = fake.add_user("ada@example.com"), fake.add_user("bob@example.com")
    fake.user(bob)["deleted"] = True
    channel_id = fake.add_channel("lobby")

    added, refused = client.invite(channel_id, {ada, bob})

    assert added == {ada}
    assert refused == {bob: "user_disabled"}


def test_pages_are_followed_to_the_end(fake, client):
    for i in range(450):
        fake.add_user(f"member{i}@example.com")

    assert len(list(client.users())) == 451  # and the app's bot
    assert fake.calls["users.list"] == 3  # 200 a page


def test_a_200_answer_with_an_html_body_is_transient(fake, client):
    fake.html_page()
    with pytest.raises(TransientSlackError):
        client.call("auth.test")
    assert client.call("auth.test")["ok"]


def test_a_missing_scope_names_the_scope_slack_says_is_needed_and_is_not_workspace_wide(
    fake, client
):
    fake.missing_scope("conversations.create", "groups:write")
    with pytest.raises(PermanentSlackError) as raised:
        client.create_channel("circle-1", private=True)
    assert "groups:write" in str(raised.value)
    assert not raised.value.is_workspace_wide


@pytest.mark.parametrize(
    "error", ["invitee_cant_see_channel", "no_external_invite_permission", "cant_invite"]
)
def test_each_user_an_invite_refuses_is_reported_with_their_own_error(fake, client, error):
    ada, bob, cy = (fake.add_user(f"{n}@example.com") for n in ("ada", "bob", "cy"))
    fake.refuse_invites(bob, error)
    channel_id = fake.add_channel("lobby")

    added, refused = client.invite(channel_id, {ada, bob, cy})

    assert (added, refused) == ({ada, cy}, {bob: error})


def test_after_a_429_the_client_leaves_that_method_alone_but_calls_others(fake, client):
    fake.rate_limit(retry_after=9, method="users.list")
    with pytest.raises(TransientSlackError):
        list(client.users())
    with pytest.raises(TransientSlackError) as again:
        list(client.users())

    assert again.value.retry_after == 9
    assert fake.calls["users.list"] == 1
    assert client.call("auth.test")["ok"]
