"""The organizer dashboard: each round's funnel, circles at risk, clusters, and the people behind
every number, in a number of queries that does not grow with the data."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circles.domain import SLOTS_PER_DAY
from circles.models import CircleMember
from circles.services.dashboard import PEOPLE_PER_PAGE, round_funnels
from tests.circles.factories import make_round
from tests.circles.life import NOW, active_circle, fortnightly, meeting
from tests.circles.people import TUESDAY_EVENING, sign_up_people

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("circles:dashboard")
WEDNESDAY_MORNING = list(range(2 * SLOTS_PER_DAY + 18, 2 * SLOTS_PER_DAY + 22))  # 09:00-11:00 UTC


@pytest.fixture(autouse=True)
def _at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def a_round_through_its_funnel(slug: str = "spring", number: int = 1):
    """12 signed up; 8 placed, 7 invited, 6 accepted, 5 came once, 3 still after 3 months."""
    round = make_round(slug=slug, name=f"Round {slug}", status="running")
    circle, members = active_circle(round, 8, number=number, first=NOW - timedelta(days=120))
    sign_up_people(round, 4, start=number * 100 + 50)  # the waitlist
    CircleMember.objects.filter(pk=members[7].pk).update(
        status=CircleMember.Status.PROPOSED, invited_at=None, consented_at=None
    )
    CircleMember.objects.filter(pk=members[6].pk).update(
        status=CircleMember.Status.DECLINED, consented_at=None
    )
    accepted = members[:6]
    meeting(circle, 0, circle.first_meeting_at, came=accepted[:5], of=accepted)
    late = circle.first_meeting_at + timedelta(days=100)
    meeting(circle, 7, late, came=accepted[:3], of=accepted)
    return round, circle, members


def test_a_rounds_funnel_counts_each_stage(organizer):
    round, _, _ = a_round_through_its_funnel()

    stages = round_funnels([round])[round.pk]

    assert [(stage.label, stage.count) for stage in stages] == [
        ("Signed up", 12),
        ("Placed in a circle", 8),
        ("Invited", 7),
        ("Accepted", 6),
        ("Met once", 5),
        ("Still meeting after 3 months", 3),
    ]
    assert stages[3].percent == 50
    assert stages[5].url == f"/organize/circles/{round.slug}/people/?stage=still_meeting"


def test_someone_who_left_is_not_still_meeting(organizer):
    round, _, members = a_round_through_its_funnel()
    CircleMember.objects.filter(pk=members[0].pk).update(status=CircleMember.Status.LEFT)

    counts = {stage.key: stage.count for stage in round_funnels([round])[round.pk]}

    assert (counts["met_once"], counts["still_meeting"]) == (5, 2)


def test_every_number_of_the_funnel_links_to_the_people_behind_it(client, organizer):
    round, _, members = a_round_through_its_funnel()
    client.force_login(organizer)

    dashboard = client.get(DASHBOARD).content.decode()
    people = client.get(reverse("circles:round_people", args=[round.slug]), {"stage": "met_once"})

    assert f'href="/organize/circles/{round.slug}/people/?stage=met_once"' in dashboard
    assert 'href="/admin/community/application/?status=approved"' in dashboard
    names = [signup.name for signup in people.context["page"].object_list]
    assert names == sorted(member.signup.name for member in members[:5])
    assert "5 people" in people.content.decode()


def test_the_dashboard_lists_circles_at_risk_with_their_reasons_and_members(client, organizer):
    round = make_round(status="running")
    circle, members = active_circle(round, 4)
    fortnightly(circle, members, [4])
    client.force_login(organizer)

    page = client.get(DASHBOARD).content.decode()

    assert "Only 4 members left (5 or fewer)." in page
    assert f"/organize/circles/{round.slug}/people/?circle={circle.pk}" in page
    members_page = client.get(
        reverse("circles:round_people", args=[round.slug]), {"circle": circle.pk}
    )
    assert members_page.context["page"].paginator.count == 4


def test_each_kind_of_risk_links_to_the_circles_at_risk_for_it(client, organizer):
    round = make_round(status="running")
    small, members = active_circle(round, 4, number=1)
    fortnightly(small, members, [4])
    absent, members = active_circle(round, 8, number=2)
    fortnightly(absent, members, [8, 3, 3])
    client.force_login(organizer)

    summary = {
        kind["label"]: kind["count"] for kind in client.get(DASHBOARD).context["risk_summary"]
    }
    only_small = client.get(DASHBOARD, {"risk": "small"}).context["at_risk"]

    assert summary == {
        "Missed a meeting": 0,
        "Attendance under half twice": 1,
        "5 or fewer members": 1,
    }
    assert [health.circle for health in only_small] == [small]
    assert 'href="/organize/circles/dashboard/?risk=attendance#at-risk-heading"' in (
        client.get(DASHBOARD).content.decode()
    )


def test_the_dashboard_shows_where_and_when_sign_ups_cluster(client, organizer):
    round = make_round(status="open")
    sign_up_people(
        round,
        3,
        place_name="London: Shoreditch",
        place_latitude=51.52,
        place_longitude=-0.08,
        place_city="London",
    )
    client.force_login(organizer)

    page = client.get(DASHBOARD).content.decode()

    assert "Weekly availability heat map" in page
    assert "London (3)" in page
    assert f"/organize/circles/{round.slug}/people/?place=London%3A+Shoreditch" in page
    near = client.get(
        reverse("circles:round_people", args=[round.slug]), {"place": "London: Shoreditch"}
    )
    assert near.context["page"].paginator.count == 3


def test_the_people_list_is_paginated(client, organizer):
    round = make_round()
    sign_up_people(round, PEOPLE_PER_PAGE + 5)
    client.force_login(organizer)
    url = reverse("circles:round_people", args=[round.slug])

    second = client.get(url, {"stage": "signed_up", "page": 2})

    assert len(second.context["page"].object_list) == 5
    assert "Page 2 of 2" in second.content.decode()
    assert 'href="?stage=signed_up&amp;page=1"' in second.content.decode()


def test_an_unknown_stage_is_not_found(client, organizer):
    round = make_round()
    client.force_login(organizer)

    response = client.get(reverse("circles:round_people", args=[round.slug]), {"stage": "vip"})

    assert response.status_code == 404


def queries_for(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_the_dashboard_makes_as_many_queries_for_many_rounds_and_circles_as_for_one(
    client, organizer
):
    client.force_login(organizer)
    a_round_through_its_funnel("one", 1)
    few = queries_for(client, DASHBOARD)

    for number in range(2, 6):
        round, circle, members = a_round_through_its_funnel(f"r{number}", number)
        more, extra = active_circle(round, 4, number=number + 20)
        fortnightly(more, extra, [4, 1, 1])

    assert queries_for(client, DASHBOARD) == few


def test_the_people_list_makes_as_many_queries_for_many_people_as_for_few(client, organizer):
    client.force_login(organizer)
    round, _, _ = a_round_through_its_funnel()
    url = reverse("circles:round_people", args=[round.slug])
    few = queries_for(client, url, {"stage": "placed"})

    for number in range(2, 5):
        active_circle(round, 8, number=number)
    sign_up_people(round, 40, start=900)

    assert queries_for(client, url, {"stage": "placed"}) == few
    assert queries_for(client, url, {"stage": "signed_up", "page": 2}) == few


def test_the_dashboard_is_for_organizers_and_linked_from_their_navigation(
    client, organizer, member
):
    client.force_login(member)
    assert client.get(DASHBOARD).status_code == 403
    client.force_login(organizer)
    assert f'href="{DASHBOARD}"' in client.get(reverse("circles:round_list")).content.decode()


def test_a_heat_map_cell_links_to_the_people_free_in_that_half_hour(client, organizer):
    round = make_round(status="open")
    sign_up_people(round, 3)  # Tuesday 18:00-20:00 UTC
    sign_up_people(round, 2, start=10, slots=WEDNESDAY_MORNING)
    organizer.timezone = "America/New_York"
    organizer.save(update_fields=["timezone"])
    client.force_login(organizer)
    people = reverse("circles:round_people", args=[round.slug])

    page = client.get(DASHBOARD).content.decode()

    tuesday = TUESDAY_EVENING[0]
    assert f'data-href="{people}?slot={tuesday}"' in page
    assert f'data-href="{people}?slot={tuesday - 1}"' not in page  # nobody free then
    assert f'<a href="{people}?slot={tuesday}">Tue 14:00: 3 available</a>' in page  # in EDT
    free = client.get(people, {"slot": tuesday})
    assert free.context["page"].paginator.count == 3
    assert "free Tue 14:00–14:30 (your time)" in free.content.decode()
    wednesday = client.get(people, {"slot": WEDNESDAY_MORNING[0], "stage": "signed_up"})
    assert [s.name for s in wednesday.context["page"].object_list] == ["Person 010", "Person 011"]


def test_the_half_hour_filter_matches_whole_slots_only(db):
    round = make_round()
    (exact,) = sign_up_people(round, 1, slots=[36])
    sign_up_people(round, 1, start=1, slots=[136, 360 % 336, 3, 6])  # "36" only as text
    sign_up_people(round, 1, start=2, slots=[])
    assert list(round.signups.free_at(36)) == [exact]


def test_people_free_in_a_half_hour_are_paginated_in_as_many_queries(client, organizer):
    round = make_round()
    sign_up_people(round, 3)
    client.force_login(organizer)
    url = reverse("circles:round_people", args=[round.slug])
    few = queries_for(client, url, {"slot": TUESDAY_EVENING[0]})
    sign_up_people(round, PEOPLE_PER_PAGE + 2, start=100)

    second = client.get(url, {"slot": TUESDAY_EVENING[0], "page": 2})

    assert len(second.context["page"].object_list) == 5
    assert 'href="?slot=' in second.content.decode()  # the pages keep the filter
    assert queries_for(client, url, {"slot": TUESDAY_EVENING[0], "page": 2}) == few


@pytest.mark.parametrize("slot", ["336", "-1", "tue"])
def test_a_half_hour_outside_the_week_is_not_found(client, organizer, slot):
    round = make_round()
    client.force_login(organizer)
    response = client.get(reverse("circles:round_people", args=[round.slug]), {"slot": slot})
    assert response.status_code == 404
