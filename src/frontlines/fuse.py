"""Fusion: event mentions from many documents become Events, one per real-world occurrence.

GDELT counts reports; an analyst wants one row per occurrence with every report behind it.
Two mentions are *compatible* (may tell the same occurrence) when all of these hold:

- **document**: they come from different documents (the reader already merged what one
  document tells twice: ``reading/merge.py``; cross-document fusion does not undo its splits);
- **type**: the same PLOVER type; the same mode when both give one; ACLED event types equal
  when both give one, except that "Violence against civilians" and "Explosions/Remote
  violence" may describe one strike (outlets code it either way);
- **status class**: both happened (asserted, claimed, confirmed, denied: a denial disputes the
  same occurrence, and the disagreement is kept), both future (expected, planned,
  hypothetical), or both negated;
- **actors**: as in ``merge.py`` — unknown on either side, or some actor of one is the same as,
  a member of or the coalition of some actor of the other; for battles the two sides may be
  named in either order; "unidentified aircraft/gunmen" match anyone;
- **place**: same name, one nested in the other (by name — "eastern Aleppo" in "Aleppo" — or
  by kind and distance: a neighbourhood within a city's radius), or within a distance that
  grows with the coarser place (``Rules.radius_km``); a province or a country holds anything in
  its country; a place whose point is borrowed from its parent (precision 2) sits anywhere in
  that parent, so two different ones at the same borrowed point stay apart, as in ``merge.py``;
  an unplaced mention, or one placed only in a province or a country, fuses only through
  named, related actors;
- **time**: their windows overlap. A window depends on date precision (a day, its week, its
  month); a day taken from the publication date (no date expression) also covers the day
  before. Durable occurrences — sieges, offensives, "fighting for a third day" — may chain
  across a gap of a few days (``Rules.siege_gap_days``, ``Rules.campaign_gap_days``). Undated
  and year-precision mentions are never fused: they cannot be placed in time;
- **agreement**: something positive links them — the same place name, related named actors,
  or the same toll. Not contradicting each other is not enough (a misread report contradicts
  nothing).

Clustering is greedy and deterministic. Mentions are taken in a fixed order (finer dates
first, then window start, then mention id: never the order of ingestion). Each joins the
eligible Event it fits best, where eligible means compatible on everything but time with
EVERY member (complete link: a city-level report cannot bridge two different
neighbourhoods), compatible and in agreement with at least one (a siege chains through its
reports), and, between two reports of a one-off occurrence, overlapping every such member in
time (a "last week" must not bridge two different days), else it starts a new Event.
Candidates come from a blocking index (PLOVER type × week × the 0.1° cells a place's radius
touches, plus name, word, country and actor-root keys for vague places), which never misses a
compatible pair, so fusion stays near-linear.

Because a mention only ever joins an Event holding a mention compatible with it, the Events
inside one connected component of the compatibility graph depend on that component alone.
Incremental fusion (``Fuser.update``) uses this: a new document's mentions find their
compatible stored mentions, the components those belong to are loaded whole and fused again,
and the result is exactly what fusing everything from scratch gives. Event ids are a hash of
the member reported first (published date, then mention id), so they are the same however
often and in whatever order the documents come.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Generic, Optional, TypeVar

from frontlines.gazetteer.normalize import normalize_name
from frontlines.knowledge.actors import ActorBook
from frontlines.model import Document, EventMention

FUSION_VERSION = "2"  # bump when the rules change: stored Events are then re-fused

FUTURE = {"expected", "planned", "hypothetical"}
HAPPENED = {"asserted", "claimed", "confirmed", "denied"}
# The strongest support a report gives: an Event is as sure as its best report.
STATUS_STRENGTH = ("confirmed", "asserted", "claimed", "denied")
CREDIBLE = {"asserted", "confirmed"}  # reports whose figures ACLED's "best" prefers
WILDCARD_ACTORS = {"UNKNOWN_AIRCRAFT", "UNKNOWN_GUNMEN"}  # an attacker not yet named
STRIKE_TYPES = {"Violence against civilians", "Explosions/Remote violence"}
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}

# How big a place of each kind is, from small to large: a facility sits in a neighbourhood, a
# neighbourhood in a city. Two places of one rank with different names are different places.
KIND_RANK = {
    "facility": 0, "crossing": 0, "checkpoint": 0, "building": 0,
    "neighbourhood": 1, "neighborhood": 1, "village": 1, "road": 1,
    "area": 2, "district": 2, "town": 2,
    "city": 3,
    "admin2": 4,
    "admin1": 5, "governorate": 5, "province": 5, "region": 5,
    "country": 6, "continent": 7,
}
NAMED_PART_RANK = 1  # a neighbourhood, village or road and what is named inside it
COARSE_RANK = 5  # provinces and larger hold anything in their country
# Words that name the kind of a place, not which one ("Shaar district" is al-Shaar).
PLACE_WORDS = {"district", "neighbourhood", "neighborhood", "quarter", "area", "city", "town",
               "village", "province", "governorate", "of"}

DURATIVE_TRIGGERS = re.compile(
    r"\b(offensive|counter-?offensive|campaign|push|fighting|fight|battle|battles|clashes|"
    r"siege|blockade|encirclement|operations?|assault|bombardment)\b", re.I)
SINCE = re.compile(r"\bsince\b", re.I)
ONGOING_EXPRESSION = re.compile(
    r"\bfor (a|the) \w+ (straight |consecutive )?day\b|\bfor \w+ (days|weeks)\b|\bsince\b|"
    r"\bstill\b|\bcontinu", re.I)


@dataclass(frozen=True)
class Rules:
    """The numbers fusion uses; change them here, not in the code."""

    # Kilometres a place of a kind spreads from its point (containment radius).
    radius_km: dict[str, float] = field(default_factory=lambda: {
        "city": 10.0, "town": 4.0, "district": 6.0, "area": 5.0, "admin2": 30.0, "road": 3.0,
    })
    default_radius_km: float = 1.0  # a village, neighbourhood or facility: two names, one spot
    siege_gap_days: int = 14  # a siege reported on day 1 and day 15 is one siege
    campaign_gap_days: int = 2  # "for a second day", "for a third day"
    cell_degrees: float = 0.1  # blocking cell (≈ 11 km); any size is right, this one is quick

    def radius(self, kind: Optional[str]) -> float:
        return self.radius_km.get((kind or "").lower(), self.default_radius_km)


DEFAULT_RULES = Rules()


# --------------------------------------------------------------------------- mentions


@dataclass(frozen=True)
class Mention:
    """What fusion needs to know about one event mention (a stored row or a reading's)."""

    id: str
    document_id: str
    outlet: Optional[str]
    published: Optional[date]
    plover: str
    mode: Optional[str]
    acled_event_type: Optional[str]
    acled_sub_event_type: Optional[str]
    status: str
    date_value: Optional[date]
    date_precision: Optional[str]
    date_expression: Optional[str]
    place_name: Optional[str] = None
    place_kind: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    geo_precision: Optional[int] = None
    place_country: Optional[str] = None
    geonames_id: Optional[int] = None
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    reported_by: tuple[str, ...] = ()
    fatalities: Optional[int] = None  # the lowest figure the report gives (ACLED's rule)
    injured: Optional[int] = None
    durative: bool = False
    evidence_text: Optional[str] = None
    fatalities_high: Optional[int] = None  # the highest, when the report gives several

    # -- derived once (fusion asks for these millions of times) ------------------------

    window: Optional[tuple[int, int]] = field(init=False, repr=False, compare=False)
    status_class: str = field(init=False, repr=False, compare=False)
    rank: Optional[int] = field(init=False, repr=False, compare=False)
    words: frozenset[str] = field(init=False, repr=False, compare=False)
    named_actors: frozenset[str] = field(init=False, repr=False, compare=False)
    named_targets: frozenset[str] = field(init=False, repr=False, compare=False)
    coarse: bool = field(init=False, repr=False, compare=False)  # a province or larger

    def __post_init__(self) -> None:
        put = object.__setattr__
        # [first, last] day (ordinals) the mention may be about; None: not placeable.
        window = time_window(self.date_value, self.date_precision, self.date_expression)
        if window and self.published and self.date_expression and SINCE.search(self.date_expression):
            # "killed in the fighting since Wednesday": from that day to the report.
            window = (window[0], max(window[1], self.published.toordinal()))
        put(self, "window", window)
        put(self, "status_class", "negated" if self.status == "negated"
            else "future" if self.status in FUTURE else "happened")
        rank: Optional[int] = None
        if self.place_name is not None:
            kind = (self.place_kind or "").lower()
            rank = (max(COARSE_RANK, KIND_RANK.get(kind, COARSE_RANK))
                    if (self.geo_precision or 1) >= 3 else KIND_RANK.get(kind, 1))
        put(self, "rank", rank)
        put(self, "coarse", rank is not None and rank >= COARSE_RANK)
        put(self, "words", name_words(self.place_name) if self.place_name else frozenset())
        put(self, "named_actors", frozenset(specific(self.actors)))
        put(self, "named_targets", frozenset(specific(self.targets)))
        if self.plover == "COERCE" and self.mode == "restrict":
            put(self, "durative", True)  # a siege or a blockade lasts, however it is told

    @property
    def fusable(self) -> bool:
        """Undated and year-precision mentions cannot be placed in time: never fused."""
        return self.window is not None

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    def sort_key(self) -> tuple[Any, ...]:
        """The fixed order of fusion, never the order documents arrived in: exact dates
        first, so that a "last week" joins the Event its days formed, rather than days
        joining whatever a vague report happened to start."""
        w = self.window
        return (PRECISION_RANK.get(self.date_precision or "", 9), w[0] if w else math.inf,
                self.id)

    def report_key(self) -> tuple[Any, ...]:
        """Earliest report first: the Event's id comes from it."""
        return (self.published or date.max, self.id)

    # -- construction ----------------------------------------------------------------

    @classmethod
    def from_event(cls, event: EventMention, document: Document) -> "Mention":
        place = event.place
        trigger = event.trigger.text if event.trigger else None
        first = event.evidence[0].text if event.evidence else None
        return cls(
            id=event.id, document_id=document.id, outlet=document.outlet,
            published=document.published, plover=event.plover, mode=event.mode,
            acled_event_type=event.acled_event_type,
            acled_sub_event_type=event.acled_sub_event_type, status=event.status,
            date_value=event.date.value, date_precision=event.date.precision,
            date_expression=event.date.expression,
            place_name=place.name if place else None, place_kind=place.kind if place else None,
            lat=place.lat if place else None, lon=place.lon if place else None,
            geo_precision=place.precision if place else None,
            place_country=place.country if place else None,
            geonames_id=place.geonames_id if place else None,
            actors=tuple(event.actors), targets=tuple(event.targets),
            reported_by=tuple(event.reported_by), fatalities=event.fatalities,
            injured=event.injured,
            durative=is_durative(event.plover, event.mode, trigger or first, event.date.expression),
            evidence_text=first, fatalities_high=getattr(event, "fatalities_high", None),
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Mention":
        """From an ``event_mentions`` row joined with its document's outlet and published."""
        data = row.get("data") or {}
        trigger = (data.get("trigger") or {}).get("text")
        evidence = data.get("evidence") or []
        first = evidence[0]["text"] if evidence else None
        published = row.get("published")
        if isinstance(published, str):
            published = date.fromisoformat(published[:10])
        value = row.get("date_value")
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        return cls(
            id=row["id"], document_id=row["document_id"], outlet=row.get("outlet"),
            published=published, plover=row["plover"], mode=row.get("mode"),
            acled_event_type=row.get("acled_event_type"),
            acled_sub_event_type=row.get("acled_sub_event_type"), status=row["status"],
            date_value=value, date_precision=row.get("date_precision"),
            date_expression=row.get("date_expression"), place_name=row.get("place_name"),
            place_kind=row.get("place_kind"), lat=row.get("lat"), lon=row.get("lon"),
            geo_precision=row.get("geo_precision"), place_country=row.get("place_country"),
            geonames_id=row.get("geonames_id"),
            actors=tuple(data.get("actors") or ()), targets=tuple(data.get("targets") or ()),
            reported_by=tuple(data.get("reported_by") or ()), fatalities=row.get("fatalities"),
            injured=row.get("injured"),
            durative=is_durative(row["plover"], row.get("mode"), trigger or first,
                                 row.get("date_expression")),
            evidence_text=first, fatalities_high=data.get("fatalities_high"),
        )


def is_durative(plover: str, mode: Optional[str], trigger: Optional[str],
                expression: Optional[str]) -> bool:
    """A siege, an offensive, "fighting for a third day": an occurrence that lasts."""
    if plover == "COERCE" and mode == "restrict":
        return True
    if expression and ONGOING_EXPRESSION.search(expression):
        return True
    return bool(trigger and DURATIVE_TRIGGERS.search(trigger))


def time_window(value: Optional[date], precision: Optional[str],
                expression: Optional[str]) -> Optional[tuple[int, int]]:
    """[first, last] day (ordinals) a report dated this way may be about; None: not placeable."""
    if value is None or precision not in ("day", "week", "month"):
        return None
    start = value.toordinal()
    if precision == "day":
        # A day that only comes from the publication date: the event may be the day before.
        return (start - 1, start) if expression is None else (start, start)
    if precision == "week":
        return start, start + 6
    nxt = date(value.year + (value.month == 12), value.month % 12 + 1, 1)
    return start, nxt.toordinal() - 1


# --------------------------------------------------------------------------- rules


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=65536)
def name_words(name: str) -> frozenset[str]:
    """The words that say which place it is; the whole name when only kind words are left
    ("the city", "Province")."""
    words = normalize_name(name).split()
    return frozenset(words) - PLACE_WORDS or frozenset([" ".join(words) or name.lower()])


def types_compatible(a: Mention, b: Mention) -> bool:
    if a.plover != b.plover:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    ka, kb = a.acled_event_type, b.acled_event_type
    return not ka or not kb or ka == kb or {ka, kb} <= STRIKE_TYPES


def times_compatible(a: Mention, b: Mention, rules: Rules = DEFAULT_RULES) -> bool:
    wa, wb = a.window, b.window
    if wa is None or wb is None:
        return False
    gap = 0
    if a.durative and b.durative:
        gap = rules.siege_gap_days if a.plover == "COERCE" else rules.campaign_gap_days
    return wa[0] <= wb[1] + gap and wb[0] <= wa[1] + gap


def places_compatible(a: Mention, b: Mention, rules: Rules = DEFAULT_RULES) -> bool:
    """Same place, one inside the other, or close enough for their precision."""
    if a.place_name is None or b.place_name is None:
        return True  # an unplaced mention must agree through its actors (static_compatible)
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return False
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True
    wa, wb = a.words, b.words
    if wa == wb:
        return True
    if a.coarse or b.coarse:
        # A province or a country holds anything in it: known only through the country.
        return bool(a.place_country and a.place_country == b.place_country)
    nested = bool(wa and wb and (wa < wb or wb < wa))  # "eastern Aleppo" in "Aleppo"
    if not (a.located and b.located):
        return nested
    d = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
    if nested:
        return d <= rules.radius(a.place_kind) + rules.radius(b.place_kind)
    ra, rb = a.rank or 0, b.rank or 0
    if ra == rb:
        # Two names of one rank: one spot under two names, or two different places.
        if (a.geo_precision or 1) >= 2 or (b.geo_precision or 1) >= 2:
            return False  # a borrowed point says nothing about where in its parent it lies
        return d <= rules.default_radius_km
    # The smaller place (or the parent whose point it borrows) must lie inside the bigger.
    big = a if ra > rb else b
    return d <= rules.radius(big.place_kind)


def specific(ids: Iterable[str]) -> set[str]:
    return {a for a in ids if a not in WILDCARD_ACTORS}


_KIN: dict[int, dict[Any, frozenset[str]]] = {}


def _kin(book: ActorBook, actors: frozenset[str]) -> frozenset[str]:
    """The actors and every coalition above them (cached: fusion asks millions of times)."""
    cache = _KIN.setdefault(id(book), {})
    found = cache.get(actors)
    if found is None:
        found = cache[actors] = frozenset(
            k for a in actors for k in (a, *(book.ancestors(a) if a in book else ())))
    return found


def _any_related(xs: Iterable[str], ys: Iterable[str], book: ActorBook) -> bool:
    """Some x is some y, or a member (at any depth) of it, or the other way round."""
    fx = xs if isinstance(xs, frozenset) else frozenset(xs)
    fy = ys if isinstance(ys, frozenset) else frozenset(ys)
    if not fx or not fy:
        return False
    return not _kin(book, fx).isdisjoint(fy) or not _kin(book, fy).isdisjoint(fx)


def _battle(m: Mention) -> bool:
    return m.plover == "ASSAULT" and m.acled_event_type == "Battles"


def actors_compatible(a: Mention, b: Mention, book: ActorBook) -> bool:
    """As merge.py: the same actor, a member and its coalition, or a battle's sides swapped."""
    xa, xb = a.named_actors, b.named_actors
    if not xa or not xb:
        return True
    if _any_related(xa, xb, book):
        return True
    # A battle told from both sides: "rebels attacked ..." / "the army repelled ...".
    if a.plover == b.plover == "ASSAULT" and "Battles" in {a.acled_event_type, b.acled_event_type}:
        sides_a = xa | (a.named_targets if a.acled_event_type == "Battles" else frozenset())
        sides_b = xb | (b.named_targets if b.acled_event_type == "Battles" else frozenset())
        return _any_related(sides_a, sides_b, book)
    return False


def static_compatible(a: Mention, b: Mention, book: ActorBook,
                      rules: Rules = DEFAULT_RULES) -> bool:
    """Everything but time: what every member of an Event must share (complete link).
    The cheap tests come first: this runs for every candidate pair."""
    if (a.document_id == b.document_id or a.status_class != b.status_class
            or a.plover != b.plover or (a.mode and b.mode and a.mode != b.mode)):
        return False
    ka, kb = a.acled_event_type, b.acled_event_type
    if ka and kb and ka != kb and not (ka in STRIKE_TYPES and kb in STRIKE_TYPES):
        return False
    if a.named_actors and b.named_actors and not actors_compatible(a, b, book):
        return False
    if not places_compatible(a, b, rules):
        return False
    if a.place_name is None or b.place_name is None or (
            (a.coarse or b.coarse) and a.words != b.words):
        # No place (or only a province or a country) to agree on: only named, related
        # actors can say it is the same occurrence.
        return _any_related(a.named_actors | a.named_targets, b.named_actors | b.named_targets,
                            book)
    return True


def agree(a: Mention, b: Mention, book: ActorBook) -> bool:
    """Something positive says two compatible reports are one occurrence: the same place
    name, named actors that are related, or the same toll. (A name inside the other, "east
    Aleppo" in "Aleppo", is not enough: readers place what they cannot place at the city.) Not contradicting each other is
    not enough to link two reports (a misread report contradicts nothing)."""
    if a.place_name and b.place_name and a.words == b.words:
        return True
    if a.durative and b.durative and a.plover == b.plover == "COERCE" and a.words and b.words \
            and (a.words < b.words or b.words < a.words):
        return True  # a siege of "east Aleppo" and one of "Aleppo" the same weeks: one siege
    if a.words and b.words and (a.words < b.words or b.words < a.words) and \
            max(a.rank or 0, b.rank or 0) <= NAMED_PART_RANK:
        return True  # "the Ramouseh artillery academy" in "Ramouseh": a named part, not a fallback
    if a.fatalities is not None and a.fatalities == b.fatalities:
        return True
    return _any_related(a.named_actors | a.named_targets, b.named_actors | b.named_targets, book)


def compatible(a: Mention, b: Mention, book: ActorBook, rules: Rules = DEFAULT_RULES) -> bool:
    """May ``a`` and ``b`` tell the same occurrence? (the pairwise relation)"""
    return (a.fusable and b.fusable and times_compatible(a, b, rules)
            and static_compatible(a, b, book, rules) and agree(a, b, book))


def affinity(a: Mention, b: Mention, book: ActorBook) -> float:
    """How alike two compatible mentions are: picks the best of several eligible Events."""
    score = 0.0
    if a.place_name and b.place_name:
        score += 3 if a.words == b.words else 1
    if _any_related(a.named_actors, b.named_actors, book):
        score += 2
    score += sum(1 for x, y in ((a.acled_event_type, b.acled_event_type),
                                (a.acled_sub_event_type, b.acled_sub_event_type),
                                (a.mode, b.mode)) if x and x == y)
    if a.date_value == b.date_value and a.date_precision == b.date_precision:
        score += 1
    if a.fatalities is not None and a.fatalities == b.fatalities:
        score += 1
    return score


# --------------------------------------------------------------------------- clustering

T = TypeVar("T")


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, x: str) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Clustering(Generic[T]):
    """The result of ``cluster``: groups of items, and the component of every item."""

    groups: list[list[T]]
    component: dict[str, str]  # item id -> id of the smallest item id in its component


