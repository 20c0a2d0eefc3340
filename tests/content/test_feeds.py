"""The public Atom feed, the members' personal feed, and the sitemap."""

from django.urls import reverse

from community.models import Member
from content.services.feeds import feed_token_for
from tests.content.factories import MARKER, make_article, make_members_article


def test_the_public_feed_is_atom_with_public_pieces_in_full(client, db):
    make_article("Career ladders", body_markdown="Levels **matter**.")
    make_members_article("Members piece")
    response = client.get(reverse("content:public_feed"))
    text = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Career ladders" in text and "Levels &lt;strong&gt;matter&lt;/strong&gt;." in text
    assert "Members piece" not in text


def test_a_members_feed_carries_members_only_pieces_in_full(client, member):
    make_members_article("Members piece")
    text = client.get(feed_token_for(member).get_absolute_url()).content.decode()
    assert "Members piece" in text and MARKER in text


def test_resetting_the_feed_address_retires_the_old_one(client_for, member):
    make_members_article()
    old = feed_token_for(member).get_absolute_url()
    client = client_for(member)
    response = client.post(reverse("content:feed_reset"))
    assert response.status_code == 302
    new = feed_token_for(member).get_absolute_url()
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert MARKER in client.get(new).content.decode()


def test_a_feed_address_with_a_nul_character_is_not_found(client, db):
    assert client.get("/library/feed/members/abc%00def/").status_code == 404


def test_the_feed_address_stops_working_when_membership_ends(client, member):
    make_members_article()
    url = feed_token_for(member).get_absolute_url()
    Member.objects.filter(user=member).update(status=Member.Status.REVOKED)
    assert client.get(url).status_code == 404


def test_the_feed_settings_page_shows_the_personal_address(client_for, member, settings):
    settings.SITE_URL = "https://roundtable.example"
    text = client_for(member).get(reverse("content:feed_settings")).content.decode()
    assert f"https://roundtable.example{feed_token_for(member).get_absolute_url()}" in text


def test_the_sitemap_lists_public_pages_only(client, db):
    public = make_article("Public piece")
    secret = make_members_article("Members piece", topics=[], authors=[])
    draft = make_article("Draft", published_days_ago=None)
    text = client.get(reverse("content:sitemap")).content.decode()
    assert public.get_absolute_url() in text
    assert "/library/topics/hiring/" in text and "/library/authors/grace-guest/" in text
    assert secret.get_absolute_url() not in text and draft.get_absolute_url() not in text


def test_the_addresses_in_a_feed_entry_are_absolute_for_feed_readers(client, db, settings):
    settings.SITE_URL = "https://roundtable.example"
    make_article(
        "Career ladders",
        body_markdown="![A ladder](/media/content/images/ladder.jpg)\n\n[More](/library/other/)",
    )
    text = client.get(reverse("content:public_feed")).content.decode()
    assert 'src="https://roundtable.example/media/content/images/ladder.jpg"' in text
    assert 'href="https://roundtable.example/library/other/"' in text


def test_a_piece_signed_by_nobody_is_by_the_editors_in_the_feed_as_on_its_page(client, db):
    make_article("Notes from the editors", authors=[])
    text = client.get(reverse("content:public_feed")).content.decode()
    assert "<author><name>The editors</name></author>" in text


def test_a_control_character_pasted_into_a_piece_does_not_break_the_feeds(client, member):
    # Word's line break inside a paragraph is pasted as a vertical tab, which XML cannot hold.
    make_article("Hiring\x0bloops", body_markdown="First line\x0bsecond line.")
    make_members_article("Members\x0bpiece")
    public = client.get(reverse("content:public_feed"))
    members = client.get(feed_token_for(member).get_absolute_url())
    assert public.status_code == 200 and members.status_code == 200
    assert "Hiring loops" in public.content.decode()
    assert "First line second line." in public.content.decode()
    assert "Members piece" in members.content.decode()
