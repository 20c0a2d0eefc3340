"""Why each unplaced person is unplaced, in plain words, as specific as the data allows."""

from circles.domain import Format, Rules, SignUp

from .parts import Part, bits, can_meet_in_person, starts_by_window
from .validity import distance_km, is_gender_minority, is_woman, slots_mask, window_starts


def _where(person: SignUp) -> str:
    if person.place is None:
        return "your place"
    return person.place.city or person.place.name


def own_problem(person: SignUp, rules: Rules) -> str | None:
    """A reason that needs nobody else: nothing to match on."""
    if not person.slots:
        return "you marked no available times"
    if not window_starts(slots_mask(person.slots), max(1, -(-rules.min_common_minutes // 30))):
        return (
            f"none of your available times is {rules.min_common_minutes} minutes long in one "
            "stretch"
        )
    if person.format == Format.IN_PERSON and person.place is None:
        return "your place is unknown, and you accept only in person"
    if not person.accepts_in_person and not person.accepts_video:
        return "your meeting format is unknown"
    return None


class Explainer:
    """Explains the unplaced of one part from the configs they were eligible for."""

    def __init__(self, part: Part, rules: Rules, placed: set[str]):
        self.part, self.rules = part, rules
        self.index = {p.id: i for i, p in enumerate(part.people)}
        self.windows = starts_by_window(part.people, rules)
        self.free = 0
        for i, p in enumerate(part.people):
            if p.id not in placed:
                self.free |= 1 << i
        self.configs_of: dict[int, list] = {}
        for config in part.configs:
            for i in bits(config.eligible & self.free):
                self.configs_of.setdefault(i, []).append(config)

    def _most_in_one_window(self, starts: int, others: list[int], i: int) -> int:
        group = 1 << i
        for j in others:
            group |= 1 << j
        return max(1 + (self.windows[w] & group & ~(1 << i)).bit_count() for w in bits(starts))

    def reason(self, person: SignUp, kind: str) -> tuple[int, str]:
        """(how close they came in this format, reason): higher means nearer to a circle."""
        i = self.index[person.id]
        people, rules = self.part.people, self.rules
        mine = window_starts(slots_mask(person.slots), max(1, -(-rules.min_common_minutes // 30)))
        shared = 0
        for w in bits(mine):
            shared |= self.windows[w]
        shared &= ~(1 << i)
        configs = [c for c in self.configs_of.get(i, []) if c.kind == kind]
        if kind == "in_person" and can_meet_in_person(person):
            near = [
                j
                for j, other in enumerate(people)
                if j != i
                and can_meet_in_person(other)
                and distance_km(person.place, other.place) <= 2 * rules.max_distance_km
            ]
            if not near:
                return 0, f"nobody else near {_where(person)} can meet in person"
            sharing = [j for j in near if shared >> j & 1]
            if not sharing:
                return 1, (
                    f"no one else near {_where(person)} shares a {rules.min_common_minutes}-minute"
                    " window of your available times"
                )
            if not configs:
                most = self._most_in_one_window(mine, near, i)
                return 2, (
                    f"at most {most} people near {_where(person)}, you included, share one "
                    f"{rules.min_common_minutes}-minute window; a circle needs {rules.min_size}"
                )
        elif kind == "video" and person.accepts_video:
            span = rules.max_offset_span_hours * 60
            band = [
                j
                for j, other in enumerate(people)
                if j != i
                and other.accepts_video
                and abs(other.utc_offset_minutes - person.utc_offset_minutes) <= span
                and shared >> j & 1
            ]
            if not band:
                return 1, "no one else shares your available times in your format"
            if not configs:
                most = self._most_in_one_window(mine, band, i)
                return 2, (
                    f"by video, at most {most} people within {rules.max_offset_span_hours:g} hours "
                    f"of your UTC offset, you included, share one {rules.min_common_minutes}-minute "
                    f"window; a circle needs {rules.min_size}"
                )
        if not configs:
            return 1, "no one else shares your available times in your format"
        # there were enough people sharing a window; what stopped them?
        groups_ok = companies_ok = room_left = False
        for config in configs:
            everyone = bits(config.eligible)
            companies = {people[j].company_key or people[j].id for j in everyone}
            companies_ok |= len(companies) >= rules.min_size
            if self._groups_allow(person, everyone):
                groups_ok = True
                free = bits(config.eligible & self.free)
                if len({people[j].company_key or people[j].id for j in free}) >= rules.min_size:
                    room_left = room_left or self._groups_allow(person, free)
        if not groups_ok:
            if is_woman(person):
                return 3, "only woman available in this window"
            if is_gender_minority(person):
                return 3, "only woman or non-binary person available in this window"
            return 3, "only self-identified under-represented member available in this window"
        if not companies_ok:
            return 3, (
                "no company-compatible circle: too many of those who share your times work at the "
                "same companies"
            )
        if room_left:
            return 4, (
                "a circle with you would break a rule for the others still free (company or "
                "group balance); you are first in line for the next round"
            )
        return 4, (
            "the circles that fit your times and format are full; you are first in line for the "
            "next round"
        )

    def _groups_allow(self, person: SignUp, members: list[int]) -> bool:
        people, need = self.part.people, self.rules.min_group_size
        return (
            (not is_woman(person) or sum(is_woman(people[j]) for j in members) >= need)
            and (
                not is_gender_minority(person)
                or sum(is_gender_minority(people[j]) for j in members) >= need
            )
            and (
                not person.underrepresented
                or sum(people[j].underrepresented for j in members) >= need
            )
        )
