"""``frontlines bench --api``: latency of the map's typical queries over a large store.

It builds a store of synthetic reports (``n_events`` event mentions, ten to a document,
spread over 400 places in a Syria-sized box and two years), stores them with
``Store.add`` and makes the fused events with fusion's own code (one per mention, or the
full ``Fuser.refuse`` with ``full_fusion``), so the tables and indexes are those a real
ingest makes. Then it times each kind of query ``n_requests``
times with seeded random parameters: in process (``MapQueries``, the SQL and the row
building) and through a real ``frontlines serve``-style server on 127.0.0.1 (uvicorn in a
thread, one keep-alive connection: HTTP, FastAPI and JSON on top). p50/p95 are printed
beside the 100 ms target; the figures are measured, never asserted.
"""
from __future__ import annotations

import http.client
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urlencode

TARGET_P95_MS = 100.0
EVENTS_PER_DOC = 10
START = date(2015, 1, 1)
DAYS = 730
BOX = (35.7, 32.5, 42.0, 37.3)  # west, south, east, north
TYPES = (["ASSAULT"] * 12 + ["COERCE"] * 3 + ["MOBILIZE", "RETREAT", "PROTEST", "AID",
                                                 "THREATEN", "CONCEDE"])
ACTORS = [("SYR_MIL", "Syrian Armed Forces", "MIL"), ("SYR_REB", "Syrian rebels", "REB"),
          ("RUS_MIL", "Russian Armed Forces", "MIL"), ("ISIL", "Islamic State", "REB"),
          ("SDF", "Syrian Democratic Forces", "REB"), ("TUR_MIL", "Turkish Armed Forces", "MIL"),
          ("CIVILIANS", "civilians", "CVL"), ("HTS", "Hayat Tahrir al-Sham", "REB")]
OUTLETS = [f"Bench Wire {i}" for i in range(20)]


@dataclass
class Timing:
    name: str
    what: str
    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # CPU of this process (server included)
    rows: list[int] = field(default_factory=list)

    def pct(self, p: float, cpu: bool = False) -> float:
        xs = sorted(self.cpu_ms if cpu else self.ms)
        return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))] if xs else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "requests": len(self.ms), "p50_ms": round(self.pct(50), 2),
                "p95_ms": round(self.pct(95), 2), "max_ms": round(max(self.ms, default=0), 2),
                "cpu_p50_ms": round(self.pct(50, cpu=True), 2),
                "cpu_p95_ms": round(self.pct(95, cpu=True), 2),
                "mean_rows": round(statistics.fmean(self.rows), 1) if self.rows else 0}


@dataclass
class ApiBenchResult:
    mentions: int
    events: int
    documents: int
    build_seconds: float
    fuse_seconds: float
    db_mb: float
    in_process: list[Timing]
    http: list[Timing]
    machine: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        worst = max((t.pct(95) for t in self.http), default=0.0)
        return {
            "mentions": self.mentions, "events": self.events, "documents": self.documents,
            "build_seconds": round(self.build_seconds, 1),
            "fuse_seconds": round(self.fuse_seconds, 1), "db_mb": round(self.db_mb, 1),
            "in_process": {t.name: t.to_dict() for t in self.in_process},
            "http": {t.name: t.to_dict() for t in self.http},
            "target": {"p95_ms": TARGET_P95_MS, "worst_http_p95_ms": round(worst, 2),
                       "met": worst <= TARGET_P95_MS},
            "machine": self.machine,
        }

    def format(self) -> str:
        built = (f"stored in {self.build_seconds:.0f} s, fused in {self.fuse_seconds:.0f} s"
                 if self.build_seconds else "kept from an earlier run")
        lines = [f"store: {self.mentions:,} synthetic event mentions in {self.documents:,} "
                 f"documents, fused into {self.events:,} events ({built}; {self.db_mb:.0f} MB)",
                 f"machine: {self.machine.get('cpus')} CPUs, Python {self.machine.get('python')}, "
                 f"SQLite {self.machine.get('sqlite')}; load average {self.machine.get('load_before')} "
                 f"before, {self.machine.get('load_after')} after", ""]
        header = (f"{'query':<16}{'rows':>6}{'in process p50':>16}{'p95':>9}{'HTTP p50':>11}"
                  f"{'p95':>9}{'HTTP CPU p95':>14}")
        lines += [header, "-" * len(header)]
        by_name = {t.name: t for t in self.http}
        for t in self.in_process:
            h = by_name[t.name]
            lines.append(f"{t.name:<16}{statistics.fmean(t.rows) if t.rows else 0:>6.0f}"
                         f"{t.pct(50):>13.1f} ms{t.pct(95):>6.1f} ms"
                         f"{h.pct(50):>8.1f} ms{h.pct(95):>6.1f} ms"
                         f"{h.pct(95, cpu=True):>11.1f} ms")
        lines.append("(wall-clock times; CPU: this process's CPU per request, server and client, "
                     "which other jobs on the machine do not inflate)")
        lines.append("")
        for t in self.in_process:
            lines.append(f"  {t.name}: {t.what}")
        worst = max((t.pct(95) for t in self.http), default=0.0)
        lines.append(f"\nworst HTTP p95 {worst:.1f} ms; target p95 <= {TARGET_P95_MS:.0f} ms: "
                     f"{'ok' if worst <= TARGET_P95_MS else 'MISSED'}")
        return "\n".join(lines)


