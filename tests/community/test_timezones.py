"""A person's timezone: chosen once from one entry per zone, kept on their account, read everywhere."""

import re
import zoneinfo
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from community.models import Member, User
from community.services.applications import approve_application
from tests.conftest import make_application, make_user, migrate_to_latest

APPLY_URL = reverse("application_edit")
PROFILE_URL = reverse("profile_edit")
DRAFT = {"full_name": "Grace Hopper", "city": "Mumbai", "draft": "on"}


def offered_zones(html: str) -> list[str]:
    select = re.search(r'<select name="timezone".*?</select>', html, re.S).group(0)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def selected_zone(html: str) -> str:
    select = re.search(r'<select name="timezone".*?</select>', html, re.S).group(0)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


def test_the_application_form_offers_each_zone_once_by_its_current_name(client_for, outsider):
    zones = offered_zones(client_for(outsider).get(APPLY_URL).content.decode())

    assert len(zones) == len(set(zones)) > 300
    assert {"UTC", "Asia/Kolkata", "Europe/Kyiv", "Europe/Oslo", "America/New_York"} <= set(zones)
    assert not {"Asia/Calcutta", "Europe/Kiev", "US/Pacific", "Etc/UTC", "GMT"} & set(zones)
    assert all(zoneinfo.ZoneInfo(zone) for zone in zones)


def test_the_profile_form_offers_the_same_zones(client_for, outsider, member):
    on_application = offered_zones(client_for(outsider).get(APPLY_URL).content.decode())
    on_profile = offered_zones(client_for(member).get(PROFILE_URL).content.decode())

    assert on_profile == on_application


def test_the_timezone_chosen_on_the_application_is_kept_on_the_account(client_for, outsider):
    client_for(outsider).post(APPLY_URL, {**DRAFT, "timezone": "Asia/Kolkata"})

    outsider.refresh_from_db()
    assert outsider.timezone == "Asia/Kolkata"
    assert client_for(outsider).get(APPLY_URL).context["form"]["timezone"].value() == (
        "Asia/Kolkata"
    )


def test_an_unknown_timezone_is_refused_and_changes_nothing(client_for, outsider):
    response = client_for(outsider).post(APPLY_URL, {**DRAFT, "timezone": "Asia/Calcutta"})

    assert response.context["form"].errors["timezone"]
    outsider.refresh_from_db()
    assert outsider.timezone == ""
    assert not outsider.applications.exists()


def test_a_new_member_keeps_the_timezone_they_applied_with(client_for, organizer):
    user = make_user("grace@example.com", name="Grace Hopper")
    application = make_application(user, timezone="America/New_York")

    approve_application(application, reviewed_by=organizer, reason="Leads a large group.")

    html = client_for(user).get(PROFILE_URL).content.decode()
    assert selected_zone(html) == "America/New_York"


def test_the_profile_form_changes_the_timezone_on_the_account(client_for, member):
    page = client_for(member).get(PROFILE_URL)
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value not in (None, False)
    }

    client_for(member).post(PROFILE_URL, {**data, "timezone": "Asia/Tokyo"})

    member.refresh_from_db()
    assert member.timezone == "Asia/Tokyo"


def test_a_timezone_stored_under_an_old_name_shows_as_its_current_name(client_for, member):
    User.objects.filter(pk=member.pk).update(timezone="Asia/Calcutta")

    html = client_for(member).get(PROFILE_URL).content.decode()

    assert selected_zone(html) == "Asia/Kolkata"


def test_dates_are_shown_in_the_timezone_on_the_account(client_for, member, coach):
    Member.objects.filter(user=member).update(joined_at=datetime(2024, 1, 31, 23, 30, tzinfo=UTC))
    profile_url = member.member.get_absolute_url()
    assert "January 2024" in client_for(coach).get(profile_url).content.decode()

    User.objects.filter(pk=coach.pk).update(timezone="Asia/Tokyo")

    assert "February 2024" in client_for(coach).get(profile_url).content.decode()


@pytest.mark.parametrize("url, persona", [(APPLY_URL, "outsider"), (PROFILE_URL, "member")])
def test_timezone_choices_load_the_script_that_preselects_the_browsers_zone(
    client_for, request, url, persona
):
    html = client_for(request.getfixturevalue(persona)).get(url).content.decode()

    assert '<select name="timezone" data-browser-timezone' in html
    assert '<script src="/static/js/timezone.js" defer></script>' in html


def test_the_admin_shows_the_applicants_timezone_from_their_account(client_for, organizer):
    user = make_user("grace@example.com", name="Grace Hopper")
    application = make_application(user, timezone="Asia/Kolkata")

    url = reverse("admin:community_application_change", args=[application.pk])
    html = client_for(organizer).get(url).content.decode()

    assert "Asia/Kolkata" in html


@pytest.fixture
def before_one_timezone(models_before):
    """The models as they were before migration 0006, and a way to run it."""
    return models_before("community", "0006_one_timezone_per_person"), migrate_to_latest


def test_the_migration_keeps_each_persons_timezone_on_their_account(before_one_timezone):
    old, migrate = before_one_timezone
    OldUser, OldApplication, OldMember = (
        old.get_model("community", name) for name in ("User", "Application", "Member")
    )
    submitted = {"status": "submitted", "submitted_at": datetime(2026, 1, 5, tzinfo=UTC)}
    applicant = OldUser.objects.create(email="applicant@example.com")
    OldApplication.objects.create(user=applicant, timezone="Asia/Tokyo", **submitted)
    member = OldUser.objects.create(email="member@example.com")
    application = OldApplication.objects.create(user=member, timezone="Europe/Paris", **submitted)
    OldMember.objects.create(user=member, application=application, timezone="Europe/Lisbon")
    chose = OldUser.objects.create(email="chose@example.com", timezone="America/Toronto")
    OldApplication.objects.create(user=chose, timezone="Asia/Tokyo", **submitted)
    OldUser.objects.create(email="outsider@example.com")

    migrate()

    assert dict(User.objects.values_list("email", "timezone")) == {
        "applicant@example.com": "Asia/Tokyo",
        "member@example.com": "Europe/Lisbon",
        "chose@example.com": "America/Toronto",
        "outsider@example.com": "",
    }
