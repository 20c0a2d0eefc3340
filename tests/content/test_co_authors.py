"""Co-authors of a member's piece: the authors who did not create it wrote it too.

They see it on their writing page with its state and the editors' comments, and change and
submit it on the same terms as the member who created it; anyone else still gets a 404.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import privacy
from content.models import Article, Author
from content.services.articles import (
    NotEditable,
    author_for,
    return_to_writer,
    save_article,
    submit_for_review,
)
from tests.conftest import make_member, make_user
from tests.content.factories import make_article, make_topic
from tests.content.test_writing import write
from tests.content.test_writing_emails import emails_to

EDITED = {
    "title": "Conflict between two leads, revisited",
    "summary": "What worked, and what we would do differently.",
    "body_markdown": "First we listened.\n\nThen the co-author added a paragraph.",
    "visibility": "members",
}


@pytest.fixture
def co_written(client_for, member, coach) -> Article:
    """Maya's draft, with Colin (a member too) added as its co-author."""
    write(client_for(member), topics=[make_topic("Conflict").pk])
    article = Article.objects.get()
    article.authors.add(author_for(coach))
    return article


def edit_page(client, article: Article):
    return client.get(reverse("content:piece_edit", args=[article.pk]))


def test_a_co_author_sees_the_piece_with_its_state_and_the_editors_comments(
    client_for, member, coach, editor, co_written
):
    submit_for_review(co_written, by=member)
    return_to_writer(co_written, by=editor, comment="Say what you would do differently.")
    client = client_for(coach)
    listed = client.get(reverse("content:piece_list"))
    assert [piece.title for piece in listed.context["pieces"]] == ["Conflict between two leads"]
    assert "Draft (1)" in listed.content.decode()
    page = edit_page(client, co_written)
    assert page.status_code == 200 and page.context["editable"]
    text = page.content.decode()
    assert "State: <strong>Draft</strong>" in text
    assert "Say what you would do differently." in text


def test_a_co_author_changes_the_draft_and_it_keeps_its_creator_and_authors(
    client_for, member, coach, co_written
):
    response = client_for(coach).post(reverse("content:piece_edit", args=[co_written.pk]), EDITED)
    assert response.status_code == 302
    co_written.refresh_from_db()
    assert co_written.body_markdown == EDITED["body_markdown"]
    assert co_written.created_by == member
    assert sorted(author.name for author in co_written.authors.all()) == [
        "Colin Coach",
        "Maya Member",
    ]


def test_a_co_author_submits_the_draft_for_review_and_can_then_no_longer_change_it(
    client_for, coach, co_written
):
    client = client_for(coach)
    submit_url = reverse("content:piece_submit", args=[co_written.pk])
    assert f'action="{submit_url}"' in edit_page(client, co_written).content.decode()
    client.post(submit_url)
    co_written.refresh_from_db()
    assert co_written.state == Article.State.IN_REVIEW
    refused = client.post(reverse("content:piece_edit", args=[co_written.pk]), EDITED)
    assert refused.status_code == 409
    assert "It is in review now" in refused.content.decode()
    co_written.refresh_from_db()
    assert co_written.title == "Conflict between two leads"


def test_a_co_authors_save_racing_the_submission_is_refused_by_the_service(
    member, coach, co_written
):
    fresh = Article.objects.get(pk=co_written.pk)
    fresh.summary = "Sharper, from the co-author."
    save_article(fresh, saved_by=coach)
    stale = Article.objects.get(pk=co_written.pk)
    submit_for_review(co_written, by=member)
    stale.body_markdown = "Written over the submitted text."
    with pytest.raises(NotEditable, match="It is in review now"):
        save_article(stale, saved_by=coach)
    co_written.refresh_from_db()
    assert co_written.summary == "Sharper, from the co-author."
    assert co_written.body_markdown == "First we listened.\n\nThen we *mediated*."


def test_whoever_is_not_an_author_still_gets_a_404(client_for, co_written):
    stranger = make_user("stranger@example.com", name="Sara Stranger")
    make_member(stranger, company="Elsewhere")
    client = client_for(stranger)
    assert edit_page(client, co_written).status_code == 404
    for name in ("piece_submit", "piece_comment"):
        url = reverse(f"content:{name}", args=[co_written.pk])
        assert client.post(url, {"body": "Hello"}).status_code == 404
    assert list(client.get(reverse("content:piece_list")).context["pieces"]) == []


def test_a_co_author_who_is_no_longer_a_member_cannot_change_the_piece(
    client_for, coach, co_written
):
    coach.member.delete()
    coach.refresh_from_db()
    assert not co_written.editable_by(coach)


def test_the_writing_list_keeps_its_query_count_as_a_co_authors_pieces_grow(
    client_for, member, coach, co_written
):
    client = client_for(coach)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("content:piece_list")).status_code == 200
        return len(captured)

    few = queries()
    for number in range(8):
        make_article(
            f"Co-written {number}",
            published_days_ago=None,
            authors=[author_for(member), author_for(coach)],
            created_by=member,
        )
    assert queries() == few
    listed = client.get(reverse("content:piece_list")).context["pieces"]
    assert len(listed) == 9


def test_a_co_author_gets_the_writing_page_in_the_email_when_the_piece_comes_back(
    client_for, member, coach, editor, co_written
):
    submit_for_review(co_written, by=member)
    return_to_writer(co_written, by=editor, comment="Nearly there.")
    writing_page = settings.SITE_URL + reverse("content:piece_edit", args=[co_written.pk])
    for writer in (member, coach):
        [email] = emails_to(writer)
        assert writing_page in email.body_text


def test_a_co_authors_export_lists_the_pieces_they_co_wrote(coach, co_written):
    own = make_article("Colin's own", authors=[author_for(coach)], created_by=coach)
    export = privacy.export_user(coach)["content"]
    assert [piece["title"] for piece in export["pieces"]] == [
        "Conflict between two leads",
        own.title,
    ]


def test_erasing_a_co_author_keeps_the_piece_its_creator_is_writing(member, coach, co_written):
    privacy.erase_user(coach)
    co_written.refresh_from_db()
    assert co_written.created_by == member
    assert Author.objects.get(name="Colin Coach").user is None


def test_erasing_the_creator_hands_a_co_written_draft_to_the_co_author(member, coach, co_written):
    privacy.erase_user(member)
    co_written.refresh_from_db()
    assert co_written.created_by == coach
    assert [author.user for author in co_written.authors.all()] == [coach]
    own = Article.objects.filter(created_by=coach)
    assert list(own) == [co_written]
