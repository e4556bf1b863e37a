"""Score the place stage on the geoparsing benchmarks (LGL, TR-News, GeoWebNews, GeoVirus).

The conventions are those of ../shared/eval/README.md ("geoparsing"), after Gritta et al.
2018/2019 and Mordecai3:

- **Gold spans** (toponym resolution): every toponym with ``in_geocoding_gold`` is given to
  the resolver with its document; we report accuracy within 161 km, AUC of the error curve,
  mean and median error in km and exact GeoNames-id match (where gold has an id). A toponym
  the resolver leaves unanswered counts as the largest possible error, 20,039 km, in every
  figure (Gritta et al.'s convention), so no figure improves by answering less.
- **End to end**: detection P/R/F1 against the ``in_geotagging_gold`` spans, exact and by
  overlap; then resolution, scored as above, on the detected spans that exactly match a
  geocoding-gold span.
- **Coverage ceiling**: the share of geocoding-gold toponyms for which the gazetteer holds a
  candidate of that name within 161 km of the gold point. It tells missing data (outside the
  ceiling) from ranking errors (inside the ceiling, wrong answer); ranking efficiency is
  accuracy divided by the ceiling.

The scorer itself (``score_record`` and the tallies) needs no model, so its tests build tiny
records by hand; ``evaluate_geoparsing`` runs the reader.
"""
from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from frontlines.evaluate.common import PRF

DATASETS = ("lgl", "trnews", "gwn", "geovirus")
ACC_KM = 161.0  # 100 miles, the field's threshold
MAX_KM = 20039.0  # half the Earth's circumference: the error of no answer
EARTH_KM = 6371.0

# One prediction: (begin, end, lat, lon, geonames_id); lat/lon may be None.
Prediction = tuple[int, int, Optional[float], Optional[float], Optional[int]]
# Candidates for a name: an iterable of (lat, lon) points the gazetteer holds for it.
# The candidates of a name as (lat, lon) or (lat, lon, geonames_id): the ceilings' test.
PointsFor = Callable[[str], Iterable[tuple[Any, ...]]]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


# -- reading the data --------------------------------------------------------------------


def load_records(path: Path, dataset: str) -> list[dict[str, Any]]:
    """The records of ``dataset`` from a JSON Lines file, or from ``DIR/<dataset>.jsonl``.
    Raises ValueError naming the file and line for anything that is not a geoparsing record."""
    path = Path(path)
    if path.is_dir():
        path = path / f"{dataset}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (expected the {dataset} JSON Lines file or its folder)")
    records = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not JSON ({e.msg})") from None
            if rec.get("task") != "geoparsing" or not isinstance(rec.get("gold", {}).get("toponyms"), list):
                raise ValueError(f"{path}:{n}: not a geoparsing record (needs task 'geoparsing' and gold.toponyms)")
            if rec.get("dataset") not in (None, dataset):
                raise ValueError(f"{path}:{n}: a {rec.get('dataset')!r} record, not {dataset!r}")
            records.append(rec)
    if not records:
        raise ValueError(f"{path}: no records")
    return records


def _placed(t: dict[str, Any]) -> bool:
    return t.get("begin") is not None and t.get("end") is not None


