"""The membership journey through the real views: apply, hear back, join, or try again later."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from community.models import Application, Decision, Email, Member, SelfIdentification
from community.services.applications import (
    approve_application,
    reject_application,
    start_review,
    waitlist_application,
)
from tests.conftest import make_application, make_user

Status = Application.Status

COMPLETE = {
    "full_name": "Grace Hopper",
    "job_title": "VP Engineering",
    "role_kind": "vp_engineering",
    "company": "Northwind Systems",
    "company_size": "201-1000",
    "team_size": "45",
    "linkedin_url": "https://www.linkedin.com/in/grace-hopper/",
    "city": "London",
    "timezone": "Europe/London",
    "leadership": "I lead five teams of engineers through their managers.",
    "wants_circles": "on",
    "wants_mentoring": "on",
    "referred_by": "Ada Lovelace",
    "pronouns": "she/her",
    "accepts_code_of_conduct": "on",
}
REQUIRED_TO_SUBMIT = "This field is required to submit your application."


@pytest.fixture
def newcomer(db):
    """Signed up and verified; about to apply."""
    return make_user("grace@example.com")


@pytest.fixture
def send_emails(django_capture_on_commit_callbacks, mailoutbox):
    """Run the block, then its on-commit work (emails are sent once the transaction commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def post_application(client, data: dict, *, button: str = "submit"):
    return client.post("/apply/", {**data, button: ""})


def without(*names: str) -> dict:
    return {name: value for name, value in COMPLETE.items() if name not in names}


def snapshot(application: Application) -> dict:
    application.refresh_from_db()
    return {
        field.attname: getattr(application, field.attname)
        for field in Application._meta.concrete_fields
    }


def submitted_application(client_for, user) -> Application:
    post_application(client_for(user), COMPLETE)
    return user.applications.get()


def sent_to(mailoutbox, address: str) -> list:
    return [message for message in mailoutbox if message.to == [address]]


# Applying


def test_an_applicant_saves_a_draft_and_finds_it_again(newcomer, client_for):
    client = client_for(newcomer)

    response = post_application(
        client, {"full_name": "Grace Hopper", "company": "Northwind"}, button="draft"
    )

    assert response.status_code == 302
    assert response["Location"] == "/apply/"
    application = newcomer.applications.get()
    assert application.status == Status.DRAFT
    assert application.submitted_at is None
    assert (application.full_name, application.company) == ("Grace Hopper", "Northwind")
    assert not Email.objects.exists()
    page = client.get("/apply/").content.decode()
    assert 'value="Grace Hopper"' in page
    assert "nobody has seen it yet" in client.get("/application/").content.decode()


def test_submitting_with_missing_fields_shows_inline_errors_and_changes_nothing(
    newcomer, client_for
):
    client = client_for(newcomer)
    post_application(client, {"full_name": "Grace Hopper"}, button="draft")
    application = newcomer.applications.get()
    before = snapshot(application)

    response = post_application(
        client,
        without("job_title", "team_size", "accepts_code_of_conduct") | {"full_name": "Changed"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["job_title"] == [REQUIRED_TO_SUBMIT]
    assert errors["team_size"] == [REQUIRED_TO_SUBMIT]
    assert errors["accepts_code_of_conduct"] == ["Please accept the code of conduct to submit."]
    page = response.content.decode()
    assert page.count(REQUIRED_TO_SUBMIT) == 2
    for name in ("job_title", "team_size", "accepts_code_of_conduct"):  # shown at the field
        assert re.search(f'aria-describedby="[^"]*id_{name}_error"', page)
        assert f'<ul class="errorlist" id="id_{name}_error">' in page
    assert "Please accept the code of conduct to submit." in page
    assert 'value="Changed"' in page  # what they typed is kept on the page...
    assert snapshot(application) == before  # ...but nothing is saved
    assert not Decision.objects.exists()
    assert not Email.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"team_size": "-3"},
        {"team_size": "many"},
        {"linkedin_url": "not a url"},
        {"timezone": "Mars/Olympus_Mons"},
        {"role_kind": "emperor"},
        {"company_size": "a few"},
    ],
    ids=lambda bad: "-".join(f"{name}={value}" for name, value in bad.items()),
)
def test_bad_input_changes_nothing(newcomer, client_for, bad):
    client = client_for(newcomer)
    post_application(client, {"full_name": "Grace Hopper"}, button="draft")
    application = newcomer.applications.get()
    before = snapshot(application)

    for button in ("draft", "submit"):
        response = post_application(client, COMPLETE | bad, button=button)

        assert response.status_code == 200
        assert set(response.context["form"].errors) == set(bad)
        assert snapshot(application) == before
    assert not Email.objects.exists()


