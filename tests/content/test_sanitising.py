"""A corpus of XSS payloads through every text a writer controls: nothing executable survives."""

from xml.etree import ElementTree

import pytest

from content.rendering import render_markdown, render_teaser
from content.services.feeds import feed_token_for
from tests.content.factories import make_article, make_author, make_past_webinar, make_webinar
from tests.content.html_checks import executable_parts

PAYLOADS = [
    "<script>alert('body')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    "[markdown link](javascript:alert(1))",
    "[spaced link]( javascript:alert(1) )",
    "[entity link](jav&#x09;ascript:alert(1))",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    "![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](https://example.com/a.png)',
    '[x](https://example.com/" onmouseover="alert(1))',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<div onclick=alert(1)>click me",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=`x`onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<base href=javascript:alert(1)//>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="vbscript:msgbox(1)">vb</a>',
    "<details open ontoggle=alert(1)>",
]
CORPUS = "\n\n".join(PAYLOADS)
ATOM = "{http://www.w3.org/2005/Atom}"
TEXT_PAYLOAD = '"><script>alert("title")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_renderer_leaves_nothing_executable_in_a_payload(payload):
    assert executable_parts(render_markdown(payload), allowed_forms=False) == []
    assert executable_parts(render_teaser(payload), allowed_forms=False) == []


def test_the_renderer_keeps_headings_lists_code_tables_images_and_links():
    html = render_markdown(
        "## Hiring\n\n- one\n- two\n\n`code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "![a chart](/media/content/images/chart.png) [a link](https://example.com/)"
    )
    for fragment in ["<h3>", "<li>one</li>", "<code>code</code>", "<table>", "<td>1</td>"]:
        assert fragment in html
    assert '<img src="/media/content/images/chart.png" alt="a chart">' in html
    assert '<a href="https://example.com/" rel="noopener noreferrer nofollow">a link</a>' in html


@pytest.fixture
def hostile_article(db):
    author = make_author("Mallory", bio=TEXT_PAYLOAD)
    return make_article(TEXT_PAYLOAD, summary=TEXT_PAYLOAD, body_markdown=CORPUS, authors=[author])


def feed_html(document: str) -> list[str]:
    """The HTML an Atom feed carries in its entries' summaries (titles are plain text)."""
    root = ElementTree.fromstring(document)
    summaries = list(root.iter(f"{ATOM}summary"))
    assert summaries and all(summary.get("type") == "html" for summary in summaries)
    return [summary.text or "" for summary in summaries]


def hostile_pages(article, author_slug: str) -> list[str]:
    return [
        article.get_absolute_url(),
        "/library/",
        f"/library/authors/{author_slug}/",
        "/library/topics/hiring/",
        "/library/search/?q=alert",
        "/library/feed/",
        "/sitemap.xml",
    ]


def test_no_page_or_feed_shows_anything_executable_from_a_hostile_article(
    client_for, member, hostile_article
):
    token = feed_token_for(member)
    for user in (None, member):
        client = client_for(user)
        for path in hostile_pages(hostile_article, "mallory") + [token.get_absolute_url()]:
            response = client.get(path)
            assert response.status_code == 200, path
            text = response.content.decode()
            assert executable_parts(text) == [], path
            for entry_html in feed_html(text) if "feed" in path else []:
                assert executable_parts(entry_html, allowed_forms=False) == [], path


def test_the_title_summary_and_bio_are_shown_as_text(client, hostile_article):
    text = client.get(hostile_article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in text
    assert '<script>alert("title")' not in text


def test_the_preview_sanitises_like_the_saved_article(client_for, member):
    response = client_for(member).post("/write/preview/", {"body_markdown": CORPUS})
    assert response.status_code == 200
    assert executable_parts(response.json()["html"], allowed_forms=False) == []
    assert response.json()["html"] == render_markdown(CORPUS)


@pytest.fixture
def hostile_webinars(db):
    speaker = make_author("Mallory", bio=TEXT_PAYLOAD)
    fields = {"summary": TEXT_PAYLOAD, "description_markdown": CORPUS, "speakers": [speaker]}
    upcoming = make_webinar(TEXT_PAYLOAD, **fields)
    past = make_past_webinar("Past " + TEXT_PAYLOAD, recap_markdown=CORPUS, **fields)
    from content.services.webinar_editing import save_webinar

    save_webinar(past, saved_by=None)  # renders the summary through the sanitiser
    return upcoming, past


def test_no_webinar_page_list_feed_or_email_shows_anything_executable(
    client_for, member, hostile_webinars
):
    from community.models import Email
    from content.services.webinars import register_for_webinar

    upcoming, past = hostile_webinars
    token = feed_token_for(member)
    register_for_webinar(upcoming, user=member)
    paths = [
        upcoming.get_absolute_url(),
        past.get_absolute_url(),
        "/webinars/",
        "/library/?type=webinar",
        "/library/search/?q=alert",
        "/library/feed/",
        token.get_absolute_url(),
    ]
    for user in (None, member):
        client = client_for(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            text = response.content.decode()
            assert executable_parts(text) == [], path
            for entry_html in feed_html(text) if "feed" in path else []:
                assert executable_parts(entry_html, allowed_forms=False) == [], path
    assert executable_parts(past.description_html + past.recap_html, allowed_forms=False) == []
    emails = list(Email.objects.all())
    assert emails
    for email in emails:  # the layout's own inline styles aside (email clients need them)
        problems = [
            part for part in executable_parts(email.body_html) if "inline style" not in part
        ]
        assert problems == [], email.subject
        assert "<script" not in email.body_html.lower()
