"""Why each unplaced person is unplaced, in plain words, as specific as the data allows."""

from circles.domain import Format, Rules, SignUp

from .parts import Part, PlaceIndex, bits, can_meet_in_person, mask_of, place_key, starts_by_window
from .validity import is_gender_minority, is_woman, slots_mask, window_starts


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
        self.kinds = {"in_person", "video"} if part.kind == "mixed" else {part.kind}
        self.places = part.place_index
        if self.places is None and "in_person" in self.kinds:
            self.places = PlaceIndex(part.people, rules)
        if self.places is not None:
            self.place_number = {key: k for k, key in enumerate(self.places.keys)}
            self.at_place = [mask_of(self.places.people_at[key]) for key in self.places.keys]
        self.at_offset: dict[int, int] = {}
        for i, p in enumerate(part.people):
            if p.accepts_video:
                self.at_offset[p.utc_offset_minutes] = (
                    self.at_offset.get(p.utc_offset_minutes, 0) | 1 << i
                )
        self._near: dict[int, int] = {}
        self._band: dict[int, int] = {}

    def near(self, person: SignUp) -> int:
        """Everyone who can meet in person near someone within reach of this person."""
        k = self.place_number[place_key(person.place)]
        if k not in self._near:
            mask = 0
            for anchor in self.places.near[k]:
                for j in self.places.near[anchor]:
                    mask |= self.at_place[j]
            self._near[k] = mask
        return self._near[k]

    def band(self, person: SignUp) -> int:
        """Everyone who accepts video within the offset span of this person."""
        offset = person.utc_offset_minutes
        if offset not in self._band:
            span = self.rules.max_offset_span_hours * 60
            mask = 0
            for other, members in self.at_offset.items():
                if abs(other - offset) <= span:
                    mask |= members
            self._band[offset] = mask
        return self._band[offset]

    def _most_in_one_window(self, starts: int, group: int, i: int) -> int:
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
            near = self.near(person) & ~(1 << i)
            if not near:
                return 0, f"nobody else near {_where(person)} can meet in person"
            if not near & shared:
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
            band = self.band(person) & shared
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
        for config in sorted(configs, key=lambda c: c.eligible.bit_count())[:30]:
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