def test_bad_input_on_a_first_visit_creates_no_application(newcomer, client_for):
    response = post_application(client_for(newcomer), COMPLETE | {"team_size": "-1"})

    assert response.status_code == 200
    assert not Application.objects.exists()


def test_submitting_an_application_confirms_it_by_email(newcomer, client_for, send_emails):
    client = client_for(newcomer)

    with send_emails() as callbacks:
        response = post_application(client, COMPLETE)

    assert response.status_code == 302
    assert response["Location"] == "/application/"
    application = newcomer.applications.get()
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.code_of_conduct_accepted_at is not None
    assert application.email == "grace@example.com"
    assert (application.team_size, application.pronouns) == (45, "she/her")
    assert list(application.decisions.values_list("from_status", "to_status")) == [
        (Status.DRAFT, Status.SUBMITTED)
    ]
    assert callbacks
    [email] = Email.objects.filter(to="grace@example.com")
    assert email.subject == "We received your application"
    assert email.status == Email.Status.SENT
    assert "/application/" in email.body_text


def test_the_status_page_says_when_it_was_submitted_and_what_happens_next(newcomer, client_for):
    application = submitted_application(client_for, newcomer)

    page = client_for(newcomer).get("/application/").content.decode()

    assert "Submitted" in page
    assert f'Submitted on <time datetime="{application.submitted_at.isoformat()}' in page
    assert "What happens next" in page
    assert "An organizer will read your application" in page
    assert "Withdraw application" in page


def test_a_submitted_application_can_be_edited_without_a_second_confirmation(
    newcomer, client_for, send_emails, mailoutbox
):
    with send_emails():
        application = submitted_application(client_for, newcomer)
    submitted_at = application.submitted_at

    with send_emails():
        response = post_application(client_for(newcomer), COMPLETE | {"team_size": "60"})

    assert response["Location"] == "/application/"
    application.refresh_from_db()
    assert (application.status, application.team_size) == (Status.SUBMITTED, 60)
    assert application.submitted_at == submitted_at
    assert len(sent_to(mailoutbox, "grace@example.com")) == 1


def test_an_application_in_review_can_still_be_edited(newcomer, organizer, client_for):
    application = submitted_application(client_for, newcomer)
    start_review(application, reviewed_by=organizer)

    post_application(client_for(newcomer), COMPLETE | {"city": "Manchester"})

    application.refresh_from_db()
    assert (application.status, application.city) == (Status.IN_REVIEW, "Manchester")


@pytest.mark.parametrize("decide", [waitlist_application, reject_application])
def test_an_application_cannot_be_edited_after_a_decision(newcomer, organizer, client_for, decide):
    application = submitted_application(client_for, newcomer)
    decide(application, reviewed_by=organizer, reason="Not yet.")
    before = snapshot(application)
    client = client_for(newcomer)

    post_application(client, COMPLETE | {"city": "Manchester"})

    assert snapshot(application) == before
    page = client.get("/application/").content.decode()
    assert "Edit your application" not in page


def test_a_waitlisted_applicant_who_opens_the_form_is_sent_to_the_status_page(
    newcomer, organizer, client_for
):
    application = submitted_application(client_for, newcomer)
    waitlist_application(application, reviewed_by=organizer, reason="Full this quarter.")

    response = client_for(newcomer).get("/apply/", follow=True)

    assert response.redirect_chain == [("/application/", 302)]
    assert "Your application can no longer be changed." in response.content.decode()


# Withdrawing