# -- the synthetic store ----------------------------------------------------------------------


def _readings(n_events: int, rng: random.Random) -> Any:
    from frontlines.model import Actor, DateRef, Document, EventMention, Place, Reading, Span

    places = [Place(f"Town {i}", "town", round(rng.uniform(BOX[1], BOX[3]), 5),
                    round(rng.uniform(BOX[0], BOX[2]), 5), None, 1, "SY") for i in range(400)]
    actors = {a: Actor(a, name, sector, "SYR") for a, name, sector in ACTORS}
    made = 0
    doc_no = 0
    while made < n_events:
        doc_no += 1
        published = START + timedelta(days=rng.randrange(DAYS))
        parts: list[str] = [f"Bench report {doc_no}\n"]
        specs = []
        for _ in range(min(EVENTS_PER_DOC, n_events - made)):
            place = rng.choice(places)
            day = published - timedelta(days=rng.randrange(3))
            plover = rng.choice(TYPES)
            actor, target = rng.sample(ACTORS, 2)
            sentence = (f"On {day.isoformat()} {actor[1]} struck {place.name}, "
                        f"report {doc_no}.{len(specs)} said. ")
            start = sum(len(p) for p in parts)
            parts.append(sentence)
            specs.append((start, sentence, place, day, plover, actor[0], target[0]))
        text = "".join(parts)
        doc = Document(text=text, title=f"Bench report {doc_no}", outlet=rng.choice(OUTLETS),
                       url=f"https://bench.invalid/{doc_no}", published=published,
                       published_basis="metadata", origin="bench")
        reading = Reading(document=doc, actors=dict(actors))
        for n, (start, sentence, place, day, plover, actor, target) in enumerate(specs):
            ev = sentence.rstrip()
            reading.events.append(EventMention(
                id=f"ev-{doc.id[:10]}-{n}", plover=plover, mode=None,
                acled_event_type="Battles", acled_sub_event_type="Armed clash",
                actors=[actor], targets=[target], place=place,
                date=DateRef(day, "day", day.isoformat()), status="asserted",
                reported_by=[], fatalities=rng.choice([None, None, 1, 3, 12]),
                evidence=[Span(start, start + len(ev), ev)], rule="bench",
                sentence=Span(start, start + len(ev), ev)))
        made += len(specs)
        yield reading


