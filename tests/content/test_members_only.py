"""Members-only text never reaches an outsider: every URL that shows content, asked anonymously."""

import json

import pytest
from django.urls import reverse

from content.models import Article, Webinar
from tests.content.factories import (
    MARKER,
    MEMBERS_BODY,
    make_article,
    make_author,
    make_members_article,
    make_members_webinar,
    make_past_webinar,
    make_topic,
)
from tests.test_urls import OUR_ROUTES


@pytest.fixture
def library_world(db):
    topic = make_topic("Burnout")
    author = make_author("Grace Guest")
    secret = make_members_article("Stress and burnout", topics=[topic], authors=[author])
    public = make_article("Time management", topics=[topic], authors=[author])
    upcoming = make_members_webinar("Burnout clinic", topics=[topic], speakers=[author])
    past = make_past_webinar(
        "Burnout, a year on",
        topics=[topic],
        speakers=[author],
        visibility=Webinar.Visibility.MEMBERS,
        description_markdown=MEMBERS_BODY,
        recap_markdown=f"What we learnt: {MARKER} about quokkas.",
        join_url=f"https://video.example.com/{MARKER}",
    )
    return {
        "topic": topic,
        "author": author,
        "secret": secret,
        "public": public,
        "upcoming": upcoming,
        "past": past,
    }


def content_urls(world) -> list[str]:
    secret = world["secret"]
    return [
        reverse("content:library"),
        reverse("content:library") + f"?topic={world['topic'].slug}",
        reverse("content:article_detail", args=[secret.slug]),
        reverse("content:article_detail", args=[world["public"].slug]),
        reverse("content:topic_detail", args=[world["topic"].slug]),
        reverse("content:author_detail", args=[world["author"].slug]),
        reverse("content:search") + "?q=quokka",
        reverse("content:search") + "?q=advice",
        reverse("content:search") + "?q=burnout",
        reverse("content:public_feed"),
        reverse("content:sitemap"),
        reverse("home"),
        reverse("content:webinar_list"),
        reverse("content:library") + "?type=webinar",
        reverse("content:webinar_detail", args=[world["upcoming"].slug]),
        reverse("content:webinar_detail", args=[world["past"].slug]),
        reverse("content:search") + "?q=clinic",
    ]


def test_every_content_url_is_in_the_list_asked_here():
    """A new content URL must be added to `content_urls` (or to the exceptions) to be checked."""
    content_names = {name for name in OUR_ROUTES if str(name).startswith("content:")}
    checked = {
        "content:library", "content:article_detail", "content:topic_detail",
        "content:author_detail", "content:search", "content:public_feed", "content:sitemap",
        "content:webinar_list", "content:webinar_detail",
    }  # fmt: skip
    # Members-only or editors' pages: outsiders are sent to sign in (tests/test_urls.py).
    signed_in_only = {
        "content:members_feed", "content:feed_settings", "content:feed_reset",
        "content:piece_list", "content:piece_create", "content:preview", "content:piece_edit",
        "content:image_upload",
        "content:piece_submit", "content:piece_comment", "content:piece_return",
        "content:piece_schedule", "content:piece_archive",
        "content:webinar_register", "content:webinar_cancel_registration",
        "content:webinar_manage_list", "content:webinar_create", "content:webinar_edit",
        "content:webinar_schedule", "content:webinar_cancel", "content:webinar_delete",
        "content:webinar_registrations",
        "content:webinar_registrations_csv", "content:webinar_message", "content:webinar_recording",
    }  # fmt: skip
    # Files of past webinars: refused to outsiders (test_a_members_only_recording_is_refused...).
    signed_in_only.add("content:webinar_file")
    assert content_names == checked | signed_in_only


