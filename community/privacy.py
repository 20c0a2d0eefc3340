"""The privacy registry: what each app exports and erases when a person asks for their data or leaves.

Each app registers its parts in its `AppConfig.ready`, so a data export and an account deletion
reach every app without community importing them:

    from community import privacy

    privacy.register("circles", export=export_circles, erase=erase_circles)

An export callable takes the user and returns JSON-ready data (usually a dict), shown in the export
under the part's name. An erase callable takes the user and removes or anonymises what its app holds
about them; it runs inside the deletion's transaction, before the user row itself is deleted.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class Part:
    name: str
    export: Exporter | None = None
    erase: Eraser | None = None


_parts: dict[str, Part] = {}


def register(name: str, *, export: Exporter | None = None, erase: Eraser | None = None) -> Part:
    """Add a part; registering the same part again (a second `ready()`) changes nothing."""
    part = Part(name, export, erase)
    if _parts.get(name, part) != part:
        raise ImproperlyConfigured(f"Another privacy part is already registered as {name!r}.")
    _parts[name] = part
    return part


def unregister(name: str) -> None:
    _parts.pop(name, None)


def parts() -> list[Part]:
    return list(_parts.values())


def export_user(user) -> dict[str, Any]:
    """Every registered part's data about this person, keyed by part name, in registration order."""
    return {part.name: part.export(user) for part in parts() if part.export}


def erase_user(user) -> None:
    """Run every registered eraser, the last registered first.

    Apps register after the apps they build on (community first), so an app's records are erased
    while the rows they point to (a member, an application) still exist.
    """
    for part in reversed(parts()):
        if part.erase:
            part.erase(user)
