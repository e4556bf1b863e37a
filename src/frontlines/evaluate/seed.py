"""Score a Reading of the seed article against its hand-made gold (``../shared/eval/seed``).

``score_seed`` is pure: it takes ``Reading.to_dict()``, the parsed ``gold.json`` and the article
text, and returns a ``SeedScore``. ``evaluate_seed`` reads the files and runs the reader.

Matching rules (the same machinery for events, control claims and indicators):

- A prediction and a gold item are *candidates* when they have the same key (events: PLOVER
  type; control: ``change``; indicators: ``kind``) and some predicted evidence span
  ``[start, end)`` overlaps some occurrence in the text of some gold evidence string (every
  occurrence counts: a caption printed twice is found twice).
- Matching is one-to-one and of maximum size: greedy by overlap size (characters shared by the
  two evidence unions) first, then augmenting paths, which only re-pair items when that adds a
  match. So the counts never depend on the order of the predictions.
- Precision = matched predictions / (predictions - forgiven); recall = matched gold / gold.
- An unmatched prediction whose candidates are all taken is a *duplicate* (a false positive,
  reported separately) unless its evidence also overlaps the evidence of a gold event
  ``related`` to one of those candidates: then it splits a linked story and is *forgiven*
  (neither true nor false positive). Control and indicators have no links, so no forgiveness.
- An unmatched gold event whose evidence is covered by a prediction matched to a ``related``
  gold event is reported as a *linked merge*. It still counts as missed: recall stays strict.
- Predictions that are not one of the one-to-one matches and overlap a gold ``non_events``
  evidence are *traps hit*.

Field rules over matched pairs:

- Actors are aligned to gold ids by id, then by name or alias, then by sector + country when
  that names one gold actor (or one top of a membership tree); ``actor_alignment`` shows how.
- actors / targets / reported_by / controller: equal as sets, where a predicted actor may be an
  ancestor (``part_of``) of the gold actor it stands for, never a descendant. For ACLED
  "Battles" the dyad is unordered: actors and targets may be swapped.
- place: normalised name equality; "place (coarse ok)" also accepts any ``within`` ancestor.
- date: value equal, ±1 day when the gold expression is null (dated from tense or order);
  a null gold value needs a null prediction. "date + precision" also needs the same precision.
- status: equal, planned and expected being one class. Other fields: plain equality.
- Control ``lost`` is read as ``captured`` with controller and counterpart swapped, ``gained``
  as ``captured``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

from frontlines.evaluate.common import (
    PRF, FieldTally, Interval, find_all, normalise_name, overlap_size,
)

# Targets from issue 2, printed beside the figures (never asserted).
TARGET_EVENT_RECALL = 0.9
TARGET_EVENT_PRECISION = 0.8

_ADMIN1_KINDS = {"admin1", "adm1", "province", "governorate", "state"}
_PROVINCE_WORDS = {"province", "governorate", "muhafazat", "muhafazah", "wilayah"}
_CHANGE_ALIASES = {"gained": "captured", "taken": "captured", "seized": "captured"}


# --------------------------------------------------------------------------- results


@dataclass
class Pair:
    """One matched gold/prediction pair and how each field fared."""

    gold_id: str
    pred_index: int
    pred_id: str
    overlap: int
    fields: dict[str, bool]
    wrong: dict[str, tuple[Any, Any]]  # field -> (predicted, gold), only the wrong ones

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold_id": self.gold_id,
            "pred_index": self.pred_index,
            "pred_id": self.pred_id,
            "overlap": self.overlap,
            "fields": dict(self.fields),
            "wrong": {k: {"predicted": p, "gold": g} for k, (p, g) in self.wrong.items()},
        }


@dataclass
class Unmatched:
    """A gold item or prediction left without a partner, with the reason, for error analysis."""

    id: str
    key: str
    evidence: str
    reason: str
    index: Optional[int] = None  # position in the prediction list (predictions only)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "evidence": self.evidence, "reason": self.reason,
                "index": self.index}


@dataclass
class SectionScore:
    name: str
    key_name: str  # what must agree besides evidence: "plover", "change", "kind"
    prf: PRF
    fields: dict[str, FieldTally]
    pairs: list[Pair]
    unmatched_gold: list[Unmatched]
    unmatched_pred: list[Unmatched]
    duplicates: int = 0
    forgiven: int = 0
    linked_merges: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "match_on": ["evidence overlap", self.key_name],
            **self.prf.to_dict(),
            "duplicates": self.duplicates,
            "forgiven": self.forgiven,
            "linked_merges": self.linked_merges,
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "pairs": [p.to_dict() for p in self.pairs],
            "unmatched_gold": [u.to_dict() for u in self.unmatched_gold],
            "unmatched_pred": [u.to_dict() for u in self.unmatched_pred],
        }


@dataclass
class TrapHit:
    non_event_id: str
    trap: str
    section: str
    pred_id: str
    pred_key: str

    def to_dict(self) -> dict[str, Any]:
        return {"non_event_id": self.non_event_id, "trap": self.trap, "section": self.section,
                "pred_id": self.pred_id, "pred_key": self.pred_key}


@dataclass
class SeedScore:
    document: dict[str, Any]
    events: SectionScore
    control: SectionScore
    indicators: SectionScore
    traps_hit: list[TrapHit]
    n_non_events: int
    actor_alignment: dict[str, dict[str, str]]  # predicted id -> {"gold": id, "by": rule}
    repaired_spans: int = 0  # predicted offsets that did not point at their own text
    unlocated_spans: int = 0  # predicted spans found nowhere in the text (ignored)
    problems: list[str] = field(default_factory=list)

    @property
    def sections(self) -> tuple[SectionScore, SectionScore, SectionScore]:
        return (self.events, self.control, self.indicators)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": "seed",
            "document": dict(self.document),
            "events": self.events.to_dict(),
            "control": self.control.to_dict(),
            "indicators": self.indicators.to_dict(),
            "non_events": {
                "n": self.n_non_events,
                "traps_hit": len({t.non_event_id for t in self.traps_hit}),
                "hits": [t.to_dict() for t in self.traps_hit],
            },
            "actor_alignment": {k: dict(v) for k, v in self.actor_alignment.items()},
            "repaired_spans": self.repaired_spans,
            "unlocated_spans": self.unlocated_spans,
            "problems": list(self.problems),
            "targets": {
                "event_recall": TARGET_EVENT_RECALL,
                "event_precision": TARGET_EVENT_PRECISION,
                "met": self.targets_met,
            },
        }

    @property
    def targets_met(self) -> bool:
        return (self.events.prf.recall >= TARGET_EVENT_RECALL
                and self.events.prf.precision >= TARGET_EVENT_PRECISION)

    def format(self, verbose: bool = False) -> str:
        doc = self.document
        lines = [f"seed: {doc.get('title') or doc.get('id')} (published {doc.get('published')})", ""]
        lines.append(f"{'':<11}{'match on':<18}{'pred':>5}{'gold':>5}{'tp':>4}"
                     f"{'P':>7}{'R':>7}{'F1':>7}{'dup':>5}{'forgiven':>9}")
        for s in self.sections:
            p = s.prf
            lines.append(
                f"{s.name:<11}{'overlap+' + s.key_name:<18}{p.n_pred:>5}{p.n_gold:>5}{p.tp_gold:>4}"
                f"{p.precision:>7.3f}{p.recall:>7.3f}{p.f1:>7.3f}{s.duplicates:>5}{s.forgiven:>9}")
        ev = self.events.prf
        mark = lambda ok: "ok" if ok else "below"  # noqa: E731
        lines.append(
            f"targets (issue 2): event recall >= {TARGET_EVENT_RECALL:.1f} [{mark(ev.recall >= TARGET_EVENT_RECALL)}], "
            f"precision >= {TARGET_EVENT_PRECISION:.1f} [{mark(ev.precision >= TARGET_EVENT_PRECISION)}]")
        hit_ids = sorted({t.non_event_id for t in self.traps_hit}, key=_id_order)
        lines.append(f"non-event traps hit: {len(hit_ids)}/{self.n_non_events}"
                     + (f" ({', '.join(hit_ids)})" if hit_ids else ""))
        if self.events.linked_merges:
            lines.append(f"linked merges (gold events folded into a linked match, counted missed): "
                         f"{self.events.linked_merges}")
        for s in self.sections:
            if not s.pairs:
                continue
            lines.append("")
            lines.append(f"{s.name} fields over {len(s.pairs)} matched pairs")
            lines.append(f"  {'field':<24}{'n':>4}{'ok':>5}{'acc':>8}")
            for name, t in s.fields.items():
                lines.append(f"  {name:<24}{t.n:>4}{t.correct:>5}{t.accuracy:>8.3f}")
        if self.repaired_spans or self.unlocated_spans:
            lines.append("")
            lines.append(f"predicted spans re-located by their text: {self.repaired_spans}; "
                         f"found nowhere: {self.unlocated_spans}")
        for msg in self.problems:
            lines.append(f"problem: {msg}")
        if verbose:
            lines.extend(self._format_details())
        return "\n".join(lines)

    def _format_details(self) -> list[str]:
        lines: list[str] = []
        aligned = {k: v for k, v in self.actor_alignment.items() if v.get("by") != "id"}
        if aligned:
            lines += ["", "actor alignment (predicted -> gold):"]
            lines += [f"  {k} -> {v.get('gold') or '?'} (by {v.get('by')})" for k, v in aligned.items()]
        for s in self.sections:
            wrong = [p for p in s.pairs if p.wrong]
            if wrong:
                lines += ["", f"{s.name}: wrong fields in matched pairs"]
                for p in wrong:
                    for name, (pv, gv) in p.wrong.items():
                        lines.append(f"  {p.gold_id} ~ {p.pred_id}: {name}: predicted {pv!r}, gold {gv!r}")
            if s.unmatched_gold:
                lines += ["", f"{s.name}: unmatched gold"]
                lines += [f"  {u.id} [{u.key}] {u.reason}: {_clip(u.evidence)!r}" for u in s.unmatched_gold]
            if s.unmatched_pred:
                lines += ["", f"{s.name}: unmatched predictions"]
                lines += [f"  #{u.index} {u.id} [{u.key}] {u.reason}: {_clip(u.evidence)!r}"
                          for u in s.unmatched_pred]
        if self.traps_hit:
            lines += ["", "non-event traps hit"]
            lines += [f"  {t.non_event_id} ({t.trap}) by {t.section} {t.pred_id} [{t.pred_key}]"
                      for t in self.traps_hit]
        return lines


def _clip(s: str, n: int = 90) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _id_order(s: str) -> tuple[str, int]:
    # "N10" after "N9"
    head = s.rstrip("0123456789")
    tail = s[len(head):]
    return (head, int(tail) if tail else -1)


# --------------------------------------------------------------------------- context


@dataclass
class _Item:
    index: int
    id: str
    key: str
    intervals: list[Interval]
    record: dict[str, Any]
    evidence_text: str
    related: frozenset[str] = frozenset()


class _Context:
    """What the field comparisons need to know about the gold: actor trees and place trees."""

    def __init__(self, gold: dict[str, Any], prediction: dict[str, Any]):
        actors = gold.get("actors") or []
        self.parent: dict[str, Optional[str]] = {a["id"]: a.get("part_of") for a in actors}
        self.within: dict[str, str] = {}
        for rec in _gold_places(gold):
            name, parent = _norm_place(rec.get("name"), rec.get("kind")), rec.get("within")
            if name and parent and name not in self.within:
                self.within[name] = _norm_place(parent, None)
        self.alignment = _align_actors(prediction, actors)

    def map_ids(self, ids: Optional[Iterable[Any]]) -> list[str]:
        out = []
        for a in ids or []:
            if a is None:
                continue
            a = str(a)
            out.append(self.alignment.get(a, {}).get("gold") or a)
        return out

    def ancestors(self, actor_id: str) -> set[str]:
        seen: set[str] = set()
        cur = self.parent.get(actor_id)
        while cur and cur not in seen:
            seen.add(cur)
            cur = self.parent.get(cur)
        return seen

    def actors_ok(self, pred: Sequence[str], gold: Sequence[str]) -> bool:
        """Every gold actor stood for by a predicted one (itself or an ancestor), and every
        predicted actor standing for some gold actor."""
        p, g = set(pred), set(gold)
        covers = lambda pa, ga: pa == ga or pa in self.ancestors(ga)  # noqa: E731
        return (all(any(covers(pa, ga) for pa in p) for ga in g)
                and all(any(covers(pa, ga) for ga in g) for pa in p))

    def place_chain(self, gold_place: Optional[dict[str, Any]]) -> list[str]:
        """The gold place's normalised name followed by its ``within`` ancestors."""
        if not gold_place:
            return []
        chain = [_norm_place(gold_place.get("name"), gold_place.get("kind"))]
        parent = gold_place.get("within")
        cur = _norm_place(parent, None) if parent else None
        while cur and cur not in chain:
            chain.append(cur)
            cur = self.within.get(cur)
        return chain


