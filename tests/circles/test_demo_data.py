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
