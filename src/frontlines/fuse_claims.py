"""Fusion of control claims and humanitarian figures: one change of control, one figure, many reports.

Events are fused in ``fuse.py``; control claims ("regime forces captured the Castello
road") and figures ("300,000 civilians trapped") are fused here with the same clustering
(``fuse.cluster``: greedy, deterministic, complete link) and the same conventions: every
report is kept, sources are distinct outlets (a document without an outlet is a source of
its own), what the reports disagree on is kept and shown, ids are a hash of the report
published first so they are stable as later reports join. Rules: docs/fusion.md,
"Control changes and figures".

Input rows are the dicts of ``store.situation_queries.control_claims`` / ``indicators``
(the API's rows work too: the place key is derived from ``place`` when missing).
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Optional

from frontlines.fuse import (
    FUTURE, PRECISION_RANK, STATUS_STRENGTH, Blocker, name_words, time_window, cluster,
)
from frontlines.gazetteer.placekey import place_key as _place_key
from frontlines.knowledge.actors import ActorBook

CREDIBLE = {"asserted", "confirmed"}  # reports whose figures ACLED's "best" prefers
_STATUS_ORDER = (*STATUS_STRENGTH, "expected", "planned", "hypothetical", "negated")

# Changes that say who holds the place after them: two of these at one moment naming
# unrelated holders contest each other (besides the fused claims' own disagreements).
HOLDING = {"captured", "held", "divided"}
OPPOSITE_SIEGE = {"besieged": "lifted", "lifted": "besieged"}

# Figures. Two reports are one figure only if their values are within this factor: outlets
# round and hedge one estimate ("some 250,000", "between 250,000 and 300,000": 1.2), while
# a gap wider than half again is, in practice, another count (another area, another period).
VALUE_FACTOR = 1.5
# Stocks are levels that change slowly (how many are trapped, displaced, killed in the war):
# one estimate restated within a week is one figure. Anything else (the evacuated of a day,
# the dead of a strike, a forecast made on a day) must be of the same day, give or take one
# (a figure dated by its publication may be of the day before).
STOCK_KINDS = {"trapped_population", "population", "displaced", "displaced_share", "refugees",
               "deaths_total", "conflict_duration"}
STOCK_GAP_DAYS = 7
COUNT_GAP_DAYS = 1


def _day(value: Any) -> Optional[date]:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _status_class(status: str) -> str:
    return "negated" if status == "negated" else "future" if status in FUTURE else "happened"


def _strongest(statuses: Iterable[str]) -> str:
    present = set(statuses)
    return next((s for s in _STATUS_ORDER if s in present), sorted(present)[0] if present else "asserted")


def _source_of(outlet: Optional[str], document_id: str) -> str:
    # A document without an outlet is a source of its own: we cannot tell it is not new.
    return f"outlet:{outlet.strip().lower()}" if outlet else f"document:{document_id}"


def _hashed(prefix: str, first_id: str) -> str:
    return prefix + hashlib.sha256(first_id.encode("utf-8")).hexdigest()[:12]


def _as_dict(fused: Any, reports: Sequence[dict[str, Any]], ids_key: str) -> dict[str, Any]:
    """A fused change or figure as JSON: its fields, and the ids of its reports and documents."""
    out = {k: getattr(fused, k) for k in fused.__dataclass_fields__}
    out[ids_key] = [r["id"] for r in reports]
    out["document_ids"] = sorted({r["document_id"] for r in reports})
    return out


def _iso(d: Optional[date]) -> Optional[str]:
    return d.isoformat() if d else None


# --------------------------------------------------------------------------- control


@dataclass(frozen=True)
class ControlMention:
    """A control claim as fusion sees it: who holds (or took, or lost) which place, when."""

    id: str
    document_id: str
    outlet: Optional[str]
    published: Optional[date]
    change: str
    controller: Optional[str]
    counterpart: Optional[str]
    place_name: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    date_value: Optional[date]
    date_precision: Optional[str]
    date_expression: Optional[str]
    status: str
    place_key: Optional[str] = None  # situation's key ("east Aleppo" = "eastern Aleppo")

    @property
    def window(self) -> Optional[tuple[int, int]]:
        return time_window(self.date_value, self.date_precision, self.date_expression)

    def view(self) -> tuple[str, Optional[str], Optional[str]]:
        """(change, controller, counterpart) with "lost" read as the other side's capture."""
        if self.change == "lost":
            return "captured", self.counterpart, self.controller
        return ("captured" if self.change == "gained" else self.change,
                self.controller, self.counterpart)

    def where(self) -> Hashable:
        """What two claims must share to be about one place."""
        if self.place_key:
            return self.place_key
        return name_words(self.place_name or "")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "ControlMention":
        """From a ``situation_queries.control_claims`` row (or an API control row)."""
        return cls(
            id=row["id"], document_id=row["document_id"], outlet=row.get("outlet"),
            published=_day(row.get("published")), change=row["change"],
            controller=row.get("controller"), counterpart=row.get("counterpart"),
            place_name=row.get("place"), lat=row.get("lat"), lon=row.get("lon"),
            date_value=_day(row.get("date")), date_precision=row.get("date_precision"),
            date_expression=row.get("date_expression"), status=row["status"],
            place_key=row.get("place_key") or _place_key(row.get("place")) or None,
        )


