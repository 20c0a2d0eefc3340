"""Vetting applications in the Django admin: the queue, the decisions, the change page."""

import re
from datetime import timedelta

import factory
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty

from community.models import Application, Decision, Email, Member
from community.services.applications import REJECTION_MESSAGE, rejection_message
from tests.conftest import give_totp, make_application, make_user

Status = Application.Status
QUEUE = reverse("admin:community_application_changelist")


def decide_url(verdict: str) -> str:
    return reverse("admin:community_application_decide", args=[verdict])


def change_url(application: Application) -> str:
    return reverse("admin:community_application_change", args=[application.pk])


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    full_name = factory.Sequence(lambda n: f"Applicant {n}")
    email = factory.Sequence(lambda n: f"applicant{n}@example.com")
    job_title = "Director of Engineering"
    role_kind = Application.RoleKind.ENGINEERING_DIRECTOR
    company = factory.Sequence(lambda n: f"Company {n}")
    company_size = Application.CompanySize.MEDIUM
    team_size = 12
    city = "Berlin"
    status = Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    code_of_conduct_accepted_at = factory.SelfAttribute("submitted_at")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        application = model_class(*args, **kwargs)
        application.refresh_keys()
        application.save()
        return application

    @classmethod
    def bulk(cls, count: int, **fields) -> list[Application]:
        applications = cls.build_batch(count, **fields)
        for application in applications:
            application.refresh_keys()
        return Application.objects.bulk_create(applications)


def applying(email: str, name: str, **fields) -> Application:
    """An applicant with an account, so the application can be approved into a member."""
    return make_application(make_user(email, name=name), full_name=name, **fields)


def queue_names(response) -> list[str]:
    return [application.full_name for application in response.context["cl"].result_list]


def queue_statuses(response) -> dict[str, str]:
    applications = response.context["cl"].result_list
    return {application.full_name: application.get_status_display() for application in applications}


def run_action(client, action: str, applications, **extra):
    data = {"action": action, "_selected_action": [a.pk for a in applications], **extra}
    return client.post(QUEUE, data)


def confirm(client, verdict: str, applications, **fields):
    data = {"applications": [a.pk for a in applications], "confirm": "yes", **fields}
    return client.post(decide_url(verdict), data, follow=True)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# The queue


def test_the_queue_opens_on_applications_that_need_review(client_for, organizer):
    for status in Status.values:
        ApplicationFactory(full_name=f"Person {status}", status=status)
    response = client_for(organizer).get(QUEUE)
    assert response.status_code == 200
    assert sorted(queue_names(response)) == ["Person in_review", "Person submitted"]
    assert "Needs review" in response.text


def test_the_queue_can_show_every_application_or_one_status(client_for, organizer):
    for status in Status.values:
        ApplicationFactory(full_name=f"Person {status}", status=status)
    client = client_for(organizer)
    assert len(queue_names(client.get(QUEUE, {"status": "all"}))) == len(Status.values)
    assert queue_names(client.get(QUEUE, {"status": "approved"})) == ["Person approved"]


def test_the_queue_lists_the_oldest_application_first(client_for, organizer):
    now = timezone.now()
    ApplicationFactory(full_name="Two days", submitted_at=now - timedelta(days=2))
    ApplicationFactory(full_name="Nine days", submitted_at=now - timedelta(days=9))
    ApplicationFactory(full_name="Today", submitted_at=now - timedelta(hours=1))
    response = client_for(organizer).get(QUEUE)
    assert queue_names(response) == ["Nine days", "Two days", "Today"]


def test_the_queue_shows_each_applications_age_and_flags_it_past_the_deadline(
    client_for, organizer, settings
):
    settings.REVIEW_DEADLINE_DAYS = 5
    now = timezone.now()
    ApplicationFactory(submitted_at=now - timedelta(days=3, hours=2))
    ApplicationFactory(submitted_at=now - timedelta(days=8, hours=2))
    content = client_for(organizer).get(QUEUE).text.replace("\xa0", " ")
    assert "3 days<" in content
    assert "<strong>1 week, overdue</strong>" in content


def test_the_queue_shows_hints_and_links_a_possible_duplicate(client_for, organizer):
    first = ApplicationFactory(
        full_name="Dana Duplicate", email="dana@example.com", team_size=3, role_kind="staff_plus"
    )
    second = ApplicationFactory(
        full_name="Dana Duplicate",
        email="DANA@example.com",
        team_size=30,
        role_kind="cto",
        linkedin_url="https://www.linkedin.com/in/dana",
    )
    content = client_for(organizer).get(QUEUE).text
    assert "leads 8+ people; director level or above; LinkedIn given" in content
    link = f'<a href="{change_url(first)}">possible duplicate of application {first.pk}</a>'
    assert link in content
    assert f"possible duplicate of application {second.pk}" in content


