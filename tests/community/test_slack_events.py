"""The Slack events endpoint believes only requests signed by Slack in the last five minutes."""

import json
import time

import pytest

from community.models import SlackAccount
from community.services import slack_state
from tests.fakes import SIGNING_SECRET, fake_slack_fixture, slack_fixture  # noqa: F401
from tests.fakes.slack_server import event_body, signed_headers

pytestmark = pytest.mark.django_db
URL = "/slack/events/"


@pytest.fixture
def joining(slack, member):
    """Maya, a member, has just joined the Slack workspace: the team_join event Slack sends."""
    slack_state.record_new_member(member.member)
    return event_body({"type": "team_join", "user": slack.user(slack.add_user(member.email))})


def post(client, body: bytes, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def not_linked(member) -> bool:
    return SlackAccount.objects.get(user=member).state != SlackAccount.State.LINKED


def test_a_signed_event_is_accepted(client, joining, member):
    assert post(client, joining, **signed_headers(SIGNING_SECRET, joining)).status_code == 200
    assert not not_linked(member)


def test_a_request_signed_with_another_secret_is_refused_and_changes_nothing(
    client, joining, member
):
    response = post(client, joining, **signed_headers("someone-elses-secret", joining))
    assert response.status_code == 403
    assert not_linked(member)


def test_a_tampered_body_is_refused(client, joining, member):
    headers = signed_headers(SIGNING_SECRET, joining)
    tampered = joining.replace(b"team_join", b"user_change")
    assert post(client, tampered, **headers).status_code == 403
    assert not_linked(member)


@pytest.mark.parametrize("age", [301, -301, 3600])
def test_a_request_more_than_five_minutes_off_is_refused_even_when_signed(
    client, joining, member, age
):
    headers = signed_headers(SIGNING_SECRET, joining, timestamp=int(time.time()) - age)
    assert post(client, joining, **headers).status_code == 403
    assert not_linked(member)


def test_a_request_without_a_signature_is_refused(client, joining, member):
    assert post(client, joining).status_code == 403
    assert post(client, joining, HTTP_X_SLACK_REQUEST_TIMESTAMP="soon").status_code == 403
    assert not_linked(member)


def test_events_are_refused_when_no_signing_secret_is_configured(client, joining, member, settings):
    settings.SLACK_SIGNING_SECRET = ""
    assert post(client, joining, **signed_headers("", joining)).status_code == 403
    assert not_linked(member)


def test_only_post_is_allowed(client, slack):
    assert client.get(URL).status_code == 405


def test_a_signed_request_that_is_not_json_is_a_bad_request(client, slack):
    body = b"not json"
    assert post(client, body, **signed_headers(SIGNING_SECRET, body)).status_code == 400


def test_other_events_are_acknowledged_and_ignored(client, slack, member):
    body = event_body({"type": "message", "text": json.dumps({"hello": "world"})})
    assert post(client, body, **signed_headers(SIGNING_SECRET, body)).status_code == 200
    assert not SlackAccount.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        [{"type": "event_callback"}],
        "event_callback",
        42,
        {"type": "event_callback", "event": "team_join"},
        {"type": "event_callback", "event": ["team_join"]},
        {"type": "event_callback", "event": {"type": ["team_join"]}},
        {"type": "event_callback", "event": {"type": "team_join", "user": "U0MAYA001"}},
        {"type": "event_callback", "event": {"type": "team_join", "user": {"id": 7}}},
        {
            "type": "event_callback",
            "event": {"type": "user_change", "user": {"id": "U1", "profile": "member@x.com"}},
        },
        {
            "type": "event_callback",
            "event": {"type": "user_change", "user": {"id": "U1", "profile": {"email": ["a"]}}},
        },
        {"type": "url_verification", "challenge": {"a": 1}},
    ],
)
def test_a_signed_body_of_the_wrong_shape_is_a_bad_request_and_changes_nothing(
    client, joining, member, payload
):
    body = json.dumps(payload).encode()
    response = post(client, body, **signed_headers(SIGNING_SECRET, body))
    assert response.status_code == 400
    assert not_linked(member)


def test_a_user_deactivated_in_slack_has_their_account_marked_deactivated(client, joining, member):
    post(client, joining, **signed_headers(SIGNING_SECRET, joining))
    slack_user = json.loads(joining)["event"]["user"]
    body = event_body({"type": "user_change", "user": {**slack_user, "deleted": True}})

    assert post(client, body, **signed_headers(SIGNING_SECRET, body)).status_code == 200

    account = SlackAccount.objects.get(user=member)
    assert account.state == SlackAccount.State.DEACTIVATED
    assert account.slack_user_id == slack_user["id"]

    body = event_body({"type": "user_change", "user": {**slack_user, "deleted": False}})
    post(client, body, **signed_headers(SIGNING_SECRET, body))
    assert not not_linked(member)  # reactivated in Slack: linked again


def test_a_second_slack_user_with_the_same_address_does_not_take_over_the_link(
    client, joining, member, slack
):
    post(client, joining, **signed_headers(SIGNING_SECRET, joining))
    first = SlackAccount.objects.get(user=member).slack_user_id
    other = slack.user(slack.add_user(member.email.upper()))
    body = event_body({"type": "team_join", "user": other})

    post(client, body, **signed_headers(SIGNING_SECRET, body))

    account = SlackAccount.objects.get(user=member)
    assert account.slack_user_id == first
    assert other["id"] in account.last_error