class ControlBlocker(Blocker[ControlMention]):
    """The same capture reported twice is one change of control with two sources."""

    def __init__(self, book: ActorBook) -> None:
        self.book = book

    def ident(self, item: ControlMention) -> str:
        return item.id

    def order(self, item: ControlMention) -> Any:
        # Finer dates first (as for events): a day-precise claim starts the change that a
        # week-precise one then joins, whatever order the documents came in.
        w = item.window
        return (PRECISION_RANK.get(item.date_precision or "", 9), w[0] if w else math.inf, item.id)

    def fusable(self, item: ControlMention) -> bool:
        return item.window is not None and bool(item.place_name or item.place_key)

    def keys(self, item: ControlMention) -> Iterator[Hashable]:
        lo, hi = item.window  # type: ignore[misc]
        for week in range(lo // 7, hi // 7 + 1):
            yield (item.view()[0], week, item.where())

    def probes(self, item: ControlMention) -> Iterator[Hashable]:
        lo, hi = item.window  # type: ignore[misc]
        for week in range((lo - 1) // 7, (hi + 1) // 7 + 1):
            yield (item.view()[0], week, item.where())

    def static(self, a: ControlMention, b: ControlMention) -> bool:
        if a.document_id == b.document_id or _status_class(a.status) != _status_class(b.status):
            return False
        (ca, xa, ya), (cb, xb, yb) = a.view(), b.view()
        if ca != cb or a.where() != b.where():
            return False
        for p, q in ((xa, xb), (ya, yb)):
            if p and q and not self.book.related(p, q):
                return False
        return True

    def timely(self, a: ControlMention, b: ControlMention) -> bool:
        wa, wb = a.window, b.window
        return bool(wa and wb and wa[0] <= wb[1] and wb[0] <= wa[1])

    def strict(self, a: ControlMention, b: ControlMention) -> bool:
        # One change happens at one moment: every claim must overlap every other in time,
        # so that daily "still besieged" claims do not chain into one change over weeks.
        return True


def fuse_control(claims: Iterable[ControlMention],
                 book: ActorBook) -> list[list[ControlMention]]:
    """Group control claims that report the same change of control (same change, same
    place, compatible sides, overlapping dates, same status class, different documents)."""
    return cluster(claims, ControlBlocker(book)).groups


@dataclass
class ControlChange:
    """One change of control (or one holding, one siege state) and every claim of it."""

    id: str
    change: str  # the consensus: "lost" is turned into the other side's "captured"
    controller: Optional[str]
    counterpart: Optional[str]
    place: Optional[str]
    place_key: str
    place_kind: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    country: Optional[str]
    date: Optional[str]
    date_precision: Optional[str]
    date_low: Optional[str]
    date_high: Optional[str]
    status: str
    n_claims: int
    n_documents: int
    n_sources: int
    outlets: list[str]
    first_reported: Optional[str]
    last_reported: Optional[str]
    claims: list[dict[str, Any]]
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    contested_by: list[dict[str, Any]] = field(default_factory=list)

    @property
    def claim_ids(self) -> list[str]:
        return [c["id"] for c in self.claims]

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self, self.claims, "claim_ids")


def _claim_summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "document_id", "outlet", "published", "title", "url", "change", "controller",
            "counterpart", "place", "date", "date_precision", "date_expression", "status",
            "reported_by", "evidence_text", "evidence", "rule")
    return {k: row.get(k) for k in keys}


