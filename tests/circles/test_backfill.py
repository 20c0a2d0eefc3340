"""Places vacated in a circle are filled from the waitlist by someone who keeps every rule."""

import random
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from circles.composition import circle_violations
from circles.composition.backfill import relaxed_rules
from circles.domain import SLOTS_PER_DAY
from circles.models import Backfill, CircleMember, ReviewEvent, Round, SignUp
from circles.services import backfills
from tests.circles.circle_life import circle_of, decline, running_circle, running_round
from tests.circles.people import TUESDAY_EVENING, sign_up_people

pytestmark = pytest.mark.django_db
WEDNESDAY_MORNING = list(range(2 * SLOTS_PER_DAY + 18, 2 * SLOTS_PER_DAY + 22))


def test_a_decline_proposes_the_waitlisted_person_who_keeps_every_rule():
    round = running_round()
    circle = circle_of(round, 8)
    no_time = sign_up_people(round, 1, start=100, slots=WEDNESDAY_MORNING)[0]
    same_company = sign_up_people(round, 1, start=101, company_key="company-3")[0]
    fits = sign_up_people(round, 1, start=102)[0]
    vacancy = decline(circle.members.first())

    backfill = backfills.open_vacancy(vacancy)

    assert backfill.status == Backfill.Status.PROPOSED
    assert backfill.candidate == fits
    assert backfill.candidate not in (no_time, same_company)
    assert "Keeps every rule of the round" in backfill.reason
    assert "Tue 18:00-20:00 UTC" in backfill.reason
    assert ReviewEvent.objects.filter(action="backfill.proposed", round=round).count() == 1


def test_the_best_fit_is_the_one_who_keeps_the_widest_common_window():
    round = running_round()
    circle = circle_of(round, 8)
    narrow = sign_up_people(round, 1, start=100, slots=TUESDAY_EVENING[:2])[0]
    wide = sign_up_people(round, 1, start=101)[0]

    backfill = backfills.open_vacancy(decline(circle.members.first()))

    assert backfill.candidate == wide != narrow
    assert "of the 2 people on the waitlist who fit" in backfill.reason
    assert "2 h a week" in backfill.reason


def test_nobody_fitting_says_why_in_counts_per_rule():
    round = running_round()
    circle = circle_of(round, 8)
    sign_up_people(round, 2, start=100, slots=WEDNESDAY_MORNING)
    sign_up_people(round, 1, start=102, company_key="company-3", company="Acme")

    backfill = backfills.open_vacancy(decline(circle.members.first()))

    assert backfill.status == Backfill.Status.NONE_FITS
    assert backfill.candidate is None
    assert backfill.reason == (
        "3 people on the waitlist: 2 share no 60 minutes with Tue 18:00-20:00 UTC, "
        "1 works at Company 3 like a member."
    )


def test_a_second_call_for_the_same_vacancy_proposes_nothing_more():
    round = running_round()
    circle = circle_of(round, 8)
    sign_up_people(round, 2, start=100)
    vacancy = decline(circle.members.first())

    first = backfills.open_vacancy(vacancy)
    second = backfills.open_vacancy(vacancy)

    assert first == second
    assert Backfill.objects.count() == 1


def test_two_vacancies_never_propose_the_same_person_and_each_proposal_fits_with_the_other():
    round = running_round()
    circle = circle_of(round, 8)
    waiting = sign_up_people(round, 2, start=100)
    first, second = list(circle.members.all()[:2])

    proposals = [backfills.open_vacancy(decline(first)), backfills.open_vacancy(decline(second))]

    assert {p.candidate for p in proposals} == set(waiting)


def test_someone_who_declined_or_is_held_back_is_never_proposed():
    round = running_round()
    circle = circle_of(round, 8)
    held = sign_up_people(round, 1, start=100)[0]
    SignUp.objects.filter(pk=held.pk).update(locked_on_waitlist=True)
    first, second = list(circle.members.all()[:2])
    decline(first)

    backfill = backfills.open_vacancy(decline(second))

    assert backfill.status == Backfill.Status.NONE_FITS  # neither the held nor the decliner
    assert backfill.reason.startswith("Nobody is on the waitlist")


