"""`make run` opens a demo round of learning circles, composed, so the review can be tried at once."""

from django.core.management import call_command

from circles.composition import circle_violations
from circles.demo import DEMO_ROUND_SLUG, INVITED_ROUND_SLUG
from circles.models import CircleMember, Round
from community.demo import DEMO_LOGINS


def test_the_demo_round_has_imported_sign_ups_and_valid_proposed_circles(
    db, capsys, django_capture_on_commit_callbacks
):
    call_command("seed_demo", members=20, waiting=4)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_circles_demo", time_limit=2)

    round = Round.objects.get(slug=DEMO_ROUND_SLUG)
    assert round.signups.count() == 197  # 200 rows, three of them people who signed up twice
    assert round.circles.exists()
    rules = round.rules()
    for circle in round.circles.prefetch_related("members__signup"):
        members = [member.signup.to_domain() for member in circle.members.all()]
        assert circle_violations(members, circle.format, rules) == []
    output = capsys.readouterr().out
    assert "Demo circles ready" in output
    assert "circle invitation: http" in output


def test_the_demo_member_has_an_invitation_waiting(db, capsys):
    call_command("seed_demo", members=20, waiting=4)
    call_command("seed_circles_demo", time_limit=1)
    invited = CircleMember.objects.filter(
        circle__round__slug=INVITED_ROUND_SLUG, status=CircleMember.Status.INVITED
    )
    assert invited.count() == 6
    assert invited.filter(signup__user__email=DEMO_LOGINS["member"]).exists()


def test_loading_the_demo_circles_twice_adds_nothing(db, capsys):
    call_command("seed_demo", members=20, waiting=4)
    call_command("seed_circles_demo", time_limit=1)
    signups = Round.objects.get(slug=DEMO_ROUND_SLUG).signups.count()

    call_command("seed_circles_demo", time_limit=1)

    assert Round.objects.get(slug=DEMO_ROUND_SLUG).signups.count() == signups
    assert "already there" in capsys.readouterr().out


def test_the_demo_member_is_in_a_circle_voting_on_its_meeting_time(db, client):
    from circles.demo import DEMO_RUNNING_SLUG
    from community.demo import DEMO_LOGINS
    from community.models import User

    call_command("seed_demo", members=20, waiting=4)
    call_command("seed_circles_demo", time_limit=1)

    circle = Round.objects.get(slug=DEMO_RUNNING_SLUG).circles.get()
    assert 3 <= circle.candidates.count() <= 5 and circle.first_meeting_at is None
    client.force_login(User.objects.get(email=DEMO_LOGINS["member"]))
    page = client.get(f"/circles/c/{circle.pk}/")
    assert b"When should the circle meet?" in page.content


def test_the_demo_has_running_circles_with_a_place_to_fill_and_one_nobody_fits(db, capsys):
    from circles.demo_running import DEMO_RUNNING_SLUG
    from circles.services.circle_changes import merge_partners

    call_command("seed_demo", members=20, waiting=4)
    call_command("seed_circles_demo", time_limit=1)

    round = Round.objects.get(slug=DEMO_RUNNING_SLUG)
    first, second, third = round.circles.order_by("number")
    assert first.backfills.get().status == "proposed"
    assert "Tue 18:00-20:00 UTC" in first.backfills.get().reason
    assert second.backfills.get().status == "none_fits"
    assert merge_partners(third) == [first]
    assert "places to fill" in capsys.readouterr().out


def test_the_demo_has_a_running_round_with_a_circle_at_risk_for_the_dashboard(db):
    from circles.demo_health import HEALTH_ROUND_SLUG
    from circles.services.health import circles_at_risk

    call_command("seed_demo", members=20, waiting=4)
    call_command("seed_circles_demo", time_limit=1)

    at_risk = {
        health.circle.number: health.reasons
        for health in circles_at_risk()
        if health.circle.round.slug == HEALTH_ROUND_SLUG
    }
    assert Round.objects.get(slug=HEALTH_ROUND_SLUG).circles.count() == 3
    assert sorted(at_risk) == [2, 3]
    assert len(at_risk[2]) == 2  # missed its latest meeting, and few came to the two before