@pytest.mark.parametrize("persona", ["anonymous", "applicant", "outsider"])
def test_no_outsider_response_contains_the_members_only_text(
    request, client_for, library_world, persona
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(user)
    for url in content_urls(library_world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER not in response.content.decode(), url


def test_outsiders_see_the_title_summary_and_teaser_with_an_invitation(client, library_world):
    secret = library_world["secret"]
    text = client.get(secret.get_absolute_url()).content.decode()
    assert secret.title in text and secret.summary in text
    assert "The first paragraph is the teaser anyone may read." in text
    assert "The rest of this article is for members" in text
    assert reverse("account_signup") in text


@pytest.mark.parametrize("break_", ["\n", " "])
def test_a_body_written_as_one_paragraph_shows_outsiders_only_its_opening(client, db, break_):
    words = break_.join(f"word{n}" for n in range(400))
    secret = make_article(
        "One long paragraph",
        visibility=Article.Visibility.MEMBERS,
        body_markdown=f"{words} {MARKER}",
    )
    text = client.get(secret.get_absolute_url()).content.decode()
    assert "word0 word1" in text and "word79…" in text
    assert "word80" not in text and MARKER not in text


def test_a_short_body_shows_outsiders_at_most_half_of_it(client, db):
    secret = make_article(
        "Brief",
        visibility=Article.Visibility.MEMBERS,
        body_markdown=f"Only six words, then {MARKER}.",
    )
    text = client.get(secret.get_absolute_url()).content.decode()
    assert "Only six…" in text and MARKER not in text


def test_members_read_the_whole_text(client_for, member, library_world):
    text = client_for(member).get(library_world["secret"].get_absolute_url()).content.decode()
    assert MARKER in text
    assert "The rest of this article is for members" not in text


def test_the_preview_json_is_for_writers_only(client):
    response = client.post(reverse("content:preview"), {"body_markdown": MARKER})
    assert response.status_code == 302
    assert MARKER not in response.content.decode()


def test_members_only_pieces_are_missing_from_the_sitemap_and_public_feed(client, library_world):
    sitemap = client.get(reverse("content:sitemap")).content.decode()
    feed = client.get(reverse("content:public_feed")).content.decode()
    assert library_world["public"].get_absolute_url() in sitemap
    assert library_world["secret"].get_absolute_url() not in sitemap
    assert library_world["public"].title in feed
    assert library_world["secret"].title not in feed


def test_a_members_only_page_shows_only_the_summary_in_its_opengraph_tags(client, library_world):
    text = client.get(library_world["secret"].get_absolute_url()).content.decode()
    assert f'<meta property="og:description" content="{library_world["secret"].summary}">' in text
    assert '<link rel="canonical" href="http://' in text


def test_an_unpublished_members_only_piece_is_nowhere(client_for, member, db):
    draft = make_members_article("Draft piece", published_days_ago=None)
    assert draft.state == Article.State.DRAFT
    client = client_for(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Draft piece" not in client.get(reverse("content:library")).content.decode()
    assert (
        json.dumps("Draft piece")[1:-1]
        not in client.get("/library/search/?q=draft").content.decode()
    )


def test_an_outsider_cannot_find_a_members_only_piece_by_its_body(client, library_world):
    assert "Nothing matches" in client.get("/library/search/?q=quokka").content.decode()


def test_an_outsider_finds_a_members_only_piece_by_its_title(client, library_world):
    text = client.get("/library/search/?q=stress").content.decode()
    assert library_world["secret"].title in text


def test_a_members_cached_page_is_never_served_to_an_outsider(client_for, member, library_world):
    url = library_world["secret"].get_absolute_url()
    assert MARKER in client_for(member).get(url).content.decode()
    assert MARKER not in client_for(None).get(url).content.decode()


def test_members_read_a_members_only_webinar_but_not_its_join_link_until_registered(
    client_for, member, library_world
):
    text = client_for(member).get(library_world["upcoming"].get_absolute_url()).content.decode()
    assert "real advice about quokkas" in text
    assert library_world["upcoming"].join_url not in text


def test_a_members_only_past_webinars_summary_and_files_are_refused_to_outsiders(
    client, library_world
):
    past = library_world["past"]
    assert "What we learnt" not in client.get(past.get_absolute_url()).content.decode()
    assert client.get(f"/webinars/{past.slug}/files/slides/").status_code == 404
    assert client.get(f"/webinars/{past.slug}/files/recording/").status_code == 404


def test_an_outsider_finds_a_members_only_webinar_by_its_title_only(client, library_world):
    assert "Burnout clinic" in client.get("/library/search/?q=clinic").content.decode()
    assert "Burnout clinic" not in client.get("/library/search/?q=quokka").content.decode()