class Blocker(Generic[T]):
    """How ``cluster`` finds candidates and decides: one per kind of finding."""

    def ident(self, item: T) -> str:
        raise NotImplementedError

    def order(self, item: T) -> Any:
        raise NotImplementedError

    def keys(self, item: T) -> Iterable[Hashable]:
        """Index keys an item is filed under."""
        raise NotImplementedError

    def probes(self, item: T) -> Iterable[Hashable]:
        """Index keys to look in for an item's candidates (a superset of compatible ones)."""
        raise NotImplementedError

    def static(self, a: T, b: T) -> bool:
        raise NotImplementedError

    def timely(self, a: T, b: T) -> bool:
        raise NotImplementedError

    def strict(self, a: T, b: T) -> bool:
        """Must ``a`` be timely with ``b`` (not merely with some member) to join it?"""
        return False

    def agree(self, a: T, b: T) -> bool:
        """Does something positive link two timely, statically compatible items?"""
        return True

    def fusable(self, item: T) -> bool:
        return True

    def affinity(self, a: T, b: T) -> float:
        return 0.0


def cluster(items: Iterable[T], blocker: Blocker[T]) -> Clustering[T]:
    """Greedy, order-independent clustering: complete link on ``static``, single link on
    ``timely``, candidates from the blocking index. See the module docstring."""
    ordered = sorted(items, key=blocker.order)
    index: dict[Hashable, list[int]] = defaultdict(list)  # key -> group numbers
    groups: list[list[T]] = []
    uf = _UnionFind()
    for item in ordered:
        iid = blocker.ident(item)
        uf.add(iid)
        best: Optional[int] = None
        best_score = -math.inf
        if blocker.fusable(item):
            seen: set[int] = set()
            for key in blocker.probes(item):
                for g in index.get(key, ()):
                    if g in seen:
                        continue
                    seen.add(g)
                    eligible, linked, score = True, False, -math.inf
                    for other in groups[g]:
                        if not blocker.static(item, other):
                            eligible = False
                            continue
                        if blocker.timely(item, other):
                            if blocker.agree(item, other):
                                uf.union(iid, blocker.ident(other))  # a compatible pair
                                linked = True
                                score = max(score, blocker.affinity(item, other))
                        elif blocker.strict(item, other):
                            eligible = False
                    if eligible and linked and score > best_score:
                        best, best_score = g, score  # ties: the earlier Event (lower number)
        if best is None:
            best = len(groups)
            groups.append([])
        groups[best].append(item)
        if blocker.fusable(item):
            for key in blocker.keys(item):
                bucket = index[key]
                if not bucket or bucket[-1] != best:
                    bucket.append(best)
    ids = [blocker.ident(i) for i in ordered]
    smallest: dict[str, str] = {}
    for iid in ids:
        root = uf.find(iid)
        smallest[root] = min(smallest.get(root, iid), iid)
    return Clustering(groups, {iid: smallest[uf.find(iid)] for iid in ids})