def _one_event_per_mention(store: Any) -> None:
    """Events made by fusion's own code (``summarise``, ``event_row``), one per mention,
    without the search for reports to merge: the tables are as fusion writes them, in
    seconds instead of the half hour full fusion of 100,000 mentions takes here. The
    synthetic reports rarely coincide (full fusion merged 2.6 % of them), so the queries
    see nearly the same tables either way."""
    from frontlines.fuse import FUSION_VERSION, Mention, event_row, member_rows, summarise
    from frontlines.knowledge.actors import ActorBook
    from frontlines.store import fused as sql

    book = ActorBook.load()
    with store.engine.begin() as conn:
        events = [summarise([Mention.from_row(r)], book, component=r["id"])
                  for r in sql.mention_rows(conn)]
        sql.clear(conn)
        sql.insert(conn, [event_row(e) for e in events],
                   [r for e in events for r in member_rows(e)])
        sql.set_meta(conn, "fusion_version", FUSION_VERSION)


def build_store(path: Path, n_events: int, *, seed: int = 7, full_fusion: bool = False,
                progress: bool = False) -> tuple[float, float]:
    """Fill ``path`` with synthetic reports and fuse them. (store seconds, fuse seconds)."""
    from frontlines.fuse import Fuser
    from frontlines.store import Store

    rng = random.Random(seed)
    t0 = time.perf_counter()
    with Store.open(path) as store:
        for i, reading in enumerate(_readings(n_events, rng), 1):
            store.add(reading, reader_version="bench")
            if progress and i % 1000 == 0:
                print(f"  stored {i * EVENTS_PER_DOC:,} mentions", file=sys.stderr, flush=True)
        t1 = time.perf_counter()
        if full_fusion:
            Fuser().refuse(store)
        else:
            _one_event_per_mention(store)
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1


# -- the queries ---------------------------------------------------------------------------------


def _query_plan(rng: random.Random, event_ids: list[str]) -> list[tuple[str, str, Callable[[], dict[str, Any]]]]:
    """(name, description, a function giving fresh random parameters) per kind of query."""
    def window(days: int) -> dict[str, str]:
        lo = START + timedelta(days=rng.randrange(DAYS - days))
        return {"since": lo.isoformat(), "until": (lo + timedelta(days=days)).isoformat()}

    def city_box() -> str:
        lon, lat = rng.uniform(BOX[0], BOX[2] - 1), rng.uniform(BOX[1], BOX[3] - 1)
        return f"{lon:.3f},{lat:.3f},{lon + 1:.3f},{lat + 1:.3f}"

    whole = ",".join(map(str, BOX))
    return [
        ("map dots", "what the map asks when the slider moves: brief rows of every event "
                     "in the view, the whole box and 30 days (up to 5000)",
         lambda: {"bbox": whole, **window(30), "fields": "brief", "limit": "5000"}),
        ("map list", "and the list beside it: the first 100 full rows, with evidence",
         lambda: {"bbox": whole, **window(30), "limit": "100"}),
        ("bbox+dates", "a 1°x1° box and a 30-day range (the map moved), page of 500",
         lambda: {"bbox": city_box(), **window(30), "limit": "500"}),
        ("country+month", "the whole box and a 30-day range (the slider moved), page of 500",
         lambda: {"bbox": whole, **window(30), "limit": "500"}),
        ("type+dates", "one PLOVER type and a 90-day range, page of 500",
         lambda: {"type": rng.choice(["COERCE", "PROTEST", "ASSAULT"]), **window(90),
                  "limit": "500"}),
        ("actor+dates", "one actor and a 30-day range, page of 500",
         lambda: {"actor": rng.choice(ACTORS)[0], **window(30), "limit": "500"}),
        ("timeline", "events per day for one type (the slider's histogram)",
         lambda: {"type": rng.choice(["COERCE", "ASSAULT"])}),
        ("one event", "/api/events/{id}: an event with every report and its sentence",
         lambda: {"id": rng.choice(event_ids)}),
    ]


