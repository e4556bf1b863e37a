"""Query parameters of the API, checked: each failure names the parameter and the form it
should have, and becomes a 400 answer."""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Optional

from frontlines.knowledge.ontology import PLOVER_TYPES
from frontlines.model import STATUSES
from frontlines.store.map_queries import BBox
from frontlines.store.store import ROLES


class BadParameter(ValueError):
    """A query parameter with a value the API cannot use."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"{name}: {message}")


def iso_date(name: str, value: Optional[str]) -> Optional[date]:
    if value is None or value == "":
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameter(name, f"should be a date as YYYY-MM-DD, not {value!r}") from None


def date_range(since: Optional[str], until: Optional[str],
               names: tuple[str, str] = ("since", "until")) -> tuple[Optional[date], Optional[date]]:
    lo, hi = iso_date(names[0], since), iso_date(names[1], until)
    if lo and hi and lo > hi:
        raise BadParameter(names[0], f"{lo} is after {names[1]} {hi}")
    return lo, hi


def bbox(value: Optional[str]) -> Optional[BBox]:
    """``west,south,east,north`` in degrees (GeoJSON's order); west > east crosses 180°."""
    if value is None or value == "":
        return None
    try:
        return BBox.parse(value)
    except ValueError as exc:
        raise BadParameter("bbox", str(exc)) from None


def _items(values: Optional[Iterable[str]]) -> list[str]:
    # Both type=A&type=B and type=A,B work.
    return [x.strip() for v in (values or []) for x in v.split(",") if x.strip()]


def plover_types(values: Optional[Iterable[str]]) -> list[str]:
    out = []
    for item in _items(values):
        upper = item.upper()
        if upper not in PLOVER_TYPES:
            raise BadParameter("type", f"should be a PLOVER type ({', '.join(PLOVER_TYPES)}), "
                                       f"not {item!r}")
        out.append(upper)
    return out


def statuses(values: Optional[Iterable[str]]) -> list[str]:
    out = []
    for item in _items(values):
        if item.lower() not in STATUSES:
            raise BadParameter("status", f"should be one of {', '.join(STATUSES)}, not {item!r}")
        out.append(item.lower())
    return out


def role(value: Optional[str], actor: Optional[str]) -> Optional[str]:
    if value is None or value == "":
        return None
    if value not in ROLES:
        raise BadParameter("role", f"should be one of {', '.join(ROLES)}, not {value!r}")
    if not actor:
        raise BadParameter("role", "needs actor=ID or NAME")
    return value


def kinds(values: Optional[Iterable[str]]) -> list[str]:
    out = _items(values)
    for item in out:
        if not re.fullmatch(r"[a-z_]+", item):
            raise BadParameter("kind", f"should be a figure kind such as trapped_population, "
                                       f"not {item!r}")
    return out