@pytest.mark.parametrize(
    "query",
    ["Ingrid", "ingrid@north.example", "Northwind", "linkedin.com/in/ingrid-okafor"],
)
def test_search_finds_applications_by_name_email_company_or_linkedin(client_for, organizer, query):
    ApplicationFactory(
        full_name="Ingrid Okafor",
        email="ingrid@north.example",
        company="Northwind",
        linkedin_url="https://www.linkedin.com/in/ingrid-okafor",
    )
    ApplicationFactory(full_name="Someone Else")
    response = client_for(organizer).get(QUEUE, {"q": query})
    assert queue_names(response) == ["Ingrid Okafor"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role_kind__exact": "cto"}, ["The CTO"]),
        ({"company_size__exact": "5000+"}, ["Enterprise"]),
        ({"referred": "yes"}, ["Referred"]),
        ({"referred": "no"}, ["Enterprise", "In Lisbon", "The CTO"]),
        ({"status": "in_review"}, ["In Lisbon"]),
    ],
)
def test_filters_narrow_the_queue(client_for, organizer, params, expected):
    ApplicationFactory(full_name="The CTO", role_kind="cto")
    ApplicationFactory(full_name="In Lisbon", city="Lisbon", status=Status.IN_REVIEW)
    ApplicationFactory(full_name="Enterprise", company_size="5000+")
    ApplicationFactory(full_name="Referred", referred_by="Maya Member")
    response = client_for(organizer).get(QUEUE, params)
    assert sorted(queue_names(response)) == expected


def test_the_queue_makes_the_same_number_of_queries_for_10_and_500_applications(
    client_for, organizer
):
    client = client_for(organizer)
    client.get(QUEUE)  # warm up per-process caches (content types, templates)
    first = ApplicationFactory.bulk(10)[0]
    with CaptureQueriesContext(connection) as ten:
        assert client.get(QUEUE).status_code == 200
    ApplicationFactory.bulk(480)
    ApplicationFactory.bulk(10, email=first.email)
    with CaptureQueriesContext(connection) as five_hundred:
        response = client.get(QUEUE)
    assert response.context["cl"].result_count == 500
    assert "500 applications" in response.text
    assert "possible duplicate of application" in response.text
    assert len(five_hundred) == len(ten)


def test_the_queue_shows_every_change_on_the_next_load(client_for, organizer):
    waiting = ApplicationFactory.bulk(3)
    client = client_for(organizer)
    assert len(queue_names(client.get(QUEUE))) == 3

    run_action(client, "start_review", waiting[:1])
    assert queue_statuses(client.get(QUEUE))[waiting[0].full_name] == "In review"

    ApplicationFactory(full_name="Just arrived")
    assert "Just arrived" in queue_names(client.get(QUEUE))


def test_a_deleted_draft_is_gone_from_the_queue_on_the_next_load(client_for, organizer):
    draft = ApplicationFactory(full_name="Dropped Draft", status=Status.DRAFT, submitted_at=None)
    ApplicationFactory(full_name="Changed Later")  # the newest change is not the deletion
    client = client_for(organizer)
    assert "Dropped Draft" in queue_names(client.get(QUEUE, {"status": "all"}))
    draft.delete()
    assert "Dropped Draft" not in queue_names(client.get(QUEUE, {"status": "all"}))


def test_a_change_made_with_a_queryset_update_shows_on_the_next_load(client_for, organizer):
    ApplicationFactory(full_name="Quiet Change")
    client = client_for(organizer)
    assert queue_statuses(client.get(QUEUE)) == {"Quiet Change": "Submitted"}
    # .update() runs no save(): updated_at does not move, and nothing is told of the change.
    Application.objects.filter(full_name="Quiet Change").update(status=Status.IN_REVIEW)
    assert queue_statuses(client.get(QUEUE)) == {"Quiet Change": "In review"}
    Application.objects.filter(full_name="Quiet Change").update(status=Status.APPROVED)
    assert queue_names(client.get(QUEUE)) == []