def geocoding_gold(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """Toponyms of the standard resolution set that have offsets and a gold point."""
    return [t for t in rec["gold"]["toponyms"]
            if t.get("in_geocoding_gold") and _placed(t) and t.get("lat") is not None and t.get("lon") is not None]


def geotagging_gold(rec: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in rec["gold"]["toponyms"] if t.get("in_geotagging_gold") and _placed(t)]


def _record_date(rec: dict[str, Any]) -> Optional[date]:
    try:
        return date.fromisoformat(rec["date"]) if rec.get("date") else None
    except ValueError:
        return None


# -- tallies -----------------------------------------------------------------------------


@dataclass
class Geocoding:
    """Errors of resolved gold toponyms; None for no answer (scored as MAX_KM)."""

    errors: list[Optional[float]] = field(default_factory=list)
    id_n: int = 0  # gold toponyms that carry a GeoNames id
    id_correct: int = 0
    in_ceiling: list[bool] = field(default_factory=list)  # per toponym, when measured
    id_in_ceiling: list[bool] = field(default_factory=list)  # per toponym with a gold id, when measured

    def add(self, gold: dict[str, Any], pred: Optional[Prediction], covered: Optional[bool] = None,
            id_covered: Optional[bool] = None) -> None:
        lat, lon = (pred[2], pred[3]) if pred else (None, None)
        self.errors.append(haversine_km(gold["lat"], gold["lon"], lat, lon)
                           if lat is not None and lon is not None else None)
        if gold.get("geonameid") is not None:
            self.id_n += 1
            self.id_correct += int(pred is not None and pred[4] is not None and int(pred[4]) == int(gold["geonameid"]))
        if covered is not None:
            self.in_ceiling.append(covered)
        if id_covered is not None:
            self.id_in_ceiling.append(id_covered)

    def merge(self, other: "Geocoding") -> None:
        self.errors += other.errors
        self.id_n += other.id_n
        self.id_correct += other.id_correct
        self.in_ceiling += other.in_ceiling
        self.id_in_ceiling += other.id_in_ceiling

    @property
    def n(self) -> int:
        return len(self.errors)

    @property
    def answered(self) -> int:
        return sum(e is not None for e in self.errors)

    def _km(self) -> list[float]:
        return [MAX_KM if e is None else e for e in self.errors]

    @property
    def acc161(self) -> float:
        return sum(e < ACC_KM for e in self._km()) / self.n if self.n else 0.0

    @property
    def auc(self) -> float:
        """Area under the sorted ln(1+km) error curve over ln(MAX_KM)·(n−1): 0 is perfect."""
        km = sorted(self._km())
        if len(km) < 2:
            return math.log1p(km[0]) / math.log(MAX_KM) if km else 0.0
        y = [math.log1p(e) for e in km]
        area = sum((a + b) / 2 for a, b in zip(y, y[1:]))
        return area / (math.log(MAX_KM) * (len(y) - 1))

    @property
    def mean_km(self) -> float:
        return statistics.fmean(self._km()) if self.n else 0.0

    @property
    def median_km(self) -> float:
        return statistics.median(self._km()) if self.n else 0.0

    @property
    def exact_id(self) -> Optional[float]:
        return self.id_correct / self.id_n if self.id_n else None

    @property
    def ceiling(self) -> Optional[float]:
        return sum(self.in_ceiling) / len(self.in_ceiling) if self.in_ceiling else None

    @property
    def id_ceiling(self) -> Optional[float]:
        """The share of toponyms with a gold id whose id is among the name's candidates: the
        most the exact-id figure can reach with this gazetteer."""
        return sum(self.id_in_ceiling) / len(self.id_in_ceiling) if self.id_in_ceiling else None

    def breakdown(self) -> Optional[dict[str, int]]:
        """right / wrong though a close candidate exists (ranking) / no close candidate (data)."""
        if len(self.in_ceiling) != self.n:
            return None
        out = Counter()
        for e, covered in zip(self._km(), self.in_ceiling):
            out["right" if e < ACC_KM else ("ranking" if covered else "missing")] += 1
        return {k: out[k] for k in ("right", "ranking", "missing")}

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "n": self.n, "answered": self.answered, "acc161": round(self.acc161, 4),
            "auc": round(self.auc, 4), "mean_km": round(self.mean_km, 1), "median_km": round(self.median_km, 1),
            "exact_id": None if self.exact_id is None else round(self.exact_id, 4), "n_with_id": self.id_n,
        }
        if self.ceiling is not None:
            d["ceiling"] = round(self.ceiling, 4)
            d["ranking_efficiency"] = round(self.acc161 / self.ceiling, 4) if self.ceiling else None
            d["breakdown"] = self.breakdown()
        if self.id_ceiling is not None and self.exact_id is not None:
            d["id_ceiling"] = round(self.id_ceiling, 4)
            d["id_efficiency"] = round(self.exact_id / self.id_ceiling, 4) if self.id_ceiling else None
        return d


