"""What articles and webinars share when they are saved: a unique slug, and the search vectors the
GIN indexes serve (PostgreSQL; on SQLite the search reads the text itself)."""

from django.contrib.postgres.search import SearchVector
from django.db import connection, models
from django.utils.text import slugify

SEARCH_CONFIG = "english"


def title_slug(title: str) -> str:
    """The title's slug, or "" when it would not say what the title says. Slugs are ASCII (the
    `<slug:>` converter and SlugField take nothing else), so a title in another script (Cyrillic,
    Japanese...) keeps only its Latin letters and digits: "採用ガイド 2024" would be "2024", and
    "Руководство по найму: Q&A" "qa". Under half of its letters kept, the slug is left out."""
    slug = slugify(title)
    letters = sum(character.isalpha() for character in title)
    return slug if 2 * sum(character.isalpha() for character in slug) >= letters else ""


def unique_slug(model: type[models.Model], title: str, *, fallback: str, exclude_pk=None) -> str:
    """The title's slug ("article", "webinar"... when it has none), numbered past the first."""
    base = title_slug(title)[:200] or fallback
    slug, number = base, 1
    taken = model.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _vectors() -> dict:
    title = SearchVector("title", weight="A", config=SEARCH_CONFIG)
    summary = SearchVector("summary", weight="B", config=SEARCH_CONFIG)
    body = SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
    return {"search_vector": title + summary + body, "teaser_vector": title + summary}


def refresh_search_vectors(piece: models.Model) -> None:
    """Recompute the stored vectors of one article or webinar."""
    if connection.vendor == "postgresql":
        type(piece).objects.filter(pk=piece.pk).update(**_vectors())


def refresh_all_search_vectors(model: type[models.Model]) -> int:
    """Every row's vectors at once: after a bulk load, or a change of the search config."""
    if connection.vendor != "postgresql":
        return 0
    return model.objects.update(**_vectors())