def _values(name: str, items: Sequence[tuple[Any, dict[str, Any]]]) -> Optional[dict[str, Any]]:
    """A disagreement: every value reported (None left out), with who reported it."""
    by_value: dict[Any, list[dict[str, Any]]] = {}
    for value, row in items:
        if value is not None:
            by_value.setdefault(value, []).append(row)
    if len(by_value) < 2:
        return None
    values = [{"value": v, "ids": [r["id"] for r in rows],
               "documents": sorted({r["document_id"] for r in rows}),
               "outlets": sorted({r["outlet"] for r in rows if r.get("outlet")})}
              for v, rows in sorted(by_value.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))]
    return {"field": name, "values": values}


def _vote(values: Iterable[Optional[str]]) -> Optional[str]:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _finest_date(items: Sequence[tuple[Optional[date], Optional[str], Optional[str]]]
                 ) -> tuple[Optional[date], Optional[str]]:
    """(value, precision): the finest precision, stated dates before publication days, most
    reported, earliest — as for events."""
    dated = [i for i in items if i[0] is not None]
    if not dated:
        return None, None
    finest = min(PRECISION_RANK.get(p or "", 9) for _, p, _ in dated)
    pool = [i for i in dated if PRECISION_RANK.get(i[1] or "", 9) == finest]
    pool = [i for i in pool if i[2]] or pool
    votes = Counter(v for v, _, _ in pool)
    value = min(votes, key=lambda v: (-votes[v], v))
    return value, next(p for v, p, _ in pool if v == value)


def _report_order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (_day(row.get("published")) or date.max, row["id"])


def _change_of(group: Sequence[ControlMention], rows: dict[str, dict[str, Any]]) -> ControlChange:
    members = [rows[m.id] for m in group]
    first = min(members, key=_report_order)
    views = [(m.view(), rows[m.id]) for m in group]
    strongest = _strongest(m.status for m in group)
    # The sides: the most reported, the strongest reports' first (a party's claim is weaker).
    sure = [(v, r) for v, r in views if r["status"] == strongest] or views
    controller = _vote(v[1] for v, _ in sure) or _vote(v[1] for v, _ in views)
    counterpart = _vote(v[2] for v, _ in sure) or _vote(v[2] for v, _ in views)
    value, precision = _finest_date([(m.date_value, m.date_precision, m.date_expression) for m in group])
    windows = [m.window for m in group if m.window]
    place_name = _vote(r.get("place") for r in members)
    at = next((r for r in members if r.get("place") == place_name), first)
    published = [d for d in (_day(r.get("published")) for r in members) if d]
    disagreements = [d for d in (
        _values("status", [(r["status"], r) for r in members]),
        _values("controller", [(v[1], r) for v, r in views]),
        _values("counterpart", [(v[2], r) for v, r in views]),
        _values("date", [(f"{r['date']} ({r.get('date_precision')})" if r.get("date") else None, r)
                         for r in members]),
    ) if d]
    return ControlChange(
        id=_hashed("ctl-", first["id"]), change=group[0].view()[0], controller=controller,
        counterpart=counterpart, place=place_name, place_key=group[0].place_key or "",
        place_kind=at.get("place_kind"), lat=at.get("lat"), lon=at.get("lon"),
        country=at.get("country"), date=_iso(value), date_precision=precision,
        date_low=_iso(date.fromordinal(min(w[0] for w in windows))) if windows else _iso(value),
        date_high=_iso(date.fromordinal(max(w[1] for w in windows))) if windows else _iso(value),
        status=strongest, n_claims=len(members),
        n_documents=len({r["document_id"] for r in members}),
        n_sources=len({_source_of(r.get("outlet"), r["document_id"]) for r in members}),
        outlets=sorted({r["outlet"] for r in members if r.get("outlet")}),
        first_reported=_iso(min(published)) if published else None,
        last_reported=_iso(max(published)) if published else None,
        claims=[_claim_summary(r) for r in sorted(members, key=_report_order)],
        disagreements=disagreements,
    )


