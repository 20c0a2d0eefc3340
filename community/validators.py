"""Rules for what people type about themselves, shared by the models and the forms."""

import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

LINKEDIN_PROFILE_PATH = re.compile(r"/in/[^/\s]+/?")
LINKEDIN_ERROR = (
    "Please enter the address of your LinkedIn profile, e.g. https://www.linkedin.com/in/your-name"
)


def validate_linkedin_profile(url: str) -> None:
    """An https address of a profile on linkedin.com, read the same way by Python and browsers.

    Browsers read a backslash as a slash and everything before an "@" as a user name
    (https://url.spec.whatwg.org/#host-parsing), so `https://evil.example\\@linkedin.com/` opens
    evil.example: such addresses, and any with a user name or a port, are refused outright.
    """
    if not url:
        return
    if "\\" in url or "@" in url or any(char.isspace() for char in url):
        raise ValidationError(LINKEDIN_ERROR, code="linkedin")
    parts = urlsplit(url)
    host = parts.netloc.lower()
    on_linkedin = host == "linkedin.com" or host.endswith(".linkedin.com")
    if parts.scheme.lower() != "https" or not on_linkedin or parts.hostname != host:
        raise ValidationError(LINKEDIN_ERROR, code="linkedin")
    if not LINKEDIN_PROFILE_PATH.fullmatch(parts.path):
        raise ValidationError(LINKEDIN_ERROR, code="linkedin")


def visible_text(value: str) -> str:
    """`value` without invisible format characters (zero-width spaces, joiners, direction marks),
    its runs of whitespace made single spaces."""
    kept = "".join(char for char in value if unicodedata.category(char) != "Cf")
    return " ".join(kept.split())


# Letters by their Unicode category that fonts draw as blank space.
BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}


def validate_visible_name(name: str) -> None:
    """A name must have at least one letter one can see."""
    letters = (c for c in visible_text(name) if unicodedata.category(c).startswith("L"))
    if not any(letter not in BLANK_LETTERS for letter in letters):
        raise ValidationError("Please enter your name in letters.", code="invisible_name")
