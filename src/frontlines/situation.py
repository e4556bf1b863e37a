"""The situation of a place on a day: who holds it and its roads, whether it is besieged, its figures.

Built from the stored control claims and indicators of every document (rows of
``store.situation_queries``), never from one report: a state is what the latest claims
before the day say, and where claims of the same day disagree, all of them are kept and
shown with their sources. Conventions: docs/situation.md.

- ``control_periods(claims)``: per place, the runs of one controller with their first and
  last supporting claims, and the claims that disputed them.
- ``siege_at(claims, figures, at)``: the siege of a place as of ``at``: besieger, besieged
  side, start, end when broken or lifted (with any claims that deny it), the trapped
  population series, people who left through corridors, aid, and supply forecasts.
- ``situation(store, place, at)``: all of it for one place, plus its access routes: the
  roads that reports about the place name, with their controller and since when.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Optional

from frontlines.gazetteer.placekey import place_key

HOLDING = {"captured", "held", "lost", "divided"}
# A claim dated by its week or month still counts on the days of that period.
_PERIOD_DAYS = {"day": 0, "week": 6, "month": 30, "year": 365, None: 0}
# Claims this close to the latest one tell the same moment: a disagreement then is a contest.
SAME_MOMENT = timedelta(days=1)
# A forecast is "coming due" when its projected day falls within this window of the day asked.
DUE_WINDOW = timedelta(days=14)


def _day(value: Optional[str]) -> Optional[date]:
    return date.fromisoformat(value[:10]) if value else None


def _when(row: dict[str, Any]) -> Optional[date]:
    """A claim's day: its own date, else the day its report was published."""
    return _day(row.get("date") or row.get("as_of")) or _day(row.get("published"))


@dataclass
class Source:
    """One claim or figure as the evidence of a line: what, who says it, where it was read."""

    id: str
    date: Optional[str]
    status: str
    reported_by: list[str]
    outlet: Optional[str]
    published: Optional[str]
    title: Optional[str]
    evidence: Optional[str]
    holder: Optional[str] = None  # for a control claim: who it says holds the place
    document_id: Optional[str] = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> "Source":
        when = _when(row)
        holder = _holder(row)[0] if row.get("change") in HOLDING else None
        return cls(row["id"], when.isoformat() if when else None, row["status"], list(row["reported_by"]),
                   row.get("outlet"), row.get("published"), row.get("title"), row.get("evidence_text"), holder,
                   row.get("document_id"))


def n_sources(rows: list[dict[str, Any]]) -> int:
    """Distinct sources of some claims: outlets, and each document without one (as fusion counts)."""
    return len({f"outlet:{r['outlet'].strip().lower()}" if r.get("outlet") else f"document:{r['document_id']}"
                for r in rows})


@dataclass
class Holding:
    """Who holds a place as of a day, since when, and who says otherwise."""

    place: str
    controller: Optional[str]
    other: Optional[str]  # the other holder of a divided place
    since: Optional[str]
    state: str  # held | divided | contested | unknown
    sources: list[Source] = field(default_factory=list)
    disputed_by: list[Source] = field(default_factory=list)
    n_sources: int = 0  # distinct sources of the holder named (``sources`` may list one outlet twice)


@dataclass
class Period:
    place: str
    controller: Optional[str]
    start: Optional[str]
    end: Optional[str]  # the day the next holder's first claim is dated, or None
    sources: list[Source] = field(default_factory=list)
    disputed_by: list[Source] = field(default_factory=list)


@dataclass
class Siege:
    place: str
    status: str  # besieged | lifted | contested | none
    besieger: Optional[str]
    besieged: Optional[str]
    start: Optional[str]
    end: Optional[str]
    sources: list[Source] = field(default_factory=list)  # the claims the status rests on
    contested_by: list[Source] = field(default_factory=list)  # claims of the other state, same moment
    trapped: list[dict[str, Any]] = field(default_factory=list)
    evacuated: list[dict[str, Any]] = field(default_factory=list)
    aid: list[dict[str, Any]] = field(default_factory=list)
    forecasts: list[dict[str, Any]] = field(default_factory=list)
    n_sources: int = 0  # distinct sources of the status (all claims of the run, not only those listed)


