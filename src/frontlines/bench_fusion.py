"""``frontlines bench --fusion``: time and peak memory of fusion over synthetic mentions.

The mentions are generated, not read: occurrences (a type, a day, a neighbourhood of one of
forty towns, actors) each told by one to several documents, with the noise real reports
have: a coarser place (the town, the province), a missing actor, the publication day for a
date, a week for a day. About 150 mentions a day, day after day: an archive of 50,000,
100,000, 200,000 … mentions is its first months (the smaller one is the start of the larger),
so the figures show how fusion grows with the archive at a constant density; the B-cubed F1
against the generated truth is printed beside them as a check that blocking did not buy
speed with wrong answers.

Each size runs in a fresh process: time is the fusion alone, memory is the peak RSS of that
process above its RSS once the mentions were made (what fusion added: index, events), and
the largest process peak is printed too.
"""
from __future__ import annotations

import gc
import math
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Sequence

from frontlines.fuse import Mention, fuse
from frontlines.knowledge.actors import ActorBook

DEFAULT_SIZES = (50_000, 100_000, 200_000)
_MB = 1024 * 1024

_TYPES = (  # (plover, mode, acled type, weight)
    ("ASSAULT", "aerial", "Explosions/Remote violence", 4),
    ("ASSAULT", "heavy-weapons", "Explosions/Remote violence", 3),
    ("ASSAULT", None, "Battles", 3),
    ("COERCE", "restrict", None, 1),
    ("PROTEST", None, "Protests", 1),
    ("RETREAT", "withdraw", None, 1),
)
_ACTORS = ("SYR_MIL", "RUS_MIL", "SYR_REB", "REB_COALITION", "FATAH_HALAB", "ISIS", "SDF",
           "TUR_MIL", "HEZBOLLAH")
_OUTLETS = tuple(f"Outlet {i}" for i in range(25))


@dataclass
class SizeResult:
    mentions: int
    events: int
    seconds: float
    peak_mb: float  # peak RSS above the RSS before fusion
    bcubed_f1: float

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": self.mentions, "events": self.events,
                "seconds": round(self.seconds, 3), "peak_mb": round(self.peak_mb, 1),
                "mentions_per_s": round(self.mentions / self.seconds) if self.seconds else None,
                "bcubed_f1": round(self.bcubed_f1, 4)}


@dataclass
class FusionBench:
    sizes: list[SizeResult] = field(default_factory=list)
    process_peak_rss_mb: float = 0.0
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"bench": "fusion", "seed": self.seed, "sizes": [s.to_dict() for s in self.sizes],
                "growth": self.growth(), "process_peak_rss_mb": round(self.process_peak_rss_mb, 1)}

    def growth(self) -> list[dict[str, float]]:
        """Time and memory ratios between successive sizes, beside the size ratio: a linear
        fusion has ratios near the size ratio, a quadratic one near its square."""
        out = []
        for a, b in zip(self.sizes, self.sizes[1:]):
            out.append({"size": round(b.mentions / a.mentions, 2),
                        "time": round(b.seconds / a.seconds, 2) if a.seconds else math.nan,
                        "memory": round(b.peak_mb / a.peak_mb, 2) if a.peak_mb else math.nan})
        return out

    def format(self) -> str:
        lines = ["fusion of synthetic mentions (each size in a fresh process; a smaller archive is the start of a larger)",
                 f"{'mentions':>10}{'events':>10}{'seconds':>10}{'mentions/s':>12}"
                 f"{'+peak MB':>10}{'B3 F1':>8}"]
        for s in self.sizes:
            rate = s.mentions / s.seconds if s.seconds else 0
            lines.append(f"{s.mentions:>10,}{s.events:>10,}{s.seconds:>10.2f}{rate:>12,.0f}"
                         f"{s.peak_mb:>10.1f}{s.bcubed_f1:>8.3f}")
        for (a, b), g in zip(zip(self.sizes, self.sizes[1:]), self.growth()):
            lines.append(f"{a.mentions:,} → {b.mentions:,}: size ×{g['size']:.2f}, "
                         f"time ×{g['time']:.2f}, memory ×{g['memory']:.2f}")
        lines.append(f"process peak RSS {self.process_peak_rss_mb:.0f} MB")
        return "\n".join(lines)


