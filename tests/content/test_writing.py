"""Writing on the site: members' drafts, the editors' review, scheduling and the pieces list."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import Article, ContentImage
from content.rendering import render_markdown
from content.services.articles import (
    NotEditable,
    save_article,
    schedule_article,
    submit_for_review,
)
from content.views import writing
from tests.content.factories import make_article, make_topic
from tests.content.test_articles import png

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def write(client, **fields):
    data = {
        "title": "Conflict between two leads",
        "summary": "What worked when two tech leads stopped talking.",
        "body_markdown": "First we listened.\n\nThen we *mediated*.",
        "visibility": "members",
        "cover_alt": "",
        **fields,
    }
    return client.post(reverse("content:piece_create"), data)


@pytest.fixture
def members_draft(client_for, member):
    write(client_for(member), topics=[make_topic("Conflict").pk])
    return Article.objects.get()


def test_a_member_writes_a_draft_signed_with_their_name(members_draft, member):
    assert members_draft.state == Article.State.DRAFT
    assert members_draft.created_by == member
    assert [author.name for author in members_draft.authors.all()] == ["Maya Member"]
    assert members_draft.body_html == "<p>First we listened.</p>\n<p>Then we <em>mediated</em>.</p>"
    assert [topic.name for topic in members_draft.topics.all()] == ["Conflict"]


def test_a_member_submits_a_draft_and_can_no_longer_change_it(client_for, member, members_draft):
    client = client_for(member)
    client.post(reverse("content:piece_submit", args=[members_draft.pk]))
    members_draft.refresh_from_db()
    assert members_draft.state == Article.State.IN_REVIEW
    page = client.get(reverse("content:piece_edit", args=[members_draft.pk]))
    assert "In review" in page.content.decode() and not page.context["editable"]
    edit = client.post(reverse("content:piece_edit", args=[members_draft.pk]), {"title": "x"})
    assert edit.status_code == 409
    members_draft.refresh_from_db()
    assert members_draft.title == "Conflict between two leads"


def test_changes_sent_after_the_draft_went_to_review_are_kept_on_the_page_not_lost(
    client_for, member, members_draft
):
    """Submitted from another tab while this one was being edited: the edit is refused, the
    writer is told why, and the text they wrote is still in the form to copy."""
    client = client_for(member)
    client.post(reverse("content:piece_submit", args=[members_draft.pk]))
    edited = {
        "title": "Conflict, revisited",
        "summary": "Two leads.",
        "body_markdown": "A whole new paragraph I spent an hour on.",
        "visibility": "members",
    }
    response = client.post(reverse("content:piece_edit", args=[members_draft.pk]), edited)
    text = response.content.decode()
    assert response.status_code == 409
    assert (
        "It is in review now, so it can no longer be changed; your changes were not saved." in text
    )
    assert "A whole new paragraph I spent an hour on." in text
    members_draft.refresh_from_db()
    assert members_draft.body_markdown == "First we listened.\n\nThen we *mediated*."


def test_a_save_racing_the_submission_is_refused_by_the_service(member, members_draft):
    """The page was read as a draft, and the piece went to review before the save reached the
    database: the service, not only the page, refuses it and changes nothing."""
    stale = Article.objects.get(pk=members_draft.pk)
    submit_for_review(members_draft, by=member)
    stale.body_markdown = "Written over the submitted text."
    with pytest.raises(NotEditable, match="It is in review now"):
        save_article(stale, saved_by=member)
    members_draft.refresh_from_db()
    assert members_draft.state == Article.State.IN_REVIEW
    assert members_draft.body_markdown == "First we listened.\n\nThen we *mediated*."


def test_an_editors_save_keeps_a_publication_made_meanwhile(member, editor, members_draft):
    stale = Article.objects.get(pk=members_draft.pk)
    submit_for_review(members_draft, by=member)
    schedule_article(members_draft, by=editor)  # published now, by another editor
    stale.summary = "A sharper summary."
    save_article(stale, saved_by=editor)
    members_draft.refresh_from_db()
    assert members_draft.state == Article.State.PUBLISHED
    assert members_draft.summary == "A sharper summary."


def test_the_member_sees_the_editors_comments_when_their_draft_comes_back(
    client_for, member, editor, members_draft
):
    client_for(member).post(reverse("content:piece_submit", args=[members_draft.pk]))
    comment = {"body": "Lovely. Could you add what you would do differently?"}
    client_for(editor).post(reverse("content:piece_return", args=[members_draft.pk]), comment)
    members_draft.refresh_from_db()
    assert members_draft.state == Article.State.DRAFT
    page = client_for(member).get(reverse("content:piece_edit", args=[members_draft.pk]))
    assert "Could you add what you would do differently?" in page.content.decode()
    assert page.context["editable"]


def test_members_see_only_their_own_pieces_and_editors_see_all_by_state(
    client_for, member, coach, editor, members_draft
):
    make_article("Published by the editors")
    assert (
        client_for(coach).get(reverse("content:piece_edit", args=[members_draft.pk])).status_code
        == 404
    )
    mine = client_for(member).get(reverse("content:piece_list"))
    assert [piece.title for piece in mine.context["pieces"]] == ["Conflict between two leads"]
    everything = client_for(editor).get(reverse("content:piece_list"))
    assert len(everything.context["pieces"]) == 2
    published = client_for(editor).get(reverse("content:piece_list") + "?state=published")
    assert [piece.title for piece in published.context["pieces"]] == ["Published by the editors"]
    assert "Published (1)" in published.content.decode()


@time_machine.travel(NOON, tick=False)
def test_an_editor_schedules_in_their_own_timezone(client_for, editor, members_draft):
    client = client_for(editor)
    response = client.post(
        reverse("content:piece_schedule", args=[members_draft.pk]),
        {"publish_at": "2026-03-02T09:30"},
    )
    assert response.status_code == 302
    members_draft.refresh_from_db()
    assert members_draft.state == Article.State.SCHEDULED
    assert members_draft.publish_at == datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # 09:30 in New York
    page = client.get(reverse("content:piece_edit", args=[members_draft.pk])).content.decode()
    assert "2 March 2026, 09:30</time> (America/New_York)" in page


def test_a_time_that_does_not_exist_in_the_editors_timezone_is_refused_saying_so(
    client_for, editor, members_draft
):
    client = client_for(editor)
    url = reverse("content:piece_schedule", args=[members_draft.pk])
    # Clocks in New York go from 02:00 to 03:00 on 14 March 2027: 02:30 never happens.
    response = client.post(url, {"publish_at": "2027-03-14T02:30"}, follow=True)
    assert "America/New_York; it may be ambiguous or it may not exist" in response.content.decode()
    response = client.post(url, {"publish_at": "next tuesday"}, follow=True)
    assert "Enter a valid date/time." in response.content.decode()
    members_draft.refresh_from_db()
    assert members_draft.state == Article.State.DRAFT and members_draft.publish_at is None


def test_only_editors_review_schedule_and_archive(client_for, member, members_draft):
    client = client_for(member)
    for name in ("piece_return", "piece_schedule", "piece_archive"):
        assert client.post(reverse(f"content:{name}", args=[members_draft.pk])).status_code == 403
    assert Article.objects.get().state == Article.State.DRAFT


def test_editors_open_every_writing_page(client_for, editor, members_draft):
    client = client_for(editor)
    for path in ["/write/", "/write/new/", f"/write/{members_draft.pk}/", "/library/my-feed/"]:
        assert client.get(path).status_code == 200, path


def test_an_editor_uploads_a_cover_with_its_description(client_for, editor):
    client = client_for(editor)
    refused = write(client, cover_upload=png(1200, 600))
    assert "Describe the cover image" in refused.content.decode()
    assert not Article.objects.exists()
    write(client, cover_upload=png(1200, 600), cover_alt="Two people at a whiteboard")
    article = Article.objects.get()
    assert article.cover.name.endswith(".jpg") and article.cover_alt == "Two people at a whiteboard"


def edit(client, article, **fields):
    data = {
        "title": article.title,
        "summary": article.summary,
        "body_markdown": article.body_markdown,
        "visibility": article.visibility,
        "cover_alt": article.cover_alt,
        **fields,
    }
    return client.post(reverse("content:piece_edit", args=[article.pk]), data)


@pytest.fixture
def with_cover(client_for, editor):
    write(client_for(editor), cover_upload=png(1200, 600), cover_alt="Two people at a whiteboard")
    return Article.objects.get()


def test_a_cover_can_be_removed_with_its_description(client_for, editor, with_cover):
    client = client_for(editor)
    page = client.get(reverse("content:piece_edit", args=[with_cover.pk])).content.decode()
    assert "Remove cover" in page
    edit(client, with_cover, remove_cover="on")
    with_cover.refresh_from_db()
    assert with_cover.cover == "" and with_cover.cover_alt == ""
    page = client.get(reverse("content:piece_edit", args=[with_cover.pk])).content.decode()
    assert "cover-thumb" not in page and "Remove cover" not in page


def test_a_kept_cover_still_needs_its_description(client_for, editor, with_cover):
    response = edit(client_for(editor), with_cover, cover_alt="")
    assert "Describe the cover image" in response.content.decode()
    with_cover.refresh_from_db()
    assert with_cover.cover and with_cover.cover_alt == "Two people at a whiteboard"


def test_removing_the_cover_and_uploading_a_new_one_at_once_is_refused(
    client_for, editor, with_cover
):
    response = edit(client_for(editor), with_cover, remove_cover="on", cover_upload=png(800, 400))
    assert "Either remove the cover or upload a new one" in response.content.decode()
    with_cover.refresh_from_db()
    assert with_cover.cover_alt == "Two people at a whiteboard"


def test_the_live_preview_renders_with_the_same_sanitiser(client_for, member):
    response = client_for(member).post(
        reverse("content:preview"), {"body_markdown": "# Hi\n\n<script>x</script>"}
    )
    assert response.json()["html"] == "<h2>Hi</h2>\n<p>&lt;script&gt;x&lt;/script&gt;</p>"


def test_a_writer_uploads_an_image_and_gets_the_markdown_that_shows_it(client_for, member):
    response = client_for(member).post(
        reverse("content:image_upload"), {"image": png(2400, 600), "alt": "A [roadmap]"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["url"].startswith("/media/content/images/") and data["url"].endswith(".jpg")
    assert data["markdown"] == f"![A roadmap]({data['url']})"
    assert f'<img src="{data["url"]}" alt="A roadmap">' in render_markdown(data["markdown"])


def test_an_image_needs_a_description_and_to_be_an_image(client_for, member):
    client = client_for(member)
    without = client.post(reverse("content:image_upload"), {"image": png(10, 10), "alt": ""})
    assert without.status_code == 400 and not ContentImage.objects.exists()
    fake = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    refused = client.post(reverse("content:image_upload"), {"image": fake, "alt": "x"})
    assert refused.status_code == 400 and not ContentImage.objects.exists()


@pytest.mark.parametrize(
    ("zone", "publish_at", "message"),
    [
        ("America/New_York", "9999-12-31T23:59", "at most ten years ahead"),
        ("Asia/Tokyo", "0001-01-01T00:00", "from the year 2000 on"),
    ],
)
def test_a_time_far_ahead_or_far_back_is_refused_saying_so(
    client_for, editor, members_draft, zone, publish_at, message
):
    editor.timezone = zone
    editor.save(update_fields=["timezone"])
    url = reverse("content:piece_schedule", args=[members_draft.pk])
    response = client_for(editor).post(url, {"publish_at": publish_at}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    members_draft.refresh_from_db()
    assert members_draft.state == Article.State.DRAFT and members_draft.publish_at is None


@pytest.mark.parametrize("action", ["piece_comment", "piece_return"])
def test_a_review_comment_longer_than_a_few_pages_is_refused_saying_so(
    client_for, member, editor, members_draft, action
):
    client_for(member).post(reverse("content:piece_submit", args=[members_draft.pk]))
    url = reverse(f"content:{action}", args=[members_draft.pk])
    response = client_for(editor).post(url, {"body": "x" * 10_001}, follow=True)
    assert "at most 10000 characters" in response.content.decode()
    members_draft.refresh_from_db()
    assert members_draft.state == Article.State.IN_REVIEW and not members_draft.comments.exists()
    page = client_for(editor).get(reverse("content:piece_edit", args=[members_draft.pk]))
    assert 'maxlength="10000"' in page.content.decode()


def test_an_empty_review_comment_asks_for_one(client_for, member, members_draft):
    url = reverse("content:piece_comment", args=[members_draft.pk])
    response = client_for(member).post(url, {"body": "  "}, follow=True)
    assert "Write a comment first." in response.content.decode()
    assert not members_draft.comments.exists()


def test_the_pieces_list_is_paginated_by_state_so_no_piece_is_out_of_reach(
    client_for, editor, monkeypatch
):
    monkeypatch.setattr(writing, "PIECES_PER_PAGE", 2)
    for number in range(5):
        make_article(f"Draft {number}", published_days_ago=None)
    make_article("Out already")
    client = client_for(editor)
    first = client.get(reverse("content:piece_list") + "?state=draft")
    assert [piece.title for piece in first.context["pieces"]] == ["Draft 4", "Draft 3"]
    assert 'href="?state=draft&amp;page=2"' in first.content.decode()
    last = client.get(reverse("content:piece_list") + "?state=draft&page=3")
    assert [piece.title for piece in last.context["pieces"]] == ["Draft 0"]
    beyond = client.get(reverse("content:piece_list") + "?state=draft&page=9")
    assert "There is no page 9 here." in beyond.content.decode()


def test_a_published_piece_offers_archiving_not_a_schedule_it_would_refuse(client_for, editor):
    article = make_article("Out already")
    page = client_for(editor).get(reverse("content:piece_edit", args=[article.pk]))
    html = page.content.decode()
    assert "State: <strong>Published</strong>" in html and "· published at" in html
    assert reverse("content:piece_schedule", args=[article.pk]) not in html
    assert reverse("content:piece_archive", args=[article.pk]) in html


def test_an_archived_piece_can_be_scheduled_again(client_for, editor):
    article = make_article("Out already", state=Article.State.ARCHIVED)
    page = client_for(editor).get(reverse("content:piece_edit", args=[article.pk]))
    assert reverse("content:piece_schedule", args=[article.pk]) in page.content.decode()


def test_a_body_too_long_to_preview_is_refused_on_saving_too(client_for, member):
    client = client_for(member)
    body = "word " * 40_001  # 200,005 characters
    preview = client.post(reverse("content:preview"), {"body_markdown": body})
    assert preview.status_code == 400
    response = write(client, body_markdown=body)
    assert "at most 200000 characters" in response.content.decode()
    assert not Article.objects.exists()


def test_an_image_description_ending_in_a_backslash_still_gives_markdown_that_shows_it(
    client_for, member
):
    response = client_for(member).post(
        reverse("content:image_upload"), {"image": png(40, 40), "alt": "Revenue by region \\"}
    )
    data = response.json()
    assert f'<img src="{data["url"]}" alt="Revenue by region">' in render_markdown(data["markdown"])
