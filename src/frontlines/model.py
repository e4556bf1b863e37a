"""The data types that flow through frontlines, and nothing else.

Every finding carries character offsets into ``Document.text`` (``Span``) and the
name of the rule that produced it, so that a reader can always ask "why?".
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal, Optional

PublishedBasis = Literal["given", "metadata", "inferred", "unknown"]
DatePrecision = Literal["day", "week", "month", "year"]
Status = Literal[
    "asserted", "claimed", "confirmed", "denied", "expected", "planned", "hypothetical", "negated"
]
STATUSES: tuple[str, ...] = (
    "asserted", "claimed", "confirmed", "denied", "expected", "planned", "hypothetical", "negated"
)


def content_id(text: str) -> str:
    """A document's id: the first 16 hex digits of the sha256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Span:
    """A stretch of the document text: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Document:
    """Normalised text plus metadata. ``id`` is the content hash of ``text``."""

    text: str
    title: Optional[str] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    published: Optional[date] = None
    published_basis: PublishedBasis = "unknown"
    origin: Optional[str] = None  # where it was read from: a path, "path:line", "-"
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "published_basis": self.published_basis,
        }


@dataclass(frozen=True)
class DateRef:
    """A resolved time: ``value`` is the first day of the period (a week's Monday)."""

    value: Optional[date] = None
    precision: Optional[DatePrecision] = None
    expression: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value.isoformat() if self.value else None,
            "precision": self.precision,
            "expression": self.expression,
        }


@dataclass(frozen=True)
class Actor:
    """A canonical actor from the knowledge files (or an unnamed, generic one)."""

    id: str
    name: str
    sector: Optional[str] = None
    country: Optional[str] = None
    part_of: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "sector": self.sector, "country": self.country}


@dataclass(frozen=True)
class Place:
    """A resolved place. ``precision`` follows ACLED's geo_precision: 1 exact place,
    2 a nearby or containing place of the named one, 3 a province or larger."""

    name: str
    kind: str
    lat: Optional[float] = None
    lon: Optional[float] = None
    geonames_id: Optional[int] = None
    precision: int = 1
    country: Optional[str] = None  # ISO 3166-1 alpha-2
    admin1: Optional[str] = None
    source: Optional[str] = None  # which gazetteer source or user file gave it

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
            "precision": self.precision,
            "country": self.country,
        }


@dataclass(frozen=True)
class ActorMention:
    actor_id: str
    span: Span
    rule: str


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    span: Span
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.place.to_dict(), "mention": self.span.to_dict(), "rule": self.rule}


@dataclass(frozen=True)
class TimeMention:
    date: DateRef
    span: Span
    rule: str


@dataclass(frozen=True)
class Figure:
    """A number the text states about a noun: "some 300,000 civilians"."""

    value: Optional[float]
    span: Span
    unit: str  # the counted noun's lemma ("civilian", "people") or "share", "day"
    hedge: Optional[str] = None  # "some", "as many as", "at least", "only"
    low: Optional[float] = None
    high: Optional[float] = None
    rule: str = ""


@dataclass
class EventMention:
    id: str
    plover: str
    mode: Optional[str]
    acled_event_type: Optional[str]
    acled_sub_event_type: Optional[str]
    actors: list[str]
    targets: list[str]
    place: Optional[Place]
    date: DateRef
    status: Status
    reported_by: list[str]
    fatalities: Optional[int]
    evidence: list[Span]
    rule: str
    injured: Optional[int] = None
    trigger: Optional[Span] = None
    sentence: Optional[Span] = None  # the whole sentence around the first evidence span
    # The words of the text that name its actors and targets, named or not ("gunmen",
    # "Israeli troops"): the noun phrases of the roles, as PLOVER codes them.
    actor_spans: list[Span] = field(default_factory=list)
    target_spans: list[Span] = field(default_factory=list)
    # How many clauses the trigger sits below its sentence's main verb ("X said" not counted):
    # 0 is the sentence's main act.
    clause_depth: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "plover": self.plover,
            "mode": self.mode,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "actors": list(self.actors),
            "targets": list(self.targets),
            "place": self.place.to_dict() if self.place else None,
            "date": self.date.to_dict(),
            "status": self.status,
            "reported_by": list(self.reported_by),
            "fatalities": self.fatalities,
            "injured": self.injured,
            "evidence": [s.to_dict() for s in self.evidence],
            "trigger": self.trigger.to_dict() if self.trigger else None,
            "sentence": self.sentence.to_dict() if self.sentence else None,
            "rule": self.rule,
            "actor_spans": [s.to_dict() for s in self.actor_spans],
            "target_spans": [s.to_dict() for s in self.target_spans],
            "clause_depth": self.clause_depth,
        }


@dataclass
class ControlClaim:
    """Who holds a place: change is captured|held|lost|divided|besieged|lifted (docs/situation.md)."""

    id: str
    place: Optional[Place]
    place_text: str
    controller: Optional[str]
    counterpart: Optional[str]
    change: str
    date: DateRef
    status: Status
    reported_by: list[str]
    evidence: list[Span]
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "place": self.place.to_dict() if self.place else {"name": self.place_text},
            "place_text": self.place_text,
            "controller": self.controller,
            "counterpart": self.counterpart,
            "change": self.change,
            "date": self.date.to_dict(),
            "status": self.status,
            "reported_by": list(self.reported_by),
            "evidence": [s.to_dict() for s in self.evidence],
            "rule": self.rule,
        }


@dataclass
class Indicator:
    """A humanitarian figure: trapped population, evacuated, displaced, deaths …"""

    id: str
    kind: str
    value: Optional[float]
    unit: str
    low: Optional[float]
    high: Optional[float]
    hedge: Optional[str]
    place: Optional[Place]
    as_of: DateRef
    projected_date: Optional[DateRef]
    status: Status
    reported_by: list[str]
    evidence: list[Span]
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "hedge": self.hedge,
            "place": self.place.to_dict() if self.place else None,
            "as_of": self.as_of.to_dict(),
            "projected_date": self.projected_date.to_dict() if self.projected_date else None,
            "status": self.status,
            "reported_by": list(self.reported_by),
            "evidence": [s.to_dict() for s in self.evidence],
            "rule": self.rule,
        }


@dataclass
class Reading:
    """Everything one document says. Stages fill the lists in order."""

    document: Document
    actors: dict[str, Actor] = field(default_factory=dict)  # actors mentioned, by id
    actor_mentions: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    control: list[ControlClaim] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    # Speech acts with no date or place of their own ("X accused Y", "X threatened to ..."):
    # coded like events (type, roles, spans) but kept apart, so that a news document's
    # events stay what happened on the ground (docs/event-coding.md).
    statements: list[EventMention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "actors": [a.to_dict() for a in self.actors.values()],
            "events": [e.to_dict() for e in self.events],
            "control": [c.to_dict() for c in self.control],
            "indicators": [i.to_dict() for i in self.indicators],
            "places": [p.to_dict() for p in self.places],
            "statements": [m.to_dict() for m in self.statements],
        }


def date_from_iso(value: Optional[str]) -> Optional[date]:
    return date.fromisoformat(value) if value else None


__all__ = [
    "Actor", "ActorMention", "ControlClaim", "DateRef", "Document", "EventMention", "Figure",
    "Indicator", "Place", "PlaceMention", "Reading", "Span", "STATUSES", "TimeMention",
    "content_id", "date_from_iso", "asdict",
]
