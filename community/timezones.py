"""The timezones people choose from: one entry per zone, by its current name, and UTC.

The list is tzdata's zone.tab, one zone per country and region, so a person finds their own
country's zone (Europe/Oslo, Asia/Kolkata) and never a deprecated alias (Asia/Calcutta, US/Pacific).
zone1970.tab would merge countries that have shared a clock since 1970 under one name (Oslo under
Europe/Berlin), which is not where people look. https://data.iana.org/time-zones/tz-link.html
"""

import zoneinfo
from functools import cache
from importlib import resources

from django import forms

UTC = "UTC"


def _tzdata_file(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@cache  # read once: tzdata only changes when the package is upgraded, with a restart
def timezone_names() -> tuple[str, ...]:
    """Every zone a person may choose, sorted, UTC included."""
    rows = (line.split("\t") for line in _tzdata_file("zone.tab").splitlines())
    names = {row[2] for row in rows if len(row) > 2 and not row[0].startswith("#")}
    return (UTC, *sorted(names & zoneinfo.available_timezones()))


@cache
def _links() -> dict[str, str]:
    """Alias -> zone, from tzdata's "L <zone> <alias>" lines."""
    rows = (line.split() for line in _tzdata_file("tzdata.zi").splitlines())
    return {row[2]: row[1] for row in rows if len(row) == 3 and row[0] == "L"}


def canonical_timezone(name: str) -> str:
    """The name a person chooses for `name` (Asia/Calcutta -> Asia/Kolkata), or `name` itself."""
    if name in timezone_names():
        return name
    target = _links().get(name, name)
    if target == "Etc/UTC":
        return UTC
    return target if target in timezone_names() else name


def timezone_choices() -> list[tuple[str, str]]:
    """The choices of every timezone field."""
    return [("", "Choose your timezone")] + [
        (name, name.replace("_", " ")) for name in timezone_names()
    ]


class TimezoneSelect(forms.Select):
    """Preselects the browser's own timezone while none is chosen (static/js/timezone.js)."""

    def __init__(self, attrs=None):
        super().__init__({"data-browser-timezone": True, **(attrs or {})})

    class Media:
        js = [forms.Script("js/timezone.js", defer=True)]


class TimezoneField(forms.ChoiceField):
    """A person's timezone; a stored alias shows as its current name."""

    widget = TimezoneSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=timezone_choices, **kwargs)

    def prepare_value(self, value):
        return canonical_timezone(value) if value else value
