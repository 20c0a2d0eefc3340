"""One account page for every signed-in person, linking everything they can do with their account."""

import re

import pytest
from django.urls import reverse

from tests.conftest import give_totp

ACCOUNT_URL = reverse("account")
PERSONAS = ["outsider", "applicant", "member", "coach", "organizer"]
FOR_EVERYONE = {
    "Email addresses": reverse("account_email"),
    "Password": reverse("account_change_password"),
    "Two-factor authentication": reverse("mfa_index"),
    "Self-identification": reverse("self_identification"),
    "Download my data": reverse("data_export"),
    "Delete my account": reverse("account_delete"),
}
PROFILE = reverse("profile_edit")


def links_on(response) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_person_reaches_their_whole_account_from_one_page(
    persona, request, client_for
):
    client = client_for(request.getfixturevalue(persona))

    response = client.get(ACCOUNT_URL)

    assert response.status_code == 200
    page = response.content.decode()
    for label, url in FOR_EVERYONE.items():
        assert label in page
        assert url in links_on(response)
        # Each page it links to opens (two-factor and deletion ask for the password when used).
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_navigation_account_link_opens_the_account_page(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))

    page = client.get(reverse("code_of_conduct")).content.decode()

    assert f'<a href="{ACCOUNT_URL}">Account</a>' in page


@pytest.mark.parametrize("persona", ["member", "coach"])
def test_members_find_their_profile_on_the_account_page(persona, request, client_for):
    response = client_for(request.getfixturevalue(persona)).get(ACCOUNT_URL)

    assert PROFILE in links_on(response)


@pytest.mark.parametrize("persona", ["outsider", "applicant", "organizer"])
def test_people_without_a_member_profile_are_not_offered_one(persona, request, client_for):
    response = client_for(request.getfixturevalue(persona)).get(ACCOUNT_URL)

    assert PROFILE not in links_on(response)


def test_the_account_page_says_whether_two_factor_authentication_is_on(member, client_for):
    client = client_for(member)
    assert "Two-factor authentication is off" in client.get(ACCOUNT_URL).content.decode()

    give_totp(member)

    assert "Two-factor authentication is on" in client.get(ACCOUNT_URL).content.decode()


def test_the_account_page_asks_a_visitor_to_sign_in(db, client):
    response = client.get(ACCOUNT_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={ACCOUNT_URL}"