@dataclass
class Geotagging:
    exact: PRF = field(default_factory=PRF)
    overlap: PRF = field(default_factory=PRF)

    def add(self, gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> None:
        gold, pred = sorted(set(gold)), sorted(set(pred))
        gs, ps = set(gold), set(pred)
        self.exact.n_gold += len(gold)
        self.exact.n_pred += len(pred)
        self.exact.tp_gold += len(gs & ps)
        self.exact.tp_pred += len(gs & ps)

        def hits(a: tuple[int, int], others: Sequence[tuple[int, int]]) -> bool:
            return any(a[0] < b[1] and b[0] < a[1] for b in others)

        self.overlap.n_gold += len(gold)
        self.overlap.n_pred += len(pred)
        self.overlap.tp_gold += sum(hits(g, pred) for g in gold)
        self.overlap.tp_pred += sum(hits(p, gold) for p in pred)

    def merge(self, other: "Geotagging") -> None:
        for mine, theirs in ((self.exact, other.exact), (self.overlap, other.overlap)):
            mine.n_gold += theirs.n_gold
            mine.n_pred += theirs.n_pred
            mine.tp_gold += theirs.tp_gold
            mine.tp_pred += theirs.tp_pred

    def to_dict(self) -> dict[str, Any]:
        return {"exact": self.exact.to_dict(), "overlap": self.overlap.to_dict()}


@dataclass
class RecordScore:
    gold_spans: Geocoding
    end_to_end: Geocoding
    tagging: Geotagging
    missing: list[str] = field(default_factory=list)  # gold names with no close candidate
    ranking: list[str] = field(default_factory=list)  # gold names resolved far though a close one exists


def in_ceiling(gold: dict[str, Any], points_for: PointsFor) -> bool:
    """Does the gazetteer hold a candidate of this name within 161 km of the gold point?"""
    return any(p[0] is not None and p[1] is not None and haversine_km(gold["lat"], gold["lon"], p[0], p[1]) < ACC_KM
               for p in points_for(gold["text"]))


def id_in_ceiling(gold: dict[str, Any], points_for: PointsFor) -> Optional[bool]:
    """Is the gold GeoNames id among the candidates of this name? None when the gold has none."""
    if gold.get("geonameid") is None:
        return None
    return any(len(p) > 2 and p[2] is not None and int(p[2]) == int(gold["geonameid"]) for p in points_for(gold["text"]))


def score_record(rec: dict[str, Any], resolved: Sequence[Optional[Prediction]], detected: Sequence[Prediction],
                 points_for: Optional[PointsFor] = None) -> RecordScore:
    """Score one record: ``resolved`` answers the geocoding-gold toponyms in order (gold-spans
    mode, None for no answer); ``detected`` is what the system found on its own."""
    gold = geocoding_gold(rec)
    if len(resolved) != len(gold):
        raise ValueError(f"{rec.get('id')}: {len(resolved)} answers for {len(gold)} gold toponyms")
    covered = [in_ceiling(t, points_for) for t in gold] if points_for else [None] * len(gold)
    id_covered = [id_in_ceiling(t, points_for) for t in gold] if points_for else [None] * len(gold)
    g = Geocoding()
    score = RecordScore(g, Geocoding(), Geotagging())
    for t, pred, cov, id_cov in zip(gold, resolved, covered, id_covered):
        g.add(t, pred, cov, id_cov)
        if cov is False:
            score.missing.append(t["text"])
        elif cov and (g.errors[-1] is None or g.errors[-1] >= ACC_KM):
            score.ranking.append(t["text"])
    score.tagging.add([(t["begin"], t["end"]) for t in geotagging_gold(rec)], [(p[0], p[1]) for p in detected])
    by_span = {(p[0], p[1]): p for p in detected}
    for t, cov, id_cov in zip(gold, covered, id_covered):
        p = by_span.get((t["begin"], t["end"]))
        if p is not None:
            score.end_to_end.add(t, p, cov, id_cov)
    return score


@dataclass
class GeoparsingScore:
    dataset: str
    records: int = 0
    gold_spans: Geocoding = field(default_factory=Geocoding)
    end_to_end: Geocoding = field(default_factory=Geocoding)
    tagging: Geotagging = field(default_factory=Geotagging)
    missing: Counter = field(default_factory=Counter)
    ranking: Counter = field(default_factory=Counter)

    def add(self, s: RecordScore) -> None:
        self.records += 1
        self.gold_spans.merge(s.gold_spans)
        self.end_to_end.merge(s.end_to_end)
        self.tagging.merge(s.tagging)
        self.missing.update(s.missing)
        self.ranking.update(s.ranking)

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "records": self.records, "gold_spans": self.gold_spans.to_dict(),
                "end_to_end": {"geotagging": self.tagging.to_dict(), "geocoding": self.end_to_end.to_dict()},
                "missing_top": self.missing.most_common(25), "ranking_top": self.ranking.most_common(25)}

    def format(self, verbose: bool = False) -> str:
        def geo(label: str, g: Geocoding) -> list[str]:
            d = g.to_dict()
            exact = "–" if d["exact_id"] is None else f"{d['exact_id']:.3f} (of {d['n_with_id']})"
            line = (f"{label:<11} n {d['n']:>5}  answered {d['answered']:>5}  acc@161 {d['acc161']:.3f}  "
                    f"AUC {d['auc']:.3f}  mean {d['mean_km']:7.0f} km  median {d['median_km']:6.0f} km  exact id {exact}")
            out = [line]
            if g.ceiling is not None:
                b = d["breakdown"]
                out.append(f"{'':<11} coverage ceiling {d['ceiling']:.3f}  ranking efficiency "
                           f"{(d['ranking_efficiency'] or 0):.3f}  (right {b['right']}, ranking errors "
                           f"{b['ranking']}, not in gazetteer within 161 km {b['missing']})")
            if "id_ceiling" in d:
                out.append(f"{'':<11} exact-id ceiling {d['id_ceiling']:.3f}  exact-id efficiency "
                           f"{(d['id_efficiency'] or 0):.3f}  (the gold id among the name's candidates)")
            return out

        lines = [f"{self.dataset}: {self.records} records"]
        lines += geo("gold spans", self.gold_spans)
        e, o = self.tagging.exact, self.tagging.overlap
        lines.append(f"{'detection':<11} pred {e.n_pred}  gold {e.n_gold}  exact P {e.precision:.3f} R {e.recall:.3f} "
                     f"F1 {e.f1:.3f}   overlap P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f}")
        lines += geo("end to end", self.end_to_end)
        if verbose:
            lines.append("not in the gazetteer within 161 km (most frequent): "
                         + ", ".join(f"{k} ×{v}" for k, v in self.missing.most_common(30)))
            lines.append("ranking errors (most frequent): "
                         + ", ".join(f"{k} ×{v}" for k, v in self.ranking.most_common(30)))
        return "\n".join(lines)


