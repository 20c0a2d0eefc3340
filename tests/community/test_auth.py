"""Signing up, in and out with django-allauth: verified email, no enumeration, rate limits, TOTP."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone

from community.models import Email, User
from tests.conftest import PASSWORD, give_totp, make_user

NEW_PASSWORD = "another-long-password-77"


@pytest.fixture(autouse=True)
def _totp_tolerance(settings):
    # A code computed just before its 30 seconds end is still accepted just after.
    settings.MFA_TOTP_TOLERANCE = 1


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def link_in(body: str, pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+({pattern})", body)
    assert match, f"no link matching {pattern} in:\n{body}"
    return match.group(1)


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def sign_up(client, email: str = "new.leader@example.com"):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", data)


def test_signing_up_asks_to_verify_the_email_address_before_anything_else(db, client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_user(client) is None
    address = EmailAddress.objects.get(email="new.leader@example.com")
    assert not address.verified
    email = Email.objects.get(to="new.leader@example.com")
    assert "/accounts/confirm-email/" in email.body_text
    assert "Hello from Roundtable!" in email.body_text


def test_signing_in_before_verifying_the_email_address_does_not_work(db, client):
    sign_up(client)
    client.logout()

    response = sign_in(client, "new.leader@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_user(client) is None
    client.get("/apply/")
    assert signed_in_user(client) is None


def test_following_the_verification_link_lets_the_newcomer_sign_in_and_apply(db, client):
    sign_up(client)
    email = Email.objects.get(to="new.leader@example.com")
    confirm = link_in(email.body_text, r"/accounts/confirm-email/[^/\s]+/")
    client.logout()

    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.leader@example.com").verified

    response = sign_in(client, "new.leader@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/application/"
    assert signed_in_user(client).email == "new.leader@example.com"
    assert client.get("/application/")["Location"] == "/apply/"
    assert client.get("/apply/").status_code == 200


def test_signing_up_twice_with_one_address_creates_one_account(db, client):
    sign_up(client)
    client.logout()

    response = sign_up(client, "New.Leader@Example.com")

    # The second sign-up looks the same as the first: nobody learns that the address is taken.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="new.leader@example.com").count() == 1


def test_a_member_signs_in_with_their_email_address_in_any_case(member, client):
    response = sign_in(client, "MEMBER@Example.com")

    assert response.status_code == 302
    assert response["Location"] == "/members/"
    assert signed_in_user(client) == member


def test_a_wrong_password_does_not_sign_in(member, client):
    response = sign_in(client, "member@example.com", "not-the-password")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert signed_in_user(client) is None


def test_signing_out_ends_the_session(member, client):
    sign_in(client, "member@example.com")

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert signed_in_user(client) is None
    assert client.get("/members/")["Location"] == "/accounts/login/?next=/members/"


def test_a_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    db, client, mailoutbox, django_capture_on_commit_callbacks
):
    make_user("known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": "known@example.com"})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/accounts/password/reset/done/"
    assert not Email.objects.filter(to="nobody@example.com").exists()
    assert [message.to for message in mailoutbox] == [["known@example.com"]]


def test_a_password_reset_link_lets_the_owner_choose_a_new_password(
    db, client, mailoutbox, django_capture_on_commit_callbacks
):
    make_user("known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "known@example.com"})
    [message] = mailoutbox  # the outbox keeps no copy of the link once it is sent
    link = link_in(message.body, r"/accounts/password/reset/key/\S+/")

    form = client.get(link, follow=True)
    set_password_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    client.logout()
    assert signed_in_user(client) is None
    sign_in(client, "known@example.com", PASSWORD)
    assert signed_in_user(client) is None
    sign_in(client, "known@example.com", NEW_PASSWORD)
    assert signed_in_user(client).email == "known@example.com"


def test_failed_sign_ins_are_rate_limited(member, client):
    assert "login_failed" in settings.ACCOUNT_RATE_LIMITS
    for _ in range(5):
        sign_in(client, "member@example.com", "not-the-password")

    response = sign_in(client, "member@example.com")  # the right password, too late

    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user(client) is None


def test_the_admin_login_is_allauths_login(db, client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_an_organizer_signs_in_to_the_admin_with_a_password_and_a_code(db, client):
    organizer = make_user(
        "organizer@example.com", groups=[User.ORGANIZERS], staff=True, name="Olivia Organizer"
    )
    secret = give_totp(organizer)

    response = client.post(
        "/accounts/login/", {"login": organizer.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user(client) is None

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signed_in_user(client) == organizer
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_keeps_the_organizer_out(db, client):
    organizer = make_user("organizer@example.com", groups=[User.ORGANIZERS], staff=True)
    secret = give_totp(organizer)
    sign_in(client, organizer.email)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert signed_in_user(client) is None


@pytest.mark.parametrize("path", ["/admin/", "/", "/admin/community/application/"])
def test_an_organizer_without_two_factor_is_sent_to_set_it_up(db, client_for, path):
    organizer = make_user("new.organizer@example.com", groups=[User.ORGANIZERS], staff=True)

    response = client_for(organizer).get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_an_organizer_without_two_factor_can_still_reach_the_setup_pages(db, client_for):
    organizer = make_user("new.organizer@example.com", groups=[User.ORGANIZERS], staff=True)

    response = client_for(organizer).get("/accounts/2fa/")

    assert response.status_code == 200


def test_a_member_can_turn_on_two_factor_authentication(member, client):
    sign_in(client, "member@example.com")

    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302  # changing how one signs in asks for the password again
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    client.post("/accounts/logout/")
    sign_in(client, "member@example.com")
    assert signed_in_user(client) is None  # now the code is asked for as well


def test_an_unknown_address_and_a_wrong_password_get_the_same_answer(member, client):
    unknown = sign_in(client, "nobody@example.com", "not-the-password")
    wrong = sign_in(client, "member@example.com", "not-the-password")

    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].errors == wrong.context["form"].errors


def test_a_new_organizer_sets_up_two_factor_before_reaching_the_admin(db, client):
    organizer = make_user("new.organizer@example.com", groups=[User.ORGANIZERS], staff=True)
    sign_in(client, organizer.email)

    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/2fa/totp/activate/", 302)
    assert b"Organizers must turn on two-factor authentication" in response.content
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert client.get("/admin/").status_code == 200


class CountingHasher(MD5PasswordHasher):
    """Counts the passwords it hashes: hashing is the slow part of an answer, by design."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.fixture