@dataclass
class Situation:
    place: str
    at: Optional[str]
    holding: Holding
    routes: list[Holding]
    siege: Siege
    figures: dict[str, list[dict[str, Any]]]  # kind -> the latest figures, one per source

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------------------- holding


def _holder(row: dict[str, Any]) -> tuple[Optional[str], Optional[str]]:
    """(controller, other holder) a claim says the place has after it."""
    if row["change"] == "lost":
        return row["counterpart"], None
    if row["change"] == "divided":
        return row["controller"], row["counterpart"]
    return row["controller"], None


def _dated(rows: list[dict[str, Any]], at: Optional[date]) -> list[tuple[date, dict[str, Any]]]:
    """(day, row) for the rows dated on or before ``at``, oldest first; future and hypothetical
    claims tell no state."""
    out = []
    for row in rows:
        when = _when(row)
        if when is None or row["status"] in {"expected", "planned", "hypothetical", "negated", "denied"}:
            continue
        if at is None or when <= at:
            out.append((when, row))
    return sorted(out, key=lambda p: (p[0], p[1]["id"]))


def holding_at(claims: list[dict[str, Any]], place: str, at: Optional[date]) -> Holding:
    """The holder of the place as of ``at`` from the latest holding claims; same-moment claims
    naming another holder are kept as its disputes; ``since`` is the start of the run."""
    dated = [(d, r) for d, r in _dated(claims, at) if r["change"] in HOLDING and _holder(r)[0]]
    if not dated:
        return Holding(place, None, None, None, "unknown")
    latest_day = dated[-1][0]
    recent = [(d, r) for d, r in dated if latest_day - d <= SAME_MOMENT]
    best = _best(r for _, r in recent)
    controller, other = _holder(best)
    agree = [r for _, r in recent if _holder(r)[0] == controller]
    disagree = [r for _, r in recent if _holder(r)[0] != controller]
    run = []
    for d, r in reversed(dated):
        if _holder(r)[0] != controller:
            if latest_day - d <= SAME_MOMENT:
                continue  # a dispute of the latest moment, not the end of the run
            break
        run.append((d, r))
    # The run began with its capture (told again by later reports); a day beats a week's Monday.
    taken = [(d, r) for d, r in run if r["change"] in {"captured", "lost"}] or run
    exact = [d for d, r in taken if r.get("date_precision") in {"day", None}]
    since = min(exact or [d for d, _ in taken])
    state = "divided" if best["change"] == "divided" else "contested" if disagree else "held"
    return Holding(place, controller, other, since.isoformat(), state,
                   [Source.of(r) for r in agree], [Source.of(r) for r in disagree], n_sources(agree))


def _best(rows: Any) -> dict[str, Any]:
    """The claim to stand for a moment: asserted or confirmed before a party's claim."""
    order = {"confirmed": 0, "asserted": 1, "claimed": 2}
    return min(rows, key=lambda r: (order.get(r["status"], 3), r["id"]))


def control_periods(claims: list[dict[str, Any]]) -> dict[str, list[Period]]:
    """Per place key, the runs of one controller, oldest first, with their disputes."""
    by_place: dict[str, list[dict[str, Any]]] = {}
    for row in claims:
        by_place.setdefault(row["place_key"], []).append(row)
    out: dict[str, list[Period]] = {}
    for key, rows in by_place.items():
        periods: list[Period] = []
        dated = [(d, r) for d, r in _dated(rows, None) if r["change"] in HOLDING and _holder(r)[0]]
        days: dict[date, list[dict[str, Any]]] = {}
        for d, r in dated:
            days.setdefault(d, []).append(r)
        for d in sorted(days):
            best = _best(days[d])
            controller = _holder(best)[0]
            others = [Source.of(r) for r in days[d] if _holder(r)[0] != controller]
            if periods and periods[-1].controller == controller:
                periods[-1].sources += [Source.of(r) for r in days[d] if _holder(r)[0] == controller]
                periods[-1].disputed_by += others
                continue
            if periods:
                periods[-1].end = d.isoformat()
            periods.append(Period(best["place"], controller, d.isoformat(), None,
                                  [Source.of(r) for r in days[d] if _holder(r)[0] == controller], others))
        out[key] = periods
    return out


# ------------------------------------------------------------------------------- sieges