def _gold_places(gold: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for section in ("events", "control", "indicators"):
        for rec in gold.get(section) or []:
            if isinstance(rec.get("place"), dict):
                yield rec["place"]


def _align_actors(prediction: dict[str, Any], gold_actors: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Map predicted actor ids to gold ids: by id, by name/alias, else by sector+country."""
    by_id = {a["id"].upper(): a["id"] for a in gold_actors}
    by_name: dict[str, set[str]] = {}
    for a in gold_actors:
        for n in [*(a.get("names") or []), a["id"].replace("_", " ")]:
            by_name.setdefault(normalise_name(n), set()).add(a["id"])
    info = {str(a.get("id")): a for a in prediction.get("actors") or [] if a.get("id") is not None}
    used: list[str] = list(info)
    for section, roles in (("events", ("actors", "targets", "reported_by")),
                           ("control", ("controller", "counterpart", "reported_by")),
                           ("indicators", ("reported_by",))):
        for rec in prediction.get(section) or []:
            for role in roles:
                v = rec.get(role)
                for a in (v if isinstance(v, list) else [v]):
                    if a is not None and str(a) not in used:
                        used.append(str(a))
    out: dict[str, dict[str, str]] = {}
    for pid in used:
        if pid.upper() in by_id:
            out[pid] = {"gold": by_id[pid.upper()], "by": "id"}
            continue
        a = info.get(pid, {})
        names = {normalise_name(a.get("name")), normalise_name(pid.replace("_", " "))} - {""}
        hits = set().union(*(by_name.get(n, set()) for n in names)) if names else set()
        if len(hits) == 1:
            out[pid] = {"gold": hits.pop(), "by": "name"}
            continue
        sector, country = (a.get("sector") or "").upper(), (a.get("country") or "").upper()
        if sector and country:
            cands = [g for g in gold_actors
                     if (g.get("sector") or "").upper() == sector and (g.get("country") or "").upper() == country]
            ids = {g["id"] for g in cands}
            tops = [g["id"] for g in cands if g.get("part_of") not in ids]
            if len(tops) == 1:
                out[pid] = {"gold": tops[0], "by": "sector+country"}
                continue
        out[pid] = {"gold": "", "by": "unaligned"}
    return out


# --------------------------------------------------------------------------- normalising


def _norm_place(name: Optional[str], kind: Optional[str]) -> str:
    """"Aleppo Governorate", "Muhafazat Halab" and an admin1 "Aleppo" all end in "province"."""
    words = normalise_name(name).split()
    words = ["province" if w in _PROVINCE_WORDS else w for w in words]
    if words and words[0] == "province" and len(words) > 1:
        words = words[1:] + ["province"]
    if (kind or "").lower() in _ADMIN1_KINDS and "province" not in words and words:
        words.append("province")
    return " ".join(words)


def _pred_place_names(rec: dict[str, Any]) -> list[str]:
    names = []
    place = rec.get("place")
    if isinstance(place, dict) and place.get("name"):
        names.append(_norm_place(place.get("name"), place.get("kind")))
    if rec.get("place_text"):  # control claims keep the surface text even when resolved
        names.append(_norm_place(rec["place_text"], None))
    return [n for n in names if n]


def _parse_date(v: Any) -> Optional[date]:
    if isinstance(v, date):
        return v
    if not v or not isinstance(v, str):
        return None
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        return None


def _date_ok(pred: Optional[dict[str, Any]], gold: Optional[dict[str, Any]]) -> bool:
    pred, gold = pred or {}, gold or {}
    gv, pv = _parse_date(gold.get("value")), _parse_date(pred.get("value"))
    if gv is None:
        return pv is None
    if pv is None:
        return False
    slack = timedelta(days=1) if gold.get("expression") is None else timedelta(0)
    return abs(pv - gv) <= slack


def _date_precision_ok(pred: Optional[dict[str, Any]], gold: Optional[dict[str, Any]]) -> bool:
    return _date_ok(pred, gold) and (pred or {}).get("precision") == (gold or {}).get("precision")


def _status(v: Any) -> Optional[str]:
    s = str(v).lower() if v else None
    return "expected" if s == "planned" else s  # the README lets planned and expected be one class


def _text_eq(a: Any, b: Any) -> bool:
    return normalise_name(a) == normalise_name(b) if (a or b) else True


def _num_eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def _date_repr(d: Optional[dict[str, Any]]) -> Any:
    d = d or {}
    return [d.get("value"), d.get("precision"), d.get("expression")]


def _place_repr(rec: dict[str, Any]) -> Any:
    place = rec.get("place")
    name = place.get("name") if isinstance(place, dict) else None
    return name or rec.get("place_text")


# --------------------------------------------------------------------------- fields


FieldResults = dict[str, tuple[bool, Any, Any]]  # field -> (ok, predicted, gold)


def _place_fields(p: dict[str, Any], g: dict[str, Any], ctx: _Context, out: FieldResults) -> None:
    chain = ctx.place_chain(g.get("place"))
    names = _pred_place_names(p)
    gname = (g.get("place") or {}).get("name")
    if not chain:  # no gold place: right only when nothing is predicted
        out["place"] = (not names, _place_repr(p), None)
        out["place (coarse ok)"] = out["place"]
        return
    out["place"] = (chain[0] in names, _place_repr(p), gname)
    out["place (coarse ok)"] = (any(n in chain for n in names), _place_repr(p), " < ".join(chain))


def _event_fields(p: dict[str, Any], g: dict[str, Any], ctx: _Context) -> FieldResults:
    out: FieldResults = {}
    pa, pt = ctx.map_ids(p.get("actors")), ctx.map_ids(p.get("targets"))
    ga, gt = list(g.get("actors") or []), list(g.get("targets") or [])
    a_ok, t_ok = ctx.actors_ok(pa, ga), ctx.actors_ok(pt, gt)
    if g.get("acled_event_type") == "Battles":  # dyads are unordered: try the swap
        sa, st = ctx.actors_ok(pt, ga), ctx.actors_ok(pa, gt)
        if sa + st > a_ok + t_ok:
            a_ok, t_ok, pa, pt = sa, st, pt, pa
    out["actors"] = (a_ok, pa, ga)
    out["targets"] = (t_ok, pt, gt)
    _place_fields(p, g, ctx, out)
    out["date"] = (_date_ok(p.get("date"), g.get("date")), _date_repr(p.get("date")), _date_repr(g.get("date")))
    out["date + precision"] = (_date_precision_ok(p.get("date"), g.get("date")),
                               _date_repr(p.get("date")), _date_repr(g.get("date")))
    out["status"] = (_status(p.get("status")) == _status(g.get("status")), p.get("status"), g.get("status"))
    out["mode"] = (_text_eq(p.get("mode"), g.get("mode")), p.get("mode"), g.get("mode"))
    for k in ("acled_event_type", "acled_sub_event_type"):
        out[k] = (_text_eq(p.get(k), g.get(k)), p.get(k), g.get(k))
    out["fatalities"] = (_num_eq(p.get("fatalities"), g.get("fatalities")), p.get("fatalities"), g.get("fatalities"))
    pr, gr = ctx.map_ids(p.get("reported_by")), list(g.get("reported_by") or [])
    out["reported_by"] = (ctx.actors_ok(pr, gr), pr, gr)
    return out


def _control_view(p: dict[str, Any]) -> tuple[str, Any, Any]:
    """(change, controller, counterpart) with "lost" turned round into "captured"."""
    change = str(p.get("change") or "").lower()
    controller, counterpart = p.get("controller"), p.get("counterpart")
    if change == "lost":
        return "captured", counterpart, controller
    return _CHANGE_ALIASES.get(change, change), controller, counterpart


def _control_fields(p: dict[str, Any], g: dict[str, Any], ctx: _Context) -> FieldResults:
    out: FieldResults = {}
    _, controller, counterpart = _control_view(p)
    for name, pv, gv in (("controller", controller, g.get("controller")),
                         ("counterpart", counterpart, g.get("counterpart"))):
        pm = ctx.map_ids([pv] if pv else [])
        out[name] = (ctx.actors_ok(pm, [gv] if gv else []), pm[0] if pm else None, gv)
    _place_fields(p, g, ctx, out)
    out["date"] = (_date_ok(p.get("date"), g.get("date")), _date_repr(p.get("date")), _date_repr(g.get("date")))
    out["date + precision"] = (_date_precision_ok(p.get("date"), g.get("date")),
                               _date_repr(p.get("date")), _date_repr(g.get("date")))
    out["status"] = (_status(p.get("status")) == _status(g.get("status")), p.get("status"), g.get("status"))
    return out


def _indicator_fields(p: dict[str, Any], g: dict[str, Any], ctx: _Context) -> FieldResults:
    out: FieldResults = {}
    value_ok = _num_eq(p.get("value"), g.get("value"))
    if g.get("value") is None:  # a verbal bound ("the majority") lives in low/high
        value_ok = value_ok and _num_eq(p.get("low"), g.get("low")) and _num_eq(p.get("high"), g.get("high"))
    out["value"] = (value_ok, [p.get("value"), p.get("low"), p.get("high")],
                    [g.get("value"), g.get("low"), g.get("high")])
    out["hedge"] = (_text_eq(p.get("hedge"), g.get("hedge")), p.get("hedge"), g.get("hedge"))
    _place_fields(p, g, ctx, out)
    out["as_of"] = (_date_ok(p.get("as_of"), g.get("as_of")), _date_repr(p.get("as_of")), _date_repr(g.get("as_of")))
    out["as_of + precision"] = (_date_precision_ok(p.get("as_of"), g.get("as_of")),
                                _date_repr(p.get("as_of")), _date_repr(g.get("as_of")))
    out["status"] = (_status(p.get("status")) == _status(g.get("status")), p.get("status"), g.get("status"))
    return out


# --------------------------------------------------------------------------- spans and items


class _SpanLocator:
    """Predicted offsets are trusted when they point at their own text; otherwise the text is
    looked up (nearest occurrence), so a reader that shifts offsets is still scored on content
    and the shift is counted."""

    def __init__(self, text: str):
        self.text = text
        self.repaired = 0
        self.unlocated = 0

    def locate(self, span: Any) -> Optional[Interval]:
        if not isinstance(span, dict):
            return None
        s, e, t = span.get("start"), span.get("end"), span.get("text")
        valid = isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(self.text)
        if valid and (t is None or self.text[s:e] == t):
            return (s, e)
        hits = find_all(self.text, t) if t else []
        if hits:
            self.repaired += 1
            ref = s if isinstance(s, int) else 0
            return min(hits, key=lambda iv: abs(iv[0] - ref))
        self.unlocated += 1
        return None


def _pred_items(records: list[dict[str, Any]], key: Callable[[dict[str, Any]], str],
                loc: _SpanLocator, prefix: str) -> list[_Item]:
    items = []
    for i, rec in enumerate(records):
        spans = list(rec.get("evidence") or [])
        if not spans:  # no evidence list: fall back to what else points into the text
            spans = [s for s in (rec.get("trigger"), rec.get("sentence")) if s]
        ivs = [iv for iv in (loc.locate(s) for s in spans) if iv]
        text = " | ".join(str(s.get("text") or "") for s in spans if isinstance(s, dict))
        items.append(_Item(i, str(rec.get("id") or f"{prefix}{i}"), key(rec), ivs, rec, text))
    return items


def _gold_items(records: list[dict[str, Any]], key: Callable[[dict[str, Any]], str], text: str,
                problems: list[str]) -> list[_Item]:
    items = []
    for i, rec in enumerate(records):
        ivs: list[Interval] = []
        for ev in rec.get("evidence") or []:
            found = find_all(text, ev)
            if not found:
                problems.append(f"gold {rec.get('id')}: evidence not in text: {_clip(ev, 60)!r}")
            ivs.extend(found)
        items.append(_Item(i, str(rec.get("id") or i), key(rec), ivs, rec,
                           " | ".join(rec.get("evidence") or []), frozenset(rec.get("related") or [])))
    return items


def _match(gold: list[_Item], pred: list[_Item]) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """Maximum one-to-one matching, seeded greedily by overlap size. Returns pred->gold and the
    candidate overlaps."""
    cand: dict[tuple[int, int], int] = {}
    for p in pred:
        for g in gold:
            if p.key == g.key:
                ov = overlap_size(p.intervals, g.intervals)
                if ov > 0:
                    cand[(p.index, g.index)] = ov
    g_of_p: dict[int, int] = {}
    p_of_g: dict[int, int] = {}
    for pi, gi in sorted(cand, key=lambda k: (-cand[k], k[1], k[0])):
        if pi not in g_of_p and gi not in p_of_g:
            g_of_p[pi], p_of_g[gi] = gi, pi
    adj: dict[int, list[int]] = {}
    for (pi, gi), ov in sorted(cand.items(), key=lambda kv: (-kv[1], kv[0][1])):
        adj.setdefault(pi, []).append(gi)

    def augment(pi: int, seen: set[int]) -> bool:
        for gi in adj.get(pi, []):
            if gi in seen:
                continue
            seen.add(gi)
            if gi not in p_of_g or augment(p_of_g[gi], seen):
                g_of_p[pi], p_of_g[gi] = gi, pi
                return True
        return False

    for p in pred:
        if p.index not in g_of_p:
            augment(p.index, set())
    return g_of_p, cand


def _score_section(name: str, key_name: str, gold: list[_Item], pred: list[_Item],
                   fields_fn: Callable[[dict[str, Any], dict[str, Any], _Context], FieldResults],
                   ctx: _Context) -> SectionScore:
    g_of_p, cand = _match(gold, pred)
    p_of_g = {gi: pi for pi, gi in g_of_p.items()}
    by_id = {g.id: g for g in gold}
    linked = lambda g: {r for r in by_id if r != g.id and (r in g.related or g.id in by_id[r].related)}  # noqa: E731

    score = SectionScore(name, key_name, PRF(n_pred=len(pred), n_gold=len(gold), tp_pred=len(g_of_p),
                                             tp_gold=len(g_of_p)), {}, [], [], [])
    for p in pred:
        if p.index not in g_of_p:
            continue
        g = gold[g_of_p[p.index]]
        res = fields_fn(p.record, g.record, ctx)
        for fname, (ok, _, _) in res.items():
            score.fields.setdefault(fname, FieldTally()).add(ok)
        score.pairs.append(Pair(g.id, p.index, p.id, cand[(p.index, g.index)],
                                {k: v[0] for k, v in res.items()},
                                {k: (v[1], v[2]) for k, v in res.items() if not v[0]}))

    for p in pred:
        if p.index in g_of_p:
            continue
        taken = [gold[gi] for (pi, gi) in cand if pi == p.index]
        if taken:  # every candidate already has its partner
            rel = {r for g in taken for r in linked(g)}
            hit = [r for r in sorted(rel) if overlap_size(p.intervals, by_id[r].intervals) > 0]
            if hit:
                score.forgiven += 1
                reason = f"forgiven: splits linked {'/'.join(g.id for g in taken)}~{'/'.join(hit)}"
            else:
                score.duplicates += 1
                reason = f"duplicate of {'/'.join(g.id for g in taken)}"
        else:
            other = [g for g in gold if overlap_size(p.intervals, g.intervals) > 0]
            reason = ("wrong " + key_name + ": overlaps " + ", ".join(f"{g.id} [{g.key}]" for g in other)
                      if other else ("no evidence in text" if not p.intervals else "no gold overlap"))
        score.unmatched_pred.append(Unmatched(p.id, p.key, p.evidence_text, reason, p.index))
    score.prf.excluded_pred = score.forgiven

    for g in gold:
        if g.index in p_of_g:
            continue
        merged = [pred[p_of_g[by_id[r].index]] for r in sorted(linked(g)) if by_id[r].index in p_of_g]
        merged = [p for p in merged if overlap_size(p.intervals, g.intervals) > 0]
        others = [p for p in pred if p.key != g.key and overlap_size(p.intervals, g.intervals) > 0]
        if merged:
            score.linked_merges += 1
            reason = "linked merge: covered by " + ", ".join(f"{p.id} (matched {gold[g_of_p[p.index]].id})"
                                                             for p in merged)
        elif others:
            reason = "predicted as " + ", ".join(f"{p.id} [{p.key}]" for p in others)
        else:
            reason = "missed"
        score.unmatched_gold.append(Unmatched(g.id, g.key, g.evidence_text, reason))
    return score


# --------------------------------------------------------------------------- entry points


def _event_key(rec: dict[str, Any]) -> str:
    return str(rec.get("plover") or "").upper()


def _control_key(rec: dict[str, Any]) -> str:
    return _control_view(rec)[0]


def _indicator_key(rec: dict[str, Any]) -> str:
    return str(rec.get("kind") or "").lower()


def score_seed(prediction: dict[str, Any], gold: dict[str, Any], text: str) -> SeedScore:
    """Score one ``Reading.to_dict()`` against the seed gold. Pure: no files, no reader."""
    problems: list[str] = []
    ctx = _Context(gold, prediction)
    loc = _SpanLocator(text)
    sections = []
    for name, key_name, key, fields_fn, prefix in (
        ("events", "plover", _event_key, _event_fields, "event#"),
        ("control", "change", _control_key, _control_fields, "control#"),
        ("indicators", "kind", _indicator_key, _indicator_fields, "indicator#"),
    ):
        g_items = _gold_items(gold.get(name) or [], key, text, problems)
        p_items = _pred_items(prediction.get(name) or [], key, loc, prefix)
        sections.append((_score_section(name, key_name, g_items, p_items, fields_fn, ctx), p_items))

    traps = _gold_items(gold.get("non_events") or [], lambda r: str(r.get("trap") or ""), text, problems)
    hits: list[TrapHit] = []
    for section, p_items in sections:
        matched = {pair.pred_index for pair in section.pairs}
        for p in p_items:
            if p.index in matched:  # a right answer whose evidence contains trap text is no trap hit
                continue
            for t in traps:
                if overlap_size(p.intervals, t.intervals) > 0:
                    hits.append(TrapHit(t.id, t.key, section.name, p.id, p.key))

    doc = gold.get("document") or {}
    return SeedScore(
        document={"id": doc.get("id"), "title": doc.get("title"), "published": doc.get("published"),
                  "source": doc.get("source")},
        events=sections[0][0], control=sections[1][0], indicators=sections[2][0],
        traps_hit=hits, n_non_events=len(traps), actor_alignment=ctx.alignment,
        repaired_spans=loc.repaired, unlocated_spans=loc.unlocated, problems=problems,
    )


def load_seed(data_dir: Path) -> tuple[dict[str, Any], str]:
    """The gold and the exact article text (bytes decoded as UTF-8: offsets must not move)."""
    data_dir = Path(data_dir)
    gold_path = data_dir / "gold.json"
    if not gold_path.is_file():
        raise FileNotFoundError(f"{gold_path}: not found (a seed directory holds gold.json and article.txt)")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = data_dir / ((gold.get("document") or {}).get("text_file") or "article.txt")
    if not text_path.is_file():
        raise FileNotFoundError(f"{text_path}: not found (named by gold.json document.text_file)")
    return gold, text_path.read_bytes().decode("utf-8")


def evaluate_seed(data_dir: Path, reader: Any = None) -> SeedScore:
    """Read the seed article with ``reader`` (default ``Reader.load()``) and score it."""
    from frontlines.model import Document  # late: keep the scorer importable on its own

    gold, text = load_seed(Path(data_dir))
    if reader is None:
        from frontlines.reading.pipeline import Reader

        reader = Reader.load()
    meta = gold.get("document") or {}
    published = _parse_date(meta.get("published"))
    document = Document(text=text, published=published, published_basis="given" if published else "unknown",
                        outlet=meta.get("source"), origin=str(Path(data_dir) / "article.txt"))
    reading = reader.read(document)
    score = score_seed(reading.to_dict(), gold, text)
    if getattr(reading.document, "text", text) != text:
        score.problems.append("the reader changed the document text; offsets were re-located by span text")
    return score


__all__ = ["Pair", "SectionScore", "SeedScore", "TrapHit", "Unmatched", "evaluate_seed", "load_seed",
           "score_seed"]
