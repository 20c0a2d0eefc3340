"""Text normalisation shared by every cleaner: the keys of indexes and of organizers' aliases."""

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[^0-9a-z+]+")
# Words people put before a meeting area that say nothing about where it is.
_AREA_PREFIX = re.compile(
    r"^(?:near|around|close to|by|at|in|nearby|somewhere near|anywhere near)\s+"
)
KINDS = ("place", "meeting_area", "company", "timezone", "gender", "format")


def as_text(value: object) -> str:
    """The value as stripped text; "" for None and for values that are not text or numbers."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


@lru_cache(maxsize=65536)
def fold(raw: str) -> str:
    """Lowercase ASCII words: accents removed, punctuation turned into single spaces."""
    if raw.isascii():
        return _NOT_WORD.sub(" ", _drop(raw.lower())).strip()
    text = unicodedata.normalize("NFKD", raw.replace("ß", "ss").replace("ø", "o").replace("ł", "l"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _NOT_WORD.sub(" ", _drop(text.replace("\u2019", "'"))).strip()


def _drop(text: str) -> str:
    """Apostrophes and full stops join what they sit in ("A'dam", "S.F.", "D.C.")."""
    return text.replace("&", " and ").replace("'", "").replace(".", "")


def normalise(kind: str, raw: object) -> str:
    """The key under which an organizer's alias for this raw text is stored.

    Case, accents, punctuation and spacing never matter. For "meeting_area", words such as "near"
    are dropped, and a raw text of the form "<city>: <area>" keeps the city ("sf ca: downtown"),
    so a correction of "downtown" for one city does not move the people of every other city.
    """
    text = as_text(raw)
    if kind == "meeting_area":
        city, sep, area = text.rpartition(":")
        area_key = _AREA_PREFIX.sub("", fold(area))
        return f"{fold(city)}: {area_key}" if sep and fold(city) else area_key
    return fold(text)