def test_an_organizer_confirms_with_one_click_and_the_person_is_invited(organizer):
    round = running_round(answer_within_days=4)
    circle = circle_of(round, 8)
    candidate = sign_up_people(round, 1, start=100)[0]
    vacancy = decline(circle.members.first())
    backfill = backfills.open_vacancy(vacancy)
    assert not circle.members.filter(signup=candidate).exists()  # nothing until confirmed

    with time_machine.travel("2027-03-01 09:00Z", tick=False):
        member = backfills.confirm_backfill(backfill, by=organizer)

    assert member.signup == candidate and member.replaces == vacancy
    assert member.status == CircleMember.Status.INVITED
    assert member.respond_by == timezone.now().replace(
        year=2027, month=3, day=5, hour=9, minute=0, second=0, microsecond=0
    )
    backfill.refresh_from_db()
    assert (backfill.status, backfill.decided_by) == (Backfill.Status.CONFIRMED, organizer)
    assert not round.signups.on_waitlist().filter(pk=candidate.pk).exists()
    event = ReviewEvent.objects.get(action="backfill.confirmed")
    assert event.actor == organizer and event.details["candidate"] == candidate.pk
    with pytest.raises(ValidationError, match="confirmed"):
        backfills.confirm_backfill(backfill, by=organizer)


def test_a_round_that_backfills_automatically_invites_the_best_fit_at_once():
    round = running_round(auto_backfill=True)
    circle = circle_of(round, 8)
    candidate = sign_up_people(round, 1, start=100)[0]
    vacancy = decline(circle.members.first(), CircleMember.Status.EXPIRED)

    backfill = backfills.open_vacancy(vacancy)

    backfill.refresh_from_db()
    assert backfill.status == Backfill.Status.CONFIRMED and backfill.decided_by is None
    member = circle.members.get(signup=candidate)
    assert (member.status, member.replaces) == (CircleMember.Status.INVITED, vacancy)
    assert ReviewEvent.objects.get(action="backfill.confirmed").details["automatic"] is True


def test_a_proposal_whose_person_was_placed_elsewhere_is_refused_until_looked_at_again(organizer):
    round = running_round()
    circle = circle_of(round, 8)
    waiting = sign_up_people(round, 2, start=100)
    backfill = backfills.open_vacancy(decline(circle.members.first()))
    taken = backfill.candidate
    (other,) = set(waiting) - {taken}
    running_circle(round, [taken], number=2)

    with pytest.raises(ValidationError, match="no longer on the waitlist"):
        backfills.confirm_backfill(backfill, by=organizer)

    again = backfills.look_again(backfill.vacancy, by=organizer)
    assert again.candidate == other
    backfill.refresh_from_db()
    assert backfill.status == Backfill.Status.DISMISSED


def test_looking_again_after_a_new_sign_up_finds_someone_where_nobody_fitted(organizer):
    round = running_round()
    circle = circle_of(round, 8)
    vacancy = decline(circle.members.first())
    assert backfills.open_vacancy(vacancy).status == Backfill.Status.NONE_FITS
    newcomer = sign_up_people(round, 1, start=100)[0]

    again = backfills.look_again(vacancy, by=organizer)

    assert (again.status, again.candidate) == (Backfill.Status.PROPOSED, newcomer)
    assert list(vacancy.backfills.values_list("status", flat=True)) == ["proposed"]
    assert ReviewEvent.objects.filter(action="backfill.looked_again", actor=organizer).exists()


def test_the_periodic_sweep_retries_places_nobody_fitted_and_invites_in_an_automatic_round():
    round = running_round(auto_backfill=True)
    circle = circle_of(round, 8)
    vacancy = decline(circle.members.first())
    backfills.open_vacancy(vacancy)
    assert backfills.retry_unfilled_backfills() == 0
    newcomer = sign_up_people(round, 1, start=100)[0]

    assert backfills.retry_unfilled_backfills() == 1

    assert circle.members.get(signup=newcomer).status == CircleMember.Status.INVITED
    assert backfills.retry_unfilled_backfills() == 0


