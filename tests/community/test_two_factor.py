"""Two-factor authentication for everyone who can reach the admin, and setting it up in a browser."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders

from community.models import Application, User
from tests.conftest import PASSWORD, give_totp, make_application, make_user

ACTIVATE = "/accounts/2fa/totp/activate/"
# What Chromium sends when it loads a page, and when it fetches the page's icon afterwards.
PAGE = {
    "HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8",
    "HTTP_SEC_FETCH_DEST": "document",
}
ICON = {"HTTP_ACCEPT": "image/avif,image/webp,image/*,*/*;q=0.8", "HTTP_SEC_FETCH_DEST": "image"}


@pytest.fixture(autouse=True)
def _totp_tolerance(settings):
    # A code computed just before its 30 seconds end is still accepted just after.
    settings.MFA_TOTP_TOLERANCE = 1


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def shown_secret(response) -> str:
    return response.context["form"].secret


@pytest.fixture
def new_organizer(db) -> User:
    return make_user("new.organizer@example.com", groups=[User.ORGANIZERS], staff=True)


@pytest.fixture
def enrolling(client, new_organizer):
    """The test client of a new organizer who has confirmed their password to set up two-factor."""
    client.force_login(new_organizer)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client


def test_the_icon_a_browser_fetches_after_the_set_up_page_keeps_the_secret_on_screen(enrolling):
    page = enrolling.get(ACTIVATE, **PAGE)
    icon = enrolling.get("/favicon.ico", **ICON)

    assert icon["Location"] == "/static/favicon.ico"
    assert enrolling.session[SECRET_SESSION_KEY] == shown_secret(page)
    response = enrolling.post(ACTIVATE, {"code": totp_code(shown_secret(page))})
    assert response.status_code == 302
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 1


def test_loading_the_set_up_page_again_shows_the_same_secret(enrolling):
    first = enrolling.get(ACTIVATE, **PAGE)
    second = enrolling.get(ACTIVATE, **PAGE)

    assert shown_secret(second) == shown_secret(first)
    assert shown_secret(first).encode() in second.content


def test_a_wrong_code_keeps_the_same_secret_for_the_next_try(enrolling):
    secret = shown_secret(enrolling.get(ACTIVATE, **PAGE))
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = enrolling.post(ACTIVATE, {"code": wrong})

    assert "Incorrect code" in response.content.decode()
    assert shown_secret(enrolling.get(ACTIVATE, **PAGE)) == secret


def test_the_site_answers_for_its_icon(db, client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    assert finders.find("favicon.ico")


def test_every_page_names_its_icon(db, client):
    response = client.get("/")

    assert b'<link rel="icon" href="/static/favicon.ico"' in response.content


@pytest.mark.parametrize(
    "headers",
    [
        ICON,
        {"HTTP_ACCEPT": "application/json"},
        {"HTTP_ACCEPT": "*/*", "HTTP_SEC_FETCH_DEST": "empty"},
    ],
    ids=["image", "json", "fetch"],
)
def test_a_request_that_is_not_a_page_is_refused_not_redirected(enrolling, headers):
    response = enrolling.get("/admin/", **headers)

    assert response.status_code == 403
    assert enrolling.session.get(SECRET_SESSION_KEY) is None


def test_a_form_sent_before_two_factor_is_set_up_changes_nothing(enrolling, applicant):
    application = Application.objects.get(user=applicant)

    response = enrolling.post(
        f"/admin/community/application/{application.pk}/change/", {"status": "approved"}
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_staff_user_given_permissions_directly_must_set_up_two_factor(db, client):
    reviewer = make_user("reviewer@example.com", staff=True)
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "change_application"])
    )
    make_application(make_user("applicant@example.com"))
    client.force_login(reviewer)

    for path in ["/admin/", "/admin/community/application/"]:
        response = client.get(path, **PAGE)
        assert response.status_code == 302
        assert response["Location"] == ACTIVATE


def test_a_superuser_must_set_up_two_factor(db, client):
    client.force_login(User.objects.create_superuser("root@example.com", PASSWORD))

    response = client.get("/admin/", **PAGE)

    assert response["Location"] == ACTIVATE


def test_a_staff_user_with_two_factor_reaches_the_admin(db, client):
    reviewer = make_user("reviewer@example.com", staff=True)
    give_totp(reviewer)
    client.force_login(reviewer)

    assert client.get("/admin/", **PAGE).status_code == 200


def test_a_member_without_admin_access_is_not_asked_for_two_factor(member, client_for):
    response = client_for(member).get("/members/", **PAGE)

    assert response.status_code == 200


def test_the_rule_can_be_turned_off_for_local_work(db, client, settings):
    settings.ORGANIZER_MFA_REQUIRED = False
    client.force_login(make_user("reviewer@example.com", staff=True))

    assert client.get("/admin/", **PAGE).status_code == 200
