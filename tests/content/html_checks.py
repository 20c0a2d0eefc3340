"""Finds what could run in an HTML document: scripts, handlers, dangerous addresses, styles."""

import re
from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "form"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset"}
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)


class _Finder(HTMLParser):
    def __init__(self, allowed_scripts: tuple[str, ...], allowed_forms: bool):
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.allowed_forms = allowed_forms
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and (attributes.get("src") or "").startswith(self.allowed_scripts):
            pass
        elif tag == "form" and self.allowed_forms:
            pass
        elif tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}> {attributes}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
            if name in URL_ATTRIBUTES and value and BAD_SCHEME.match(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def executable_parts(
    document: str, *, allowed_scripts: tuple[str, ...] = ("/static/",), allowed_forms=True
) -> list[str]:
    """What in `document` could run code or restyle the page; our own static scripts aside."""
    finder = _Finder(allowed_scripts, allowed_forms)
    finder.feed(document)
    finder.close()
    return finder.problems