def synthetic_mentions(n: int, seed: int = 0) -> tuple[list[Mention], dict[str, str]]:
    """``n`` mentions and the occurrence each one tells (mention id -> occurrence id)."""
    rng = random.Random(seed)
    towns = []
    provinces = [(f"P{p} province", rng.uniform(32.0, 37.0), rng.uniform(35.5, 42.0))
                 for p in range(8)]
    for t in range(40):
        lat, lon = rng.uniform(32.0, 37.0), rng.uniform(35.5, 42.0)
        quarters = [(f"T{t} Q{q}", lat + rng.uniform(-0.03, 0.03),
                     lon + rng.uniform(-0.03, 0.03)) for q in range(8)]
        towns.append((f"T{t}", lat, lon, quarters, provinces[t % len(provinces)]))
    start = date(2015, 1, 1)
    per_day = 68  # occurrences a day: about 150 mentions, whatever n
    weights = [w for *_, w in _TYPES]
    mentions: list[Mention] = []
    truth: dict[str, str] = {}
    occ = 0
    while len(mentions) < n:
        occ += 1
        plover, mode, acled, _ = rng.choices(_TYPES, weights)[0]
        town, tlat, tlon, quarters, province = rng.choice(towns)
        quarter, qlat, qlon = rng.choice(quarters)
        # Day after day, as an archive grows: the first n mentions are the same for any n.
        day = start + timedelta(days=(occ - 1) // per_day)
        actors = rng.sample(_ACTORS, 1)
        targets = [a for a in rng.sample(_ACTORS, 1) if a not in actors]
        reports = 1 + min(7, int(rng.expovariate(0.6)))
        for _ in range(reports):
            if len(mentions) >= n:
                break
            k = len(mentions)
            published = day + timedelta(days=rng.choice((0, 1, 1, 2)))
            r = rng.random()
            if r < 0.6:
                place = (quarter, "neighbourhood", qlat, qlon, 1)
            elif r < 0.9:
                place = (town, "city", tlat, tlon, 1)
            else:
                place = (province[0], "governorate", province[1], province[2], 3)
            r = rng.random()
            if r < 0.7:
                when = (day, "day", "on Tuesday")
            elif r < 0.9:
                when = (published, "day", None)
            else:
                when = (day - timedelta(days=day.weekday()), "week", "last week")
            mid = f"m{k:07d}"
            mentions.append(Mention(
                id=mid, document_id=f"d{k:07d}", outlet=rng.choice(_OUTLETS),
                published=published, plover=plover, mode=mode if rng.random() < 0.8 else None,
                acled_event_type=acled, acled_sub_event_type=None, status="asserted",
                date_value=when[0], date_precision=when[1], date_expression=when[2],
                place_name=place[0], place_kind=place[1], lat=place[2], lon=place[3],
                geo_precision=place[4], place_country="SY",
                actors=tuple(actors) if rng.random() < 0.7 else (),
                targets=tuple(targets), fatalities=rng.choice((None, None, 1, 2, 3, 5, 10)),
                durative=plover == "COERCE"))
            truth[mid] = f"o{occ}"
    return mentions, truth


def bcubed_f1(truth: dict[str, str], event_of: dict[str, str]) -> float:
    from collections import Counter

    pairs = Counter((event_of[m], truth[m]) for m in truth)
    by_event = Counter(event_of[m] for m in truth)
    by_occ = Counter(truth.values())
    p = sum(pairs[(event_of[m], truth[m])] / by_event[event_of[m]] for m in truth) / len(truth)
    r = sum(pairs[(event_of[m], truth[m])] / by_occ[truth[m]] for m in truth) / len(truth)
    return 2 * p * r / (p + r) if p + r else 0.0


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / _MB if sys.platform == "darwin" else peak / 1024


def measure(n: int, seed: int = 0) -> dict[str, Any]:
    """Fuse ``n`` synthetic mentions in this process: time, memory (peak RSS above the RSS
    once the mentions are made), events, B-cubed F1."""
    import psutil

    book = ActorBook.load()
    part, truth = synthetic_mentions(n, seed)
    gc.collect()
    base = psutil.Process().memory_info().rss / _MB
    started = time.perf_counter()
    events = fuse(part, book)
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    event_of = {m.id: e.id for e in events for m in e.members}
    return {"mentions": n, "events": len(events), "seconds": seconds,
            "peak_mb": max(0.0, peak - base), "process_peak_mb": peak,
            "bcubed_f1": bcubed_f1({m.id: truth[m.id] for m in part}, event_of)}


def run_fusion_bench(sizes: Sequence[int] = DEFAULT_SIZES, seed: int = 0,
                     progress: bool = False) -> FusionBench:
    """Each size in a fresh process, so that its peak memory is its own."""
    import json
    import subprocess

    result = FusionBench(seed=seed)
    for n in sorted(sizes):
        code = (f"import json; from frontlines.bench_fusion import measure; "
                f"print(json.dumps(measure({n}, {seed})))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise RuntimeError(f"fusion bench at {n} mentions failed: {done.stderr.strip()[-500:]}")
        got = json.loads(done.stdout.strip().splitlines()[-1])
        result.sizes.append(SizeResult(got["mentions"], got["events"], got["seconds"],
                                       got["peak_mb"], got["bcubed_f1"]))
        result.process_peak_rss_mb = max(result.process_peak_rss_mb, got["process_peak_mb"])
        if progress:
            print(f"  {n:,} mentions: {got['seconds']:.1f} s", file=sys.stderr)
    return result
