"""Where and when a round's people are, as chart geometry (no Django imports).

The review page draws these as SVG in its templates: a map-like scatter of the places people can
meet near (an equirectangular projection: longitude and latitude scaled alike, so the map is not
stretched) and a heat map of the weekly half-hours in the viewer's own timezone.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from circles.domain import DAYS, SLOTS_PER_DAY, SLOTS_PER_WEEK, SignUp

MAP_WIDTH, MAP_HEIGHT, MARGIN_X, MARGIN_Y = 640, 320, 72, 36  # room for the labels
MIN_SPAN_DEGREES = 8.0  # a round in one city still shows its neighbourhoods apart, not one blob
MAX_DOT_RADIUS = 18.0
LABEL_CHAR_WIDTH = 6.4  # of the 12px labels, near enough to keep them apart
CELL, LABEL_WIDTH, HEADER = 13, 36, 18
EMPTY_COLOUR = "#eef1f2"
LOW, HIGH = (0xD4, 0xE6, 0xE4), (0x1F, 0x44, 0x48)  # light to the site's dark accent


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    count: int
    name: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    colour: str
    count: int
    title: str
    slot: int  # the half-hour of the UTC week it stands for


def place_map(signups: Iterable[SignUp], *, labels: int = 12) -> dict:
    """Dots per meeting point (area grows with the count) and a label on the largest cities."""
    counts: Counter = Counter()
    places = {}
    unknown = 0
    for signup in signups:
        if signup.place is None:
            unknown += 1
        else:
            key = (round(signup.place.latitude, 3), round(signup.place.longitude, 3))
            counts[key] += 1
            places.setdefault(key, signup.place)
    if not counts:
        return {
            "dots": [],
            "labels": [],
            "width": MAP_WIDTH,
            "height": MAP_HEIGHT,
            "unknown": unknown,
        }
    project = _projection([key for key in counts])
    biggest = max(counts.values())
    dots = []
    for key, count in counts.most_common():
        x, y = project(key[0], key[1])
        r = max(3.0, MAX_DOT_RADIUS * (count / biggest) ** 0.5)
        dots.append(Dot(round(x, 1), round(y, 1), round(r, 1), count, places[key].name))
    return {
        "dots": dots,
        "labels": _city_labels(counts, places, project, labels),
        "grid": _graticule(project),
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "unknown": unknown,
    }


def _projection(points: Sequence[tuple[float, float]]):
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    lat_span = max(max(lats) - min(lats), MIN_SPAN_DEGREES / 2)
    lon_span = max(max(lons) - min(lons), MIN_SPAN_DEGREES)
    scale = min((MAP_WIDTH - 2 * MARGIN_X) / lon_span, (MAP_HEIGHT - 2 * MARGIN_Y) / lat_span)
    mid_lat, mid_lon = (max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2

    def project(lat: float, lon: float) -> tuple[float, float]:
        return MAP_WIDTH / 2 + (lon - mid_lon) * scale, MAP_HEIGHT / 2 - (lat - mid_lat) * scale

    project.scale, project.middle = scale, (mid_lat, mid_lon)
    return project


def _graticule(project) -> dict:
    """Parallels and meridians every few degrees, so the scatter reads as a map."""
    mid_lat, mid_lon = project.middle
    half_lon, half_lat = MAP_WIDTH / 2 / project.scale, MAP_HEIGHT / 2 / project.scale
    step = next(step for step in (1, 2, 5, 10, 15, 30) if 2 * half_lon / step <= 12)
    meridians = range(
        int((mid_lon - half_lon) // step + 1) * step, int(mid_lon + half_lon) + 1, step
    )
    parallels = range(
        int((mid_lat - half_lat) // step + 1) * step, int(mid_lat + half_lat) + 1, step
    )
    return {
        "x": [round(project(mid_lat, lon)[0], 1) for lon in meridians],
        "y": [round(project(lat, mid_lon)[1], 1) for lat in parallels],
    }


def _city_labels(counts: Counter, places: dict, project, limit: int) -> list[Label]:
    """The largest cities' names, above or below their largest dot, skipping any that would
    overlap a label already placed (the largest cities are placed first)."""
    by_city: dict[str, list] = defaultdict(list)
    for key, count in counts.items():
        by_city[places[key].city or places[key].name].append((count, key))
    ranked = sorted(by_city.items(), key=lambda item: -sum(c for c, _ in item[1]))
    labels: list[Label] = []
    boxes: list[tuple[float, float, float, float]] = []
    for city, entries in ranked:
        if len(labels) == limit:
            break
        text = f"{city} ({sum(count for count, _ in entries)})"
        _, key = max(entries)
        x, y = project(*key)
        half = LABEL_CHAR_WIDTH * len(text) / 2
        x = min(max(x, half + 2), MAP_WIDTH - half - 2)
        for baseline in (y - MAX_DOT_RADIUS - 4, y + MAX_DOT_RADIUS + 14):
            box = (x - half, baseline - 12, x + half, baseline + 2)
            if 12 <= baseline <= MAP_HEIGHT - 2 and not any(_overlap(box, b) for b in boxes):
                boxes.append(box)
                labels.append(Label(round(x, 1), round(baseline, 1), text))
                break
    return labels


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def week_heatmap(signups: Iterable[SignUp], *, offset_minutes: int) -> dict:
    """7 rows (days) by 48 half-hours of the viewer's week: how many people are free in each."""
    shift = offset_minutes // 30
    counts = [0] * SLOTS_PER_WEEK
    for signup in signups:
        for slot in signup.slots:
            counts[(slot + shift) % SLOTS_PER_WEEK] += 1
    biggest = max(counts) or 1
    cells = []
    for local, count in enumerate(counts):
        day, half_hour = divmod(local, SLOTS_PER_DAY)
        title = f"{DAYS[day]} {_clock(half_hour)}: {count} available"
        x, y = LABEL_WIDTH + half_hour * CELL, HEADER + day * CELL
        slot = (local - shift) % SLOTS_PER_WEEK
        cells.append(Cell(x, y, _colour(count, biggest), count, title, slot))
    return {
        "cells": cells,
        "days": [{"name": name, "y": HEADER + i * CELL + CELL - 3} for i, name in enumerate(DAYS)],
        "hours": [
            {"text": f"{hour:02d}:00", "x": LABEL_WIDTH + hour * 2 * CELL}
            for hour in range(0, 24, 3)
        ],
        "width": LABEL_WIDTH + SLOTS_PER_DAY * CELL,
        "height": HEADER + 7 * CELL,
        "cell": CELL - 1,
        "most": max(counts),
        "legend": [_colour(step, 4) for step in range(5)],
    }