def _holder(c: ControlChange) -> Optional[str]:
    return c.controller if c.change in HOLDING else None


def _same_moment(a: ControlChange, b: ControlChange) -> bool:
    # A day apart at most, as the situation views count "the same moment".
    lo_a, hi_a, lo_b, hi_b = (_day(x) for x in (a.date_low, a.date_high, b.date_low, b.date_high))
    if None in (lo_a, hi_a, lo_b, hi_b):
        return False
    one = timedelta(days=1)
    return lo_a <= hi_b + one and lo_b <= hi_a + one  # type: ignore[operator]


def _contests(a: ControlChange, b: ControlChange, book: ActorBook) -> bool:
    """Do two changes of one place and moment say opposite things? (broken / still besieged;
    held by X / taken by an unrelated Y)."""
    # Only what is said to have happened tells a state (a change only ever denied does not).
    happened = {a.status, b.status} <= {"confirmed", "asserted", "claimed"}
    if a.place_key != b.place_key or not happened or not _same_moment(a, b):
        return False
    if OPPOSITE_SIEGE.get(a.change) == b.change:
        return True
    ha, hb = _holder(a), _holder(b)
    return bool(ha and hb and not book.related(ha, hb))


def control_changes(rows: Iterable[dict[str, Any]], book: Optional[ActorBook] = None
                    ) -> list[ControlChange]:
    """Fuse control-claim rows into changes of control, oldest first (undated last).

    Each change keeps its claims, counts, consensus and disagreements; ``contested_by``
    lists the other changes of the same place and moment that say the opposite, each with
    its claims (the army denying a siege was broken is a "besieged" claim, not a denial of
    the "lifted" one)."""
    book = book if book is not None else ActorBook.load()
    by_id = {r["id"]: r for r in rows}
    mentions = [ControlMention.from_row(r) for r in by_id.values()]
    changes = [_change_of(g, by_id) for g in fuse_control(mentions, book)]
    by_place: dict[str, list[ControlChange]] = {}
    for c in changes:
        by_place.setdefault(c.place_key, []).append(c)
    for c in changes:
        for other in by_place.get(c.place_key, ()):
            if other is not c and _contests(c, other, book):
                c.contested_by.append({
                    "id": other.id, "change": other.change, "controller": other.controller,
                    "counterpart": other.counterpart, "status": other.status, "date": other.date,
                    "outlets": other.outlets, "claim_ids": other.claim_ids})
    return sorted(changes, key=lambda c: (c.date is None, c.date or "", c.place_key, c.id))


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class FigureMention:
    """A humanitarian figure as fusion sees it."""

    id: str
    document_id: str
    outlet: Optional[str]
    published: Optional[date]
    kind: str
    unit: Optional[str]
    value: Optional[float]
    low: Optional[float]
    high: Optional[float]
    place_key: str
    as_of: Optional[date]
    as_of_precision: Optional[str]
    status: str
    projected: Optional[date] = None  # a forecast's due day

    @property
    def window(self) -> Optional[tuple[int, int]]:
        # The as-of expression is not in the rows: a day is that day (the gap allows one more).
        return time_window(self.as_of, self.as_of_precision, "as of")

    @property
    def gap(self) -> int:
        return STOCK_GAP_DAYS if self.kind in STOCK_KINDS else COUNT_GAP_DAYS

    @property
    def span(self) -> Optional[tuple[float, float]]:
        """The numbers the report gives: its range, or its one figure ("up to", "at least"
        keep the number they name)."""
        given = [x for x in (self.value, self.low, self.high) if x is not None]
        return (min(given), max(given)) if given else None

    @property
    def point(self) -> Optional[float]:
        """The report's own lowest figure (ACLED's rule): its value, else its low end."""
        return next((x for x in (self.value, self.low, self.high) if x is not None), None)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "FigureMention":
        return cls(
            id=row["id"], document_id=row["document_id"], outlet=row.get("outlet"),
            published=_day(row.get("published")), kind=row["kind"], unit=row.get("unit"),
            value=row.get("value"), low=row.get("low"), high=row.get("high"),
            place_key=row.get("place_key") or _place_key(row.get("place")),
            as_of=_day(row.get("as_of")), as_of_precision=row.get("as_of_precision"),
            status=row["status"], projected=_day(row.get("projected_date")),
        )


