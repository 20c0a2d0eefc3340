"""Circles and part results as JSON-ready data, for steps of a composition that run apart."""

from circles.domain import Circle, Format, Place

from .compose import PartResult


def place_json(place: Place | None) -> dict | None:
    if place is None:
        return None
    return {
        "name": place.name,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "city": place.city,
        "country_code": place.country_code,
    }


def circle_json(circle: Circle) -> dict:
    return {
        "members": list(circle.members),
        "format": circle.format.value,
        "window": list(circle.window),
        "place": place_json(circle.place),
        "locked": circle.locked,
        "ref": circle.ref,
        "explanation": list(circle.explanation),
    }


def circle_from_json(data: dict) -> Circle:
    place = data.get("place")
    return Circle(
        members=list(data["members"]),
        format=Format(data["format"]),
        window=list(data["window"]),
        place=Place(**place) if place else None,
        locked=data.get("locked", False),
        ref=data.get("ref", ""),
        explanation=list(data.get("explanation", [])),
    )


def part_result_json(result: PartResult) -> dict:
    return {
        "circles": [circle_json(circle) for circle in result.circles],
        "size": result.size,
        "bound": result.bound,
        "proven": result.proven,
        "placeable": sorted(result.placeable),
        "reasons": {pid: list(reason) for pid, reason in result.reasons.items()},
    }


def part_result_from_json(data: dict) -> PartResult:
    return PartResult(
        circles=[circle_from_json(circle) for circle in data["circles"]],
        size=data["size"],
        bound=data["bound"],
        proven=data["proven"],
        placeable=set(data["placeable"]),
        reasons={pid: (score, why) for pid, (score, why) in data["reasons"].items()},
    )