def test_an_applicant_withdraws_and_is_told_by_email(newcomer, client_for, send_emails, mailoutbox):
    with send_emails():
        application = submitted_application(client_for, newcomer)
    client = client_for(newcomer)

    with send_emails():
        response = client.post("/application/withdraw/", follow=True)

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.decisions.last().to_status == Status.WITHDRAWN
    assert "Your application has been withdrawn." in response.content.decode()
    subjects = [message.subject for message in sent_to(mailoutbox, "grace@example.com")]
    assert subjects == ["We received your application", "Your application has been withdrawn"]
    assert "Withdraw application" not in response.content.decode()


def test_withdrawing_a_draft_discards_it_without_an_email(
    newcomer, client_for, send_emails, mailoutbox
):
    client = client_for(newcomer)
    post_application(client, {"full_name": "Grace Hopper"}, button="draft")
    assert "Discard draft" in client.get("/application/").content.decode()

    with send_emails():
        response = client.post("/application/withdraw/", follow=True)

    assert "Your draft has been discarded." in response.content.decode()
    assert not newcomer.applications.exists()
    assert mailoutbox == []
    assert client.get("/apply/").status_code == 200


def test_after_withdrawing_one_can_apply_again_at_once(newcomer, client_for):
    client = client_for(newcomer)
    first = submitted_application(client_for, newcomer)
    client.post("/application/withdraw/")

    assert client.get("/apply/").status_code == 200
    post_application(client, COMPLETE)

    latest = newcomer.applications.exclude(pk=first.pk).get()
    assert latest.status == Status.SUBMITTED


def test_applying_again_after_withdrawing_starts_from_the_previous_answers(newcomer, client_for):
    client = client_for(newcomer)
    first = submitted_application(client_for, newcomer)
    client.post("/application/withdraw/")

    page = client.get("/apply/")

    assert "We have filled in the answers of your previous application." in page.text
    form = page.context["form"]
    for name in ("full_name", "company", "team_size", "leadership", "linkedin_url"):
        assert str(form[name].value()) == COMPLETE[name]
    assert 'value="Grace Hopper"' in page.text
    assert "I lead five teams of engineers through their managers." in page.text
    assert not form["accepts_code_of_conduct"].value()  # accepted afresh on each application
    post_application(client, COMPLETE)
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN
    assert newcomer.applications.exclude(pk=first.pk).get().status == Status.SUBMITTED


def test_a_first_application_starts_empty(newcomer, client_for):
    page = client_for(newcomer).get("/apply/")

    assert "previous application" not in page.text
    assert page.context["form"]["full_name"].value() in (None, "")


def test_a_waitlisted_applicant_can_withdraw(newcomer, organizer, client_for):
    application = submitted_application(client_for, newcomer)
    waitlist_application(application, reviewed_by=organizer, reason="Full this quarter.")

    client_for(newcomer).post("/application/withdraw/")

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_a_decided_application_cannot_be_withdrawn(newcomer, organizer, client_for):
    application = submitted_application(client_for, newcomer)
    reject_application(application, reviewed_by=organizer, reason="Not a leadership role.")

    response = client_for(newcomer).post("/application/withdraw/", follow=True)

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert "You have no application to withdraw." in response.content.decode()


def test_withdrawing_needs_a_post(newcomer, client_for):
    application = submitted_application(client_for, newcomer)

    assert client_for(newcomer).get("/application/withdraw/").status_code == 405
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# Decisions


def test_approval_creates_the_member_welcomes_them_and_lists_them_in_the_directory(
    newcomer, organizer, member, client_for, send_emails, mailoutbox
):
    application = submitted_application(client_for, newcomer)

    with send_emails():
        approve_application(application, reviewed_by=organizer, reason="Leads 45 engineers.")

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    decision = application.decisions.last()
    assert (decision.from_status, decision.to_status) == (Status.SUBMITTED, Status.APPROVED)
    assert (decision.decided_by, decision.reason) == (organizer, "Leads 45 engineers.")
    new_member = Member.objects.get(user=newcomer)
    assert new_member.application == application
    assert (new_member.full_name, new_member.company, new_member.city) == (
        "Grace Hopper",
        "Northwind Systems",
        "London",
    )
    assert new_member.is_active and new_member.listed_in_directory
    [welcome] = sent_to(mailoutbox, "grace@example.com")
    assert welcome.subject == "Welcome to Roundtable"
    assert "/members/" in welcome.body and "/account/profile/" in welcome.body

    directory = client_for(member).get("/members/", {"q": "Hopper"}).content.decode()
    assert "Grace Hopper" in directory
    client = client_for(newcomer)
    assert client.get("/members/").status_code == 200
    assert client.get("/apply/")["Location"] == "/members/"
    assert "Welcome to Roundtable!" in client.get("/application/").content.decode()