def test_the_queue_ages_move_on_though_nothing_changed(client_for, organizer):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ApplicationFactory(submitted_at=timezone.now() - timedelta(minutes=5))
        client = client_for(organizer)
        assert "5 minutes<" in client.get(QUEUE).text.replace("\xa0", " ")
        clock.shift(timedelta(hours=2))
        assert "2 hours<" in client.get(QUEUE).text.replace("\xa0", " ")


def test_the_queue_says_when_nothing_needs_review(client_for, organizer):
    ApplicationFactory(status=Status.APPROVED)
    response = client_for(organizer).get(QUEUE)
    assert queue_names(response) == []
    assert "Nothing needs review." in response.text
    assert "No applications match." in client_for(organizer).get(QUEUE, {"q": "nobody"}).text


def test_the_queue_shows_8_applications_a_page_and_links_the_rest(client_for, organizer):
    ApplicationFactory.bulk(13)
    client = client_for(organizer)
    first = client.get(QUEUE)
    assert len(queue_names(first)) == 8
    assert "13 applications" in first.text
    assert 'href="?p=2"' in first.text
    second = client.get(QUEUE, {"p": 2})
    assert len(queue_names(second)) == 5
    assert not set(queue_names(first)) & set(queue_names(second))


def test_a_row_reads_title_and_company_and_the_kind_of_role_with_its_team(client_for, organizer):
    ApplicationFactory(
        full_name="Ada Row",
        job_title="VP Engineering",
        company="Northwind",
        team_size=40,
        role_kind=Application.RoleKind.VP_ENGINEERING,
    )
    ApplicationFactory(full_name="Bo Solo", job_title="Staff Engineer", company="", team_size=0)
    text = client_for(organizer).get(QUEUE).text
    assert "VP Engineering, Northwind" in text
    assert f"{Application.RoleKind.VP_ENGINEERING.label}, team of 40" in text
    assert ">Staff Engineer<" in text


def test_search_finds_applications_by_city_however_it_was_spelled(client_for, organizer):
    ApplicationFactory(full_name="Sam Francis", city="San Francisco")
    ApplicationFactory(full_name="Casey Area", city="San Francisco, CA")
    ApplicationFactory(full_name="Bea Berliner", city="Berlin")
    response = client_for(organizer).get(QUEUE, {"q": "san francisco"})
    assert sorted(queue_names(response)) == ["Casey Area", "Sam Francis"]


def test_every_filter_of_the_queue_is_drawn_without_a_query(client_for, organizer):
    ApplicationFactory(city="Lisbon")
    client = client_for(organizer)
    client.get(QUEUE)  # warm up per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]
    assert 'href="?city=' not in response.text


def test_the_queue_does_not_build_the_list_of_every_admin_model(client_for, organizer):
    ApplicationFactory()
    response = client_for(organizer).get(QUEUE)
    assert response.status_code == 200
    # Built only when a page reads it: the sidebar that would show it is off.
    assert response.context["available_apps"]._wrapped is empty


def test_the_admin_index_still_lists_the_models_an_organizer_may_open(client_for, organizer):
    response = client_for(organizer).get(reverse("admin:index"))
    assert response.status_code == 200
    assert QUEUE in response.text
    assert reverse("admin:community_member_changelist") in response.text
    app = client_for(organizer).get(reverse("admin:app_list", args=["community"]))
    assert app.status_code == 200 and QUEUE in app.text


def test_each_row_can_be_selected_for_the_queues_actions(client_for, organizer):
    application = ApplicationFactory(full_name="Nina Newcomer")
    content = client_for(organizer).get(QUEUE).text
    checkbox = f'name="_selected_action" value="{application.pk}" class="action-select"'
    assert checkbox in content and 'aria-label="Select Nina Newcomer"' in content
    assert f'<a href="{change_url(application)}">Nina Newcomer</a>' in content
    for action, label in [("start_review", "Start review"), ("approve", "Approve…")]:
        assert f'<option value="{action}">{label}</option>' in content


def test_the_queue_escapes_what_applicants_typed(client_for, organizer):
    ApplicationFactory(full_name="<script>alert(1)</script>", company="A & B")
    content = client_for(organizer).get(QUEUE).text
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content and "A &amp; B" in content


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Ingrid\x00"},
        {"referred": "\x00"},
        {"role_kind__exact": "cto\x00"},
        {"status": "\x00"},
    ],
)
def test_a_nul_character_in_the_search_or_a_filter_is_a_bad_request(client_for, organizer, params):
    ApplicationFactory()
    assert client_for(organizer).get(QUEUE, params).status_code == 400


