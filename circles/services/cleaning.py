"""The seam between the stored rows and the pure cleaning (`circles.cleaning`)."""

import dataclasses
from collections.abc import Iterable

from circles.models import Alias, Round, SignUp


def clean_rows(rows: Iterable[dict], *, round: Round):
    """Clean rows in the import's JSON Lines shape with every alias organizers have saved."""
    from circles.cleaning import clean_signups  # its gazetteer loads on first use, not at start

    return clean_signups(
        list(rows), first_meeting=round.first_meeting, aliases=Alias.objects.as_mapping()
    )


def normalise(kind: str, raw: str) -> str:
    """The key an alias of this text is stored under (circles.cleaning.normalise)."""
    from circles.cleaning import normalise

    return normalise(kind, raw)


def inference_json(inference) -> dict:
    return {
        "raw": inference.raw,
        "value": inference.value,
        "confidence": round_confidence(inference.confidence),
        "note": inference.note,
    }


def round_confidence(value: float) -> float:
    return round(float(value), 2)


def record_json(record) -> dict:
    """What cleaning made of one row: {"inferences", "problems", "duplicate_of"}."""
    return {
        "inferences": {name: inference_json(inf) for name, inf in record.fields.items()},
        "problems": list(record.problems),
        "duplicate_of": record.duplicate_of,
    }


def store_cleaning(signup: SignUp, *, record, cleaned) -> None:
    """Put cleaning's result for one person on their sign-up (not saved)."""
    found = record_json(record)
    signup.inferences = found["inferences"]
    signup.problems = found["problems"]
    signup.set_cleaned(cleaned)


def with_format(cleaned, format: str):
    """The cleaned sign-up with the format the person chose themselves."""
    return dataclasses.replace(cleaned, format=type(cleaned.format)(format))