def _colour(count: int, biggest: int) -> str:
    if not count:
        return EMPTY_COLOUR
    share = count / biggest
    channels = (round(low + (high - low) * share) for low, high in zip(LOW, HIGH, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def _clock(half_hour: int) -> str:
    return f"{half_hour // 2:02d}:{30 * (half_hour % 2):02d}"


def window_runs(slots: Iterable[int], *, offset_minutes: int) -> list[str]:
    """A set of UTC-week slots as local stretches, e.g. ["Tue 18:00–19:30"], in week order."""
    shift = offset_minutes // 30
    local = sorted({(slot + shift) % SLOTS_PER_WEEK for slot in slots})
    runs: list[list[int]] = []
    for slot in local:
        if runs and slot == runs[-1][1]:
            runs[-1][1] = slot + 1
        else:
            runs.append([slot, slot + 1])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == SLOTS_PER_WEEK:  # across Sunday night
        runs[0][0] = runs.pop()[0] - SLOTS_PER_WEEK
    return [_stretch(start, end) for start, end in runs]


def _stretch(start: int, end: int) -> str:
    day, first = divmod(start % SLOTS_PER_WEEK, SLOTS_PER_DAY)
    last = (end % SLOTS_PER_WEEK) % SLOTS_PER_DAY or (SLOTS_PER_DAY if end - start else 0)
    end_clock = "24:00" if last == SLOTS_PER_DAY else _clock(last)
    return f"{DAYS[day]} {_clock(first)}–{end_clock}"