def test_rejection_emails_the_reason(newcomer, organizer, client_for, send_emails, mailoutbox):
    application = submitted_application(client_for, newcomer)

    with send_emails():
        reject_application(
            application,
            reviewed_by=organizer,
            reason="Roundtable is for people who lead engineers; you lead a sales team.",
        )

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decisions.last().reason.startswith("Roundtable is for people who lead")
    [email] = sent_to(mailoutbox, "grace@example.com")
    assert email.subject == "Your application to Roundtable"
    assert "you lead a sales team." in email.body
    assert not Member.objects.filter(user=newcomer).exists()
    page = client_for(newcomer).get("/application/").content.decode()
    assert "Rejected" in page
    assert "You may apply again from" in page


def test_the_organizer_may_edit_the_rejection_message(
    newcomer, organizer, client_for, send_emails, mailoutbox
):
    application = submitted_application(client_for, newcomer)

    with send_emails():
        reject_application(
            application,
            reviewed_by=organizer,
            reason="Too early in your career.",
            message="Dear Grace, we think it is too soon: {reason} Try again next year.",
        )

    [email] = sent_to(mailoutbox, "grace@example.com")
    assert "Dear Grace, we think it is too soon: Too early in your career. Try again" in email.body


def test_emails_show_names_and_reasons_exactly_as_written(
    newcomer, organizer, client_for, send_emails, mailoutbox
):
    with send_emails():
        post_application(client_for(newcomer), COMPLETE | {"full_name": "Siobhán O'Brien"})
    application = newcomer.applications.get()

    with send_emails():
        reject_application(
            application,
            reviewed_by=organizer,
            reason="You don't lead engineers <yet> & that's fine.",
        )

    received, rejected = sent_to(mailoutbox, "grace@example.com")
    assert received.body.startswith("Hello Siobhán O'Brien,")
    assert "You don't lead engineers <yet> & that's fine." in rejected.body
    [(html, _)] = rejected.alternatives
    assert "You don&#x27;t lead engineers &lt;yet&gt; &amp; that&#x27;s fine." in html


@pytest.mark.parametrize("decide", [approve_application, waitlist_application, reject_application])
def test_a_decision_without_a_reason_changes_nothing(
    newcomer, organizer, client_for, send_emails, mailoutbox, decide
):
    application = submitted_application(client_for, newcomer)
    before = snapshot(application)

    with send_emails(), pytest.raises(ValidationError):
        decide(application, reviewed_by=organizer, reason="  ")

    assert snapshot(application) == before
    assert not Member.objects.filter(user=newcomer).exists()
    assert application.decisions.count() == 1
    assert len(sent_to(mailoutbox, "grace@example.com")) == 0


def test_waitlisting_tells_the_applicant_by_email(
    newcomer, organizer, client_for, send_emails, mailoutbox
):
    application = submitted_application(client_for, newcomer)

    with send_emails():
        waitlist_application(application, reviewed_by=organizer, reason="Full this quarter.")

    application.refresh_from_db()
    assert application.status == Status.WAITLISTED
    [email] = sent_to(mailoutbox, "grace@example.com")
    assert email.subject == "An update on your application"
    assert "waiting list" in email.body
    page = client_for(newcomer).get("/application/").content.decode()
    assert "You stay on our waiting list" in page


def test_a_waitlisted_applicant_can_be_approved_later(newcomer, organizer, client_for):
    application = submitted_application(client_for, newcomer)
    waitlist_application(application, reviewed_by=organizer, reason="Full this quarter.")

    approve_application(application, reviewed_by=organizer, reason="A place opened.")

    assert Member.objects.get(user=newcomer).is_active
    assert [d.to_status for d in application.decisions.all()] == [
        Status.SUBMITTED,
        Status.WAITLISTED,
        Status.APPROVED,
    ]


