"""What content holds about a person: in their export, and gone or unlinked when they leave."""

from datetime import timedelta

import time_machine
from django.contrib.auth.models import Group
from icalendar import Calendar

from community import privacy
from community.models import Email
from community.services.account import DELETION_CONFIRMATION_KEY, delete_account
from content.models import Article, Author, FeedToken, Registration, ReviewComment
from content.services import articles as service
from content.services.feeds import feed_token_for
from content.services.webinars import register_for_webinar
from tests.conftest import make_member, make_user
from tests.content.factories import make_article, make_author, make_webinar


def test_editors_may_manage_articles_authors_and_topics(db):
    permissions = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"change_article", "add_topic", "change_author", "view_reviewcomment"} <= permissions


def test_a_writers_pieces_are_in_their_export_and_drafts_go_when_they_leave(member, editor):
    author = service.author_for(member)
    published = make_article("Published", authors=[author], created_by=member)
    draft = make_article("Draft", authors=[author], created_by=member, published_days_ago=None)
    service.add_review_comment(draft, by=member, body="Ready for another look.")
    feed_token_for(member)
    export = privacy.export_user(member)["content"]
    assert [piece["title"] for piece in export["pieces"]] == ["Published", "Draft"]
    assert export["review_comments"] == [{"article": "Draft", "body": "Ready for another look."}]
    assert export["author"]["name"] == "Maya Member" and export["has_personal_feed"]
    privacy.erase_user(member)
    assert list(Article.objects.values_list("title", flat=True)) == ["Published"]
    published.refresh_from_db()
    assert published.created_by is None
    assert Author.objects.get(pk=author.pk).user is None
    assert not FeedToken.objects.exists() and not ReviewComment.objects.exists()


def test_the_author_page_of_a_member_who_left_says_former_member_not_guest_expert(client, member):
    author = service.author_for(member)
    Author.objects.filter(pk=author.pk).update(bio="Leads platform teams at Northwind, in Leeds.")
    make_article("Published", authors=[author], created_by=member)
    guest = make_author("Grace Guest")
    make_article("By a guest", authors=[guest])
    delete_account(member)
    page = client.get(author.get_absolute_url()).content.decode()
    assert "Former member" in page and "Guest expert" not in page
    assert "Northwind" not in page and Author.objects.get(pk=author.pk).bio == ""
    assert "Guest expert" in client.get(guest.get_absolute_url()).content.decode()


def test_webinar_registrations_are_in_the_export_and_go_when_the_person_leaves(member):
    register_for_webinar(make_webinar("Hiring panel"), user=member)
    export = privacy.export_user(member)["content"]
    assert [row["webinar"] for row in export["webinar_registrations"]] == ["Hiring panel"]
    privacy.erase_user(member)
    assert not Registration.objects.exists()


def waiting_member(n: int):
    user = make_user(f"waiting{n}@example.com", name=f"Waiting {n}")
    make_member(user, company=f"Waiting Co {n}")
    return user


def full_webinar_with_waitlist(member, *, waiting: int):
    webinar = make_webinar("Hiring panel", capacity=1)
    register_for_webinar(webinar, user=member)
    people = [waiting_member(n) for n in range(1, waiting + 1)]
    for person in people:
        register_for_webinar(webinar, user=person)
    return webinar, people


def emails_after(pk: int) -> list[Email]:
    return list(Email.objects.filter(pk__gt=pk).order_by("pk"))


def test_deleting_an_account_gives_its_place_in_a_full_webinar_to_the_first_waiting(member):
    webinar, (first, second) = full_webinar_with_waitlist(member, waiting=2)
    before = Email.objects.latest("pk").pk
    member_email = member.email
    delete_account(member)
    statuses = dict(webinar.registrations.values_list("user__email", "status"))
    assert statuses == {
        first.email: Registration.Status.REGISTERED,
        second.email: Registration.Status.WAITLISTED,
    }
    emails = emails_after(before)
    [promotion] = [email for email in emails if email.to == first.email]
    assert "A place opened" in promotion.subject and webinar.join_url in promotion.body_text
    calendar = Calendar.from_ical(promotion.attachment_text)
    assert calendar["METHOD"] == "REQUEST"
    to_the_erased = [email for email in emails if email.to == member_email]
    assert [email.key.startswith(DELETION_CONFIRMATION_KEY) for email in to_the_erased] == [True]
    assert {email.to for email in emails} == {first.email, member_email}


def test_leaving_a_waitlist_by_deleting_an_account_moves_nobody_and_emails_nobody(member):
    holder, behind = waiting_member(1), waiting_member(2)
    webinar, _ = full_webinar_with_waitlist(holder, waiting=0)
    register_for_webinar(webinar, user=member)
    register_for_webinar(webinar, user=behind)
    before = Email.objects.latest("pk").pk
    delete_account(member)
    statuses = dict(webinar.registrations.values_list("user__email", "status"))
    assert statuses == {
        holder.email: Registration.Status.REGISTERED,
        behind.email: Registration.Status.WAITLISTED,
    }
    assert [email.key for email in emails_after(before) if "webinar" in email.key] == []


def test_a_place_at_a_past_webinar_is_erased_without_promoting_anyone(member):
    webinar, (first,) = full_webinar_with_waitlist(member, waiting=1)
    with time_machine.travel(webinar.ends_at + timedelta(days=1)):
        before = Email.objects.latest("pk").pk
        delete_account(member)
    assert list(webinar.registrations.values_list("user__email", "status")) == [
        (first.email, Registration.Status.WAITLISTED)
    ]
    assert [email.to for email in emails_after(before)] == [member.email]