def test_an_action_posted_with_a_nul_character_changes_nothing(client_for, organizer):
    application = ApplicationFactory()
    data = {"action": "start_review", "_selected_action": [application.pk]}
    response = client_for(organizer).post(f"{QUEUE}?q=%00", data)
    assert response.status_code == 400
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_the_search_box_has_a_visible_label_and_says_what_it_searches(client_for, organizer):
    content = client_for(organizer).get(QUEUE).text
    label = re.search(r'<label for="searchbar">(.*?)</label>', content).group(1)
    assert re.sub(r"<[^>]+>", "", label).strip() == "Search applications"
    assert 'aria-describedby="searchbar_helptext"' in content
    assert "Name, email, company, city or LinkedIn address." in content


# Deciding from the queue


def test_start_review_takes_the_selected_applications_into_review(client_for, organizer):
    applications = ApplicationFactory.create_batch(2)
    response = run_action(client_for(organizer), "start_review", applications, index=0)
    assert response.status_code == 302
    for application in applications:
        application.refresh_from_db()
        assert application.status == Status.IN_REVIEW
        decision = application.decisions.get()
        assert (decision.from_status, decision.to_status) == ("submitted", "in_review")
        assert decision.decided_by == organizer


def test_approving_asks_for_a_reason_before_changing_anything(client_for, organizer):
    applications = ApplicationFactory.create_batch(2)
    response = run_action(client_for(organizer), "approve", applications)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/community/application/decide.html"
    assert "Approve 2 applications" in response.text
    assert response.context["form"]["applications"].value() == [a.pk for a in applications]
    assert not Decision.objects.exists()


def test_approving_many_applications_makes_each_a_member_and_records_who_and_why(
    client_for, organizer, django_capture_on_commit_callbacks, mailoutbox
):
    applications = [
        applying("ana@example.com", "Ana Alvarez"),
        applying("ben@example.com", "Ben Byrne", status=Status.IN_REVIEW),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client_for(organizer), "approve", applications, reason="Leads 40 engineers"
        )
    assert "2 applications approved." in shown_messages(response)
    assert (
        Member.objects.filter(user__email__in=["ana@example.com", "ben@example.com"]).count() == 2
    )
    ben = Decision.objects.get(application=applications[1])
    assert (ben.from_status, ben.to_status, ben.reason) == (
        "in_review",
        "approved",
        "Leads 40 engineers",
    )
    assert ben.decided_by == organizer and ben.decided_by_name == "Olivia Organizer"
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.com", "ben@example.com"]


def test_waitlisting_one_application_records_the_reason_and_tells_the_applicant(
    client_for, organizer, django_capture_on_commit_callbacks, mailoutbox
):
    application = applying("wes@example.com", "Wes Weber")
    client = client_for(organizer)
    assert run_action(client, "waitlist", [application]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, "waitlist", [application], reason="No places this quarter")
    assert "1 application waitlisted." in shown_messages(response)
    application.refresh_from_db()
    assert application.status == Status.WAITLISTED
    assert application.decisions.get().reason == "No places this quarter"
    assert [m.to for m in mailoutbox] == [["wes@example.com"]]


@pytest.mark.parametrize("verdict", ["approve", "waitlist", "reject"])
def test_a_decision_without_a_reason_changes_nothing(
    client_for, organizer, django_capture_on_commit_callbacks, verdict
):
    applications = [applying("rita@example.com", "Rita Rossi"), ApplicationFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client_for(organizer), verdict, applications, reason="   ")
    assert response.status_code == 200
    assert "Please give a reason for this decision." in response.text
    assert "Nothing has been changed." in response.text
    assert response.context["form"]["applications"].value() == [str(a.pk) for a in applications]
    assert not Decision.objects.exists()
    assert not Email.objects.exists()
    assert set(Application.objects.values_list("status", flat=True)) == {Status.SUBMITTED}


def test_rejecting_offers_the_templated_rejection_email_to_edit(client_for, organizer):
    application = ApplicationFactory()
    response = run_action(client_for(organizer), "reject", [application])
    message = response.context["form"]["message"].value()
    assert message.startswith(REJECTION_MESSAGE.split("\n")[0])
    assert "{reason}" in message and "180 days" in message
    assert "Thank you for applying to Roundtable." in response.text


