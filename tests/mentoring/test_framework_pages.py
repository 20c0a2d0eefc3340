"""The career framework's pages: the form, the result, the review, the history, the totals."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils.html import escape

from mentoring.default_framework import link_default_topics
from mentoring.models import Assessment, Review, Topic
from mentoring.services.growth import HEIGHT, PAD_Y, TOP_LEVEL
from tests.conftest import make_member, make_user
from tests.mentoring.framework_people import (
    IC_LEVELS,
    agreed_review,
    booked_coach,
    direction,
    first_skill,
    scores_for,
    the_framework,
)


def test_starting_twice_in_one_direction_carries_on_with_the_same_draft(client_for, member):
    the_framework()
    client = client_for(member)
    first = client.post("/coaching/growth/start/", {"direction": "individual-contributor"})
    again = client.post("/coaching/growth/start/", {"direction": "individual-contributor"})
    assert first.url == again.url
    assert Assessment.objects.filter(member=member).count() == 1
    client.post("/coaching/growth/start/", {"direction": "functional-leader"})
    assert Assessment.objects.filter(member=member).count() == 2


def test_a_member_saves_a_draft_and_finishes_it_on_the_form(client_for, member):
    the_framework()
    client = client_for(member)
    response = client.post("/coaching/growth/start/", {"direction": "individual-contributor"})
    assessment = Assessment.objects.get(member=member)
    assert response.url == f"/coaching/growth/assessments/{assessment.pk}/edit/"
    form = client.get(response.url)
    assert form.status_code == 200 and "Level 5: Leading expert" in form.text
    scores = scores_for(assessment, IC_LEVELS)
    some = {f"score_{pk}": score for pk, score in list(scores.items())[:5]}
    client.post(response.url, {**some, "draft": ""})
    assert assessment.scores.count() == 5
    assert "5 still have no score" not in client.get(response.url).text
    refused = client.post(response.url, {**some, "finish": ""}, follow=True)
    assert "Score every skill to finish" in refused.text
    everything = {f"score_{pk}": score for pk, score in scores.items()}
    example = next(iter(scores))
    done = client.post(
        response.url, {**everything, f"example_{example}": "Ran the Q3 plan", "finish": ""}
    )
    assert done.url == f"/coaching/growth/assessments/{assessment.pk}/"
    page = client.get(done.url)
    assert page.context["result"].progress == 2.25
    assert "<strong data-progress>2.25</strong>" in page.text
    assert assessment.scores.get(skill_id=example).example == "Ran the Q3 plan"


def test_the_result_names_the_skill_that_holds_a_level_back(client_for, member, coach):
    profile = booked_coach(coach, member)
    skill = first_skill("leadership", 1)
    review = agreed_review(member, profile, adjust={skill: (0, "Not yet")})
    page = client_for(member).get(f"/coaching/growth/reviews/{review.pk}/")
    leadership = [
        c for c in page.context["result"].competencies if c.competency.slug == "leadership"
    ]
    level_one = leadership[0].levels[1]
    assert [row.skill for row in level_one.skills if row.holds_back] == [skill]
    assert "a skill scores 0" in page.text and "“Not yet”" in page.text


def test_the_history_shows_the_numbers_of_the_recorded_reviews(client_for, member, coach):
    profile = booked_coach(coach, member)
    with time_machine.travel(datetime(2027, 1, 10, 9, tzinfo=UTC)):
        first = agreed_review(member, profile)
    with time_machine.travel(datetime(2027, 7, 10, 9, tzinfo=UTC)):
        second = agreed_review(member, profile, {**IC_LEVELS, "leadership": 3, "delivery": 4})
    page = client_for(member).get("/coaching/growth/history/")
    rows = page.context["rows"]
    assert [(review.pk, review.agreed_progress) for review, _ in rows] == [
        (first.pk, Decimal("2.25")),
        (second.pk, Decimal("2.85")),
    ]
    assert [levels for _, levels in rows] == [[2, 3, 2, 2, 1], [4, 3, 2, 2, 3]]
    # The chart's dots sit at the recorded values (y grows downwards from the top level).
    dots = page.context["progress_chart"]["series"][0]["dots"]
    to_value = lambda y: (HEIGHT - PAD_Y - y) / (HEIGHT - 2 * PAD_Y) * TOP_LEVEL  # noqa: E731
    assert [to_value(dot["y"]) for dot in dots] == pytest.approx([2.25, 2.85], abs=0.01)
    assert "Overall progress, 10 Jul 2027: 2.85" in page.text
    comparison = page.context["comparison"]
    assert comparison.progress_delta == Decimal("0.60")
    assert [(c.competency, c.delta) for c in comparison.levels if c.delta] == [
        ("Delivery", 2),
        ("Leadership", 2),
    ]
    # Delivery's levels 3 and 4 and leadership's 2 and 3 went from partly to fully.
    changed = {
        (c.skill.competency.slug, c.skill.level, c.before, c.after) for c in comparison.skills
    }
    assert changed == {
        ("delivery", 3, 1, 2),
        ("delivery", 4, 1, 2),
        ("leadership", 2, 1, 2),
        ("leadership", 3, 1, 2),
    }
    assert len(comparison.skills) == 3 + 3 + 4 + 3


def test_the_history_suggests_coaches_whose_topics_match_the_next_skills(client_for, member, coach):
    profile = booked_coach(coach, member)
    agreed_review(member, profile, {**IC_LEVELS, "domain-expertise": 5})
    scaling = Topic.objects.create(name="Scaling teams", slug="scaling-teams")
    link_default_topics(the_framework())  # as the demo does: delivery gets "Scaling teams"
    assert not client_for(member).get("/coaching/growth/history/").context["coaches"]
    profile.topics.set([scaling])
    page = client_for(member).get("/coaching/growth/history/")
    # Individual contributors weigh problem solving and delivery most; domain is at the top.
    assert [row.skill.competency.slug for row in page.context["result"].next_skills][:3] == [
        "problem-solving"
    ] * 3
    assert page.context["coaches"] == [profile]


def test_organizers_see_totals_only_for_groups_of_three_or_more(client_for, organizer, coach):
    profile = booked_coach(coach, make_user("x@example.com"))
    members = []
    for n in range(4):
        user = make_user(f"m{n}@example.com")
        make_member(user)
        booked_coach(coach, user)
        members.append(user)
    for user in members[:3]:
        agreed_review(user, profile)
    functional = direction("functional-leader")
    assessment = Assessment.objects.create(
        member=members[3], version=functional.version, direction=functional
    )
    Review.objects.create(
        assessment=assessment,
        mentor=coach,
        status=Review.Status.AGREED,
        agreed_at=datetime(2027, 1, 1, tzinfo=UTC),
        agreed_progress=Decimal("3.10"),
        agreed_levels={"delivery": 5},
    )
    totals = client_for(organizer).get("/organize/framework/").context["totals"]
    assert totals["reviewed_members"] == 4
    # One functional leader, hidden; with four members reviewed, the three individual
    # contributors shown beside them would give that one away, so they are hidden too.
    assert [(row["name"], row["people"], row["average"]) for row in totals["directions"]] == [
        ("Functional leader", None, None),
        ("Individual contributor", None, None),
    ]
    delivery = next(row for row in totals["distribution"] if row["name"] == "Delivery")
    assert delivery["counts"] == [0, 0, None, 0, 0, None]  # the one at level 5, and the three
    leadership = next(row for row in totals["distribution"] if row["name"] == "Leadership")
    assert None not in leadership["counts"]  # three reviews name it: nothing to hide


def test_the_totals_hide_enough_cells_that_none_can_be_worked_out(client_for, organizer, coach):
    profile = booked_coach(coach, make_user("x@example.com"))
    for n in range(8):
        user = make_user(f"m{n}@example.com")
        make_member(user)
        booked_coach(coach, user)
        # Delivery: five at level 2, one at 3, two at 4.
        agreed_review(user, profile, {**IC_LEVELS, "delivery": [2, 2, 2, 2, 2, 3, 4, 4][n]})
    page = client_for(organizer).get("/organize/framework/")
    delivery = next(r for r in page.context["totals"]["distribution"] if r["name"] == "Delivery")
    # Levels 3 and 4 are each under three; hidden together they hold three, and neither can be
    # told from the total of eight less the five shown.
    assert delivery["counts"] == [0, 0, 5, None, None, 0]
    html = page.content.decode()
    assert "<td>not shown</td>" in html
    assert 'aria-label="Average progress by direction' in html
    assert '<rect class="level-2" x="0%" width="62.50%" height="100%"/>' in html
    assert '<rect class="level-hidden" x="62.50%" width="37.50%" height="100%"/>' in html


@pytest.mark.parametrize(
    ("skill", "comment", "error"),
    [
        ("abc", "Why", "That skill is not in this review."),
        ("1\x00", "Why", "Null characters are not allowed."),
        ("", "Why", "That skill is not in this review."),
        ("99999999999999999999", "Why", "That skill is not in this review."),
        ("1\r\nX-Injected: 1", "Why", "That skill is not in this review."),
        (None, "x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_a_crafted_adjustment_is_refused_with_a_clear_message_and_changes_nothing(
    client_for, member, coach, skill, comment, error
):
    from mentoring.services import assessments as service
    from tests.mentoring.framework_people import completed_assessment

    profile = booked_coach(coach, member)
    review = service.share_assessment(completed_assessment(member), by=member, coach=profile)
    real = first_skill("leadership", 1)
    client = client_for(coach)
    response = client.post(
        f"/coaching/growth/reviews/{review.pk}/adjust/",
        {"skill": real.pk if skill is None else skill, "score": "0", "comment": comment},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/coaching/growth/reviews/{review.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert f'<li class="error">{escape(error)}</li>' in page
    assert not review.adjustments.exists()


def test_the_form_says_what_is_wrong_next_to_the_skill_and_keeps_nothing(client_for, member):
    the_framework()
    client = client_for(member)
    client.post("/coaching/growth/start/", {"direction": "individual-contributor"})
    assessment = Assessment.objects.get(member=member)
    skill = first_skill("delivery", 0)
    response = client.post(
        f"/coaching/growth/assessments/{assessment.pk}/edit/",
        {f"score_{skill.pk}": "7", f"example_{skill.pk}": "x" * 1001, "draft": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "Nothing was saved" in html
    assert f'id="id_example_{skill.pk}_error"' in html
    assert "Ensure this value has at most 1000 characters (it has 1001)." in html
    assert f'id="id_score_{skill.pk}_error"' in html and "7 is not one of" in html
    assert not assessment.scores.exists()


def test_the_history_charts_date_each_review_in_the_members_timezone(client_for, member, coach):
    member.timezone = "Asia/Tokyo"
    member.save(update_fields=["timezone"])
    profile = booked_coach(coach, member)
    with time_machine.travel(datetime(2027, 1, 10, 20, tzinfo=UTC)):  # 11 January in Tokyo
        agreed_review(member, profile)
    html = client_for(member).get("/coaching/growth/history/").content.decode()
    assert "11 January 2027" in html
    assert "Overall progress, 11 Jan 2027: 2.25" in html and "10 Jan 2027" not in html


def test_organizers_see_no_levels_while_fewer_than_three_members_have_a_review(
    client_for, organizer, member, coach
):
    agreed_review(member, booked_coach(coach, member))
    page = client_for(organizer).get("/organize/framework/")
    totals = page.context["totals"]
    assert totals["reviewed_members"] == 1
    # With one review, the levels marked "fewer than 3" would be exactly that member's.
    assert totals["directions"] == [] and totals["distribution"] == []
    html = page.content.decode()
    assert "<td>not shown</td>" not in html and "No agreed reviews yet" not in html
    assert "shown once 3 members have an agreed review" in html


def test_the_working_says_starter_is_not_complete_rather_than_next_is_level_0(
    client_for, member, coach
):
    profile = booked_coach(coach, member)
    review = agreed_review(member, profile, adjust={first_skill("delivery", 0): (0, "Not yet")})
    html = client_for(member).get(f"/coaching/growth/reviews/{review.pk}/").content.decode()
    assert "Delivery: level 0, Starter not yet complete</summary>" in html
    assert "next is level 0" not in html
    assert "Leadership: level 1, next is level 2</summary>" in html


def test_comparing_a_review_with_itself_asks_for_two_different_ones(client_for, member, coach):
    profile = booked_coach(coach, member)
    with time_machine.travel(datetime(2027, 1, 10, 9, tzinfo=UTC)):
        first = agreed_review(member, profile)
    with time_machine.travel(datetime(2027, 7, 10, 9, tzinfo=UTC)):
        agreed_review(member, profile, {**IC_LEVELS, "delivery": 4})
    page = client_for(member).get(f"/coaching/growth/history/?from={first.pk}&to={first.pk}")
    html = page.content.decode()
    assert page.context["comparison"] is None
    assert "Pick two different reviews to compare." in html
    # Both lists keep the review picked.
    assert html.count(f'<option value="{first.pk}" selected>') == 2


def test_finishing_too_early_keeps_the_scores_given_so_far(client_for, member):
    the_framework()
    client = client_for(member)
    client.post("/coaching/growth/start/", {"direction": "individual-contributor"})
    assessment = Assessment.objects.get(member=member)
    some = dict(list(scores_for(assessment, IC_LEVELS).items())[:5])
    url = f"/coaching/growth/assessments/{assessment.pk}/edit/"
    refused = client.post(
        url, {**{f"score_{pk}": score for pk, score in some.items()}, "finish": ""}, follow=True
    )
    assert "Score every skill to finish" in refused.content.decode()
    assert dict(assessment.scores.values_list("skill_id", "score")) == some
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_setting_the_members_own_score_again_says_the_adjustment_is_undone(
    client_for, member, coach
):
    from mentoring.services import assessments as service
    from tests.mentoring.framework_people import completed_assessment

    profile = booked_coach(coach, member)
    review = service.share_assessment(completed_assessment(member), by=member, coach=profile)
    skill = first_skill("leadership", 1)  # the member scored it 2
    service.adjust_score(review, by=coach, skill=skill, score=0, comment="Not yet")
    client = client_for(coach)
    url = f"/coaching/growth/reviews/{review.pk}/adjust/"
    html = client.post(url, {"skill": skill.pk, "score": "2"}, follow=True).content.decode()
    assert f"Back to {escape(member.get_full_name() or member.email)}" in html
    assert "Adjusted:" not in html and not review.adjustments.exists()
