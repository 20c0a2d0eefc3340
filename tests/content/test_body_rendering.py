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
