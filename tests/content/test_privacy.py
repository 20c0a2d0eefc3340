"""What content holds about a person: in their export, and gone or unlinked when they leave."""

from django.contrib.auth.models import Group

from community import privacy
from content.models import Article, Author, FeedToken, ReviewComment
from content.services import articles as service
from content.services.feeds import feed_token_for
from tests.content.factories import make_article


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


def test_webinar_registrations_are_in_the_export_and_go_when_the_person_leaves(member):
    from content.models import Registration
    from content.services.webinars import register_for_webinar
    from tests.content.factories import make_webinar

    register_for_webinar(make_webinar("Hiring panel"), user=member)
    export = privacy.export_user(member)["content"]
    assert [row["webinar"] for row in export["webinar_registrations"]] == ["Hiring panel"]
    privacy.erase_user(member)
    assert not Registration.objects.exists()