def siege_at(claims: list[dict[str, Any]], figures: list[dict[str, Any]], place: str,
             at: Optional[date]) -> Siege:
    """The siege of the place as of ``at``. A siege is broken on the latest lifted claim's day
    unless an asserted besieged claim comes after it; besieged claims of the same moment as
    the break (a denial) are kept as ``contested_by``."""
    dated = _dated([r for r in claims if r["change"] in {"besieged", "lifted"}], at)
    denials = [(d, r) for d, r in _dated_all(claims, at) if r["change"] == "besieged" and r["status"] == "claimed"]
    besieged = [(d, r) for d, r in dated if r["change"] == "besieged"]
    lifted = [(d, r) for d, r in dated if r["change"] == "lifted"]
    siege = Siege(place, "none", None, None, None, None)
    if not besieged and not lifted:
        return siege
    last_lift = lifted[-1][0] if lifted else None
    after = [(d, r) for d, r in besieged if last_lift and d > last_lift + SAME_MOMENT and r["status"] != "claimed"]
    if last_lift is not None and not after:
        lift_rows = [r for d, r in lifted if last_lift - d <= SAME_MOMENT]
        before = [(d, r) for d, r in besieged if d <= last_lift]
        siege.status = "lifted"
        siege.end = min(d for d, r in lifted if last_lift - d <= SAME_MOMENT).isoformat()
        siege.sources = [Source.of(r) for r in lift_rows]
        siege.n_sources = n_sources(lift_rows)
        contest = [r for d, r in denials if d >= _day(siege.end) - SAME_MOMENT]
        if contest:
            siege.status = "contested"
            siege.contested_by = [Source.of(r) for r in contest]
        run = before
    else:
        run = after or besieged
        siege.status = "besieged"
        siege.sources = [Source.of(r) for _, r in run[-3:]]
        siege.n_sources = n_sources([r for _, r in run])
    rows = [r for _, r in run] + [r for _, r in lifted]
    start_rows = run or lifted
    siege.start = start_rows[0][0].isoformat() if run else None
    siege.besieger = next((r["controller"] for r in rows if r["controller"]), None)
    siege.besieged = next((r["counterpart"] for r in rows if r["counterpart"]), None)
    siege.trapped = _series(figures, {"trapped_population"}, at)
    siege.evacuated = _series(figures, {"evacuated"}, at)
    siege.aid = _series(figures, {"aid_delivered"}, at)
    siege.forecasts = forecasts(figures, at)
    return siege


@dataclass
class SiegePeriod:
    """One run of a siege: besieged from ``start`` until ``end`` (the day it was broken or
    lifted), or still on (``end`` None)."""

    place: str
    status: str  # besieged (still on) | lifted | contested (lifted, and a party denies it)
    besieger: Optional[str]
    besieged: Optional[str]
    start: Optional[str]  # None: a lift is told with no siege claim before it
    end: Optional[str]
    sources: list[Source] = field(default_factory=list)  # the besieged claims of the run
    lifted_by: list[Source] = field(default_factory=list)
    contested_by: list[Source] = field(default_factory=list)


def siege_periods(claims: list[dict[str, Any]], place: str) -> list[SiegePeriod]:
    """Every run of a siege of one place, oldest first: ``siege_at`` asked on each day a
    siege claim is dated, so a run begins and ends exactly where the state of the day
    says (a siege broken and laid again is two runs; a denied break stays one, contested)."""
    siege_rows = [r for r in claims if r["change"] in {"besieged", "lifted"}]
    days = sorted({d for d, _ in _dated_all(siege_rows, None)})
    periods: list[SiegePeriod] = []
    for day in days:
        s = siege_at(siege_rows, [], place, day)
        last = periods[-1] if periods else None
        if s.status == "none":
            continue
        if s.status == "besieged":
            if last is None or last.end is not None:
                last = SiegePeriod(place, "besieged", None, None, s.start, None)
                periods.append(last)
            last.besieger = last.besieger or s.besieger
            last.besieged = last.besieged or s.besieged
            continue
        # lifted or contested: close the open run, or tell of a lift on its own
        if last is not None and last.end is not None and last.end != s.end:
            continue  # the lift told again later: the run ended on its first day
        if last is None:
            last = SiegePeriod(place, s.status, s.besieger, s.besieged, None, s.end)
            periods.append(last)
        last.status, last.end = s.status, s.end
        last.lifted_by, last.contested_by = s.sources, s.contested_by
        last.besieger = last.besieger or s.besieger
        last.besieged = last.besieged or s.besieged
    for period in periods:
        lo = _day(period.start) or date.min
        hi = _day(period.end) or date.max
        period.sources = [Source.of(r) for d, r in _dated(siege_rows, None)
                          if r["change"] == "besieged" and lo <= d <= hi]
    return periods