def hashed_passwords(settings):
    settings.PASSWORD_HASHERS = ["tests.community.test_auth.CountingHasher"]

    def count_while(action) -> int:
        before = CountingHasher.hashed
        action()
        return CountingHasher.hashed - before

    return count_while


def test_signing_up_with_a_taken_address_costs_as_much_as_creating_an_account(
    member, client, hashed_passwords
):
    # Hashing a password takes a deliberate ~0.25 s: an answer that skips it for a taken address
    # would tell anyone timing the sign-up form who has an account.
    new_account = hashed_passwords(lambda: sign_up(client, "new.leader@example.com"))
    client.logout()
    taken_address = hashed_passwords(lambda: sign_up(client, "Member@Example.com"))

    assert User.objects.filter(email__iexact="member@example.com").count() == 1
    assert new_account == 1
    assert taken_address == new_account


PROXY = "10.0.0.2"


def sign_in_through_the_proxy(client, forwarded_for: str, email: str, password: str = PASSWORD):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        headers={"x-forwarded-for": forwarded_for},
    )


def lock_out(forwarded_for: str) -> None:
    """Ten failed sign-ins from one person (to ten addresses) in a minute reach the limit."""
    attacker = Client()
    for number in range(10):
        sign_in_through_the_proxy(attacker, forwarded_for, f"guess{number}@example.com", "wrong")
    response = sign_in_through_the_proxy(attacker, forwarded_for, "guess0@example.com", "wrong")
    assert "Too many failed login attempts" in response.content.decode()


