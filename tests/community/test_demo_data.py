"""`make run` loads demo data every time it starts; doing so twice must duplicate nothing."""

from django.core.management import call_command

from community.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_code
from community.models import Application, Member, User


def test_loading_the_demo_twice_creates_nothing_the_second_time(db, capsys):
    call_command("seed_demo", members=30, waiting=12)
    counts = (User.objects.count(), Member.objects.count(), Application.objects.count())

    call_command("seed_demo", members=30, waiting=12)

    assert (User.objects.count(), Member.objects.count(), Application.objects.count()) == counts
    assert "0 new members, 0 new applications" in capsys.readouterr().out


def test_the_demo_has_every_persona_and_applications_waiting(db, capsys):
    call_command("seed_demo", members=30, waiting=12)

    output = capsys.readouterr().out
    for email in DEMO_LOGINS.values():
        assert email in output
        assert User.objects.filter(email=email).exists()
    assert User.objects.get(email=DEMO_LOGINS["organizer"]).is_organizer
    assert User.objects.get(email=DEMO_LOGINS["coach"]).is_coach
    assert User.objects.get(email=DEMO_LOGINS["member"]).is_member
    assert not User.objects.get(email=DEMO_LOGINS["applicant"]).is_member
    assert Application.objects.waiting().count() == 12
    assert Application.objects.has_duplicates().waiting().exists()  # as real sign-ups have


def test_the_demo_organizer_signs_in_with_the_printed_password_and_demo_code(db, client, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code read just before its 30 seconds end still works
    call_command("seed_demo", members=5, waiting=2)

    client.post(
        "/accounts/login/",
        {"login": DEMO_LOGINS["organizer"], "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    response = client.post("/accounts/2fa/authenticate/", {"code": demo_code()})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/community/application/").status_code == 200