# -- running the reader ------------------------------------------------------------------


def _prediction(begin: int, end: int, place: Any) -> Optional[Prediction]:
    if place is None:
        return None
    return (begin, end, place.lat, place.lon, place.geonames_id)


def read_records(records: Sequence[dict[str, Any]], nlp: Any, stage: Any,
                 batch_size: int = 16) -> Iterator[tuple[dict[str, Any], list[Optional[Prediction]], list[Prediction]]]:
    """For each record: (record, answers for its geocoding-gold spans, detected toponyms).
    The system sees only the text and the date, never the id or meta."""
    from frontlines.model import Document, Reading

    texts = ((r["text"], r) for r in records)
    for doc, rec in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
        gold = geocoding_gold(rec)
        places = stage.resolve_spans(doc, [(t["begin"], t["end"]) for t in gold])
        resolved = [_prediction(t["begin"], t["end"], p) for t, p in zip(gold, places)]
        published = _record_date(rec)
        reading = Reading(document=Document(text=rec["text"], published=published,
                                            published_basis="given" if published else "unknown"))
        stage(doc, reading)
        detected = [(m.span.start, m.span.end, m.place.lat, m.place.lon, m.place.geonames_id) for m in reading.places]
        yield rec, resolved, detected


def gazetteer_points(gazetteer: Any) -> PointsFor:
    """Point and GeoNames id of every candidate the gazetteer returns for a name (the ceilings'
    test). Both ceilings ask for each gold name, and names recur across records: one lookup each."""
    @lru_cache(maxsize=None)
    def points_for(name: str) -> tuple[tuple[Any, ...], ...]:
        return tuple((c.place.lat, c.place.lon, c.place.geonames_id) for c in gazetteer.lookup(name))
    return points_for