def _dated_all(rows: list[dict[str, Any]], at: Optional[date]) -> list[tuple[date, dict[str, Any]]]:
    out = [(_when(r), r) for r in rows if _when(r) is not None and (at is None or _when(r) <= at)]
    return sorted(out, key=lambda p: (p[0], p[1]["id"]))  # type: ignore[arg-type, return-value]


def _figure(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "kind", "value", "unit", "low", "high", "hedge", "as_of", "projected_date", "status",
            "reported_by", "outlet", "published", "title", "evidence_text", "place")
    return {k: row.get(k) for k in keys}


def _series(figures: list[dict[str, Any]], kinds: set[str], at: Optional[date]) -> list[dict[str, Any]]:
    return [_figure(r) for r in figures if r["kind"] in kinds and (at is None or (_when(r) or at) <= at)]


def forecasts(figures: list[dict[str, Any]], at: Optional[date]) -> list[dict[str, Any]]:
    """Forecasts made on or before ``at``, each marked passed, due (within two weeks) or later."""
    out = []
    for r in figures:
        if r["kind"] != "supply_exhaustion" or (at is not None and (_when(r) or at) > at):
            continue
        item = _figure(r)
        projected = _day(r.get("projected_date"))
        if at is None or projected is None:
            item["due"] = "unknown" if projected is None else "later"
        elif projected < at:
            item["due"] = "passed"
        elif projected - at <= DUE_WINDOW:
            item["due"] = "due"
        else:
            item["due"] = "later"
        out.append(item)
    return out


def latest_figures(figures: list[dict[str, Any]], at: Optional[date]) -> dict[str, list[dict[str, Any]]]:
    """Per kind, the latest figure of each source (outlet) on or before ``at``, newest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, Optional[str]]] = set()
    rows = [r for r in figures if r["kind"] != "supply_exhaustion" and (at is None or (_when(r) or at) <= at)]
    for r in sorted(rows, key=lambda r: (_when(r) or date.min), reverse=True):
        key = (r["kind"], r.get("outlet"))
        if key not in seen:
            seen.add(key)
            out.setdefault(r["kind"], []).append(_figure(r))
    return out


# ------------------------------------------------------------------------------- the whole


def routes_of(claims: list[dict[str, Any]], place: str) -> list[str]:
    """The roads reports about the place hold claims about: its access routes, as the sources
    see them (keys, most claimed first)."""
    key = place_key(place)
    docs = {r["document_id"] for r in claims if r["place_key"] == key}
    counts: dict[str, int] = {}
    for r in claims:
        if r["document_id"] in docs and r.get("place_kind") == "road" and r["place_key"] != key:
            counts[r["place_key"]] = counts.get(r["place_key"], 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))


def build_situation(place: str, claims: list[dict[str, Any]], figures: list[dict[str, Any]],
                    at: Optional[date]) -> Situation:
    """The situation from all stored claims (``claims``) and the place's figures."""
    key = place_key(place)
    own = [r for r in claims if r["place_key"] == key]
    name = own[0]["place"] if own else place
    routes = []
    for route in routes_of(claims, place):
        rows = [r for r in claims if r["place_key"] == route]
        routes.append(holding_at(rows, rows[0]["place"], at))
    return Situation(name, at.isoformat() if at else None, holding_at(own, name, at), routes,
                     siege_at(own, figures, name, at), latest_figures(figures, at))


def situation(store: Any, place: str, at: Optional[date] = None) -> Situation:
    """The situation of ``place`` as of ``at`` (default: everything stored)."""
    from frontlines.store.situation_queries import control_claims, indicators

    return build_situation(place, control_claims(store), indicators(store, place=place), at)


__all__ = ["Holding", "Period", "Siege", "SiegePeriod", "Situation", "Source", "build_situation",
           "control_periods", "forecasts", "holding_at", "latest_figures", "n_sources", "routes_of",
           "siege_at", "siege_periods", "situation"]