def values_close(a: FigureMention, b: FigureMention, factor: float = VALUE_FACTOR) -> bool:
    """Ranges that overlap, or the larger number at most ``factor`` times the smaller."""
    sa, sb = a.span, b.span
    if sa is None or sb is None:
        return False
    lo, hi = max(sa[0], sb[0]), min(sa[1], sb[1])
    if lo <= hi:
        return True
    return hi > 0 and lo <= factor * hi


def _same_due_day(a: FigureMention, b: FigureMention) -> bool:
    # A forecast is what it foretells for a day: "flour for three weeks" and "diesel for two"
    # said a day apart are two forecasts, though their numbers are close.
    if a.projected is None or b.projected is None:
        return True
    return abs((a.projected - b.projected).days) <= COUNT_GAP_DAYS


class FigureBlocker(Blocker[FigureMention]):
    """The same figure from several outlets: kind, unit, place, time and value agree."""

    def ident(self, item: FigureMention) -> str:
        return item.id

    def order(self, item: FigureMention) -> Any:
        w = item.window
        return (PRECISION_RANK.get(item.as_of_precision or "", 9), w[0] if w else math.inf, item.id)

    def fusable(self, item: FigureMention) -> bool:
        # An unplaced or undated figure cannot be told apart from another count.
        return item.window is not None and bool(item.place_key) and item.span is not None

    def _weeks(self, item: FigureMention, gap: int) -> range:
        lo, hi = item.window  # type: ignore[misc]
        return range((lo - gap) // 7, (hi + gap) // 7 + 1)

    def keys(self, item: FigureMention) -> Iterator[Hashable]:
        for week in self._weeks(item, 0):
            yield (item.kind, item.unit, item.place_key, week)

    def probes(self, item: FigureMention) -> Iterator[Hashable]:
        for week in self._weeks(item, item.gap):
            yield (item.kind, item.unit, item.place_key, week)

    def static(self, a: FigureMention, b: FigureMention) -> bool:
        return (a.document_id != b.document_id and a.kind == b.kind and a.unit == b.unit
                and a.place_key == b.place_key
                and _status_class(a.status) == _status_class(b.status) and values_close(a, b)
                and _same_due_day(a, b))

    def timely(self, a: FigureMention, b: FigureMention) -> bool:
        wa, wb, gap = a.window, b.window, a.gap
        return bool(wa and wb and wa[0] <= wb[1] + gap and wb[0] <= wa[1] + gap)

    def strict(self, a: FigureMention, b: FigureMention) -> bool:
        return True  # a weekly series of one population stays a series, not one figure


@dataclass
class FusedFigure:
    """One humanitarian figure and every report of it."""

    id: str
    kind: str
    unit: Optional[str]
    place: Optional[str]
    place_key: str
    place_kind: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    country: Optional[str]
    as_of: Optional[str]
    as_of_precision: Optional[str]
    as_of_low: Optional[str]
    as_of_high: Optional[str]
    value_low: Optional[float]
    value_best: Optional[float]
    value_high: Optional[float]
    hedges: list[dict[str, Any]]
    status: str
    projected_date: Optional[str]
    n_reports: int
    n_documents: int
    n_sources: int
    outlets: list[str]
    first_reported: Optional[str]
    last_reported: Optional[str]
    reports: list[dict[str, Any]]
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def report_ids(self) -> list[str]:
        return [r["id"] for r in self.reports]

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self, self.reports, "report_ids")


def _report_summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "document_id", "outlet", "published", "title", "url", "kind", "value", "unit",
            "low", "high", "hedge", "place", "as_of", "as_of_precision", "projected_date",
            "status", "reported_by", "evidence_text", "evidence", "rule")
    return {k: row.get(k) for k in keys}