def evaluate_geoparsing(records: Sequence[dict[str, Any]], dataset: str, nlp: Any, stage: Any,
                        gazetteer: Any = None, predictions: Optional[Path] = None) -> GeoparsingScore:
    """Run the place stage over ``records`` and score both modes (and the ceiling, given
    the gazetteer). ``predictions`` writes one JSON object per record for re-scoring."""
    result = GeoparsingScore(dataset)
    points = gazetteer_points(gazetteer) if gazetteer is not None else None
    out = predictions.open("w", encoding="utf-8") if predictions else None
    try:
        for rec, resolved, detected in read_records(records, nlp, stage):
            result.add(score_record(rec, resolved, detected, points))
            if out is not None:
                out.write(json.dumps(prediction_record(rec, resolved, detected), ensure_ascii=False) + "\n")
    finally:
        if out is not None:
            out.close()
    return result


def _topo(rec: dict[str, Any], p: Prediction) -> dict[str, Any]:
    return {"begin": p[0], "end": p[1], "text": rec["text"][p[0]:p[1]], "lat": p[2], "lon": p[3], "geonames_id": p[4]}


def prediction_record(rec: dict[str, Any], resolved: Sequence[Optional[Prediction]],
                      detected: Sequence[Prediction]) -> dict[str, Any]:
    """``toponyms``: what the system found end to end; ``gold_spans``: its answer for each
    geocoding-gold span, in order (lat/lon null where it gave none)."""
    gold = geocoding_gold(rec)
    answers = [_topo(rec, p) if p else {"begin": t["begin"], "end": t["end"], "text": t["text"], "lat": None,
                                         "lon": None, "geonames_id": None}
               for t, p in zip(gold, resolved)]
    return {"id": rec["id"], "toponyms": [_topo(rec, p) for p in detected], "gold_spans": answers}


def rescore(records: Sequence[dict[str, Any]], dataset: str, predictions: Path,
            gazetteer: Any = None) -> GeoparsingScore:
    """Score a predictions file written by ``evaluate_geoparsing`` (or by another system in
    the same layout): gold-span answers are matched to gold spans by (begin, end)."""
    by_id: dict[str, dict[str, Any]] = {}
    with Path(predictions).open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                try:
                    obj = json.loads(line)
                    by_id[obj["id"]] = obj
                except (json.JSONDecodeError, KeyError, TypeError):
                    raise ValueError(f"{predictions}:{n}: expected a JSON object with an \"id\"") from None
    result = GeoparsingScore(dataset)
    points = gazetteer_points(gazetteer) if gazetteer is not None else None

    def tup(t: dict[str, Any]) -> Prediction:
        return (t["begin"], t["end"], t.get("lat"), t.get("lon"), t.get("geonames_id"))

    for rec in records:
        obj = by_id.get(rec["id"], {})
        detected = [tup(t) for t in obj.get("toponyms", [])]
        answers = {(t["begin"], t["end"]): tup(t) for t in obj.get("gold_spans", obj.get("toponyms", []))}
        resolved = []
        for t in geocoding_gold(rec):
            a = answers.get((t["begin"], t["end"]))
            resolved.append(a if a is not None and a[2] is not None else None)
        result.add(score_record(rec, resolved, detected, points))
    return result


def load_system(gazetteer_path: Optional[Path] = None) -> tuple[Any, Any, Any]:
    """(nlp, place stage, gazetteer): the reader's parse and place stage, nothing else."""
    from frontlines.gazetteer.index import Gazetteer
    from frontlines.knowledge.actors import ActorBook
    from frontlines.reading.pipeline import load_nlp
    from frontlines.reading.places import PlaceStage

    nlp = load_nlp()
    gaz = Gazetteer.open(gazetteer_path)
    book = ActorBook.load()
    stage = PlaceStage(nlp, gaz, None, actor_names=[a for e in book.entries.values() for a in e.aliases])
    return nlp, stage, gaz


