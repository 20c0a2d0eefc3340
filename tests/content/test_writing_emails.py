"""Writers hear of what the editors did with their piece: sent back with comments, or published."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from community.models import Email, User
from content.models import Article
from content.services import article_emails
from content.services.articles import (
    archive_article,
    author_for,
    publish_due_articles,
    schedule_article,
)
from tests.conftest import make_user
from tests.content.factories import make_article, make_author, make_topic
from tests.content.test_writing import write

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
COMMENT = "Lovely. Say more about <b>the retro</b> & what you would do differently?"


def emails_to(user) -> list[Email]:
    return list(Email.objects.filter(to=user.email).order_by("pk"))


@pytest.fixture
def submitted(client_for, member) -> Article:
    client = client_for(member)
    write(client, topics=[make_topic("Conflict").pk])
    article = Article.objects.get()
    client.post(reverse("content:piece_submit", args=[article.pk]))
    return article


def send_back(client, article: Article, body: str = COMMENT):
    return client.post(reverse("content:piece_return", args=[article.pk]), {"body": body})


def test_the_editors_are_told_once_of_each_submission(client_for, member, editor):
    other_editor = make_user("second.editor@example.com", name="Ed Second")
    other_editor.groups.add(Group.objects.get(name=User.EDITORS))
    client = client_for(member)
    write(client, topics=[make_topic("Conflict").pk])
    article = Article.objects.get()
    submit = reverse("content:piece_submit", args=[article.pk])
    client.post(submit)
    client.post(submit)  # a second click: already in review, nothing new
    for person in (editor, other_editor):
        [email] = emails_to(person)
        assert email.subject == "For review: Conflict between two leads"
        assert "Maya Member has submitted" in email.body_text
        assert (
            settings.SITE_URL + reverse("content:piece_edit", args=[article.pk]) in email.body_text
        )
    assert not [e for e in emails_to(member) if e.subject.startswith("For review")]
    send_back(client_for(editor), article)
    client.post(submit)  # revised and submitted again: news again
    assert len(emails_to(other_editor)) == 2


def test_the_writer_is_emailed_the_comment_when_their_piece_is_sent_back(
    client_for, member, editor, submitted
):
    send_back(client_for(editor), submitted)
    [email] = emails_to(member)
    assert email.subject == "Sent back with comments: Conflict between two leads"
    assert COMMENT in email.body_text
    writing_page = settings.SITE_URL + reverse("content:piece_edit", args=[submitted.pk])
    assert writing_page in email.body_text
    assert "&lt;b&gt;the retro&lt;/b&gt; &amp; what" in email.body_html
    assert "<b>the retro</b>" not in email.body_html
    assert f'href="{writing_page}"' in email.body_html
    assert [e.subject for e in emails_to(editor)] == ["For review: Conflict between two leads"]


def test_a_second_click_or_a_retry_sends_the_writer_one_email_per_sending_back(
    client_for, member, editor, submitted
):
    client = client_for(editor)
    send_back(client, submitted)
    send_back(client, submitted)  # refused: it is a draft already
    comment = submitted.comments.get()
    article_emails.send_returned(submitted, comment, by=editor)
    assert len(emails_to(member)) == 1
    client_for(member).post(reverse("content:piece_submit", args=[submitted.pk]))
    send_back(client_for(editor), submitted, "Nearly there.")
    assert [email.subject.split(":")[0] for email in emails_to(member)] == [
        "Sent back with comments",
        "Sent back with comments",
    ]
    assert "Nearly there." in emails_to(member)[-1].body_text


@time_machine.travel(NOON, tick=False)
def test_the_writer_is_told_the_scheduled_time_in_their_own_timezone(
    client_for, member, editor, submitted
):
    member.timezone = "Asia/Tokyo"
    member.save(update_fields=["timezone"])
    url = reverse("content:piece_schedule", args=[submitted.pk])
    client = client_for(editor)
    client.post(url, {"publish_at": "2026-03-02T09:30"})  # 09:30 in New York, 23:30 in Tokyo
    client.post(url, {"publish_at": "2026-03-02T09:30"})  # the same time again: no news
    [email] = emails_to(member)
    assert email.subject == "Scheduled for 2 Mar, 23:30 JST: Conflict between two leads"
    assert "Monday 2 March 2026, 23:30 JST (Asia/Tokyo)" in email.body_text
    submitted.refresh_from_db()
    assert settings.SITE_URL + submitted.get_absolute_url() in email.body_text
    writing_page = settings.SITE_URL + reverse("content:piece_edit", args=[submitted.pk])
    assert f'href="{writing_page}"' in email.body_html
    client.post(url, {"publish_at": "2026-03-03T09:30"})  # moved: they hear of the new time
    assert "Tuesday 3 March 2026, 23:30 JST" in emails_to(member)[-1].body_text
    assert [e.subject for e in emails_to(editor)] == ["For review: Conflict between two leads"]


def test_the_writer_gets_the_public_page_when_their_piece_is_published(
    client_for, member, editor, submitted
):
    client = client_for(editor)
    url = reverse("content:piece_schedule", args=[submitted.pk])
    client.post(url, {"publish_at": ""})
    client.post(url, {"publish_at": ""})  # refused: it is published already
    [email] = emails_to(member)
    submitted.refresh_from_db()
    assert submitted.state == Article.State.PUBLISHED
    assert email.subject == "Published: Conflict between two leads"
    public_page = settings.SITE_URL + submitted.get_absolute_url()
    assert public_page in email.body_text
    assert f'href="{public_page}"' in email.body_html


def test_every_author_with_an_account_hears_but_not_guests_nor_the_editor_acting(
    member, coach, editor
):
    article = make_article(
        published_days_ago=None,
        authors=[author_for(editor), author_for(coach), make_author("Grace Guest")],
        created_by=editor,
    )
    schedule_article(article, by=editor)
    assert emails_to(editor) == [] and emails_to(member) == []
    [email] = emails_to(coach)
    assert email.subject == f"Published: {article.title}"
    # Published: it is read in the library now, not on its writing page.
    assert reverse("content:piece_edit", args=[article.pk]) not in email.body_text


def scheduled_by_the_editors(client_for, editor, article: Article) -> Article:
    url = reverse("content:piece_schedule", args=[article.pk])
    client_for(editor).post(url, {"publish_at": "2026-03-02T09:30"})  # 14:30 UTC
    article.refresh_from_db()
    assert article.state == Article.State.SCHEDULED
    return article


@time_machine.travel(NOON, tick=False)
def test_the_writers_are_told_once_when_their_scheduled_piece_goes_live_at_its_time(
    client_for, member, coach, editor, submitted
):
    submitted.authors.add(author_for(coach))
    article = scheduled_by_the_editors(client_for, editor, submitted)
    assert publish_due_articles() == 0
    assert [email.subject for email in emails_to(member)] == [
        "Scheduled for 2 Mar, 14:30 UTC: Conflict between two leads"
    ]
    with time_machine.travel(article.publish_at, tick=False):
        assert publish_due_articles() == 1
        assert publish_due_articles() == 0  # the next minute's run: nothing more
    for writer in (member, coach):
        live = emails_to(writer)[-1]
        assert live.subject == "Your article is live: Conflict between two leads"
        public_page = settings.SITE_URL + article.get_absolute_url()
        assert public_page in live.body_text
        assert f'href="{public_page}"' in live.body_html
    assert len(emails_to(member)) == 2 and len(emails_to(coach)) == 2
    assert [e.subject for e in emails_to(editor)] == ["For review: Conflict between two leads"]


@time_machine.travel(NOON, tick=False)
def test_a_piece_found_due_again_at_the_same_time_does_not_tell_the_writers_twice(
    client_for, member, editor, submitted
):
    """The outbox key is the last guard: whatever makes a run see the same going-live again
    (a state written back by hand, a run replayed), the writers keep the first email only."""
    article = scheduled_by_the_editors(client_for, editor, submitted)
    with time_machine.travel(article.publish_at, tick=False):
        assert publish_due_articles() == 1
        Article.objects.filter(pk=article.pk).update(state=Article.State.SCHEDULED)
        assert publish_due_articles() == 1
    subjects = [email.subject for email in emails_to(member)]
    assert [subject.startswith("Your article is live") for subject in subjects] == [False, True]


@time_machine.travel(NOON, tick=False)
def test_a_piece_archived_then_scheduled_again_is_news_again_when_it_goes_live(
    client_for, member, editor, submitted
):
    article = scheduled_by_the_editors(client_for, editor, submitted)
    with time_machine.travel(article.publish_at, tick=False):
        publish_due_articles()
    later = article.publish_at + timedelta(days=1)
    archive_article(article, by=editor)
    schedule_article(article, by=editor, publish_at=later)
    with time_machine.travel(later, tick=False):
        assert publish_due_articles() == 1
    live = [email for email in emails_to(member) if email.subject.startswith("Your article")]
    assert len(live) == 2