def _figure_of(group: Sequence[FigureMention], rows: dict[str, dict[str, Any]]) -> FusedFigure:
    members = [rows[m.id] for m in group]
    first = min(members, key=_report_order)
    spans = [m.span for m in group if m.span]
    points = [m.point for m in group if m.point is not None]
    credible = [m.point for m in group if m.point is not None and m.status in CREDIBLE]
    value, precision = _finest_date([(m.as_of, m.as_of_precision, None) for m in group])
    days = [m.as_of for m in group if m.as_of]
    place_name = _vote(r.get("place") for r in members)
    at = next((r for r in members if r.get("place") == place_name), first)
    published = [d for d in (_day(r.get("published")) for r in members) if d]
    ordered = sorted(members, key=_report_order)
    projected = _vote(r.get("projected_date") for r in members)
    disagreements = [d for d in (
        _values("value", [(_amount_key(r), r) for r in members]),
        _values("status", [(r["status"], r) for r in members]),
        _values("as_of", [(r.get("as_of"), r) for r in members]),
        _values("projected_date", [(r.get("projected_date"), r) for r in members]),
    ) if d]
    return FusedFigure(
        id=_hashed("fig-", first["id"]), kind=group[0].kind, unit=group[0].unit, place=place_name,
        place_key=group[0].place_key, place_kind=at.get("place_kind"), lat=at.get("lat"),
        lon=at.get("lon"), country=at.get("country"), as_of=_iso(value), as_of_precision=precision,
        as_of_low=_iso(min(days)) if days else None, as_of_high=_iso(max(days)) if days else None,
        value_low=min(s[0] for s in spans) if spans else None,
        # ACLED's best is the lowest credible figure: a stated one before a party's claim.
        value_best=min(credible) if credible else (min(points) if points else None),
        value_high=max(s[1] for s in spans) if spans else None,
        hedges=[{"hedge": r.get("hedge"), "id": r["id"], "outlet": r.get("outlet"),
                 "document_id": r["document_id"]} for r in ordered if r.get("hedge")],
        status=_strongest(m.status for m in group), projected_date=projected,
        n_reports=len(members), n_documents=len({r["document_id"] for r in members}),
        n_sources=len({_source_of(r.get("outlet"), r["document_id"]) for r in members}),
        outlets=sorted({r["outlet"] for r in members if r.get("outlet")}),
        first_reported=_iso(min(published)) if published else None,
        last_reported=_iso(max(published)) if published else None,
        reports=[_report_summary(r) for r in ordered], disagreements=disagreements,
    )


def _amount_key(row: dict[str, Any]) -> Optional[str]:
    """A report's number as given, for the list of disagreeing values ("250000–300000")."""
    def num(x: Any) -> str:
        return f"{x:g}" if isinstance(x, float) else str(x)
    if row.get("low") is not None and row.get("high") is not None:
        return f"{num(row['low'])}–{num(row['high'])}"
    given = next((row.get(k) for k in ("value", "low", "high") if row.get(k) is not None), None)
    return num(given) if given is not None else None


def fuse_figures(figures: Iterable[FigureMention]) -> list[list[FigureMention]]:
    """Group figure reports that give the same figure (rules: ``FigureBlocker``)."""
    return cluster(figures, FigureBlocker()).groups


def fused_figures(rows: Iterable[dict[str, Any]]) -> list[FusedFigure]:
    """Fuse figure rows into figures, oldest as-of first (undated last)."""
    by_id = {r["id"]: r for r in rows}
    groups = fuse_figures(FigureMention.from_row(r) for r in by_id.values())
    figures = [_figure_of(g, by_id) for g in groups]
    return sorted(figures, key=lambda f: (f.as_of is None, f.as_of or "", f.kind, f.place_key, f.id))


def within(day: Optional[str], since: Optional[date], until: Optional[date]) -> bool:
    """A fused row's date against ``--since``/``--until`` (undated rows only when neither)."""
    if since is None and until is None:
        return True
    d = _day(day)
    return d is not None and (since is None or d >= since) and (until is None or d <= until)


__all__ = [
    "COUNT_GAP_DAYS", "ControlBlocker", "ControlChange", "ControlMention", "FigureBlocker",
    "FigureMention", "FusedFigure", "STOCK_GAP_DAYS", "STOCK_KINDS", "VALUE_FACTOR",
    "control_changes", "fuse_control", "fuse_figures", "fused_figures", "values_close", "within",
]
