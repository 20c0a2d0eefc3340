"""Asking a circle's members at six months whether to carry on, by signed yes/no links."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from circles.models import Circle, CircleMember, ReviewEvent
from circles.services.renewals import (
    LINK_VALID_FOR,
    ask_due_renewals,
    ask_renewal,
    renewal_token,
)
from tests.circles.factories import make_round
from tests.circles.life import NOW, active_circle

pytestmark = pytest.mark.django_db


@pytest.fixture
def round():
    return make_round(status="running")


def ask(capture, circle, by=None, now=NOW):
    with time_machine.travel(now, tick=False), capture(execute=True):
        return ask_renewal(circle, by=by)


def links_in(message) -> dict[str, str]:
    urls = re.findall(r"(?:Yes, carry on|No, I will stop): (\S+)", message.body)
    return {"yes": urls[0], "no": urls[1]}


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_asking_emails_each_accepted_member_once_with_yes_and_no_links(
    round, organizer, django_capture_on_commit_callbacks, mailoutbox
):
    circle, members = active_circle(round, 6)
    CircleMember.objects.filter(pk=members[5].pk).update(status=CircleMember.Status.LEFT)

    assert ask(django_capture_on_commit_callbacks, circle, by=organizer) == 5

    renewal_mails = [m for m in mailoutbox if m.subject == "Carry on with Circle 1?"]
    assert sorted(m.to[0] for m in renewal_mails) == sorted(m.signup.email for m in members[:5])
    assert "/circles/renew/" in renewal_mails[0].body
    circle.refresh_from_db()
    assert circle.renewal_asked_at == NOW
    assert ReviewEvent.objects.filter(action="circle.renewal_asked", actor=organizer).exists()
    with pytest.raises(ValidationError, match="already asked"):
        ask(django_capture_on_commit_callbacks, circle)
    assert len([m for m in mailoutbox if m.subject == "Carry on with Circle 1?"]) == 5


def test_a_member_answers_with_the_link_and_a_second_click_shows_the_answer(
    round, client, django_capture_on_commit_callbacks, mailoutbox
):
    circle, members = active_circle(round, 6)
    ask(django_capture_on_commit_callbacks, circle)
    mail = next(m for m in mailoutbox if m.to[0] == members[0].signup.email)
    links = {answer: path_of(url) for answer, url in links_in(mail).items()}

    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        shown = client.get(links["yes"])
        assert "Yes, carry on" in shown.content.decode()
        members[0].refresh_from_db()
        assert members[0].renewal == ""  # opening the link records nothing
        client.post(links["yes"])
        again = client.post(links["no"])

    members[0].refresh_from_db()
    assert members[0].renewal == CircleMember.Renewal.YES
    assert "You answered" in again.content.decode()
    assert "Your first answer stands" in again.content.decode()


def test_a_tampered_or_expired_link_changes_nothing_and_says_why(
    round, client, django_capture_on_commit_callbacks
):
    circle, members = active_circle(round, 6)
    ask(django_capture_on_commit_callbacks, circle)
    with time_machine.travel(NOW, tick=False):
        token = renewal_token(members[0], "yes")
    url = reverse("circles:renewal_answer", args=[token])

    tampered = client.post(url.replace(token, token[:-2] + "xx"))
    with time_machine.travel(NOW + LINK_VALID_FOR + timedelta(hours=1), tick=False):
        expired = client.post(url)
    forged = signing.dumps({"member": members[1].pk, "answer": "no"}, salt="another")

    assert tampered.status_code == expired.status_code == 400
    assert "not valid" in tampered.content.decode()
    assert "expired" in expired.content.decode()
    assert client.post(reverse("circles:renewal_answer", args=[forged])).status_code == 400
    assert not CircleMember.objects.exclude(renewal="").exists()


def test_circles_are_asked_automatically_six_months_after_their_first_meeting(
    round, django_capture_on_commit_callbacks, mailoutbox
):
    due, _ = active_circle(round, 6, number=1, first=NOW - timedelta(days=183))
    young, _ = active_circle(round, 6, number=2, first=NOW - timedelta(days=100))

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert ask_due_renewals() == 1
        assert ask_due_renewals() == 0

    assert Circle.objects.filter(renewal_asked_at__isnull=False).get() == due
    assert len([m for m in mailoutbox if "Carry on" in m.subject]) == 6


def test_the_organizer_asks_and_sees_the_answers(
    round, client, organizer, django_capture_on_commit_callbacks
):
    circle, members = active_circle(round, 6)
    client.force_login(organizer)
    page = reverse("circles:circle_health", args=[round.slug, circle.pk])
    assert "Ask the members whether to renew" in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("circles:circle_renewal_ask", args=[round.slug, circle.pk]))
    CircleMember.objects.filter(pk=members[0].pk).update(renewal="yes")
    CircleMember.objects.filter(pk=members[1].pk).update(renewal="no")

    text = client.get(page).content.decode()
    assert f"Yes (1): {members[0].signup.name}" in text
    assert f"No (1): {members[1].signup.name}" in text
    assert "No answer yet (4)" in text
