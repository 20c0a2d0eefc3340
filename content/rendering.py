"""Markdown to the sanitised HTML that every page, feed and email shows.

markdown-it-py turns the Markdown into HTML with raw HTML switched off (it is shown as text), and nh3
(the Ammonia sanitiser) then keeps only the tags, attributes and URL schemes listed here, whatever
the renderer produced. https://markdown-it-py.readthedocs.io/ and https://nh3.readthedocs.io/
"""

import html
import math
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils.text import Truncator
from markdown_it import MarkdownIt
from markdown_it.token import Token

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
    "code", "em", "strong", "del", "s", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
# No javascript:, vbscript: or data: addresses; relative ones (our own uploads) are kept.
URL_SCHEMES = {"http", "https", "mailto"}
# Whatever these contain is dropped with them, not shown as text.
DROPPED_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "template"}
WORDS_PER_MINUTE = 220
# A teaser is the first paragraph, but never more than this many words, nor more than half the
# text: a body written as one long paragraph would otherwise be shown whole to outsiders.
TEASER_WORDS = 80
OUTSIDE_IMAGES_NOTICE = "Images from other sites are shown as links to them; upload them instead."

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def sanitise(fragment: str, *, base: str | None = None) -> str:
    """Keep only what the allow-lists above let through; with a `base`, relative addresses
    (our uploads, links to our pages) are made absolute against it."""
    relative = {"url_relative": ("rewrite_with_base", base)} if base else {}
    return nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        **relative,
    )


def with_absolute_urls(fragment: str, base: str) -> str:
    """Stored HTML for somewhere else than our pages (a feed reader resolves `/media/...`
    against nothing, or against its own address)."""
    return sanitise(fragment, base=base)


def _tokens(text: str) -> list[Token]:
    """The Markdown's tokens, with its headings one level down: the page's title is its only h1,
    so a `#` in the body is a section of it (h1 becomes h2 ... h5 becomes h6; h6 stays). Images
    from other sites become links to them (see `_without_outside_images`)."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        if token.type == "inline" and token.children:
            token.children = _without_outside_images(token.children)
    return tokens


def is_on_this_site(url: str) -> bool:
    """Whether an address is relative (our uploads) or on SITE_URL: the only images the
    Content-Security-Policy (img-src 'self') lets a page show."""
    parts, site = urlsplit(url.strip()), urlsplit(settings.SITE_URL)
    if not parts.scheme and not parts.netloc:
        return True
    return (parts.scheme or site.scheme, parts.netloc.lower()) == (site.scheme, site.netloc.lower())


def _outside_image(token: Token) -> bool:
    return token.type == "image" and not is_on_this_site(token.attrGet("src") or "")


def _without_outside_images(children: list[Token]) -> list[Token]:
    """An image from another site would be blocked by the policy, and loading it would tell that
    site who reads what: it becomes a link to it, named by its description (inside a link, only
    the description, as a link cannot hold another)."""
    result, in_link = [], 0
    for token in children:
        in_link += token.nesting if token.type in ("link_open", "link_close") else 0
        if not _outside_image(token):
            result.append(token)
            continue
        src = token.attrGet("src") or ""
        alt = _markdown.renderer.renderInlineAsText(token.children or [], _markdown.options, {})
        text = Token("text", "", 0, content=alt or src)
        if in_link:
            result.append(text)
        else:
            link = Token("link_open", "a", 1, attrs={"href": src})
            result += [link, text, Token("link_close", "a", -1)]
    return result


def outside_images_notice(text: str) -> str:
    """What the editor's preview says when the Markdown has images from other sites ("" if not)."""
    tokens = _markdown.parse(text or "")
    if any(_outside_image(child) for token in tokens for child in token.children or []):
        return OUTSIDE_IMAGES_NOTICE
    return ""


def render_markdown(text: str) -> str:
    """The sanitised HTML of a Markdown text."""
    return sanitise(_markdown.renderer.render(_tokens(text), _markdown.options, {})).strip()


def render_teaser(text: str) -> str:
    """The sanitised HTML of the text's first top-level paragraph ("" without one), cut after
    TEASER_WORDS words or half the text's words, whichever comes first (Django's Truncator keeps
    the markup whole: tags it cuts through are closed)."""
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            paragraph = tokens[index : index + 3]  # open, inline, close
            teaser = sanitise(_markdown.renderer.render(paragraph, _markdown.options, {}))
            words = min(TEASER_WORDS, len(plain_text(render_markdown(text)).split()) // 2)
            if not words:
                return ""
            return sanitise(Truncator(teaser.strip()).words(words, html=True, truncate="…"))
    return ""


def image_markdown(url: str, alt: str) -> str:
    """The Markdown that shows an uploaded image: brackets and backslashes in its description
    would end or escape the `![...]` early, so they are left out, as are line breaks."""
    alt = " ".join(re.sub(r"[\[\]\\]", "", alt).split())
    return f"![{alt}]({url})"


def plain_text(fragment: str) -> str:
    """The words of an HTML fragment, for search and for reading time."""
    text = html.unescape(nh3.clean(fragment, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT))
    return re.sub(r"\s+", " ", text).strip()


def reading_minutes(text: str) -> int:
    """Minutes a reader needs at an ordinary pace; at least one."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))