def _in_process(queries: Any, name: str, params: dict[str, Any]) -> int:
    from frontlines.api import params as p
    from frontlines.store.map_queries import EventFilter

    if name == "one event":
        return len(queries.event_detail(params["id"])["mentions"])
    lo, hi = p.date_range(params.get("since"), params.get("until"))
    f = EventFilter(bbox=p.bbox(params.get("bbox")), since=lo, until=hi,
                    types=p.plover_types([params["type"]] if "type" in params else None),
                    actor=params.get("actor"))
    if name == "timeline":
        return len(queries.timeline(f))
    # What /api/events runs for JSON: the rows written as JSON text.
    return queries.events_page_json(f, limit=int(params.get("limit", 500)),
                                    brief=params.get("fields") == "brief").count


def _http(conn: http.client.HTTPConnection, name: str, params: dict[str, Any]) -> int:
    if name == "one event":
        path = f"/api/events/{params['id']}"
    elif name == "timeline":
        path = "/api/timeline?" + urlencode(params)
    else:
        path = "/api/events?" + urlencode(params)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = json.loads(resp.read())
    if resp.status != 200:
        raise RuntimeError(f"{path}: {resp.status} {body}")
    return len(body.get("events") or body.get("days") or body.get("mentions") or [])


def _time_all(plan: list[tuple[str, str, Callable[[], dict[str, Any]]]], n_requests: int,
              call: Callable[[str, dict[str, Any]], int]) -> list[Timing]:
    out = []
    for name, what, make in plan:
        t = Timing(name, what)
        call(name, make())  # warm the page cache for this kind first
        for _ in range(n_requests):
            params = make()
            t0, c0 = time.perf_counter(), time.process_time()
            t.rows.append(call(name, params))
            t.ms.append((time.perf_counter() - t0) * 1000)
            t.cpu_ms.append((time.process_time() - c0) * 1000)
        out.append(t)
    return out


def _serve_in_thread(app: Any) -> tuple[Any, int]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the bench server did not start")
        time.sleep(0.05)
    return server, port


def run_api_bench(n_events: int = 100_000, n_requests: int = 200, *, seed: int = 7,
                  progress: bool = False, db_path: Optional[Path] = None,
                  full_fusion: bool = False) -> ApiBenchResult:
    """Build the synthetic store (in a temporary folder unless ``db_path``) and time the
    queries in process and over HTTP. Bounded: ``n_requests`` per kind, one client."""
    import os
    import platform
    import sqlite3

    import sqlalchemy as sa

    from frontlines.api import create_app
    from frontlines.store import schema as s
    from frontlines.store.map_queries import MapQueries, open_readonly

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="frontlines-bench-api-") as tmp:
        path = db_path or Path(tmp) / "bench.db"
        if path.exists():  # a store kept from an earlier run: time it again, as it is
            build_s = fuse_s = 0.0
        else:
            if progress:
                print(f"building {n_events:,} synthetic event mentions in {path} …",
                      file=sys.stderr, flush=True)
            build_s, fuse_s = build_store(path, n_events, seed=seed, full_fusion=full_fusion,
                                          progress=progress)
        store = open_readonly(path)
        try:
            with store.engine.connect() as conn:
                ids = list(conn.execute(sa.select(s.events.c.id)).scalars())
                mentions = conn.execute(sa.select(sa.func.count())
                                        .select_from(s.event_mentions)).scalar_one()
                documents = conn.execute(sa.select(sa.func.count())
                                         .select_from(s.documents)).scalar_one()
            queries = MapQueries(store)
            local = _time_all(_query_plan(random.Random(seed), ids), n_requests,
                              lambda name, params: _in_process(queries, name, params))
        finally:
            store.close()

        server, port = _serve_in_thread(create_app(path))
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            remote = _time_all(_query_plan(random.Random(seed + 1), ids), n_requests,
                               lambda name, params: _http(conn, name, params))
            conn.close()
        finally:
            server.should_exit = True
        db_mb = path.stat().st_size / 1e6
    # Other jobs on a shared machine slow every figure: the load says how busy it was.
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(),
               "sqlite": sqlite3.sqlite_version, "platform": platform.platform(),
               "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}
    return ApiBenchResult(mentions, len(ids), documents, build_s, fuse_s, db_mb, local, remote,
                          machine)