def test_the_rejection_email_carries_the_edited_message_and_the_reason(
    client_for, organizer, django_capture_on_commit_callbacks, mailoutbox
):
    application = applying("ravi@example.com", "Ravi Patel")
    edited = "Thank you, Ravi.\n\nOur reason: {reason}\n\nDo stay in touch."
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client_for(organizer),
            "reject",
            [application],
            reason="We accept people who lead engineering teams",
            message=edited,
        )
    assert "1 application rejected." in shown_messages(response)
    [email] = mailoutbox
    assert email.to == ["ravi@example.com"]
    assert "Our reason: We accept people who lead engineering teams" in email.body
    assert "Do stay in touch." in email.body and "{reason}" not in email.body
    decision = application.decisions.get()
    assert decision.to_status == "rejected" and decision.decided_by == organizer


def test_applications_that_cannot_take_a_decision_are_reported_and_the_rest_go_through(
    client_for, organizer
):
    waiting = applying("wanda@example.com", "Wanda Waiting")
    approved = applying("abe@example.com", "Abe Approved", status=Status.APPROVED)
    response = confirm(
        client_for(organizer),
        "reject",
        [waiting, approved],
        reason="Not a fit",
        message=rejection_message("{reason}"),
    )
    shown = shown_messages(response)
    assert "1 application rejected." in shown
    assert any("Abe Approved" in m and "approved and cannot be rejected" in m for m in shown)
    assert Application.objects.get(pk=waiting.pk).status == Status.REJECTED
    assert Application.objects.get(pk=approved.pk).status == Status.APPROVED
    assert not approved.decisions.exists()


def test_after_deciding_from_the_queue_the_organizer_returns_to_the_same_filters(
    client_for, organizer
):
    application = ApplicationFactory()
    client = client_for(organizer)
    page = client.post(
        f"{QUEUE}?q=Berlin",
        {"action": "waitlist", "_selected_action": [application.pk]},
    )
    next_url = page.context["form"]["next"].value()
    assert next_url == f"{QUEUE}?q=Berlin"
    response = client.post(
        decide_url("waitlist"),
        {"applications": [application.pk], "reason": "Full", "next": next_url},
    )
    assert response.status_code == 302 and response.url == next_url


def test_the_decision_page_ignores_a_next_address_on_another_site(client_for, organizer):
    application = ApplicationFactory()
    response = client_for(organizer).post(
        decide_url("waitlist"),
        {"applications": [application.pk], "reason": "Full", "next": "https://evil.example/"},
    )
    assert response.url == QUEUE


# The change page


def test_the_change_page_shows_hints_age_history_and_decision_buttons(client_for, organizer):
    application = applying(
        "hana@example.com",
        "Hana Haddad",
        submitted_at=timezone.now() - timedelta(days=2),
    )
    Decision.objects.create(
        application=application,
        from_status="draft",
        to_status="submitted",
        decided_by_name="Hana Haddad",
    )
    response = client_for(organizer).get(change_url(application))
    content = response.text.replace("\xa0", " ")
    assert "leads 8+ people; director level or above" in content
    assert "2 days" in content
    assert "Hana Haddad" in content and "Submitted" in content
    query = f"applications={application.pk}"
    for verdict in ["approve", "waitlist", "reject"]:
        assert f'href="{decide_url(verdict)}?{query}' in content
    assert f'action="{decide_url("start_review")}"' in content
    assert 'name="decisions-0-reason"' not in content  # history is read-only


def test_the_change_page_shows_what_the_applicant_wants_to_talk_through(client_for, organizer):
    application = applying("hana@example.com", "Hana Haddad", interests="Burnout in my team")
    content = client_for(organizer).get(change_url(application)).text
    assert "Topics you would like to talk through" in content
    assert "Burnout in my team" in content
    assert "Interested in" in content and "learning circles" in content


def test_the_change_page_buttons_lead_to_the_same_decision_form(client_for, organizer):
    application = ApplicationFactory(status=Status.IN_REVIEW)
    client = client_for(organizer)
    page = client.get(decide_url("reject"), {"applications": application.pk})
    assert page.status_code == 200
    assert page.context["form"]["applications"].value() == [application.pk]
    assert "Reject 1 application" in page.text
    start = client.post(decide_url("start_review"), {"applications": application.pk}, follow=True)
    assert "Only submitted applications can be taken into review." in shown_messages(start)[0]


