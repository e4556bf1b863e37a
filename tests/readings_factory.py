"""Hand-built Readings for store and export tests (no spaCy, no gazetteer)."""
from __future__ import annotations

from datetime import date
from typing import Optional

from frontlines.model import (
    Actor, ControlClaim, DateRef, Document, EventMention, Indicator, Place, PlaceMention,
    Reading, Span,
)

ACTORS = {
    "SYR_MIL": Actor("SYR_MIL", "Syrian Armed Forces", "MIL", "SYR"),
    "SYR_REB": Actor("SYR_REB", "Syrian rebels", "REB", "SYR"),
    "RUS_MIL": Actor("RUS_MIL", "Russian Armed Forces", "MIL", "RUS"),
    "CIVILIANS": Actor("CIVILIANS", "civilians", "CVL", None),
    "SOHR": Actor("SOHR", "Syrian Observatory for Human Rights", "NGO", "SYR"),
}

PLACES = {
    "Aleppo": Place("Aleppo", "city", 36.2021, 37.1343, 170063, 1, "SY"),
    "Idlib": Place("Idlib", "city", 35.9306, 36.6339, 169389, 1, "SY"),
    "Homs": Place("Homs", "city", 34.7268, 36.7234, 169577, 1, "SY"),
    "Kyiv": Place("Kyiv", "city", 50.4501, 30.5234, 703448, 1, "UA"),
    "Nowhere": Place("Nowhere", "village"),  # resolved by name only: no coordinates
}


def mention_id(kind: str, document_id: str, n: int) -> str:
    """Ids unique across documents, as the real reader makes them."""
    return f"{kind}-{document_id[:8]}-{n}"


def span_of(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), needle)


def make_reading(
    text: str,
    *,
    events: list[dict] = (),  # type: ignore[assignment]
    title: Optional[str] = "A report",
    published: Optional[date] = date(2016, 8, 1),
    outlet: Optional[str] = "Test Wire",
) -> Reading:
    """A Reading of ``text`` with one EventMention per dict in ``events``.

    Each dict gives: evidence (a substring of text), plover, actors, targets, place (a
    key of PLACES or None), date (a date or None), and optionally fatalities, status,
    reported_by, mode.
    """
    doc = Document(text=text, title=title, outlet=outlet, url="https://example.org/a",
                   published=published, published_basis="given" if published else "unknown",
                   origin="test")
    reading = Reading(document=doc)
    used: set[str] = set()
    for n, spec in enumerate(events, 1):
        ev_span = span_of(text, spec["evidence"])
        place = PLACES[spec["place"]] if spec.get("place") else None
        when = spec.get("date")
        actors = list(spec.get("actors", []))
        targets = list(spec.get("targets", []))
        reported_by = list(spec.get("reported_by", []))
        used.update(actors + targets + reported_by)
        reading.events.append(EventMention(
            id=mention_id("ev", doc.id, n), plover=spec.get("plover", "ASSAULT"), mode=spec.get("mode"),
            acled_event_type=spec.get("acled", "Explosions/Remote violence"),
            acled_sub_event_type=spec.get("acled_sub", "Shelling/artillery/missile attack"),
            actors=actors, targets=targets, place=place,
            date=DateRef(when, "day" if when else None, spec.get("expression")),
            status=spec.get("status", "asserted"), reported_by=reported_by,
            fatalities=spec.get("fatalities"), evidence=[ev_span], rule=spec.get("rule", "test"),
            sentence=spec.get("sentence"),
        ))
        if place is not None:
            reading.places.append(PlaceMention(place, span_of(text, place.name), "test-place"))
    for aid in sorted(used):
        reading.actors[aid] = ACTORS[aid]
    return reading


ALEPPO_TEXT = (
    "Shelling hits Aleppo.\n"
    "Government forces shelled Aleppo on Monday, killing 12 civilians, the Observatory said. "
    "Rebels seized an army post near Idlib."
)


def aleppo_reading() -> Reading:
    r = make_reading(ALEPPO_TEXT, events=[
        {"evidence": "Government forces shelled Aleppo", "plover": "ASSAULT",
         "actors": ["SYR_MIL"], "targets": ["CIVILIANS"], "place": "Aleppo",
         "date": date(2016, 8, 1), "fatalities": 12, "reported_by": ["SOHR"],
         "status": "claimed", "expression": "on Monday"},
        {"evidence": "Rebels seized an army post", "plover": "COERCE",
         "actors": ["SYR_REB"], "targets": ["SYR_MIL"], "place": "Idlib",
         "date": date(2016, 7, 30)},
    ])
    r.control.append(ControlClaim(
        id=mention_id("ctl", r.document.id, 1), place=PLACES["Aleppo"], place_text="Aleppo", controller="SYR_MIL",
        counterpart="SYR_REB", change="besieged", date=DateRef(date(2016, 8, 1), "day"),
        status="asserted", reported_by=[], evidence=[span_of(ALEPPO_TEXT, "shelled Aleppo")],
        rule="test-control"))
    r.indicators.append(Indicator(
        id=mention_id("ind", r.document.id, 1), kind="deaths", value=12, unit="civilian", low=None, high=None, hedge=None,
        place=PLACES["Aleppo"], as_of=DateRef(date(2016, 8, 1), "day"), projected_date=None,
        status="claimed", reported_by=["SOHR"], evidence=[span_of(ALEPPO_TEXT, "12 civilians")],
        rule="test-indicator"))
    return r


# -- a generated corpus of small reports (our own templated text, real town names) ------

TOWNS = ("Aleppo", "Idlib", "Homs", "Hama", "Raqqa", "Daraa", "Latakia", "Palmyra",
         "Manbij", "Azaz")
TEMPLATES = (
    "Regime forces shelled {town} on {day}, killing {n} civilians, activists said.",
    "Russian planes struck a market in {town} on {day}, killing {n} people.",
    "Rebels attacked army positions near {town} on {day}. {n} fighters were killed.",
    "Government troops fired rockets at {town} on {day}; {n} civilians died.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def report_text(i: int) -> str:
    """Report number ``i``: a title line and two sentences; every i gives a new text."""
    town = TOWNS[i % len(TOWNS)]
    other = TOWNS[(i * 7 + 3) % len(TOWNS)]
    first = TEMPLATES[i % len(TEMPLATES)].format(town=town, day=DAYS[i % 7], n=2 + i % 40)
    second = TEMPLATES[(i + 1) % len(TEMPLATES)].format(town=other, day=DAYS[(i + 3) % 7],
                                                        n=3 + (i * 3) % 50)
    return f"Fighting around {town}, report {i}\n\n{first} {second}\n"


def write_corpus(directory, n: int, start: int = 0) -> list:
    """Write ``n`` reports as .txt files into ``directory``; return their paths."""
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = directory / f"report-{i:05d}.txt"
        path.write_text(report_text(i), encoding="utf-8")
        paths.append(path)
    return paths
