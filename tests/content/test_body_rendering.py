"""How a body's Markdown becomes the HTML every page, feed and email shows."""

import re

from django.urls import reverse

from content.rendering import render_markdown
from tests.content.factories import make_article


def test_a_heading_in_the_body_sits_below_the_articles_title(client, db):
    body = "# Background\n\nWhy it matters.\n\n## Details\n\nMore.\n\n###### Smallest\n\nEnd."
    article = make_article("Hiring your first manager", body_markdown=body)
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.findall(r"<h1[ >]", page) == ["<h1>"]
    assert "<h2>Background</h2>" in page and "<h3>Details</h3>" in page
    assert "<h6>Smallest</h6>" in page


def test_the_preview_shifts_headings_like_the_saved_article(client_for, member):
    response = client_for(member).post(reverse("content:preview"), {"body_markdown": "# Why"})
    assert response.json()["html"] == "<h2>Why</h2>" == render_markdown("# Why")


OUTSIDE = "![The hiring funnel](https://images.example.com/funnel.png)"
NOTICE = "Images from other sites are shown as links to them; upload them instead."


def test_an_image_from_another_site_is_shown_as_a_link_to_it(client, db, settings):
    settings.SITE_URL = "https://roundtable.example"
    body = f"{OUTSIDE}\n\n![Ours](/media/content/images/a.jpg)"
    body += "\n\n![Ours too](https://roundtable.example/media/content/images/b.jpg)"
    page = client.get(make_article(body_markdown=body).get_absolute_url()).content.decode()
    assert "images.example.com" not in re.findall(r"<img [^>]*>", page).__str__()
    assert (
        '<a href="https://images.example.com/funnel.png" rel="noopener noreferrer nofollow">'
        "The hiring funnel</a>"
    ) in page
    assert '<img src="/media/content/images/a.jpg" alt="Ours">' in page
    assert '<img src="https://roundtable.example/media/content/images/b.jpg"' in page


def test_an_outside_image_inside_a_link_leaves_its_description_in_the_link(db):
    html = render_markdown(f"[{OUTSIDE}](https://example.com/report)")
    assert "<img" not in html
    assert ">The hiring funnel</a>" in html and html.count("<a ") == 1


def test_the_preview_says_that_images_from_other_sites_are_shown_as_links(client_for, member):
    client = client_for(member)
    outside = client.post(reverse("content:preview"), {"body_markdown": OUTSIDE}).json()
    assert outside["notice"] == NOTICE and "<img" not in outside["html"]
    own = client.post(reverse("content:preview"), {"body_markdown": "![Ours](/media/a.jpg)"})
    assert own.json()["notice"] == ""


def test_the_writing_page_says_so_for_a_saved_body_with_an_outside_image(client_for, editor):
    article = make_article(body_markdown=OUTSIDE, published_days_ago=None)
    client = client_for(editor)
    page = client.get(reverse("content:piece_edit", args=[article.pk])).content.decode()
    assert f"data-preview-notice>{NOTICE}</p>" in page
    article = make_article("Another", body_markdown="Plain text.", published_days_ago=None)
    page = client.get(reverse("content:piece_edit", args=[article.pk])).content.decode()
    assert "data-preview-notice hidden></p>" in page
