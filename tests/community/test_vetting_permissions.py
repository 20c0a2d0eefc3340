"""Who may decide on an application: the right permission, and never on one's own."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import Application, Member
from community.services import applications as service
from community.services.vetting import Verdict, decide_applications
from tests.conftest import give_totp, make_application, make_user

QUEUE = reverse("admin:community_application_changelist")
ACTIONS = ["start_review", "approve", "waitlist", "reject"]


def clerk_who_may_only_view_applications():
    user = make_user("clerk@example.com", name="Carl Clerk", staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_application"))
    give_totp(user)  # the admin asks everyone who reaches it for two-factor
    return user


def test_a_staff_user_who_may_only_view_applications_is_offered_no_decision(client_for, applicant):
    page = client_for(clerk_who_may_only_view_applications()).get(QUEUE)

    assert page.status_code == 200
    assert "Alex Applicant" in page.text
    for action in ACTIONS:
        assert f'value="{action}"' not in page.text


@pytest.mark.parametrize("action", ACTIONS)
def test_a_crafted_decision_from_a_staff_user_who_may_only_view_changes_nothing(
    client_for, applicant, action
):
    application = applicant.applications.get()
    client = client_for(clerk_who_may_only_view_applications())

    client.post(
        QUEUE,
        {"action": action, "_selected_action": [application.pk], "reason": "Fine", "confirm": "1"},
    )

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.decisions.exists()


# Nobody decides on their own application.


@pytest.fixture
def own_application(organizer) -> Application:
    return make_application(organizer, full_name="Olivia Organizer")


@pytest.mark.parametrize(
    "decide",
    [
        lambda a, by: service.start_review(a, reviewed_by=by),
        lambda a, by: service.approve_application(a, reviewed_by=by, reason="Obviously"),
        lambda a, by: service.waitlist_application(a, reviewed_by=by, reason="Later"),
        lambda a, by: service.reject_application(a, reviewed_by=by, reason="Modesty"),
    ],
    ids=["start_review", "approve", "waitlist", "reject"],
)
def test_an_organizer_cannot_decide_on_their_own_application(organizer, own_application, decide):
    with pytest.raises(ValidationError, match="is your own: another organizer must decide"):
        decide(own_application, organizer)

    own_application.refresh_from_db()
    assert own_application.status == Application.Status.SUBMITTED
    assert not own_application.decisions.exists()
    assert not Member.objects.filter(user=organizer).exists()


def test_deciding_on_many_reports_ones_own_application_and_decides_the_rest(
    organizer, own_application, applicant
):
    theirs = applicant.applications.get()

    outcome = decide_applications(
        [own_application, theirs], verdict=Verdict.APPROVE, reviewed_by=organizer, reason="Leads"
    )

    assert outcome.done == [theirs]
    assert [application for application, _ in outcome.failed] == [own_application]
    own_application.refresh_from_db()
    assert own_application.status == Application.Status.SUBMITTED


def test_the_admin_says_why_an_organizer_cannot_approve_their_own_application(
    client_for, organizer, own_application
):
    response = client_for(organizer).post(
        reverse("admin:community_application_decide", args=["approve"]),
        {"applications": [own_application.pk], "reason": "Obviously", "confirm": "yes"},
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert any("is your own: another organizer must decide on it" in text for text in shown)
    own_application.refresh_from_db()
    assert own_application.status == Application.Status.SUBMITTED
    assert not Member.objects.filter(user=organizer).exists()


def test_another_organizer_may_decide_on_an_organizers_application(organizer, own_application):
    colleague = make_user("second@example.com", name="Sam Second", staff=True)

    service.approve_application(own_application, reviewed_by=colleague, reason="Leads a group")

    assert Member.objects.filter(user=organizer).exists()