def test_behind_the_proxy_one_person_failing_to_sign_in_does_not_lock_out_another(
    member, client, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    lock_out(forwarded_for="203.0.113.7")

    response = sign_in_through_the_proxy(client, "198.51.100.4", "member@example.com")

    assert response.status_code == 302
    assert signed_in_user(client) == member


def test_without_a_trusted_proxy_a_forwarded_for_header_does_not_escape_the_limit(
    member, client, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    lock_out(forwarded_for="203.0.113.7")

    # A made-up X-Forwarded-For is ignored: everyone at the connecting address shares the limit.
    response = sign_in_through_the_proxy(client, "198.51.100.4", "member@example.com")

    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user(client) is None


def sign_up_going_to(client, next_url: str, email: str = "new.leader@example.com"):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "next": next_url}
    return client.post("/accounts/signup/", data)


def confirmation_link(email: str = "new.leader@example.com") -> str:
    """The link in the last email queued for the address (not yet sent, so its body is kept)."""
    queued = Email.objects.filter(to=email, status=Email.Status.QUEUED).order_by("-pk")
    return link_in(queued.first().body_text, r"/accounts/confirm-email/[^/\s]+/")


def test_the_sign_up_page_says_who_may_apply_before_anyone_creates_an_account(db, client):
    page = client.get("/accounts/signup/").content.decode()

    assert "engineering director" in page
    assert "co-founder" in page
    assert page.index("engineering director") < page.index('name="password1"')


def test_confirming_the_email_address_signs_the_newcomer_in_where_they_were_going(db, client):
    assert (
        client.get("/accounts/signup/?next=/account/self-identification/").context[
            "redirect_field_value"
        ]
        == "/account/self-identification/"
    )
    sign_up_going_to(client, "/account/self-identification/")

    response = client.post(confirmation_link())

    assert response.status_code == 302
    assert response["Location"] == "/account/self-identification/"
    assert signed_in_user(client).email == "new.leader@example.com"


def test_confirming_without_a_destination_signs_the_newcomer_in_to_apply(db, client):
    sign_up(client)

    response = client.post(confirmation_link(), follow=True)

    assert response.redirect_chain[-1][0] == "/apply/"
    assert signed_in_user(client).email == "new.leader@example.com"


def test_a_confirmation_link_opened_elsewhere_confirms_but_does_not_sign_in(db, client):
    sign_up(client)

    elsewhere = Client()
    response = elsewhere.post(confirmation_link())

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.leader@example.com").verified
    assert signed_in_user(elsewhere) is None


def test_the_check_your_email_page_sends_the_link_again(db, client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        response = sign_up_going_to(client, "/account/self-identification/")
        check_your_email = "/accounts/confirm-email/?next=%2Faccount%2Fself-identification%2F"
        assert response["Location"] == check_your_email
        page = client.get(check_your_email).content.decode()
        assert "Send the link again" in page
        assert 'action="/accounts/login/?next=%2Faccount%2Fself-identification%2F"' in page

        clock.shift(timedelta(minutes=3, seconds=1))  # one link per address every three minutes
        response = client.post(
            "/accounts/login/?next=%2Faccount%2Fself-identification%2F",
            {"login": "new.leader@example.com", "password": PASSWORD},
        )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/confirm-email/")
    assert Email.objects.filter(to="new.leader@example.com").count() == 2
    response = client.post(confirmation_link())
    assert response["Location"] == "/account/self-identification/"
    assert signed_in_user(client).email == "new.leader@example.com"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/signup/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
    ],
)
def test_pages_that_say_contact_us_give_the_contact_address(db, client, settings, path):
    settings.CONTACT_EMAIL = "help@roundtable.example.com"

    page = client.get(path).content.decode()

    assert '<a href="mailto:help@roundtable.example.com">help@roundtable.example.com</a>' in page
