"""Organizers' corrections of what cleaning inferred, remembered as aliases for every later cleaning."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction

from circles.domain import Format, Gender
from circles.models import Alias, ImportBatch, ReviewEvent, Round, SignUp
from circles.services.cleaning import clean_rows, normalise, store_cleaning, with_format
from circles.services.imports import refresh_preview
from circles.services.signups import FORMAT_WORDS
from community.models import User

CORRECTABLE = (
    Alias.Kind.PLACE,
    Alias.Kind.MEETING_AREA,
    Alias.Kind.COMPANY,
    Alias.Kind.TIMEZONE,
    Alias.Kind.GENDER,
    Alias.Kind.FORMAT,
)


def _checked_value(kind: str, value: str) -> str:
    value = value.strip()
    if kind == Alias.Kind.TIMEZONE and value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a timezone name such as Europe/Berlin.")
    if kind == Alias.Kind.GENDER and value not in {gender.value for gender in Gender}:
        raise ValidationError("Choose woman, man, non-binary or not stated.")
    if kind == Alias.Kind.FORMAT and value not in {format.value for format in Format}:
        raise ValidationError("Choose in person, video or either.")
    # "" is a meaning for some kinds: not stated, no place (remote), a meeting area to ignore.
    if not value and kind not in (Alias.Kind.GENDER, Alias.Kind.PLACE, Alias.Kind.MEETING_AREA):
        raise ValidationError("Say what this text means.")
    return value


@transaction.atomic
def save_correction(
    *, kind: str, raw: str, value: str, created_by: User, round: Round | None = None
) -> Alias:
    """Remember that `raw` means `value` for this kind; the next cleaning uses it."""
    if kind not in CORRECTABLE:
        raise ValidationError("This cannot be corrected here.")
    key = normalise(kind, raw)
    if not key:
        raise ValidationError("There is no text to correct.")
    alias, _ = Alias.objects.update_or_create(
        kind=kind,
        raw=key[:200],
        defaults={"value": _checked_value(kind, value)[:200], "created_by": created_by},
    )
    if round is not None:
        details = {"kind": kind, "alias": alias.pk}
        ReviewEvent.objects.create(
            round=round, actor=created_by, action="alias.saved", details=details
        )
    return alias


@transaction.atomic
def correct_import(
    batch: ImportBatch, *, kind: str, raw: str, value: str, corrected_by: User
) -> ImportBatch:
    save_correction(kind=kind, raw=raw, value=value, created_by=corrected_by, round=batch.round)
    return refresh_preview(batch)


@transaction.atomic
def reclean_signup(signup: SignUp) -> SignUp:
    """Clean a stored sign-up again from its answers (after a correction)."""
    signup = SignUp.objects.select_for_update().select_related("round").get(pk=signup.pk)
    report = clean_rows([{**signup.raw, "id": "signup"}], round=signup.round)
    cleaned = report.signups[0]
    chosen = {words: format for format, words in FORMAT_WORDS.items()}
    if signup.source == SignUp.Source.SITE and signup.raw.get("format_preference") in chosen:
        cleaned = with_format(cleaned, chosen[signup.raw["format_preference"]])
    store_cleaning(signup, record=report.records[0], cleaned=cleaned)
    signup.save()
    return signup


@transaction.atomic
def correct_signup(
    signup: SignUp, *, kind: str, raw: str, value: str, corrected_by: User
) -> SignUp:
    save_correction(kind=kind, raw=raw, value=value, created_by=corrected_by, round=signup.round)
    return reclean_signup(signup)
