"""The person's own answers: format, self-identified gender, role and seniority, contact details."""

import re
from collections.abc import Mapping

from circles.cleaning.records import Inference
from circles.cleaning.text import as_text, fold, normalise
from circles.domain import Format, Gender

_IN_PERSON = re.compile(
    r"\b(?:in person|inperson|irl|face to face|f2f|offline|on site|onsite|in real life|local)\b"
)
_VIDEO = re.compile(r"\b(?:video|remote|online|virtual|zoom|meet|teams|call|calls|remotely)\b")
_EITHER = re.compile(
    r"\b(?:either|both|any|no preference|whatever|dont mind|flexible|open|hybrid|all|fine|no pref)\b"
)
_GENDERS = {
    Gender.WOMAN: "w, f, woman, women, female, fem, femme, lady, girl, cis woman, cisgender woman, cis female, trans woman, transgender woman, trans female",
    Gender.MAN: "m, man, men, male, guy, cis man, cisgender man, cis male, trans man, transgender man, trans male",
    Gender.NON_BINARY: "nb, enby, non binary, nonbinary, non binary person, genderqueer, gender queer, agender, genderfluid, gender fluid, gender non conforming, gnc, two spirit",
}  # fmt: skip
GENDERS = {phrase: gender for gender, phrases in _GENDERS.items() for phrase in phrases.split(", ")}
NOT_STATED = frozenset(
    {
        "",
        "prefer not to say",
        "prefer not to answer",
        "rather not say",
        "n a",
        "na",
        "none",
        "-",
        "decline",
        "decline to state",
        "no answer",
        "not stated",
        "skip",
    }
)
ROLE_KINDS = ("CTO", "VP Eng", "Director", "Staff+", "Eng Manager")
_ROLE_PATTERNS = (
    (
        "CTO",
        r"\b(?:cto|chief technology officer|chief technical officer|chief technologist|co ?founder|founder|chief architect)\b",
    ),
    (
        "VP Eng",
        r"\b(?:vp|vpe|vice president|svp|evp|head of engineering|head of eng|chief engineer)\b",
    ),
    ("Director", r"\b(?:director|dir|head of)\b"),
    ("Staff+", r"\b(?:staff|principal|distinguished|fellow|architect|staff\+?)\b"),
    (
        "Eng Manager",
        r"\b(?:em|sem|engineering manager|eng manager|eng mgr|mgr|manager|team lead|tech lead manager|tlm)\b",
    ),
)
COMPANY_SIZES = ("1-50", "51-500", "501-5000", "5000+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def read_format(raw: object, aliases: Mapping[str, str]) -> tuple[Format, Inference, list[str]]:
    text = as_text(raw)
    key = normalise("format", text)
    if key in aliases and aliases[key] in Format._value2member_map_:
        return (
            Format(aliases[key]),
            Inference(text, aliases[key], 1.0, "corrected by an organizer"),
            [],
        )
    if not key:
        note = "no format given: either is assumed"
        return Format.EITHER, Inference(text, Format.EITHER.value, 0.5, note), [note]
    in_person, video = bool(_IN_PERSON.search(key)), bool(_VIDEO.search(key))
    if _EITHER.search(key) and not (in_person ^ video and "only" in key) or (in_person and video):
        return Format.EITHER, Inference(text, Format.EITHER.value, 0.95, f"{text!r} is either"), []
    if in_person or video:
        value = Format.IN_PERSON if in_person else Format.VIDEO
        return value, Inference(text, value.value, 0.95, f"{text!r} is {value.value}"), []
    problem = f"format {text!r} not understood: either is assumed"
    return Format.EITHER, Inference(text, Format.EITHER.value, 0.3, problem), [problem]


def read_gender(raw: object, aliases: Mapping[str, str]) -> tuple[Gender, Inference, list[str]]:
    """Self-identified gender; anything unclear stays not stated (never a guess)."""
    text = as_text(raw)
    key = normalise("gender", text)
    if key in aliases and aliases[key] in Gender._value2member_map_:
        return (
            Gender(aliases[key]),
            Inference(text, aliases[key], 1.0, "corrected by an organizer"),
            [],
        )
    if key in NOT_STATED:
        return Gender.NOT_STATED, Inference(text, "", 1.0, "not stated"), []
    if key in GENDERS:
        value = GENDERS[key]
        return (
            value,
            Inference(
                text, value.value, 1.0 if len(key) > 2 else 0.95, f"{text!r} is {value.value}"
            ),
            [],
        )
    problem = f"gender {text!r} not understood: left as not stated"
    return Gender.NOT_STATED, Inference(text, "", 0.0, problem), [problem]


def read_role_kind(role_kind: object, title: object) -> Inference:
    raw, title_text = as_text(role_kind), as_text(title)
    for source, text in (("role", raw), ("title", title_text)):
        kind = _role_of(fold(text))
        if kind:
            confidence = 1.0 if source == "role" and raw in ROLE_KINDS else 0.85
            return Inference(raw or title_text, kind, confidence, f"from the {source} {text!r}")
    return Inference(raw or title_text, "", 0.0, "role unknown")


def _role_of(key: str) -> str:
    exact = {fold(kind): kind for kind in ROLE_KINDS} | {
        "staff": "Staff+",
        "vp": "VP Eng",
        "em": "Eng Manager",
    }
    if key in exact:
        return exact[key]
    for kind, pattern in _ROLE_PATTERNS:
        if re.search(pattern, key):
            return kind
    return ""


def read_company_size(raw: object) -> tuple[str, list[str]]:
    text = as_text(raw)
    if text in COMPANY_SIZES or not text:
        return text, []
    number = _number(text.replace("k", "000").replace("K", "000"))
    if number is None:
        return "", [f"company size {text!r} not understood"]
    return next(
        size
        for size, top in zip(COMPANY_SIZES, (50, 500, 5000, float("inf")), strict=True)
        if number <= top
    ), []


def read_org_size(raw: object) -> tuple[int | None, list[str]]:
    if raw is None or raw == "":
        return None, []
    number = _number(as_text(raw)) if not isinstance(raw, bool) else None
    if number is None or number < 0:
        return None, [f"org size {raw!r} is not a number"]
    return number, []


def _number(text: str) -> int | None:
    match = re.search(r"\d[\d,]*", text)
    if not match:
        return None
    return int(match.group(0).replace(",", ""))


def seniority(role_kind: str, title: object, company_size: str, org_size: int | None) -> int:
    """0 unknown, 1 managers and staff engineers, 2 directors, VPs and principals, 3 CTOs, founders
    and leaders of large groups in big companies."""
    key = fold(as_text(title))
    if role_kind == "CTO" or re.search(r"\b(?:founder|co founder|cofounder|chief)\b", key):
        return 3
    big = company_size in ("501-5000", "5000+")
    org = org_size or 0
    if role_kind in ("VP Eng", "Director"):
        return 3 if (big and (org >= 100 or role_kind == "VP Eng")) or org >= 200 else 2
    if role_kind == "Staff+":
        senior = re.search(r"\b(?:distinguished|fellow|senior principal)\b", key)
        if senior and company_size == "5000+":
            return 3
        return 2 if senior or "principal" in key or "senior staff" in key else 1
    if role_kind == "Eng Manager":
        return 2 if org >= 50 else 1
    return 0


def read_email(raw: object) -> tuple[str, list[str]]:
    text = as_text(raw).lower()
    if not text:
        return "", ["no email given"]
    if not _EMAIL.match(text):
        return text, [f"email {text!r} does not look like an address"]
    return text, []


def read_name(raw: object) -> tuple[str, list[str]]:
    text = " ".join(as_text(raw).split())
    return text, ([] if text else ["no name given"])


def read_underrepresented(raw: object) -> tuple[bool, list[str]]:
    if isinstance(raw, bool):
        return raw, []
    key = fold(as_text(raw))
    if raw is None or key in ("", "prefer not to say"):
        return False, []
    if key in ("yes", "y", "true", "1"):
        return True, []
    if key in ("no", "n", "false", "0"):
        return False, []
    return False, [f"under-represented answer {raw!r} not understood: left as not stated"]
