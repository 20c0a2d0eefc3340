"""The webinar pages: registering from the page, the join link, times in the viewer's zone, and
the editors' pages (writing, announcing, registrations and their CSV, messages, the recording)."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community.models import Email
from content.models import Registration, Webinar
from content.services.webinar_editing import cancel_webinar, message_registered
from content.services.webinars import cancel_registration, register_for_webinar
from tests.conftest import make_member, make_user
from tests.content.factories import (
    make_author,
    make_members_webinar,
    make_past_webinar,
    make_webinar,
)

pytestmark = pytest.mark.django_db


def test_a_member_registers_from_the_page_and_then_sees_the_join_link(client_for, member):
    webinar = make_webinar()
    client = client_for(member)
    assert webinar.join_url not in client.get(webinar.get_absolute_url()).content.decode()
    response = client.post(f"/webinars/{webinar.slug}/register/", follow=True)
    text = response.content.decode()
    assert "You are registered" in text and webinar.join_url in text
    client.post(f"/webinars/{webinar.slug}/cancel/")
    assert webinar.join_url not in client.get(webinar.get_absolute_url()).content.decode()
    assert Registration.objects.get(user=member).status == Registration.Status.CANCELLED


def test_a_cancelled_webinar_no_longer_tells_the_registered_to_join(client_for, member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    cancel_webinar(webinar, by=None)
    text = client_for(member).get(webinar.get_absolute_url()).content.decode()
    assert "This webinar has been cancelled" in text
    assert "You are registered" not in text and webinar.join_url not in text


def test_a_full_webinar_offers_the_waitlist_and_says_so(client_for, member, outsider):
    webinar = make_webinar(capacity=1)
    register_for_webinar(webinar, user=outsider)
    client = client_for(member)
    assert "Join the waitlist" in client.get(webinar.get_absolute_url()).content.decode()
    text = client.post(f"/webinars/{webinar.slug}/register/", follow=True).content.decode()
    assert "on the waitlist" in text and "Leave the waitlist" in text
    assert webinar.join_url not in text


def test_the_time_is_shown_in_the_viewers_timezone(client_for, member):
    starts_at = datetime(2030, 3, 14, 17, 0, tzinfo=UTC)
    webinar = make_webinar(starts_at=starts_at)
    member.timezone = "Asia/Kolkata"
    member.save(update_fields=["timezone"])
    text = client_for(member).get(webinar.get_absolute_url()).content.decode()
    assert "Thursday 14 March 2030, 22:30" in text and "Asia/Kolkata" in text


def test_an_outsider_cannot_register_for_a_members_only_webinar_from_the_page(client_for, outsider):
    webinar = make_members_webinar()
    client = client_for(outsider)
    assert "This webinar is for members" in client.get(webinar.get_absolute_url()).content.decode()
    client.post(f"/webinars/{webinar.slug}/register/")
    assert not Registration.objects.exists()


def test_the_upcoming_list_shows_announced_webinars_soonest_first(client):
    make_webinar("Later", starts_in_days=10)
    make_webinar("Sooner", starts_in_days=2)
    make_webinar("Draft", state=Webinar.State.DRAFT)
    titles = [webinar.title for webinar in client.get("/webinars/").context["upcoming"]]
    assert titles == ["Sooner", "Later"]


def upcoming_card(text: str, title: str) -> str:
    """The list's card for one webinar, as a member reads it."""
    card = text.split(f">{title}</a>", 1)[1]
    return card.split("</li>", 1)[0]


def test_the_upcoming_list_tells_a_member_where_they_stand_on_each_webinar(client_for, member):
    registered, waiting = make_webinar("Registered one"), make_webinar("Waiting one", capacity=1)
    make_webinar("Open one", capacity=5)
    full_one = make_webinar("Full one", capacity=1)
    register_for_webinar(registered, user=member)
    for webinar in (waiting, full_one):
        register_for_webinar(webinar, user=make_user(f"first@{webinar.slug}.example.com"))
    register_for_webinar(waiting, user=member)
    text = client_for(member).get("/webinars/").content.decode()
    assert "You are registered" in upcoming_card(text, "Registered one")
    assert "You are on the waitlist" in upcoming_card(text, "Waiting one")
    assert "5 places left" in upcoming_card(text, "Open one")
    assert "Full: the waitlist is open" in upcoming_card(text, "Full one")
    assert "You are" not in upcoming_card(text, "Open one") + upcoming_card(text, "Full one")