def test_the_organizer_note_is_never_shown_to_the_applicant(newcomer, client_for):
    application = submitted_application(client_for, newcomer)
    Application.objects.filter(pk=application.pk).update(organizer_note="Knows our sponsor")

    for path in ("/application/", "/apply/"):
        assert "Knows our sponsor" not in client_for(newcomer).get(path).content.decode()


# Applying again after a rejection


def test_a_rejected_applicant_may_apply_again_only_after_the_cool_down(
    newcomer, organizer, client_for, settings
):
    settings.REAPPLY_COOLDOWN_DAYS = 30
    decided = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    with time_machine.travel(decided, tick=False):
        application = submitted_application(client_for, newcomer)
        reject_application(application, reviewed_by=organizer, reason="Not yet.")

    with time_machine.travel(decided + timedelta(days=29), tick=False):
        client = client_for(newcomer)
        response = client.get("/apply/")
        assert "You can apply again soon" in response.content.decode()
        assert "2 April 2025" in response.content.decode()
        post_application(client, COMPLETE)
        assert newcomer.applications.count() == 1
        assert "You may apply again from" in client.get("/application/").content.decode()

    with time_machine.travel(decided + timedelta(days=30, minutes=1), tick=False):
        client = client_for(newcomer)
        assert client.get("/apply/").context["form"] is not None
        response = post_application(client, COMPLETE)
        assert response["Location"] == "/application/"
        assert newcomer.applications.count() == 2
        assert newcomer.applications.filter(status=Status.SUBMITTED).exists()


# Hints for organizers about people who apply twice


def hints_of(application: Application) -> list[str]:
    return Application.objects.with_duplicate_of().get(pk=application.pk).hints


def test_a_second_application_from_the_same_email_is_hinted_as_a_duplicate(
    newcomer, organizer, client_for
):
    first = submitted_application(client_for, newcomer)
    reject_application(first, reviewed_by=organizer, reason="Not yet.")
    first.refresh_from_db()
    Application.objects.filter(pk=first.pk).update(
        decided_at=first.decided_at - timedelta(days=365)
    )

    post_application(client_for(newcomer), COMPLETE | {"linkedin_url": "", "company": "Other"})
    second = newcomer.applications.exclude(pk=first.pk).get()

    assert f"possible duplicate of application {first.pk}" in hints_of(second)
    assert f"possible duplicate of application {second.pk}" in hints_of(first)


def test_the_same_linkedin_profile_written_differently_is_hinted_as_a_duplicate(
    newcomer, client_for
):
    first = submitted_application(client_for, newcomer)
    other = make_user("g.hopper@another.example")

    post_application(
        client_for(other),
        COMPLETE
        | {
            "full_name": "G. Hopper",
            "company": "Elsewhere",
            "linkedin_url": "https://linkedin.com/in/Grace-Hopper?utm_source=share",
        },
    )

    assert f"possible duplicate of application {first.pk}" in hints_of(other.applications.get())


def test_the_same_name_and_company_is_hinted_as_a_duplicate(newcomer, client_for):
    first = submitted_application(client_for, newcomer)
    other = make_user("grace.h@another.example")

    post_application(
        client_for(other),
        COMPLETE
        | {"full_name": "  grace  HOPPER ", "company": "northwind systems", "linkedin_url": ""},
    )

    assert f"possible duplicate of application {first.pk}" in hints_of(other.applications.get())


def test_different_people_are_not_hinted_as_duplicates(newcomer, client_for):
    submitted_application(client_for, newcomer)
    other = make_user("linus@example.com")
    make_application(other, full_name="Linus Torvalds", company="Northwind Systems")

    assert not any("duplicate" in hint for hint in hints_of(other.applications.get()))


# Self-identification


SELF_IDENTIFICATION = "/account/self-identification/"


def test_the_self_identification_page_states_its_only_use(applicant, client_for):
    page = client_for(applicant).get(SELF_IDENTIFICATION).content.decode()

    assert "This is optional." in page
    assert "for one thing only: composing learning circles" in page
    assert "never shown to other members" in page
    assert "change or erase them at any time" in page


