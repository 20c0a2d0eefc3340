"""Members signing up to a round on the site: the answers, the grid, editing and withdrawing."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from circles.domain import DAYS, SLOT_MINUTES, SLOTS_PER_DAY
from circles.models import Round, SignUp
from circles.services.cleaning import clean_rows, store_cleaning, with_format
from community.models import SelfIdentification, User
from community.services.emails import queue_email

# The profile's vocabulary, in the words of the import format (circles.domain.SignUp).
ROLE_KINDS = {
    "cto": "CTO",
    "founder": "CTO",
    "vp_engineering": "VP Eng",
    "head_of_engineering": "VP Eng",
    "engineering_director": "Director",
    "staff_plus": "Staff+",
}
COMPANY_SIZES = {
    "1-10": "1-50",
    "11-50": "1-50",
    "51-200": "51-500",
    "201-1000": "51-500",
    "1001-5000": "501-5000",
    "5000+": "5000+",
}
FORMAT_WORDS = {"in_person": "In person only", "video": "Video only", "either": "Either"}


def clock(half_hour: int) -> str:
    minutes = half_hour * SLOT_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def availability_from_grid(cells: Iterable[tuple[int, int]]) -> list[dict]:
    """Ticked (day, half-hour) cells as ranges of local time: [{"day", "start", "end"}]."""
    ranges = []
    for day in range(len(DAYS)):
        ticked = sorted(half for cell_day, half in set(cells) if cell_day == day)
        start = previous = None
        for half in [*ticked, None]:
            if start is not None and half != previous + 1:
                end = "24:00" if previous + 1 == SLOTS_PER_DAY else clock(previous + 1)
                ranges.append({"day": DAYS[day], "start": clock(start), "end": end})
                start = None
            if half is not None and start is None:
                start = half
            previous = half
    return ranges


def _half_hour(text: str) -> int | None:
    try:
        hours, minutes = (int(part) for part in str(text).split(":"))
    except ValueError:
        return None
    return (hours * 60 + minutes) // SLOT_MINUTES


def grid_from_availability(availability: list) -> set[tuple[int, int]]:
    """The grid cells a stored availability ticks (to edit a sign-up)."""
    cells = set()
    for entry in availability or []:
        if not isinstance(entry, dict) or entry.get("day") not in DAYS:
            continue
        start, end = _half_hour(entry.get("start", "")), _half_hour(entry.get("end", ""))
        if start is None or end is None:
            continue
        day = DAYS.index(entry["day"])
        cells.update((day, half) for half in range(start, min(end, SLOTS_PER_DAY)))
    return cells


def find_member_signup(round: Round, user: User) -> SignUp | None:
    """Their sign-up to this round: made on the site, or imported with their email address."""
    return (
        SignUp.objects.filter(round=round)
        .filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .order_by("-user_id")
        .first()
    )


def member_row(user: User, *, data: dict) -> dict:
    """A member's answers in the import's JSON Lines shape, with their profile and
    self-identification (the only source of the under-represented answers)."""
    member = user.member
    identity = SelfIdentification.objects.filter(user=user).first()
    application = member.application
    return {
        "id": f"member-{user.pk}",
        "name": member.full_name,
        "email": user.email,
        "company": member.company,
        "title": member.job_title,
        "role_kind": ROLE_KINDS.get(member.role_kind, ""),
        "company_size": COMPANY_SIZES.get(member.company_size, ""),
        "org_size": application.team_size if application else None,
        "city": data["city"].strip(),
        "meeting_area": data["meeting_area"].strip(),
        "timezone": data["timezone"],
        "format_preference": FORMAT_WORDS[data["format"]],
        "availability": availability_from_grid(data["cells"]),
        "gender": identity.gender if identity else "",
        "pronouns": member.pronouns,
        "underrepresented": bool(
            identity and identity.underrepresented == SelfIdentification.Underrepresented.YES
        ),
        "topics": data["topics"].strip(),
    }


def _locked_round(round: Round) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.accepts_signups():
        raise ValidationError("Sign-ups to this round are closed.")
    return round


@transaction.atomic
def save_member_signup(round: Round, *, user: User, data: dict) -> tuple[SignUp, bool]:
    """Create or update a member's sign-up from the form; True when they have just signed up."""
    round = _locked_round(round)
    if data["format"] not in {format.value for format in round.formats()}:
        raise ValidationError("This round does not offer that format.")
    if not data["cells"]:
        raise ValidationError("Tick at least one half-hour when you could meet.")
    row = member_row(user, data=data)
    report = clean_rows([row], round=round)
    signup = find_member_signup(round, user) or SignUp(round=round, source=SignUp.Source.SITE)
    joining = signup.pk is None or signup.status != SignUp.Status.ACTIVE
    signup.user, signup.email, signup.name = user, user.email, row["name"]
    signup.company, signup.title, signup.pronouns = row["company"], row["title"], row["pronouns"]
    signup.topics, signup.raw = row["topics"], row
    signup.status, signup.withdrawn_at = SignUp.Status.ACTIVE, None
    store_cleaning(
        signup, record=report.records[0], cleaned=with_format(report.signups[0], data["format"])
    )
    signup.save()
    if joining:
        _confirm(signup)
    return signup, joining


def _confirm(signup: SignUp) -> None:
    queue_email(
        to=signup.email,
        template="circle_signup_confirmed",
        context={"round": signup.round, "signup": signup, "name": signup.name},
        key=f"circles-signup-confirmed:{signup.pk}:{timezone.now().isoformat()}",
        user=signup.user,
    )


@transaction.atomic
def withdraw_signup(signup: SignUp, *, user: User) -> SignUp:
    """The member takes back their sign-up; they may sign up again while the round is open."""
    _locked_round(signup.round)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    imported_for_them = signup.user_id is None and signup.email.casefold() == user.email.casefold()
    if signup.user_id != user.pk and not imported_for_them:
        raise ValidationError("This is not your sign-up.")
    if signup.status != SignUp.Status.ACTIVE:
        raise ValidationError("You have already withdrawn this sign-up.")
    signup.user, signup.status, signup.withdrawn_at = user, SignUp.Status.WITHDRAWN, timezone.now()
    signup.save(update_fields=["user", "status", "withdrawn_at", "updated_at"])
    return signup