def test_a_circle_left_with_one_woman_is_filled_only_by_a_woman():
    round = running_round()
    people = sign_up_people(round, 8)
    SignUp.objects.filter(pk__in=[people[0].pk, people[1].pk]).update(gender="woman")
    circle = running_circle(round, list(SignUp.objects.filter(pk__in=[p.pk for p in people])))
    man = sign_up_people(round, 1, start=100, gender="man")[0]
    woman = sign_up_people(round, 1, start=101, gender="woman")[0]

    backfill = backfills.open_vacancy(decline(circle.members.get(signup=people[0])))

    assert backfill.candidate == woman != man


def random_people(round: Round, count: int, *, seed: int, start: int = 0) -> list[SignUp]:
    """People with random windows around Tuesday evening, companies, formats and genders."""
    rng = random.Random(seed)
    made = []
    for number in range(start, start + count):
        begin = TUESDAY_EVENING[0] + rng.randint(-3, 3)
        fields = {
            "slots": list(range(begin, begin + rng.randint(2, 6))),
            "company_key": f"company-{rng.randint(0, 12)}",
            "gender": rng.choice(["woman", "man", "man", "non_binary", ""]),
            "underrepresented": rng.random() < 0.15,
            "utc_offset_minutes": rng.choice([-300, 0, 60, 120, 330]),
            "format": rng.choice(["video", "video", "either", "in_person"]),
            "role_kind": rng.choice(["CTO", "VP Eng", "Director", ""]),
        }
        made += sign_up_people(round, 1, start=number, **fields)
    return made


@pytest.mark.parametrize("seed", range(6))
def test_with_generated_people_every_proposal_keeps_every_rule_and_none_fits_is_true(seed):
    round = running_round(slug=f"gen-{seed}")
    circle = circle_of(round, 7)
    waitlist = random_people(round, 25, seed=seed, start=100)
    rules = round.rules()

    for member in list(circle.members.all()[:4]):
        decline(member)
        proposed = [b.candidate for b in circle.backfills.filter(status="proposed")]
        accepted = [m.signup for m in circle.members.filter(status="accepted")]
        before = [p.to_domain() for p in accepted + proposed]

        backfill = backfills.open_vacancy(member)

        if backfill.candidate:
            joined = [*before, backfill.candidate.to_domain()]
            assert circle_violations(joined, "video", relaxed_rules(rules, before)) == []
        else:
            for person in set(waitlist) - set(proposed):
                union = [*before, person.to_domain()]
                assert circle_violations(union, "video", relaxed_rules(rules, before))
    assert circle.backfills.filter(status="proposed").exists()


def test_a_vacancy_in_an_ended_circle_is_not_filled():
    round = running_round()
    circle = circle_of(round, 8)
    sign_up_people(round, 1, start=100)
    circle.status = circle.Status.ENDED
    circle.save()

    backfill = backfills.open_vacancy(decline(circle.members.first()))

    assert backfill.status == Backfill.Status.NONE_FITS
    assert "ended" in backfill.reason


def test_a_member_still_in_their_place_has_no_vacancy():
    round = running_round()
    circle = circle_of(round, 8)
    with pytest.raises(ValidationError, match="still holds their place"):
        backfills.open_vacancy(circle.members.first())


def test_a_proposal_waiting_for_days_is_still_confirmed_against_the_rules_of_today(organizer):
    round = running_round()
    circle = circle_of(round, 8)
    candidate = sign_up_people(round, 1, start=100)[0]
    backfill = backfills.open_vacancy(decline(circle.members.first()))
    SignUp.objects.filter(pk=candidate.pk).update(slots=WEDNESDAY_MORNING)  # they changed

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        with pytest.raises(ValidationError, match="no longer keeps every rule"):
            backfills.confirm_backfill(backfill, by=organizer)

    assert not circle.members.filter(signup=candidate).exists()


def test_the_beat_looks_again_every_half_hour_through_a_thin_task(settings):
    from circles.tasks import retry_unfilled_backfills

    entry = settings.CELERY_BEAT_SCHEDULE["circles-retry-backfills"]
    assert entry["task"] == "circles.tasks.retry_unfilled_backfills"
    assert entry["schedule"] == timedelta(minutes=30)
    round = running_round()
    circle = circle_of(round, 8)
    backfills.open_vacancy(decline(circle.members.first()))
    sign_up_people(round, 1, start=100)

    assert retry_unfilled_backfills.delay().get() == 1
    assert circle.backfills.get().status == Backfill.Status.PROPOSED