def test_self_identification_is_saved_with_consent(applicant, client_for):
    response = client_for(applicant).post(
        SELF_IDENTIFICATION, {"gender": "woman", "underrepresented": "yes", "consent": "on"}
    )

    assert response.status_code == 302
    record = SelfIdentification.objects.get(user=applicant)
    assert (record.gender, record.underrepresented) == ("woman", "yes")
    assert record.consented_at is not None


def test_self_identification_without_consent_is_not_stored(applicant, client_for):
    response = client_for(applicant).post(
        SELF_IDENTIFICATION, {"gender": "woman", "underrepresented": "yes"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["consent"]
    assert "Please tick the consent box" in response.content.decode()
    assert not SelfIdentification.objects.exists()


def test_self_identification_can_be_changed(applicant, client_for):
    client = client_for(applicant)
    client.post(
        SELF_IDENTIFICATION, {"gender": "woman", "underrepresented": "yes", "consent": "on"}
    )

    client.post(
        SELF_IDENTIFICATION, {"gender": "non-binary", "underrepresented": "unsaid", "consent": "on"}
    )

    record = SelfIdentification.objects.get(user=applicant)
    assert (record.gender, record.underrepresented) == ("non-binary", "unsaid")
    page = client.get(SELF_IDENTIFICATION).content.decode()
    assert 'value="non-binary"' in page


def test_changing_self_identification_without_consent_keeps_the_previous_answers(
    applicant, client_for
):
    client = client_for(applicant)
    client.post(
        SELF_IDENTIFICATION, {"gender": "woman", "underrepresented": "yes", "consent": "on"}
    )

    response = client.post(SELF_IDENTIFICATION, {"gender": "man", "underrepresented": "no"})

    assert response.status_code == 200
    record = SelfIdentification.objects.get(user=applicant)
    assert (record.gender, record.underrepresented) == ("woman", "yes")


def test_self_identification_can_be_erased(applicant, client_for):
    client = client_for(applicant)
    client.post(
        SELF_IDENTIFICATION, {"gender": "woman", "underrepresented": "yes", "consent": "on"}
    )

    response = client.post(SELF_IDENTIFICATION, {"withdraw": ""}, follow=True)

    assert not SelfIdentification.objects.filter(user=applicant).exists()
    page = response.content.decode()
    assert "Your self-identification has been erased." in page
    assert 'value="woman"' not in page


def test_clearing_every_answer_erases_the_self_identification(applicant, client_for):
    client = client_for(applicant)
    client.post(
        SELF_IDENTIFICATION, {"gender": "woman", "underrepresented": "yes", "consent": "on"}
    )

    client.post(SELF_IDENTIFICATION, {"gender": "", "underrepresented": "unsaid"})

    assert not SelfIdentification.objects.filter(user=applicant).exists()


def test_the_duplicate_hint_holds_when_the_applications_are_read_through_a_subquery(db):
    first = make_application(make_user("dup@example.com", name="Dee Dup"), full_name="Dee Dup")
    first.status = Application.Status.REJECTED
    first.save()
    second = make_application(first.user, full_name="Dee Dup")
    make_application(make_user("other@example.com", name="Otto Other"), full_name="Otto Other")
    flagged = Application.objects.filter(pk__in=Application.objects.has_duplicates().values("pk"))
    assert sorted(flagged.values_list("pk", flat=True)) == [first.pk, second.pk]


# The home page offers each person the next step that exists for them.


def test_the_home_page_offers_an_applicant_their_application(applicant, client_for):
    page = client_for(applicant).get("/").text

    assert "See my application" in page


def test_the_home_page_offers_an_organizer_the_review_queue_not_an_application(
    organizer, client_for
):
    page = client_for(organizer).get("/").text

    assert "See my application" not in page
    assert "Review applications" in page


def test_the_home_page_offers_someone_who_has_not_applied_to_apply(outsider, client_for):
    page = client_for(outsider).get("/").text

    assert "See my application" not in page
    assert 'href="/apply/"' in page