class MentionBlocker(Blocker[Mention]):
    """Blocking for event mentions: PLOVER type × week × cell, country, actor roots."""

    def __init__(self, book: ActorBook, rules: Rules = DEFAULT_RULES) -> None:
        self.book, self.rules = book, rules
        self.max_gap = max(rules.siege_gap_days, rules.campaign_gap_days)

    def ident(self, item: Mention) -> str:
        return item.id

    def order(self, item: Mention) -> Any:
        return item.sort_key()

    def fusable(self, item: Mention) -> bool:
        return item.fusable

    def static(self, a: Mention, b: Mention) -> bool:
        return static_compatible(a, b, self.book, self.rules)

    def timely(self, a: Mention, b: Mention) -> bool:
        return times_compatible(a, b, self.rules)

    def affinity(self, a: Mention, b: Mention) -> float:
        return affinity(a, b, self.book)

    def agree(self, a: Mention, b: Mention) -> bool:
        return agree(a, b, self.book)

    def strict(self, a: Mention, b: Mention) -> bool:
        # Two reports of a one-off strike must agree on its day; a siege or an offensive
        # chains through its reports (Helly: pairwise overlap of intervals is a common day).
        return not (a.durative or b.durative)

    def _root(self, actor_id: str) -> str:
        chain = self.book.ancestors(actor_id) if actor_id in self.book else []
        return chain[-1] if chain else actor_id

    def _roots(self, m: Mention) -> set[str]:
        return {self._root(a) for a in m.named_actors | m.named_targets}

    def _disk_cells(self, m: Mention) -> list[Hashable]:
        """The cells a located place's disk (its point and radius) touches. Two places that
        a rule may call compatible are at most the sum of their radii apart, so their disks
        meet in some cell: both file under it, and each probes it."""
        size, r = self.rules.cell_degrees, self.rules.radius(m.place_kind)
        dlat = r / 111.0
        dlon = r / (111.0 * max(0.01, math.cos(math.radians(min(89.0, abs(m.lat) + dlat)))))  # type: ignore[arg-type]
        span = int(round(360 / size))
        i0, i1 = math.floor((m.lat - dlat) / size), math.floor((m.lat + dlat) / size)  # type: ignore[operator]
        j0, j1 = math.floor((m.lon - dlon) / size), math.floor((m.lon + dlon) / size)  # type: ignore[operator]
        if j1 - j0 >= span:
            j0, j1 = 0, span - 1
        return [("cell", i, (j + span // 2) % span - span // 2)
                for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]

    def _weeks(self, m: Mention, gap: int) -> range:
        lo, hi = m.window  # type: ignore[misc]
        return range((lo - gap) // 7, (hi + gap) // 7 + 1)

    def _names(self, m: Mention) -> list[Hashable]:
        out: list[Hashable] = [("name", m.words)]
        if m.geonames_id is not None:
            out.append(("geonames", m.geonames_id))
        return out

    # Blocking must never miss a compatible pair (incremental fusion relies on it): each
    # rule of ``compatible`` has a key that one side files and the other probes, whichever
    # comes first. Vague places (none, a province, a country) match only through actors.
    def keys(self, item: Mention) -> Iterator[Hashable]:
        roots = sorted(self._roots(item))
        places: list[Hashable] = [("actor", r) for r in roots]
        if item.place_name is None:
            places += [("unplaced", r) for r in roots]
        else:
            places += self._names(item)
            places += [("word", w) for w in sorted(item.words)]
            if item.coarse:
                places += [("coarse", item.place_country, r) for r in roots]
            elif item.located:
                places += self._disk_cells(item)
            else:
                places += [("unlocated-word", w) for w in sorted(item.words)]
        for week in self._weeks(item, 0):
            for p in places:
                yield (item.plover, week, p)

    def probes(self, item: Mention) -> Iterator[Hashable]:
        roots = sorted(self._roots(item))
        if item.place_name is None:
            places: list[Hashable] = [("actor", r) for r in roots]
        else:
            places = self._names(item) + [("unplaced", r) for r in roots]
            if item.coarse:
                places += [("actor", r) for r in roots]
            else:
                places += [("coarse", item.place_country, r) for r in roots]
                if item.located:
                    places += self._disk_cells(item)
                    places += [("unlocated-word", w) for w in sorted(item.words)]
                else:
                    places += [("word", w) for w in sorted(item.words)]
        # Only two durable reports may be a gap apart; anything else must overlap.
        for week in self._weeks(item, self.max_gap if item.durative else 0):
            for p in places:
                yield (item.plover, week, p)


# --------------------------------------------------------------------------- events


@dataclass
class FusedEvent:
    """One real-world occurrence and every report of it."""

    id: str
    members: list[Mention]
    component: str
    plover: str
    mode: Optional[str]
    acled_event_type: Optional[str]
    acled_sub_event_type: Optional[str]
    status: str
    actors: list[str]
    targets: list[str]
    reported_by: list[str]
    date_value: Optional[date]
    date_precision: Optional[str]
    date_low: Optional[date]
    date_high: Optional[date]
    place: Optional[dict[str, Any]]
    fatalities_low: Optional[int]
    fatalities_best: Optional[int]
    fatalities_high: Optional[int]
    injured: Optional[int]
    n_mentions: int
    n_documents: int
    n_sources: int
    outlets: list[str]
    first_reported: Optional[date]
    last_reported: Optional[date]
    disagreements: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "id": self.id, "plover": self.plover, "mode": self.mode,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type, "status": self.status,
            "actors": self.actors, "targets": self.targets, "reported_by": self.reported_by,
            "date": {"value": iso(self.date_value), "precision": self.date_precision,
                     "low": iso(self.date_low), "high": iso(self.date_high)},
            "place": self.place,
            "fatalities": {"low": self.fatalities_low, "best": self.fatalities_best,
                           "high": self.fatalities_high},
            "injured": self.injured,
            "mentions": [m.id for m in self.members],
            "documents": sorted({m.document_id for m in self.members}),
            "n_mentions": self.n_mentions, "n_documents": self.n_documents,
            "n_sources": self.n_sources, "outlets": self.outlets,
            "first_reported": iso(self.first_reported), "last_reported": iso(self.last_reported),
            "disagreements": self.disagreements,
        }


def event_id(members: Sequence[Mention]) -> str:
    """A hash of the id of the member reported first: stable as later reports join."""
    first = min(members, key=Mention.report_key)
    return "evt-" + hashlib.sha256(first.id.encode("utf-8")).hexdigest()[:12]


def _source(m: Mention) -> str:
    # A document without an outlet is a source of its own: we cannot tell it is not new.
    return f"outlet:{m.outlet.strip().lower()}" if m.outlet else f"document:{m.document_id}"


def _mode_of(values: Iterable[Optional[str]]) -> Optional[str]:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def _most_specific(ids: Iterable[str], book: ActorBook) -> list[str]:
    unique = list(dict.fromkeys(ids))
    named = [a for a in unique if a not in WILDCARD_ACTORS]
    keep = named or unique
    return [a for a in keep if not any(a in book.ancestors(b) for b in keep if b != a)]


def _sides(members: Sequence[Mention], book: ActorBook) -> tuple[list[str], list[str]]:
    """Actors and targets, with battles told from the other side turned round."""
    anchor = next((m for m in members if specific(m.actors)), None)
    actors: list[str] = []
    targets: list[str] = []
    for m in members:
        a, t = list(m.actors), list(m.targets)
        if (anchor is not None and m is not anchor and _battle(m)
                and not _any_related(specific(a), specific(anchor.actors), book)
                and _any_related(specific(a), specific(anchor.targets), book)):
            a, t = t, a
        actors += a
        targets += t
    actors = _most_specific(actors, book)
    targets = [x for x in _most_specific(targets, book) if x not in actors]
    return actors, targets


def _place_of(members: Sequence[Mention]) -> Optional[dict[str, Any]]:
    placed = [m for m in members if m.place_name]
    if not placed:
        return None
    # The finest place several reports agree on: smallest kind, then precision, then votes.
    votes = Counter(m.place_name for m in placed)
    best = min(placed, key=lambda m: (m.rank if m.rank is not None else 9, m.geo_precision or 9,
                                      -votes[m.place_name], m.place_name, m.id))
    return {"name": best.place_name, "kind": best.place_kind, "lat": best.lat, "lon": best.lon,
            "precision": best.geo_precision, "country": best.place_country,
            "geonames_id": best.geonames_id}


def _date_of(members: Sequence[Mention]) -> tuple[Optional[date], Optional[str]]:
    dated = [m for m in members if m.date_value is not None]
    if not dated:
        return None, None
    finest = min(PRECISION_RANK.get(m.date_precision or "", 9) for m in dated)
    pool = [m for m in dated if PRECISION_RANK.get(m.date_precision or "", 9) == finest]
    stated = [m for m in pool if m.date_expression] or pool
    votes = Counter(m.date_value for m in stated)
    value = min(votes, key=lambda v: (-votes[v], v))
    return value, next(m.date_precision for m in stated if m.date_value == value)


def _documents_of(ms: Iterable[Mention]) -> list[str]:
    return sorted({m.document_id for m in ms})


def _disagreement(name: str, members: Sequence[Mention],
                  value: Callable[[Mention], Any]) -> Optional[dict[str, Any]]:
    by_value: dict[Any, list[Mention]] = {}
    for m in members:
        v = value(m)
        if v is not None:
            by_value.setdefault(v, []).append(m)
    if len(by_value) < 2:
        return None
    values = []
    for v, ms in sorted(by_value.items(), key=lambda kv: (-len(kv[1]), str(kv[0]))):
        values.append({"value": list(v) if isinstance(v, tuple) else v,
                       "documents": _documents_of(ms),
                       "outlets": sorted({m.outlet for m in ms if m.outlet})})
    return {"field": name, "values": values}


def _disagreements(members: Sequence[Mention]) -> list[dict[str, Any]]:
    found = [
        _disagreement("status", members, lambda m: m.status),
        _disagreement("actors", members, lambda m: tuple(sorted(specific(m.actors))) or None),
        _disagreement("date", members, lambda m: (
            f"{m.date_value.isoformat()} ({m.date_precision})" if m.date_value else None)),
        _disagreement("fatalities", members, lambda m: m.fatalities),
        _disagreement("place", members, lambda m: m.place_name),
    ]
    return [d for d in found if d]


def summarise(members: Sequence[Mention], book: ActorBook, component: str = "") -> FusedEvent:
    """One Event from its member mentions: consensus fields, the spread of figures, and
    what the reports disagree on (kept, never silently resolved)."""
    members = sorted(members, key=Mention.sort_key)
    first = members[0]
    statuses = {m.status for m in members}
    status = next((s for s in STATUS_STRENGTH if s in statuses), first.status)
    actors, targets = _sides(members, book)
    value, precision = _date_of(members)
    windows = [m.window for m in members if m.window]
    deaths = [m.fatalities for m in members if m.fatalities is not None]
    highs = deaths + [m.fatalities_high for m in members if m.fatalities_high is not None]
    credible = [m.fatalities for m in members if m.fatalities is not None and m.status in CREDIBLE]
    injured = [m.injured for m in members if m.injured is not None]
    published = [m.published for m in members if m.published]
    outlets = sorted({m.outlet for m in members if m.outlet})
    mode = _mode_of(m.mode for m in members)
    acled = _mode_of(m.acled_event_type for m in members)
    sub = _mode_of(m.acled_sub_event_type for m in members if m.acled_event_type == acled)
    return FusedEvent(
        id=event_id(members), members=members, component=component or first.id,
        plover=first.plover, mode=mode, acled_event_type=acled, acled_sub_event_type=sub,
        status=status, actors=actors, targets=targets,
        reported_by=list(dict.fromkeys(r for m in members for r in m.reported_by)),
        date_value=value, date_precision=precision,
        date_low=date.fromordinal(min(w[0] for w in windows)) if windows else value,
        date_high=date.fromordinal(max(w[1] for w in windows)) if windows else value,
        place=_place_of(members),
        # ACLED's best is the lowest credible figure: a stated one before a party's claim.
        fatalities_low=min(deaths) if deaths else None,
        fatalities_best=min(credible) if credible else (min(deaths) if deaths else None),
        fatalities_high=max(highs) if highs else None,
        injured=min(injured) if injured else None,
        n_mentions=len(members), n_documents=len({m.document_id for m in members}),
        n_sources=len({_source(m) for m in members}), outlets=outlets,
        first_reported=min(published) if published else None,
        last_reported=max(published) if published else None,
        disagreements=_disagreements(members),
    )


def fuse(mentions: Iterable[Mention], book: ActorBook,
         rules: Rules = DEFAULT_RULES) -> list[FusedEvent]:
    """Fuse mentions into Events (every mention lands in exactly one)."""
    result = cluster(mentions, MentionBlocker(book, rules))
    events = [summarise(g, book, result.component[g[0].id]) for g in result.groups]
    return sorted(events, key=lambda e: e.members[0].sort_key())


# --------------------------------------------------------------------------- storage


def event_row(e: FusedEvent) -> dict[str, Any]:
    """The ``events`` table row of an Event."""
    place = e.place or {}
    return {
        "id": e.id, "component": e.component, "plover": e.plover, "mode": e.mode,
        "acled_event_type": e.acled_event_type, "acled_sub_event_type": e.acled_sub_event_type,
        "status": e.status, "date_value": e.date_value, "date_precision": e.date_precision,
        "date_low": e.date_low, "date_high": e.date_high, "place_name": place.get("name"),
        "place_kind": place.get("kind"), "lat": place.get("lat"), "lon": place.get("lon"),
        "geonames_id": place.get("geonames_id"), "geo_precision": place.get("precision"),
        "place_country": place.get("country"), "fatalities_low": e.fatalities_low,
        "fatalities_best": e.fatalities_best, "fatalities_high": e.fatalities_high,
        "injured": e.injured, "n_mentions": e.n_mentions, "n_documents": e.n_documents,
        "n_sources": e.n_sources, "first_reported": e.first_reported,
        "last_reported": e.last_reported, "data": e.to_dict(),
    }


def member_rows(e: FusedEvent) -> list[dict[str, Any]]:
    return [{"mention_id": m.id, "event_id": e.id, "document_id": m.document_id,
             "component": e.component} for m in e.members]


@dataclass
class FuseReport:
    mentions: int = 0
    events: int = 0
    multi_source: int = 0  # events told by two sources or more
    seconds: float = 0.0

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (f"fused {n(self.mentions, 'mention')} into {n(self.events, 'event')} "
                f"({self.multi_source} with two sources or more)"
                + (f" ({self.seconds:.1f} s)" if self.seconds else ""))


class Fuser:
    """Keeps the stored Events up to date: from scratch (``refuse``) or one document at a
    time inside that document's transaction (``update``, the ``and_then`` of Store.add)."""

    def __init__(self, book: Optional[ActorBook] = None, rules: Rules = DEFAULT_RULES) -> None:
        self.book = book if book is not None else ActorBook.load()
        self.rules = rules
        self.blocker = MentionBlocker(self.book, rules)

    def _events(self, mentions: list[Mention]) -> list[FusedEvent]:
        result = cluster(mentions, self.blocker)
        return [summarise(g, self.book, result.component[g[0].id]) for g in result.groups]

    def update(self, conn: Any, reading: Any) -> None:
        """Fuse one newly stored document's mentions into the stored Events.

        Its mentions find the stored mentions compatible with them; the components these
        belong to are loaded whole, fused again with the new mentions, and replace their old
        Events. The result is what fusing everything from scratch gives.
        """
        from frontlines.store import fused as sql

        ids = [e.id for e in reading.events]
        if not ids:
            return
        new = [Mention.from_row(r) for r in sql.mention_rows(conn, ids)]
        touched: set[str] = set()
        widest = max([self.rules.default_radius_km, *self.rules.radius_km.values()])
        for m in new:
            if not m.fusable:
                continue
            lo, hi = m.window  # type: ignore[misc]
            gap = self.blocker.max_gap if m.durative else 0  # only two durable ones may gap
            reach = self.rules.radius(m.place_kind) + widest + 1  # the most a rule accepts
            near = (m.lat, m.lon, reach) if m.located and not m.coarse else None
            for row in sql.candidate_rows(conn, m.plover, date.fromordinal(lo - gap),
                                          date.fromordinal(hi + gap), near,  # type: ignore[arg-type]
                                          exclude_document=m.document_id):
                other = Mention.from_row(row)
                if compatible(m, other, self.book, self.rules):
                    touched.add(other.id)
        components = sql.components_of(conn, touched)
        old = set(sql.members_of_components(conn, components)) | touched
        pool = new + [Mention.from_row(r) for r in sql.mention_rows(conn, sorted(old))]
        events = self._events(pool)
        sql.delete_components(conn, components)
        sql.insert(conn, [event_row(e) for e in events],
                   [r for e in events for r in member_rows(e)])

    def refuse(self, store: Any) -> FuseReport:
        """Fuse every stored mention from scratch, in one transaction."""
        import time

        from frontlines.store import fused as sql

        started = time.perf_counter()
        with store.engine.begin() as conn:
            mentions = [Mention.from_row(r) for r in sql.mention_rows(conn)]
            events = self._events(mentions)
            sql.clear(conn)
            sql.insert(conn, [event_row(e) for e in events],
                       [r for e in events for r in member_rows(e)])
            sql.set_meta(conn, "fusion_version", FUSION_VERSION)
        return FuseReport(len(mentions), len(events), sum(e.n_sources >= 2 for e in events),
                          time.perf_counter() - started)

    def is_current(self, store: Any) -> bool:
        """Every mention fused, by the rules of this version (or nothing to fuse)."""
        from frontlines.store import fused as sql

        with store.engine.connect() as conn:
            if not sql.has_mentions(conn):
                return True
            return (sql.get_meta(conn, "fusion_version") == FUSION_VERSION
                    and sql.unfused_count(conn) == 0)

    def ensure_current(self, store: Any) -> Optional[FuseReport]:
        """Fuse from scratch if the stored Events are missing or made by other rules; on an
        empty store, record the rules that incremental fusion will follow."""
        from frontlines.store import fused as sql

        if not self.is_current(store):
            return self.refuse(store)
        with store.engine.begin() as conn:
            if sql.get_meta(conn, "fusion_version") != FUSION_VERSION:
                sql.set_meta(conn, "fusion_version", FUSION_VERSION)
        return None


__all__ = [
    "DEFAULT_RULES", "FUSION_VERSION", "FuseReport", "FusedEvent", "Fuser",
    "Mention", "Rules", "event_row", "member_rows",
    "actors_compatible", "cluster", "compatible", "event_id", "fuse",
    "is_durative", "places_compatible", "summarise", "times_compatible", "types_compatible",
]
