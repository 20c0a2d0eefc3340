"""The directory's cards: what each listed member chose to show."""

from django.urls import reverse

from community.models.members import initials, shown_to_members

# What a directory card may show, before each member's choices are applied.
CARD_FIELDS = ("pk", "full_name", "job_title", "company", "show_company", "city", "show_city")


def directory_cards(rows) -> list[dict]:
    """Cards for `rows` (dicts of CARD_FIELDS) showing only what each member chose to show."""
    profile_url = reverse("member_detail", args=[0]).replace("/0/", "/{}/", 1)
    return [_card(shown_to_members(row), profile_url) for row in rows]


def _card(shown: dict, profile_url: str) -> dict:
    return {
        "name": shown["full_name"],
        "url": profile_url.format(shown["pk"]),
        "initials": initials(shown["full_name"]),
        "job_title": shown["job_title"],
        "company": shown.get("company", ""),
        "city": shown.get("city", ""),
    }
