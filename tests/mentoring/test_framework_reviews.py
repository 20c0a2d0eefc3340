"""Self-assessment, review with a mentor, agreement and supersession, and framework versions."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from community import privacy
from community.models import Email
from mentoring.models import Assessment, FrameworkVersion, MentorAssignment, Review, Skill
from mentoring.services import assessments as service
from mentoring.services.framework import copy_version, publish_version, version_problems
from tests.mentoring.factories import make_coach_profile
from tests.mentoring.framework_people import (
    IC_LEVELS,
    agreed_review,
    booked_coach,
    completed_assessment,
    direction,
    first_skill,
    scores_for,
    the_framework,
)


def test_the_default_framework_is_published_complete_with_weights_adding_up_to_100(db):
    version = the_framework()
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert version_problems(version) == []
    weights = {d.name: sum(d.weight_map().values()) for d in version.directions.all()}
    assert weights == {
        "Individual contributor": 100,
        "Functional leader": 100,
        "Cross-functional leader": 100,
    }
    assert direction().weight_map() == {
        "delivery": 25,
        "domain-expertise": 30,
        "problem-solving": 30,
        "communication": 10,
        "leadership": 5,
    }


def test_a_draft_keeps_partial_scores_and_only_finishes_with_every_skill_scored(member):
    assessment = service.start_assessment(member, direction=direction())
    scores = scores_for(assessment, IC_LEVELS)
    half = dict(list(scores.items())[: len(scores) // 2])
    service.save_scores(assessment, by=member, scores=half, examples={}, finish=False)
    assert assessment.scores.count() == len(half)
    with pytest.raises(ValidationError, match="Score every skill"):
        service.save_scores(assessment, by=member, scores=half, examples={}, finish=True)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    service.save_scores(assessment, by=member, scores=scores, examples={}, finish=True)
    assessment.refresh_from_db()
    assert assessment.is_complete
    result = service.assessment_result(assessment)
    assert result.levels == IC_LEVELS and result.progress == 2.25 and result.unscored == 0


def test_another_member_cannot_score_someone_elses_assessment(member, coach):
    assessment = service.start_assessment(member, direction=direction())
    with pytest.raises(ValidationError):
        service.save_scores(assessment, by=coach, scores={}, examples={})


def test_a_member_shares_only_with_a_coach_they_booked_or_were_assigned(member, coach, organizer):
    profile = make_coach_profile(coach)
    assessment = completed_assessment(member)
    with pytest.raises(ValidationError, match="booked"):
        service.share_assessment(assessment, by=member, coach=profile)
    MentorAssignment.objects.create(member=member, coach=profile, assigned_by=organizer)
    review = service.share_assessment(assessment, by=member, coach=profile)
    assert review.mentor == coach and review.status == Review.Status.OPEN
    assert Email.objects.filter(to=coach.email, subject__contains="shared a career assessment")


def test_a_draft_cannot_be_shared(member, coach):
    profile = booked_coach(coach, member)
    assessment = service.start_assessment(member, direction=direction())
    with pytest.raises(ValidationError, match="Finish"):
        service.share_assessment(assessment, by=member, coach=profile)


def test_the_mentors_adjustment_with_a_comment_changes_the_level_once_agreed(member, coach):
    profile = booked_coach(coach, member)
    review = service.share_assessment(completed_assessment(member), by=member, coach=profile)
    skill = first_skill("leadership", 1)  # scored 2 by the member: leadership is at 1
    with pytest.raises(ValidationError, match="why"):
        service.adjust_score(review, by=coach, skill=skill, score=0, comment=" ")
    with pytest.raises(ValidationError, match="mentor"):
        service.adjust_score(review, by=member, skill=skill, score=0, comment="Me")
    service.adjust_score(review, by=coach, skill=skill, score=0, comment="Not seen it yet")
    with pytest.raises(ValidationError):  # the member agrees only once the mentor is done
        service.agree_review(review, by=member)
    service.propose_review(review, by=coach)
    review = service.agree_review(review, by=member)
    # Leadership drops to 0: 2·25 + 3·30 + 2·30 + 2·10 + 0·5 = 220, over 100.
    assert review.status == Review.Status.AGREED
    assert review.agreed_levels == {**IC_LEVELS, "leadership": 0}
    assert review.agreed_progress == Decimal("2.20")
    assert service.assessment_result(review.assessment, with_review=False).progress == 2.25


def test_an_agreed_review_is_never_edited(member, coach):
    profile = booked_coach(coach, member)
    review = agreed_review(member, profile)
    skill = first_skill("delivery", 0)
    with pytest.raises(ValidationError, match="agreed"):
        service.adjust_score(review, by=coach, skill=skill, score=1, comment="Later thoughts")
    with pytest.raises(ValidationError, match="shared"):
        service.save_scores(review.assessment, by=member, scores={skill.pk: 0}, examples={})
    with pytest.raises(ValidationError):
        service.reopen_review(review, by=member)
    review.refresh_from_db()
    assert not review.adjustments.exists() and review.agreed_progress == Decimal("2.25")


def test_a_member_can_ask_for_changes_before_agreeing(member, coach):
    profile = booked_coach(coach, member)
    review = service.share_assessment(completed_assessment(member), by=member, coach=profile)
    service.propose_review(review, by=coach)
    review = service.reopen_review(review, by=member)
    assert review.status == Review.Status.OPEN
    service.adjust_score(review, by=coach, skill=first_skill("delivery", 3), score=2, comment="Yes")


def test_the_mentor_is_told_each_time_the_member_asks_for_changes(member, coach):
    profile = booked_coach(coach, member)
    review = service.share_assessment(completed_assessment(member), by=member, coach=profile)
    for day in (10, 12):
        with time_machine.travel(datetime(2027, 1, day, 9, tzinfo=UTC)):
            service.propose_review(review, by=coach)
            service.reopen_review(review, by=member)
    told = Email.objects.filter(to=coach.email, subject__contains="asks for changes")
    assert told.count() == 2
    assert f"/coaching/growth/reviews/{review.pk}/" in told.first().body_text


def test_a_new_agreed_review_supersedes_the_previous_one(member, coach):
    profile = booked_coach(coach, member)
    with time_machine.travel(datetime(2027, 1, 10, 9, tzinfo=UTC)):
        first = agreed_review(member, profile)
    with time_machine.travel(datetime(2027, 7, 10, 9, tzinfo=UTC)):
        second = agreed_review(member, profile, {**IC_LEVELS, "leadership": 3})
    first.refresh_from_db()
    assert second.supersedes == first and first.superseded_by == second
    assert list(Review.objects.current().of_member(member)) == [second]
    assert first.agreed_progress == Decimal("2.25")  # the old record stays as it was
    assert second.agreed_progress == Decimal("2.35")


def test_a_framework_version_change_leaves_old_results_unchanged(member, coach):
    profile = booked_coach(coach, member)
    old = the_framework()
    review = agreed_review(member, profile)
    before = service.assessment_result(review.assessment)

    draft = copy_version(old)
    assert draft.is_editable and version_problems(draft) == []
    # The organizers reword a skill and drop the easiest Delivery skills of level 3.
    Skill.objects.filter(competency__version=draft, competency__slug="delivery", level=0).update(
        text="Something new"
    )
    Skill.objects.filter(competency__version=draft, competency__slug="delivery", level=3).exclude(
        pk=first_skill("delivery", 3, draft).pk
    ).delete()
    publish_version(draft)
    old.refresh_from_db()
    assert old.status == FrameworkVersion.Status.RETIRED
    assert FrameworkVersion.objects.current() == draft

    review.assessment.refresh_from_db()
    after = service.assessment_result(review.assessment)
    assert review.assessment.version == old
    assert (after.levels, after.progress) == (before.levels, before.progress)
    assert "Something new" not in {row.skill.text for row in after.next_skills}
    new = service.start_assessment(member, direction=draft.directions.get(slug="functional-leader"))
    assert new.version == draft


def test_a_version_whose_weights_do_not_add_up_to_100_is_not_published(db):
    draft = copy_version(the_framework())
    direction = draft.directions.get(slug="functional-leader")
    direction.weights.filter(competency__slug="delivery").update(weight=15)
    with pytest.raises(ValidationError, match="add up to 110"):
        publish_version(draft)
    draft.refresh_from_db()
    assert draft.is_editable


def test_a_published_version_is_read_only_in_the_admin(client_for, organizer):
    competency = the_framework().competencies.first()
    client = client_for(organizer)
    url = f"/admin/mentoring/competency/{competency.pk}/change/"
    response = client.post(url, {"name": "Renamed", "slug": "renamed", "position": 0})
    assert response.status_code == 403
    competency.refresh_from_db()
    assert competency.name == "Delivery"
    assert client.get(url).status_code == 200  # still readable


def test_an_assessment_and_its_review_are_exported_and_erased_with_the_member(member, coach):
    profile = booked_coach(coach, member)
    skill = first_skill("leadership", 1)
    review = agreed_review(member, profile, adjust={skill: (1, "Only with my own team")})
    parts = {part.name: part for part in privacy.parts()}
    exported = parts["mentoring"].export(member)["career_framework"]
    assert exported["assessments"][0]["review"]["progress"] == "2.20"  # leadership fell to 0
    assert exported["assessments"][0]["review"]["adjustments"][0]["comment"] == (
        "Only with my own team"
    )
    given = parts["mentoring"].export(coach)["career_framework"]["reviews_given"]
    assert given == [{"member": str(member), "comments": ["Only with my own team"]}]
    parts["mentoring"].erase(coach)
    review.refresh_from_db()
    assert review.mentor is None  # the member's record stays, without the mentor's name
    parts["mentoring"].erase(member)
    assert not Assessment.objects.exists() and not Review.objects.exists()


def test_the_admin_refuses_a_directions_weights_that_do_not_add_up_to_100(db):
    from django.forms import inlineformset_factory

    from mentoring.admin import WeightsAddUpTo100
    from mentoring.models import Direction, DirectionWeight

    draft = copy_version(the_framework())
    direction = Direction.objects.get(version=draft, slug="individual-contributor")
    Formset = inlineformset_factory(
        Direction,
        DirectionWeight,
        formset=WeightsAddUpTo100,
        fields=["competency", "weight"],
        extra=0,
    )
    weights = list(direction.weights.all())
    data = {"weights-TOTAL_FORMS": len(weights), "weights-INITIAL_FORMS": len(weights)}
    for i, weight in enumerate(weights):
        data |= {f"weights-{i}-id": weight.pk, f"weights-{i}-competency": weight.competency_id}
        data[f"weights-{i}-weight"] = weight.weight + (5 if i == 0 else 0)
    formset = Formset(data, instance=direction, prefix="weights")
    assert not formset.is_valid()
    assert "add up to 105" in str(formset.non_form_errors())
    data["weights-0-weight"] = weights[0].weight
    assert Formset(data, instance=direction, prefix="weights").is_valid()
