from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from community.models import Application, Decision
from community.services.reports import application_funnel
from tests.conftest import make_application, make_user


def _applications(statuses):
    for index, status in enumerate(statuses):
        user = make_user(f"funnel{index}@example.com", name=f"Person {index}")
        application = make_application(user, status=status)
        if status != Application.Status.SUBMITTED:
            Decision.objects.create(
                application=application,
                from_status="in_review",
                to_status=status,
                created_at=application.submitted_at + timedelta(days=2),
            )


def test_the_funnel_counts_how_far_applications_got(db):
    _applications(["submitted", "in_review", "approved", "approved", "rejected", "waitlisted"])
    funnel = application_funnel(days=90)
    stages = {row["label"]: row["count"] for row in funnel["stages"]}
    assert stages == {"Submitted": 6, "Reviewed": 5, "Approved": 2}
    outcomes = {row["label"]: row["percent"] for row in funnel["outcomes"]}
    assert outcomes["Waiting"] == 33 and outcomes["Approved"] == 33
    assert funnel["median_days_to_decision"] == 2.0


def test_the_funnel_leaves_out_applications_older_than_the_period(db):
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        _applications(["approved"])
    assert application_funnel(days=90)["stages"][0]["count"] == 0
    assert application_funnel(days=365)["stages"][0]["count"] == 1


def test_organizers_see_the_funnel_as_a_chart(client_for, organizer):
    _applications(["submitted", "approved"])
    response = client_for(organizer).get(reverse("application_funnel"))
    assert response.status_code == 200
    assert b'class="bar"' in response.content and b"Submitted" in response.content


def test_the_funnel_has_an_empty_state(client_for, organizer):
    response = client_for(organizer).get(reverse("application_funnel"), {"days": "30"})
    assert b"No applications were submitted in the last 30 days" in response.content


def test_members_cannot_see_the_funnel(client_for, member):
    assert client_for(member).get(reverse("application_funnel")).status_code == 403


def test_the_funnel_query_count_does_not_grow_with_applications(
    client_for, organizer, django_assert_max_num_queries
):
    _applications(["submitted", "approved"])
    client = client_for(organizer)
    with django_assert_max_num_queries(12) as with_two:
        client.get(reverse("application_funnel"))
    for index in range(40):
        make_application(make_user(f"more{index}@example.com"))
    with django_assert_max_num_queries(len(with_two.captured_queries)):
        client.get(reverse("application_funnel"))
