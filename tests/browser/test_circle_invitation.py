"""In a real browser, a member opens the invitation link from their email and accepts with consent."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from playwright.sync_api import expect

from circles.models import CircleMember
from circles.services.invitations import send_round_invitations
from community.models import SlackChannelMembership
from tests.browser.conftest import check_page
from tests.circles.invited_people import members_of, proposed_circle, reviewed_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://\S+/circles/invitation/\S+/")


def test_a_member_accepts_an_invitation_from_the_email_link(signed_in_page, mailoutbox):
    round = reviewed_round()
    circle = proposed_circle(round, 6)
    with transaction.atomic():  # the invitations go out once this commits
        send_round_invitations(round, by=None)
    ada = members_of(circle)[0]
    (email,) = [message for message in mailoutbox if message.to == [ada.signup.email]]
    path = urlsplit(LINK.search(email.body).group(0)).path

    page = signed_in_page(ada.signup.user)
    page.goto(path)
    expect(page.get_by_role("heading", name=f"Your invitation to {circle}")).to_be_visible()
    expect(page.get_by_text("What is said in the circle stays in the circle")).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Accept and join the circle").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick the box")  # consent comes first
    check_page(page)
    page.get_by_label("I agree to be added to the circle's private channel").check()
    page.get_by_role("button", name="Accept and join the circle").click()
    expect(page.get_by_role("heading", name="You are in")).to_be_visible()
    check_page(page)

    assert CircleMember.objects.get(pk=ada.pk).status == CircleMember.Status.ACCEPTED
    assert SlackChannelMembership.objects.filter(account__user=ada.signup.user).exists()
    expect(page.get_by_role("button", name="Accept and join the circle")).to_have_count(0)

    page.get_by_role("link", name="Go to your circle's page").click()
    expect(page.get_by_role("heading", name=str(circle), exact=False).first).to_be_visible()
    expect(page.get_by_text(ada.signup.name).first).to_be_visible()  # they consented: full name
    check_page(page)
