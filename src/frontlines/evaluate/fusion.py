"""Score event fusion against a gold that says which mentions tell the same occurrence.

The gold format is documented in docs/fusion.md; ``examples/GOLD.json`` is one instance.
Each gold document lists events with an ``occurrence`` key, a PLOVER type and evidence
strings. Predicted mentions are aligned to gold mentions per document as the seed scorer
does (same PLOVER type, overlapping evidence, one-to-one, largest overlap first). Then:

- **mentions**: how many gold mentions the reader found (recall) and how many predicted
  mentions are real (precision). Fusion cannot fix these.
- **B-cubed** (Bagga & Baldwin 1998) and **pairwise** precision, recall and F1, end to end:
  precision over every predicted mention (a duplicate of a found mention counts as that
  occurrence; a mention matching no gold event is an occurrence of its own, so fusing it with
  anything costs precision), recall over every gold mention (a missed one stands alone).
- the same over **found mentions only**: predicted mentions with a gold twin and gold mentions
  with a predicted twin. This isolates what fusion decides from what reading missed.

``score_fusion`` is pure; ``evaluate_fusion`` reads the corpus, fuses it and scores it.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from frontlines.evaluate.common import f1, ratio
from frontlines.evaluate.seed import _event_key, _gold_items, _match, _pred_items, _SpanLocator

# Target from issue 6, printed beside the figures (never asserted).
TARGET_BCUBED_F1 = 0.9


@dataclass
class Clusters:
    """Precision/recall figures of one predicted clustering against one gold clustering."""

    bcubed_p: float
    bcubed_r: float
    pairwise_p: Optional[float]  # None: no predicted pair to be right about
    pairwise_r: Optional[float]
    pred_pairs: int
    gold_pairs: int
    n_pred: int
    n_gold: int

    @property
    def bcubed_f1(self) -> float:
        return f1(self.bcubed_p, self.bcubed_r)

    @property
    def pairwise_f1(self) -> Optional[float]:
        if self.pairwise_p is None or self.pairwise_r is None:
            return None
        return f1(self.pairwise_p, self.pairwise_r)

    def to_dict(self) -> dict[str, Any]:
        r = lambda v: None if v is None else round(v, 4)  # noqa: E731
        return {"bcubed": {"precision": r(self.bcubed_p), "recall": r(self.bcubed_r),
                           "f1": r(self.bcubed_f1)},
                "pairwise": {"precision": r(self.pairwise_p), "recall": r(self.pairwise_r),
                             "f1": r(self.pairwise_f1), "predicted_pairs": self.pred_pairs,
                             "gold_pairs": self.gold_pairs},
                "mentions": {"predicted": self.n_pred, "gold": self.n_gold}}


@dataclass
class FusionScore:
    end_to_end: Clusters
    found_only: Clusters
    gold_mentions: int
    pred_mentions: int
    matched: int
    duplicates: int
    occurrences: dict[str, dict[str, Any]] = field(default_factory=dict)
    wrong_merges: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    order: Optional[list[str]] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": "fusion",
            "end_to_end": self.end_to_end.to_dict(),
            "found_only": self.found_only.to_dict(),
            "mentions": {"gold": self.gold_mentions, "predicted": self.pred_mentions,
                         "matched": self.matched, "duplicates": self.duplicates,
                         "recall": round(ratio(self.matched, self.gold_mentions), 4),
                         "precision": round(ratio(self.matched + self.duplicates,
                                                  self.pred_mentions), 4)},
            "occurrences": self.occurrences,
            "wrong_merges": self.wrong_merges,
            "problems": self.problems,
            "order": self.order,
            "target": {"bcubed_f1": TARGET_BCUBED_F1,
                       "met_end_to_end": self.end_to_end.bcubed_f1 >= TARGET_BCUBED_F1,
                       "met_found_only": self.found_only.bcubed_f1 >= TARGET_BCUBED_F1},
        }

    def format(self, verbose: bool = False) -> str:
        def fmt(v: Optional[float]) -> str:
            return "    –" if v is None else f"{v:6.3f}"

        lines = [f"fusion: {self.gold_mentions} gold mentions, {self.pred_mentions} predicted; "
                 f"{self.matched} found ({ratio(self.matched, self.gold_mentions):.3f} of gold), "
                 f"{self.duplicates} duplicates of found ones", "",
                 f"{'':<22}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'pair P':>8}{'pair R':>7}"
                 f"{'pair F1':>8}{'pairs':>7}{'gold':>6}"]
        for name, c in (("end to end", self.end_to_end), ("found mentions only", self.found_only)):
            lines.append(f"{name:<22}{c.bcubed_p:7.3f}{c.bcubed_r:7.3f}{c.bcubed_f1:7.3f}"
                         f" {fmt(c.pairwise_p)} {fmt(c.pairwise_r)} {fmt(c.pairwise_f1)}"
                         f"{c.pred_pairs:>7}{c.gold_pairs:>6}")
        mark = lambda ok: "ok" if ok else "below"  # noqa: E731
        lines.append(f"target (issue 6): B-cubed F1 >= {TARGET_BCUBED_F1} — end to end "
                     f"[{mark(self.end_to_end.bcubed_f1 >= TARGET_BCUBED_F1)}], found mentions "
                     f"[{mark(self.found_only.bcubed_f1 >= TARGET_BCUBED_F1)}]")
        multi = {k: v for k, v in self.occurrences.items() if v["gold_mentions"] > 1}
        whole = sum(1 for v in multi.values() if v["found"] > 0 and len(v["events"]) == 1
                    and not v["mixed"])
        lines.append(f"occurrences told more than once: {len(multi)}; found as exactly one "
                     f"clean event (over the mentions found): {whole}")
        if self.wrong_merges:
            lines.append(f"events mixing occurrences: {len(self.wrong_merges)}")
        for p in self.problems:
            lines.append(f"problem: {p}")
        if verbose:
            lines += ["", "occurrence  gold found  events (mentions found in each)"]
            for key, v in sorted(self.occurrences.items()):
                events = ", ".join(f"{e} ({n})" for e, n in v["events"].items()) or "—"
                lines.append(f"  {key:<9}{v['gold_mentions']:>5}{v['found']:>6}  {events}")
            for w in self.wrong_merges:
                lines.append(f"  mixed {w['event']}: " + ", ".join(
                    f"{k} ×{n}" for k, n in w["labels"].items()))
        return "\n".join(lines)


def _clusters(pred: dict[str, str], label: dict[str, str], gold_of: dict[str, str],
              twin: dict[str, str]) -> Clusters:
    """B-cubed and pairwise figures.

    ``pred``: predicted mention -> event; ``label``: predicted mention -> occurrence (or a
    label of its own); ``gold_of``: gold mention -> occurrence; ``twin``: gold mention ->
    its predicted twin (missing when the reader did not find it).
    """
    members: dict[str, list[str]] = defaultdict(list)
    for p, e in pred.items():
        members[e].append(p)
    occ: dict[str, list[str]] = defaultdict(list)
    for g, o in gold_of.items():
        occ[o].append(g)
    precision = [sum(1 for q in members[pred[p]] if label[q] == label[p]) / len(members[pred[p]])
                 for p in pred]
    recall = []
    for g, o in gold_of.items():
        t = twin.get(g)
        if t is None:
            recall.append(1 / len(occ[o]))  # a missed mention stands alone
            continue
        together = sum(1 for h in occ[o] if twin.get(h) is not None and pred[twin[h]] == pred[t])
        recall.append(together / len(occ[o]))
    pred_pairs = sum(len(ms) * (len(ms) - 1) // 2 for ms in members.values())
    right = sum(1 for ms in members.values() for i, a in enumerate(ms) for b in ms[i + 1:]
                if label[a] == label[b])
    gold_pairs = sum(len(gs) * (len(gs) - 1) // 2 for gs in occ.values())
    recalled = sum(1 for gs in occ.values() for i, a in enumerate(gs) for b in gs[i + 1:]
                   if twin.get(a) is not None and twin.get(b) is not None
                   and pred[twin[a]] == pred[twin[b]])
    return Clusters(
        bcubed_p=sum(precision) / len(precision) if precision else 0.0,
        bcubed_r=sum(recall) / len(recall) if recall else 0.0,
        pairwise_p=right / pred_pairs if pred_pairs else None,
        pairwise_r=recalled / gold_pairs if gold_pairs else None,
        pred_pairs=pred_pairs, gold_pairs=gold_pairs, n_pred=len(pred), n_gold=len(gold_of))


def score_fusion(gold_documents: Sequence[dict[str, Any]],
                 predictions: dict[str, dict[str, Any]],
                 texts: dict[str, str],
                 event_of: dict[str, str]) -> FusionScore:
    """Score one fusion. Pure: no files, no reader, no store.

    ``gold_documents``: the gold's ``documents`` list; ``predictions``: gold document key ->
    ``Reading.to_dict()`` of that document; ``texts``: gold document key -> document text;
    ``event_of``: predicted mention id -> fused event id.
    """
    problems: list[str] = []
    gold_of: dict[str, str] = {}  # gold mention -> occurrence
    twin: dict[str, str] = {}  # gold mention -> predicted mention
    label: dict[str, str] = {}  # predicted mention -> occurrence or own label
    pred: dict[str, str] = {}
    duplicates = 0
    for n, gd in enumerate(gold_documents):
        key = str(gd.get("key") or gd.get("title") or n)
        events = gd.get("events") or []
        for e in events:
            if not e.get("occurrence"):
                problems.append(f"{key} {e.get('id')}: no occurrence key")
        if key not in predictions:
            problems.append(f"{key}: document not found among the inputs")
            for i, e in enumerate(events):
                gold_of[f"{key}/{e.get('id') or i}"] = str(e.get("occurrence") or f"{key}/{i}")
            continue
        text = texts[key]
        g_items = _gold_items(events, _event_key, text, problems)
        p_items = _pred_items(predictions[key].get("events") or [], _event_key,
                              _SpanLocator(text), "event#")
        g_of_p, cand = _match(g_items, p_items)
        for g in g_items:
            gold_of[f"{key}/{g.id}"] = str(g.record.get("occurrence") or f"{key}/{g.id}")
        for p in p_items:
            pid = p.id
            if pid not in event_of:
                problems.append(f"{key}: mention {pid} is in no fused event")
                event_of = {**event_of, pid: f"unfused:{pid}"}
            pred[pid] = event_of[pid]
            if p.index in g_of_p:
                g = g_items[g_of_p[p.index]]
                twin[f"{key}/{g.id}"] = pid
                label[pid] = gold_of[f"{key}/{g.id}"]
                continue
            overlapping = [(ov, gi) for (pi, gi), ov in cand.items() if pi == p.index]
            if overlapping:  # a second mention of a found gold event: the same occurrence
                duplicates += 1
                label[pid] = gold_of[f"{key}/{g_items[max(overlapping)[1]].id}"]
            else:
                label[pid] = f"extra:{pid}"
    end = _clusters(pred, label, gold_of, twin)
    found_pred = {p: e for p, e in pred.items() if p in set(twin.values())}
    found_gold = {g: o for g, o in gold_of.items() if g in twin}
    found = _clusters(found_pred, label, found_gold, twin)

    occurrences: dict[str, dict[str, Any]] = {}
    by_event: dict[str, list[str]] = defaultdict(list)
    for p, e in pred.items():
        by_event[e].append(p)
    for g, o in gold_of.items():
        v = occurrences.setdefault(o, {"gold_mentions": 0, "found": 0, "events": {},
                                       "mixed": False})
        v["gold_mentions"] += 1
        if g in twin:
            v["found"] += 1
            e = pred[twin[g]]
            v["events"][e] = v["events"].get(e, 0) + 1
    wrong: list[dict[str, Any]] = []
    for e, ps in sorted(by_event.items()):
        labels: dict[str, int] = {}
        for p in ps:
            labels[label[p]] = labels.get(label[p], 0) + 1
        if len(labels) > 1:
            wrong.append({"event": e, "labels": labels})
            for lab in labels:
                if lab in occurrences:
                    occurrences[lab]["mixed"] = True
    return FusionScore(end, found, gold_mentions=len(gold_of), pred_mentions=len(pred),
                       matched=len(twin), duplicates=duplicates, occurrences=occurrences,
                       wrong_merges=wrong, problems=problems)


# --------------------------------------------------------------------------- running


def load_gold(data_dir: Path) -> tuple[dict[str, Any], Path]:
    """The gold file of a fusion data directory: ``GOLD.json`` (or ``gold.json``)."""
    for name in ("GOLD.json", "gold.json"):
        path = Path(data_dir) / name
        if path.is_file():
            gold = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(gold.get("documents"), list):
                raise ValueError(f"{path}: no 'documents' list (see docs/fusion.md)")
            return gold, path
    raise FileNotFoundError(f"{data_dir}: no GOLD.json (see docs/fusion.md for the format)")


def corpus_paths(data_dir: Path, gold: dict[str, Any]) -> list[Path]:
    """Where the documents are: the gold's ``corpus`` (relative to the directory), else
    ``corpus/``, else the directory itself."""
    data_dir = Path(data_dir)
    named = gold.get("corpus")
    if named:
        paths = [data_dir / p for p in ([named] if isinstance(named, str) else named)]
    elif (data_dir / "corpus").is_dir():
        paths = [data_dir / "corpus"]
    else:
        paths = [data_dir]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"{missing[0]}: corpus not found")
    return paths


def match_documents(gold_documents: Sequence[dict[str, Any]],
                    documents: Iterable[Any]) -> tuple[dict[str, Any], list[str]]:
    """Gold document key -> Document: by ``id`` (content hash), else by title, else the one
    document whose text holds every gold evidence string."""
    docs = list(documents)
    out: dict[str, Any] = {}
    problems: list[str] = []
    for n, gd in enumerate(gold_documents):
        key = str(gd.get("key") or gd.get("title") or n)
        found = [d for d in docs if gd.get("id") and d.id == gd["id"]]
        if not found and gd.get("title"):
            found = [d for d in docs if (d.title or "").strip() == gd["title"].strip()]
        if len(found) != 1:
            evidence = [x for e in gd.get("events") or [] for x in e.get("evidence") or []]
            found = [d for d in docs if evidence and all(x in d.text for x in evidence)]
        if len(found) == 1:
            out[key] = found[0]
        else:
            problems.append(f"{key}: {'no' if not found else len(found)} input documents match")
    return out, problems


def evaluate_fusion(data_dir: Path, reader: Any = None, *, places: Sequence[Path] = (),
                    seed: Optional[int] = None) -> FusionScore:
    """Read the corpus of ``data_dir`` (in a random order when ``seed`` is given), store and
    fuse it in memory document by document as ingest does, and score the fusion."""
    from frontlines.fuse import Fuser
    from frontlines.model import Document
    from frontlines.sources import read_inputs
    from frontlines.store import Store

    data_dir = Path(data_dir)
    gold, _ = load_gold(data_dir)
    paths = corpus_paths(data_dir, gold)
    if reader is None:
        from frontlines.reading.pipeline import Reader

        files = list(places) or sorted((data_dir / "places").glob("*.csv"))
        reader = Reader.load(places=files)
    problems: list[str] = []
    documents = []
    for item in read_inputs(paths):
        if isinstance(item, Document):
            documents.append(item)
        else:
            problems.append(f"input: {item}")
    if seed is not None:
        random.Random(seed).shuffle(documents)
    by_key, unmatched = match_documents(gold["documents"], documents)
    problems += unmatched
    fuser = Fuser()
    predictions: dict[str, dict[str, Any]] = {}
    key_of = {d.id: k for k, d in by_key.items()}
    with Store.open(":memory:") as store:
        for reading in reader.read_many(documents):
            store.add(reading, and_then=fuser.update)
            if reading.document.id in key_of:
                predictions[key_of[reading.document.id]] = reading.to_dict()
        event_of = {m: e["id"] for e in store.fused_events() for m in e["mention_ids"]}
    texts = {k: d.text for k, d in by_key.items()}
    score = score_fusion(gold["documents"], predictions, texts, event_of)
    score.problems = problems + score.problems
    score.order = [key_of.get(d.id, d.id) for d in documents]
    return score


def gold_mentions(gold: dict[str, Any], resolve: Any) -> tuple[list[Any], list[str]]:
    """The gold's event mentions as fusion sees them, as if the reader were perfect:
    ``resolve(place_dict) -> Place | None`` gives coordinates to gold place names. A gold
    date left empty is the publication day with no expression, as the reader dates it."""
    from frontlines.fuse import Mention, is_durative

    out, problems = [], []
    for n, gd in enumerate(gold["documents"]):
        key = str(gd.get("key") or gd.get("title") or n)
        published = _iso_date(gd.get("published"))
        for i, e in enumerate(gd.get("events") or []):
            d = e.get("date") or {}
            value, precision, expression = _iso_date(d.get("value")), d.get("precision"), d.get("expression")
            if value is None:
                value, precision, expression = published, "day" if published else None, None
            place = resolve(e["place"]) if e.get("place") else None
            if e.get("place") and place is None:
                problems.append(f"{key} {e.get('id')}: place {e['place'].get('name')!r} not resolved")
            evidence = (e.get("evidence") or [None])[0]
            out.append(Mention(
                id=f"{key}/{e.get('id') or i}", document_id=key, outlet=gd.get("outlet"),
                published=published, plover=e["plover"], mode=e.get("mode"),
                acled_event_type=e.get("acled_event_type"),
                acled_sub_event_type=e.get("acled_sub_event_type"), status=e["status"],
                date_value=value, date_precision=precision, date_expression=expression,
                place_name=place.name if place else (e.get("place") or {}).get("name"),
                place_kind=place.kind if place else (e.get("place") or {}).get("kind"),
                lat=place.lat if place else None, lon=place.lon if place else None,
                geo_precision=place.precision if place else None,
                place_country=place.country if place else None,
                geonames_id=place.geonames_id if place else None,
                actors=tuple(e.get("actors") or ()), targets=tuple(e.get("targets") or ()),
                reported_by=tuple(e.get("reported_by") or ()), fatalities=e.get("fatalities"),
                injured=e.get("injured"), fatalities_high=e.get("fatalities_high"),
                durative=is_durative(e["plover"], e.get("mode"), evidence, expression),
                evidence_text=evidence))
    return out, problems


def _iso_date(value: Any) -> Any:
    from datetime import date

    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def place_resolver(places: Sequence[Path]) -> Any:
    """Gold place names to Places: the user place files first, then the gazetteer (ranked
    with the gold's country, Syria by default, as context)."""
    from frontlines.gazetteer import Gazetteer, UserPlaces, rank

    gazetteer = Gazetteer.open()
    user = UserPlaces.load(list(places), gazetteer=gazetteer) if places else None

    def resolve(place: dict[str, Any]) -> Any:
        for name in (place.get("name"), place.get("within")):
            if not name:
                continue
            found = user.lookup(name) if user is not None else []
            if not found:
                found = rank(gazetteer.lookup(name), {place.get("country") or "SY"})
            found = [c for c in found if not c.is_demonym]
            if found:
                return found[0].place
        return None

    return resolve


def evaluate_gold_mentions(data_dir: Path, *, places: Sequence[Path] = (),
                           book: Any = None) -> FusionScore:
    """Fuse the gold's own mentions (a perfect reading) and score the result: what the
    fusion rules alone get right."""
    from frontlines.fuse import fuse
    from frontlines.knowledge.actors import ActorBook

    data_dir = Path(data_dir)
    gold, _ = load_gold(data_dir)
    files = list(places) or sorted((data_dir / "places").glob("*.csv"))
    mentions, problems = gold_mentions(gold, place_resolver(files))
    events = fuse(mentions, book if book is not None else ActorBook.load())
    event_of = {m.id: e.id for e in events for m in e.members}
    pred = {m.id: event_of[m.id] for m in mentions}
    label = {m.id: _occurrence(gold, m.id) for m in mentions}
    gold_of = dict(label)
    twin = {m.id: m.id for m in mentions}
    c = _clusters(pred, label, gold_of, twin)
    score = FusionScore(c, c, gold_mentions=len(mentions), pred_mentions=len(mentions),
                        matched=len(mentions), duplicates=0, problems=problems)
    by_event: dict[str, dict[str, int]] = defaultdict(dict)
    for m in mentions:
        labels = by_event[pred[m.id]]
        labels[label[m.id]] = labels.get(label[m.id], 0) + 1
        v = score.occurrences.setdefault(label[m.id], {"gold_mentions": 0, "found": 0,
                                                       "events": {}, "mixed": False})
        v["gold_mentions"] += 1
        v["found"] += 1
        v["events"][pred[m.id]] = v["events"].get(pred[m.id], 0) + 1
    for e, labels in sorted(by_event.items()):
        if len(labels) > 1:
            score.wrong_merges.append({"event": e, "labels": labels})
            for lab in labels:
                score.occurrences[lab]["mixed"] = True
    return score


def _occurrence(gold: dict[str, Any], mention_id: str) -> str:
    key, _, eid = mention_id.partition("/")
    for n, gd in enumerate(gold["documents"]):
        if str(gd.get("key") or gd.get("title") or n) == key:
            for i, e in enumerate(gd.get("events") or []):
                if str(e.get("id") or i) == eid:
                    return str(e.get("occurrence") or mention_id)
    return mention_id


__all__ = ["Clusters", "FusionScore", "TARGET_BCUBED_F1", "corpus_paths", "evaluate_fusion",
           "evaluate_gold_mentions", "gold_mentions", "load_gold", "match_documents",
           "place_resolver", "score_fusion"]