__all__ = [
    "DATASETS", "GeoparsingScore", "Geocoding", "Geotagging", "evaluate_geoparsing", "haversine_km",
    "id_in_ceiling", "in_ceiling", "load_records", "load_system", "prediction_record", "rescore", "score_record",
]


# -- fitting the ranker --------------------------------------------------------------------


def ranker_groups(records: Sequence[dict[str, Any]], nlp: Any, stage: Any) -> list[list[tuple[list, list[list[float]], dict]]]:
    """Per record, per geocoding-gold toponym: (candidates, feature rows, gold toponym)."""
    out = []
    texts = ((r["text"], r) for r in records)
    for doc, rec in nlp.pipe(texts, as_tuples=True, batch_size=16):
        gold = geocoding_gold(rec)
        rows = stage.candidate_rows(doc, [(t["begin"], t["end"]) for t in gold])
        out.append([(cands, feats, t) for (cands, feats), t in zip(rows, gold)])
    return out


def _labels(cands: Sequence[Any], gold: dict[str, Any]) -> list[int]:
    """1 for a candidate within 161 km of the gold point."""
    return [int(c.place.lat is not None and haversine_km(gold["lat"], gold["lon"], c.place.lat, c.place.lon) < ACC_KM)
            for c in cands]


def _targets(cands: Sequence[Any], gold: dict[str, Any]) -> list[float]:
    """What the fit learns: 1 for a candidate within 161 km. (Learning the exact GeoNames id
    instead, hard or as a 0.5 for other close candidates, lost 2–3 points of acc@161 on LGL in
    cross-validation; a town and its namesake province are told apart by the hand rule in
    ``Ranker.order`` instead.)"""
    return [float(x) for x in _labels(cands, gold)]


def _fold(rec_id: str, k: int) -> int:
    import hashlib

    return int(hashlib.sha256(rec_id.encode("utf-8")).hexdigest(), 16) % k


def fit_ranker(data: dict[str, list[list[tuple[list, list[list[float]], dict]]]],
               ids: dict[str, list[str]], folds: int = 5) -> tuple[list[float], dict[str, Any]]:
    """Fit the ranker on every dev set pooled; report, per set, acc@161 of the hand order,
    of the model in ``folds``-fold cross-validation (folds by record, so a text never helps
    rank itself), and of the final model on the data it was fitted on."""
    from frontlines.gazetteer.ranker import Ranker, fit

    def groups(keep: Callable[[str, str], bool]) -> list[tuple[list[list[float]], list[int]]]:
        return [(feats, _targets(cands, t)) for ds, recs in data.items() for rid, rec in zip(ids[ds], recs)
                if keep(ds, rid) for cands, feats, t in rec]

    def accuracy(weights: Optional[list[float]], ds: str, keep: Callable[[str], bool]) -> tuple[int, int]:
        ranker = Ranker(weights)
        right = n = 0
        for rid, rec in zip(ids[ds], data[ds]):
            if not keep(rid):
                continue
            for cands, feats, t in rec:
                n += 1
                if not cands:
                    continue
                if weights is None:
                    best = 0
                else:
                    scores = [ranker.score(r) for r in feats]
                    best = max(range(len(scores)), key=scores.__getitem__)
                right += _labels([cands[best]], t)[0]
        return right, n

    report: dict[str, Any] = {"folds": folds, "datasets": {}}
    cv = {ds: [0, 0] for ds in data}
    for f in range(folds):
        w = fit(groups(lambda ds, rid: _fold(rid, folds) != f))
        for ds in data:
            r, n = accuracy(w, ds, lambda rid: _fold(rid, folds) == f)
            cv[ds][0] += r
            cv[ds][1] += n
    final = fit(groups(lambda ds, rid: True))
    for ds in data:
        hand = accuracy(None, ds, lambda rid: True)
        fitted = accuracy(final, ds, lambda rid: True)
        report["datasets"][ds] = {
            "toponyms": hand[1], "hand_acc161": round(hand[0] / hand[1], 4) if hand[1] else None,
            "cv_acc161": round(cv[ds][0] / cv[ds][1], 4) if cv[ds][1] else None,
            "fitted_acc161": round(fitted[0] / fitted[1], 4) if fitted[1] else None,
        }
    return final, report