def test_the_upcoming_list_shows_outsiders_the_places_left_and_no_registration(client):
    make_webinar("Open one", capacity=3)
    text = client.get("/webinars/").content.decode()
    assert "3 places left" in upcoming_card(text, "Open one")
    assert "You are" not in text
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=10)):
        text = client.get("/webinars/").content.decode()
    assert "Under way" in upcoming_card(text, "Open one") and "left" not in text


def test_a_draft_webinar_has_no_page(client):
    assert client.get(make_webinar(state=Webinar.State.DRAFT).get_absolute_url()).status_code == 404


def test_an_editor_plans_and_announces_a_webinar_in_their_own_timezone(client_for, editor):
    client = client_for(editor)
    response = client.post(
        "/write/webinars/new/",
        {
            "title": "Cloud costs",
            "summary": "Cutting the bill.",
            "description_markdown": "We **will** cover FinOps.",
            "starts_at": "2030-06-01T12:00",
            "duration_minutes": 45,
            "capacity": 20,
            "visibility": "members",
            "join_url": "https://video.example.com/j/1",
        },
    )
    webinar = Webinar.objects.get()
    assert response.status_code == 302
    assert webinar.starts_at == datetime(2030, 6, 1, 16, 0, tzinfo=UTC)  # noon in New York
    assert webinar.description_html == "<p>We <strong>will</strong> cover FinOps.</p>"
    assert webinar.state == Webinar.State.DRAFT
    client.post(f"/write/webinars/{webinar.pk}/schedule/")
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.SCHEDULED


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("capacity", "A webinar needs at least one place."),
        ("duration_minutes", "A webinar lasts at least a minute."),
    ],
)
def test_a_webinar_with_no_places_or_no_length_is_refused_with_a_clear_message(
    client_for, editor, field, message
):
    data = {
        "title": "Cloud costs",
        "summary": "Cutting the bill.",
        "starts_at": "2030-06-01T12:00",
        "duration_minutes": 45,
        "capacity": 20,
        "visibility": "members",
        field: 0,
    }
    response = client_for(editor).post("/write/webinars/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert not Webinar.objects.exists()


@pytest.mark.parametrize("starts_at", ["9999-12-31T23:59", "2999-01-01T10:00"])
def test_a_start_years_away_is_refused_as_a_typo_not_a_server_error(client_for, editor, starts_at):
    data = {
        "title": "Cloud costs",
        "summary": "Cutting the bill.",
        "starts_at": starts_at,
        "duration_minutes": 45,
        "capacity": 20,
        "visibility": "members",
    }
    response = client_for(editor).post("/write/webinars/new/", data)
    assert response.status_code == 200
    assert "at most ten years ahead" in response.context["form"].errors["starts_at"][0]
    assert not Webinar.objects.exists()


def test_editors_see_registrations_and_export_them_as_csv(client_for, editor, member, outsider):
    webinar = make_webinar(capacity=1)
    register_for_webinar(webinar, user=member)
    register_for_webinar(webinar, user=outsider)
    outsider.first_name = "=HYPERLINK(1)"
    outsider.save(update_fields=["first_name"])
    client = client_for(editor)
    page = client.get(f"/write/webinars/{webinar.pk}/registrations/").content.decode()
    assert member.email in page and outsider.email in page
    response = client.get(f"/write/webinars/{webinar.pk}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[1][:3] == ["Maya Member", member.email, "Registered"]
    assert rows[2][1:3] == [outsider.email, "On the waitlist"]
    assert rows[2][0].startswith("'=")  # a spreadsheet shows it, never runs it


def test_registrations_list_the_registered_then_the_waitlist_then_the_cancelled(client_for, editor):
    webinar = make_webinar(capacity=2)
    people = {}
    start = timezone.now()
    for minute, name in enumerate(["Ann", "Ben", "Cat", "Dan", "Eve"]):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            people[name] = make_user(f"{name.lower()}@example.com", name=f"{name} Person")
            make_member(people[name], company=f"{name} Co")
            register_for_webinar(webinar, user=people[name])
    with time_machine.travel(start + timedelta(minutes=10), tick=False):  # Cat takes Ann's place
        cancel_registration(webinar.registrations.get(user=people["Ann"]), by=people["Ann"])
    client = client_for(editor)
    page = client.get(f"/write/webinars/{webinar.pk}/registrations/")
    expected = ["Ben", "Cat", "Dan", "Eve", "Ann"]
    assert [r.user.first_name for r in page.context["registrations"]] == expected
    response = client.get(f"/write/webinars/{webinar.pk}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    assert [(row[0].split()[0], row[2]) for row in rows] == [
        ("Ben", "Registered"),
        ("Cat", "Registered"),
        ("Dan", "On the waitlist"),
        ("Eve", "On the waitlist"),
        ("Ann", "Cancelled"),
    ]


def test_a_message_reaches_each_registered_person_once(client_for, editor, member, outsider):
    webinar = make_webinar(capacity=1)
    register_for_webinar(webinar, user=member)
    register_for_webinar(webinar, user=outsider)  # waitlisted: not messaged
    client = client_for(editor)
    data = {"subject": "Slides are up", "body": "See you soon."}
    response = client.post(f"/write/webinars/{webinar.pk}/message/", data, follow=True)
    messages = Email.objects.filter(subject__contains="Slides are up")
    assert list(messages.values_list("to", flat=True)) == [member.email]
    assert "See you soon." in messages.get().body_text
    assert "Sent to 1 registered person." in response.content.decode()
    page = client.get(f"/write/webinars/{webinar.pk}/message/").content.decode()
    assert "Slides are up: 1 person," in page


def test_a_message_with_a_long_subject_on_a_long_title_still_reaches_the_registered(
    client_for, editor, member
):
    webinar = make_webinar("T" * 200)
    register_for_webinar(webinar, user=member)
    data = {"subject": "S" * 200, "body": "See you soon."}
    response = client_for(editor).post(f"/write/webinars/{webinar.pk}/message/", data)
    assert response.status_code == 302
    sent = Email.objects.get(key__startswith="webinar-message")
    assert sent.to == member.email and sent.subject.endswith(": " + "S" * 200)


def test_a_message_longer_than_an_email_should_be_is_refused(client_for, editor, member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    data = {"subject": "Notes", "body": "x" * 20_001}
    response = client_for(editor).post(f"/write/webinars/{webinar.pk}/message/", data)
    assert response.status_code == 200 and "at most 20000 characters" in response.content.decode()
    assert not Email.objects.filter(key__startswith="webinar-message").exists()


def test_a_message_sent_twice_by_a_double_click_reaches_each_person_once(
    client_for, editor, member
):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    client = client_for(editor)
    data = {"subject": "Slides are up", "body": "See you soon."}
    assert client.post(f"/write/webinars/{webinar.pk}/message/", data).status_code == 302
    again = client.post(f"/write/webinars/{webinar.pk}/message/", data)
    assert (
        "This message has just been sent to the registered; once is enough."
        in again.content.decode()
    )
    assert Email.objects.filter(subject__contains="Slides are up").count() == 1
    assert webinar.messages.count() == 1
    with time_machine.travel(timezone.now() + timedelta(hours=1)):  # sent again, on purpose
        client.post(f"/write/webinars/{webinar.pk}/message/", data)
    assert Email.objects.filter(subject__contains="Slides are up").count() == 2


def test_after_the_event_the_recording_puts_it_in_the_library_for_members(
    client_for, editor, member
):
    webinar = make_webinar(starts_in_days=-1)
    response = client_for(editor).post(
        f"/write/webinars/{webinar.pk}/recording/",
        {
            "recording_url": "https://video.example.com/rec/9",
            "recap_markdown": "We agreed on *three* things.",
            "visibility": "members",
            "slides": SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides", "application/pdf"),
        },
    )
    assert response.status_code == 302
    webinar.refresh_from_db()
    assert webinar.library_at and webinar.visibility == Webinar.Visibility.MEMBERS
    assert webinar.recap_html == "<p>We agreed on <em>three</em> things.</p>"
    text = client_for(member).get(webinar.get_absolute_url()).content.decode()
    assert "Watch the recording" in text and "three" in text
    slides = client_for(member).get(f"/webinars/{webinar.slug}/files/slides/")
    assert b"".join(slides.streaming_content) == b"%PDF-1.4 slides"
    assert client_for(None).get(f"/webinars/{webinar.slug}/files/slides/").status_code == 404


@pytest.mark.parametrize(
    ("field", "name", "content_type"),
    [
        ("recording_file", "recording.html", "text/html"),
        ("recording_file", "recording.svg", "image/svg+xml"),
        ("slides", "slides.js", "text/javascript"),
        ("slides", "slides.exe", "application/octet-stream"),
    ],
)
def test_a_file_that_is_not_a_recording_or_slides_is_refused(
    client_for, editor, field, name, content_type
):
    webinar = make_webinar(starts_in_days=-1)
    upload = SimpleUploadedFile(name, b"<script>alert(1)</script>", content_type)
    response = client_for(editor).post(
        f"/write/webinars/{webinar.pk}/recording/",
        {"recap_markdown": "Notes.", "visibility": "members", field: upload},
    )
    assert response.status_code == 200
    assert "File extension" in response.content.decode()
    webinar.refresh_from_db()
    assert not webinar.library_at and not getattr(webinar, field)


def test_a_recording_file_and_slides_of_usual_kinds_are_kept(client_for, editor, member):
    webinar = make_webinar(starts_in_days=-1)
    client_for(editor).post(
        f"/write/webinars/{webinar.pk}/recording/",
        {
            "visibility": "members",
            "recording_file": SimpleUploadedFile("talk.MP4", b"\x00\x00video", "video/mp4"),
            "slides": SimpleUploadedFile("deck.pptx", b"PK deck", "application/octet-stream"),
        },
    )
    webinar.refresh_from_db()
    assert webinar.library_at and webinar.recording_file and webinar.slides
    response = client_for(member).get(f"/webinars/{webinar.slug}/files/recording/")
    assert response["Content-Type"] == "video/mp4"


def test_a_recording_cannot_be_added_before_the_event(client_for, editor):
    webinar = make_webinar()
    client_for(editor).post(
        f"/write/webinars/{webinar.pk}/recording/",
        {"recording_url": "https://video.example.com/rec/9", "visibility": "public"},
    )
    webinar.refresh_from_db()
    assert webinar.library_at is None


def test_the_join_link_stays_on_the_page_while_the_webinar_runs(client_for, member):
    webinar = make_webinar(starts_in_days=1)
    register_for_webinar(webinar, user=member)
    with time_machine.travel(webinar.starts_at + timedelta(minutes=10)):
        assert (
            webinar.join_url in client_for(member).get(webinar.get_absolute_url()).content.decode()
        )


def test_a_past_webinar_in_the_library_is_readable_by_anyone_when_public(client):
    webinar = make_past_webinar("Open session")
    assert "Watch the recording" in client.get(webinar.get_absolute_url()).content.decode()


@pytest.mark.parametrize("path", ["/webinars/", "/write/webinars/"])
def test_webinar_lists_keep_their_query_count_as_webinars_grow(client_for, editor, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.content.factories import make_author

    client = client_for(editor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    make_webinar("First")
    make_past_webinar("First past")
    few = queries()
    for number in range(5):
        webinar = make_webinar(f"Upcoming {number}", speakers=[make_author(f"Speaker {number}")])
        register_for_webinar(webinar, user=editor)
        make_past_webinar(f"Past {number}", speakers=[make_author(f"Past speaker {number}")])
    assert queries() == few


def test_a_capacity_below_the_places_held_is_saved_with_a_warning(client_for, editor, member):
    webinar = make_webinar("Hiring panel", capacity=5)
    register_for_webinar(webinar, user=member)
    register_for_webinar(webinar, user=make_user("second@example.com"))
    data = {
        "title": webinar.title,
        "summary": webinar.summary,
        "starts_at": timezone.localtime(webinar.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": webinar.duration_minutes,
        "capacity": 1,
        "visibility": webinar.visibility,
    }
    client = client_for(editor)
    response = client.post(f"/write/webinars/{webinar.pk}/", data, follow=True)
    assert "2 people hold a place, more than the new capacity of 1" in response.content.decode()
    assert Registration.objects.filter(status=Registration.Status.REGISTERED).count() == 2


def test_the_registered_of_a_cancelled_webinar_can_no_longer_be_messaged(
    client_for, editor, member
):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    cancel_webinar(webinar, by=editor)
    client = client_for(editor)
    page = client.get(f"/write/webinars/{webinar.pk}/message/").content.decode()
    assert "This webinar has been cancelled" in page and 'name="subject"' not in page
    data = {"subject": "Slides are up", "body": "See you soon."}
    response = client.post(f"/write/webinars/{webinar.pk}/message/", data)
    assert (
        response.status_code == 200
        and "can no longer be used to message" in response.content.decode()
    )
    assert not Email.objects.filter(subject__contains="Slides are up").exists()
    assert not webinar.messages.exists()


def test_the_service_refuses_a_message_about_a_cancelled_webinar_saying_why(editor, member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    cancel_webinar(webinar, by=editor)
    with pytest.raises(ValidationError, match="has been cancelled"):
        message_registered(webinar, by=editor, subject="Slides", body="Here.")


def test_an_editor_deletes_a_draft_webinar_and_nothing_of_it_is_left_to_see(
    client, client_for, editor
):
    speaker = make_author("Dana Draft")
    webinar = make_webinar("Never announced", state=Webinar.State.DRAFT, speakers=[speaker])
    slug, pk = webinar.slug, webinar.pk
    editing = client_for(editor)
    page = editing.get(f"/write/webinars/{pk}/").content.decode()
    assert "Delete this draft" in page and "Cancel the webinar" not in page
    response = editing.post(f"/write/webinars/{pk}/delete/", follow=True)
    assert "The draft “Never announced” is deleted." in response.content.decode()
    assert not Webinar.objects.filter(pk=pk).exists()
    client.logout()
    assert client.get(f"/webinars/{slug}/").status_code == 404
    assert "Never announced" not in client.get(speaker.get_absolute_url()).content.decode()


def test_a_draft_webinar_cannot_be_cancelled_into_a_page_of_its_own(client, editor):
    webinar = make_webinar("Never announced", state=Webinar.State.DRAFT)
    with pytest.raises(ValidationError, match="never announced: delete the draft instead"):
        cancel_webinar(webinar, by=editor)
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.DRAFT
    assert client.get(webinar.get_absolute_url()).status_code == 404


def test_an_announced_webinar_is_cancelled_not_deleted(client_for, editor, member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    response = client_for(editor).post(f"/write/webinars/{webinar.pk}/delete/", follow=True)
    assert "Only a draft can be deleted" in response.content.decode()
    assert Webinar.objects.get(pk=webinar.pk).state == Webinar.State.SCHEDULED


def test_a_past_webinar_says_the_member_was_registered_not_that_they_are(client_for, member):
    webinar = make_webinar(starts_in_days=1)
    register_for_webinar(webinar, user=member)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        text = client_for(member).get(webinar.get_absolute_url()).content.decode()
    assert "You were registered for it." in text and "You are registered" not in text
    assert webinar.join_url not in text