def test_deciding_from_the_change_page_returns_to_it(client_for, organizer):
    application = ApplicationFactory()
    client = client_for(organizer)
    change_page = client.get(change_url(application))
    [button] = [
        link for link in change_page.context["decision_links"] if link["label"] == "Waitlist…"
    ]
    form = client.get(button["url"]).context["form"]
    response = client.post(
        decide_url("waitlist"),
        {
            "applications": form["applications"].value(),
            "next": form["next"].value(),
            "reason": "Full this quarter",
        },
    )
    assert response.url == change_url(application)
    assert Application.objects.get(pk=application.pk).status == Status.WAITLISTED


def test_start_review_from_the_change_page_returns_to_it(client_for, organizer):
    application = ApplicationFactory()
    response = client_for(organizer).post(
        decide_url("start_review"),
        {"applications": application.pk, "next": change_url(application)},
    )
    assert response.url == change_url(application)
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW


def test_organizers_can_change_only_the_note(client_for, organizer):
    application = ApplicationFactory(full_name="Original Name", company="Original Co")
    response = client_for(organizer).post(
        change_url(application),
        {
            "full_name": "Rewritten",
            "company": "Rewritten Co",
            "status": "approved",
            "organizer_note": "Met her at a meetup; strong candidate.",
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.organizer_note == "Met her at a meetup; strong candidate."
    assert (application.full_name, application.company) == ("Original Name", "Original Co")
    assert application.status == Status.SUBMITTED


def test_the_organizer_note_is_never_shown_to_the_applicant(client_for, applicant):
    application = applicant.applications.get()
    application.organizer_note = "Sounds junior; check the team size."
    application.save()
    response = client_for(applicant).get(reverse("application_status"))
    assert response.status_code == 200
    assert "Sounds junior" not in response.text


def test_decisions_cannot_be_added_changed_or_deleted_in_the_admin(client_for, organizer):
    client = client_for(organizer)
    assert client.get("/admin/community/decision/").status_code == 404
    application = ApplicationFactory()
    assert (
        client.get(change_url(application)).context["inline_admin_formsets"][0].has_add_permission
        is False
    )
    delete = reverse("admin:community_application_delete", args=[application.pk])
    assert client.get(delete).status_code == 403


# Permissions


@pytest.mark.parametrize("persona", [None, "outsider", "applicant", "member", "coach"])
def test_only_staff_reach_the_vetting_queue(db, client_for, request, persona):
    user = request.getfixturevalue(persona) if persona else None
    application = ApplicationFactory()
    client = client_for(user)
    for url in [QUEUE, change_url(application), decide_url("approve")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_a_staff_user_without_the_permission_cannot_decide(client_for, db):
    clerk = make_user("clerk@example.com", name="Carl Clerk", staff=True)
    give_totp(clerk)  # everyone who can reach the admin has two-factor
    application = ApplicationFactory()
    client = client_for(clerk)
    assert client.get(QUEUE).status_code == 403
    assert client.get(decide_url("approve"), {"applications": application.pk}).status_code == 403
    response = client.post(decide_url("approve"), {"applications": application.pk, "reason": "Ok"})
    assert response.status_code == 403
    assert not application.decisions.exists()


def test_an_unknown_decision_is_not_found(client_for, organizer):
    assert client_for(organizer).get(decide_url("promote")).status_code == 404


# Members and the outbox


def test_organizers_find_members_by_name_or_email(client_for, organizer, member):
    url = reverse("admin:community_member_changelist")
    client = client_for(organizer)
    for query in ["Maya", "member@example.com"]:
        response = client.get(url, {"q": query})
        assert [m.full_name for m in response.context["cl"].result_list] == ["Maya Member"]
    assert client.get(url, {"status__exact": "revoked"}).context["cl"].result_count == 0


def test_organizers_read_the_outbox_but_cannot_change_it(client_for, organizer):
    Email.objects.create(
        key="a", to="a@example.com", subject="Sent one", body_text="x", status="sent"
    )
    failed = Email.objects.create(
        key="b",
        to="b@example.com",
        subject="Failed one",
        body_text="x",
        status="failed",
        attempts=5,
        last_error="Connection refused",
    )
    url = reverse("admin:community_email_changelist")
    client = client_for(organizer)
    response = client.get(url, {"status__exact": "failed"})
    assert [e.subject for e in response.context["cl"].result_list] == ["Failed one"]
    assert "Connection refused" in response.text
    detail = client.get(reverse("admin:community_email_change", args=[failed.pk]))
    assert detail.status_code == 200 and 'name="subject"' not in detail.text
    assert client.get(reverse("admin:community_email_add")).status_code == 403
