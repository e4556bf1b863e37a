"""Read-only queries for the HTTP API and the map: pages of events, one event with every
report of it, places with their control timeline, sieges, figures, documents.

They sit beside ``Store`` (and reuse its row shapes) instead of growing ``store.py``.

Events: when the store holds fused events (``frontlines.fuse``: one row per occurrence,
with its number of sources), the event queries answer with them. A store without them
(schema version 1, or ingested with fusion off) is answered mention by mention: each
mention is one source, ``min_sources > 1`` matches nothing, and "the other reports of the
same event" are the mentions in other documents with the same PLOVER type and place dated
at most a day apart. Every answer says which (``unit``, ``sources_basis``).
"""
from __future__ import annotations

import math
import sqlite3
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from frontlines.store import schema as s
from frontlines.store.store import ROLES, Store, StoreError, _iso, _url_for

SAME_EVENT_BASIS = ("mentions in other documents with the same PLOVER type and place, dated "
                    "at most a day apart (the store has no fused events)")
SOURCES_BASIS = {
    "event": "fused events: distinct outlets among the reports (a document without an outlet "
             "counts as a source of its own)",
    "mention": "each stored mention counts as one source (the store has no fused events)",
}
# What a map dot needs: ``fields=brief`` rows.
BRIEF_FIELDS = ("id", "plover", "mode", "status", "date", "date_precision", "place", "lat",
                "lon", "sources")
SIEGE_BASIS = ("places with a 'besieged' control claim, a trapped-population figure, or siege "
               "reports (COERCE/restrict) from at least two documents")
# Indicator kinds that make a siege's population series; the reader's names (issue 5).
POPULATION_KINDS = ("trapped_population", "besieged_population", "trapped", "besieged")
EVACUATION_KINDS = ("evacuated", "left", "corridor_exits")
SIEGE_MIN_DOCUMENTS = 2


# -- opening read-only ---------------------------------------------------------------------


def _readonly_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # query_only refuses any write through this connection, whatever the file mode allows.
    cur.execute("PRAGMA query_only=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # Reading is all this connection does: map the file and keep more pages at hand
    # (SQLite's defaults, no map and 2 MB, make every page of answers a round of reads).
    cur.execute("PRAGMA mmap_size=1073741824")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def open_readonly(target: str | Path) -> Store:
    """A ``Store`` that cannot write: SQLite opened ``mode=ro`` with ``query_only``.

    A missing file, a file that is not a frontlines database, or one newer than this code
    is a ``StoreError``. An older schema is read as it is (never upgraded from here).
    Other SQLAlchemy URLs open as usual (read-only is then up to the database role).
    """
    url, path = _url_for(target)
    if path is None:
        return Store.open(target, create=False)
    if not path.is_file():
        raise StoreError(f"{path}: no such database (run `frontlines ingest` first)")
    # The file URI keeps the path as given; "?" and "#" in it must be escaped.
    quoted = str(path.resolve()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    # A plain pool: "sqlite://" alone would mean one connection per thread, for memory
    # databases, and the server answers from a pool of threads.
    engine = sa.create_engine(
        "sqlite://", poolclass=sa.pool.QueuePool, pool_size=8, max_overflow=16,
        creator=lambda: sqlite3.connect(f"file:{quoted}?mode=ro", uri=True,
                                        check_same_thread=False))
    sa.event.listen(engine, "connect", _readonly_pragmas)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("meta"):
                raise StoreError(f"{path}: not a frontlines database")
            found = conn.execute(sa.select(s.meta.c.value)
                                 .where(s.meta.c.key == "schema_version")).scalar()
        if found is None or int(found) > s.SCHEMA_VERSION:
            raise StoreError(f"{path}: schema version {found}, this frontlines reads up to "
                             f"{s.SCHEMA_VERSION}")
    except sa.exc.DatabaseError as exc:
        engine.dispose()
        raise StoreError(f"{path}: not a usable database ({exc.orig})") from exc
    except StoreError:
        engine.dispose()
        raise
    return Store(engine)


# -- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BBox:
    """west, south, east, north in degrees; west > east crosses the antimeridian."""

    west: float
    south: float
    east: float
    north: float

    def condition(self, lat: Any, lon: Any) -> Any:
        lon_cond = (sa.and_(lon >= self.west, lon <= self.east) if self.west <= self.east
                    else sa.or_(lon >= self.west, lon <= self.east))
        return sa.and_(lat.is_not(None), lon.is_not(None),
                       lat >= self.south, lat <= self.north, lon_cond)


@dataclass(frozen=True)
class EventFilter:
    bbox: Optional[BBox] = None
    since: Optional[date] = None
    until: Optional[date] = None
    types: Sequence[str] = ()
    actor: Optional[str] = None
    role: Optional[str] = None
    status: Sequence[str] = ()
    min_sources: int = 1
    place: Optional[str] = None  # a place id: GeoNames id or name


def _roles(role: Optional[str]) -> list[str]:
    if role is not None and role not in ROLES:
        raise ValueError(f"role should be one of {', '.join(ROLES)}, not {role!r}")
    return [role] if role else ["actor", "target"]


def _actor_match(ids: Sequence[str], role: Optional[str]) -> Any:
    """Mention ids with one of these actors in the given role(s): the (actor_id, role) index."""
    ea = s.event_actors
    return (sa.select(ea.c.event_id)
            .where(ea.c.actor_id.in_(list(ids))).where(ea.c.role.in_(_roles(role))))


def _mention_has_actor(mention_id: Any, ids: Sequence[str], role: Optional[str]) -> Any:
    """EXISTS form, probed per candidate row through the primary key: cheaper than listing
    every mention of a frequent actor when a date range already narrows the candidates."""
    ea = s.event_actors
    return sa.exists().where(ea.c.event_id == mention_id, ea.c.actor_id.in_(list(ids)),
                             ea.c.role.in_(_roles(role)))


def _place_match(name_col: Any, gid_col: Any, place_id: str) -> Any:
    if place_id.isdigit():
        return gid_col == int(place_id)
    return sa.func.lower(name_col) == place_id.strip().lower()


def place_id_of(name: Optional[str], geonames_id: Optional[int]) -> Optional[str]:
    """The id ``/api/places/{id}`` takes: the GeoNames id when known, else the name."""
    if geonames_id:
        return str(geonames_id)
    return name or None


def _dated(f: "EventFilter") -> bool:
    return f.since is not None or f.until is not None


def _unindexed(col: Any) -> Any:
    """The same value, in a form SQLite will not look up in an index."""
    return sa.func.coalesce(col, col)


def _has_fused(conn: Connection) -> bool:
    try:
        return conn.execute(sa.select(s.events.c.id).limit(1)).first() is not None
    except sa.exc.OperationalError:  # schema version 1: no events table
        return False


class MapQueries:
    """The queries behind the API, over one (read-only) store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def _actor_ids(self, actor: str) -> list[str]:
        """The actor ids an actor filter means: ids or names in the (small) actors table,
        case-insensitive, and the text itself for ids the table does not describe.
        Resolved first, so the big tables are searched by id through their indexes."""
        a = s.actors
        needle = actor.strip()
        with self.engine.connect() as conn:
            known = conn.execute(sa.select(a.c.id).where(sa.or_(
                sa.func.lower(a.c.id) == needle.lower(),
                sa.func.lower(a.c.name) == needle.lower()))).scalars()
            return sorted({*known, needle, needle.upper()})

    def unit(self) -> str:
        """"event" when the store has fused events, else "mention"."""
        with self.engine.connect() as conn:
            return "event" if _has_fused(conn) else "mention"

    # -- events ----------------------------------------------------------------------------

    def _mention_conditions(self, f: EventFilter) -> list[Any]:
        em = s.event_mentions
        cond: list[Any] = []
        if f.since is not None:
            cond.append(em.c.date_value >= f.since)
        if f.until is not None:
            cond.append(em.c.date_value <= f.until)
        cond += self._common_conditions(em, f)
        if f.actor:
            ids = self._actor_ids(f.actor)
            cond.append(_mention_has_actor(em.c.id, ids, f.role) if _dated(f)
                        else em.c.id.in_(_actor_match(ids, f.role)))
        if f.min_sources > 1:
            cond.append(sa.false())  # one source per mention
        return cond

    def _fused_conditions(self, f: EventFilter) -> list[Any]:
        ev, mem = s.events, s.event_members
        cond: list[Any] = []
        # The event's own date, as on the map and in the timeline (its reports may span
        # date_low..date_high); a plain range also keeps the date index usable.
        if f.since is not None:
            cond.append(ev.c.date_value >= f.since)
        if f.until is not None:
            cond.append(ev.c.date_value <= f.until)
        cond += self._common_conditions(ev, f)
        if f.actor:
            ids, ea = self._actor_ids(f.actor), s.event_actors
            if _dated(f):  # probe each event of the range: its members, then their actors
                cond.append(sa.exists(
                    sa.select(sa.literal(1)).select_from(
                        mem.join(ea, ea.c.event_id == mem.c.mention_id))
                    # Unindexed actor id: else SQLite walks every report of the actor
                    # for each event, instead of the event's few members.
                    .where(mem.c.event_id == ev.c.id, _unindexed(ea.c.actor_id).in_(ids),
                           ea.c.role.in_(_roles(f.role)))))
            else:
                cond.append(ev.c.id.in_(sa.select(mem.c.event_id).where(
                    mem.c.mention_id.in_(_actor_match(ids, f.role)))))
        if f.min_sources > 1:
            cond.append(ev.c.n_sources >= f.min_sources)
        return cond

    @staticmethod
    def _common_conditions(table: sa.Table, f: EventFilter) -> list[Any]:
        c = table.c
        # Without statistics (no ANALYZE) SQLite picks the lat/lon or type index over the
        # date index even when the date range is far narrower; with a date range, those
        # columns are wrapped so that only the date index is used (and gives the order).
        col = _unindexed if _dated(f) else (lambda x: x)
        cond: list[Any] = []
        if f.types:
            # Stored upper-case by the reader; an exact IN keeps the plover index usable.
            cond.append(col(c.plover).in_([x.upper() for x in f.types]))
        if f.status:
            cond.append(c.status.in_([x.lower() for x in f.status]))
        if f.bbox is not None:
            cond.append(f.bbox.condition(col(c.lat), col(c.lon)))
        if f.place:
            cond.append(_place_match(c.place_name, c.geonames_id, f.place))
        return cond

    @staticmethod
    def _order(table: sa.Table, f: EventFilter, *tiebreak: Any) -> list[Any]:
        c = table.c
        if _dated(f):  # no undated rows: index order
            return [c.date_value, *tiebreak]
        return [sa.case((c.date_value.is_(None), 1), else_=0), c.date_value, *tiebreak]

    def events_page(self, f: EventFilter, *, limit: int = 500, offset: int = 0,
                    with_total: bool = True,
                    brief: bool = False) -> tuple[Optional[int], list[dict[str, Any]], str]:
        """(total matching, one page of event rows, unit), oldest first, undated last.

        ``unit`` is "event" (fused events) or "mention" (the store has none). ``brief``
        rows carry only what a map dot needs (``BRIEF_FIELDS``), read from plain columns:
        several times cheaper than full rows, for the thousands of dots of a view."""
        with self.engine.connect() as conn:
            fused = _has_fused(conn)
            if brief:
                return (*self._brief_page(conn, f, limit, offset, with_total, fused),
                        "event" if fused else "mention")
            if fused:
                return (*self._fused_page(conn, f, limit, offset, with_total), "event")
            return (*self._mention_page(conn, f, limit, offset, with_total), "mention")

    def _brief_page(self, conn: Connection, f: EventFilter, limit: int, offset: int,
                    with_total: bool, fused: bool) -> tuple[Optional[int], list[dict[str, Any]]]:
        if fused:
            table, cond = s.events, self._fused_conditions(f)
            c = table.c
            sources, tiebreak = c.n_sources, (c.first_reported, c.id)
        else:
            table, cond = s.event_mentions, self._mention_conditions(f)
            c = table.c
            sources, tiebreak = sa.literal(1), (c.document_id, c.position)
        q = (sa.select(c.id, c.plover, c.mode, c.status, c.date_value, c.date_precision,
                       c.place_name, c.lat, c.lon, sources)
             .where(*cond).order_by(*self._order(table, f, *tiebreak))
             .limit(limit).offset(offset))
        total = None
        if with_total:
            total = conn.execute(sa.select(sa.func.count()).select_from(table)
                                 .where(*cond)).scalar_one()
        rows = [dict(zip(BRIEF_FIELDS, (i, p, m, st, _iso(d), dp, pl, lat, lon, n)))
                for i, p, m, st, d, dp, pl, lat, lon, n in conn.execute(q)]
        return total, rows

    def _mention_page(self, conn: Connection, f: EventFilter, limit: int, offset: int,
                      with_total: bool) -> tuple[Optional[int], list[dict[str, Any]]]:
        em, d = s.event_mentions, s.documents
        cond = self._mention_conditions(f)
        q = (sa.select(em, d.c.title, d.c.outlet, d.c.url, d.c.published)
             .join(d, d.c.id == em.c.document_id).where(*cond)
             .order_by(*self._order(em, f, em.c.document_id, em.c.position))
             .limit(limit).offset(offset))
        total = None
        if with_total:
            total = conn.execute(sa.select(sa.func.count()).select_from(em)
                                 .where(*cond)).scalar_one()
        rows = [dict(r) for r in conn.execute(q).mappings()]
        names = Store._actor_names(conn, rows)
        out = []
        for r in rows:
            row = Store._event_row(r, names)
            row.update(sources=1, documents=1, mentions=1, mention_ids=[row["id"]])
            row["place_id"] = place_id_of(row["place"], row["geonames_id"])
            out.append(row)
        return total, out

    def _fused_page(self, conn: Connection, f: EventFilter, limit: int, offset: int,
                    with_total: bool) -> tuple[Optional[int], list[dict[str, Any]]]:
        ev = s.events
        cond = self._fused_conditions(f)
        q = (sa.select(ev).where(*cond)
             .order_by(*self._order(ev, f, ev.c.first_reported, ev.c.id))
             .limit(limit).offset(offset))
        total = None
        if with_total:
            total = conn.execute(sa.select(sa.func.count()).select_from(ev)
                                 .where(*cond)).scalar_one()
        rows = [dict(r) for r in conn.execute(q).mappings()]
        names = Store._actor_names(conn, rows)
        out = [Store._fused_row(r, names) for r in rows]
        # The list shows a line of evidence: the first report's, in one query for the page.
        first = {row["mention_ids"][0]: row for row in out if row["mention_ids"]}
        em, d = s.event_mentions, s.documents
        sqlite = conn.dialect.name == "sqlite"
        # SQLite cuts the one string out of the JSON itself: no decoding of whole mentions.
        text_col = (sa.func.json_extract(em.c.data, "$.evidence[0].text") if sqlite
                    else em.c.data)
        for chunk in _chunks(list(first)):
            for mid, text, title, outlet in conn.execute(
                    sa.select(em.c.id, text_col, d.c.title, d.c.outlet)
                    .join(d, d.c.id == em.c.document_id).where(em.c.id.in_(chunk))):
                if not sqlite:
                    evidence = (text or {}).get("evidence") or []
                    text = evidence[0]["text"] if evidence else None
                first[mid].update(evidence_text=text, title=title, outlet=outlet)
        for row in out:
            row.setdefault("evidence_text", None)
            row["place_id"] = place_id_of(row["place"], row["geonames_id"])
        return total, out

    def timeline(self, f: EventFilter) -> list[dict[str, Any]]:
        """Events per day under the filter (its own date bounds ignored): the slider's
        histogram, so moving the slider shows what lies under it."""
        f = replace(f, since=None, until=None)
        with self.engine.connect() as conn:
            if _has_fused(conn):
                table, cond = s.events, self._fused_conditions(f)
            else:
                table, cond = s.event_mentions, self._mention_conditions(f)
            day = table.c.date_value
            q = (sa.select(day, sa.func.count()).where(day.is_not(None), *cond)
                 .group_by(day).order_by(day))
            return [{"date": _iso(d), "events": n} for d, n in conn.execute(q)]

    def event_detail(self, id_or_prefix: str) -> Optional[dict[str, Any]]:
        """One event and every report of it, each with its evidence sentence and marks.

        Takes a fused event id, or a mention id (then the event it was fused into, with
        that report first). ``AmbiguousId`` if a prefix is not unique.
        """
        with self.engine.connect() as conn:
            fused = _has_fused(conn)
        if fused:
            event_id = self.store.resolve_fused_id(id_or_prefix)
            asked = None
            if event_id is None:
                asked = self.store.resolve_event_id(id_or_prefix)
                event_id = self.store.event_of_mention(asked) if asked else None
            if event_id is not None:
                return self._fused_detail(event_id, asked)
        main = self.store.event(id_or_prefix)
        if main is None:
            return None
        others = [self.store.event(i) for i in self._same_event_ids(main)]
        mentions = [_mention_view(main)] + [_mention_view(o) for o in others if o is not None]
        out = {k: v for k, v in main.items() if k not in ("sentence", "marks")}
        out.update({
            "unit": "mention",
            "sources": 1,
            "documents": len({m["document_id"] for m in mentions}),
            "outlets": sorted({m["outlet"] for m in mentions if m["outlet"]}),
            "place_id": place_id_of(main["place"], main["geonames_id"]),
            "mentions": mentions,
            "same_event_basis": SAME_EVENT_BASIS,
            "sources_basis": SOURCES_BASIS["mention"],
        })
        return out

    def _fused_detail(self, event_id: str, asked: Optional[str]) -> Optional[dict[str, Any]]:
        ev = self.store.fused_event(event_id)
        if ev is None:
            return None
        reports = ev.pop("reports")
        if asked:  # the report the user clicked comes first
            reports.sort(key=lambda m: m["id"] != asked)
        ev.update({
            "unit": "event",
            "mention_count": ev.pop("mentions"),
            "mentions": [_mention_view(m) for m in reports],
            "place_id": place_id_of(ev["place"], ev["geonames_id"]),
            "same_event_basis": "fused by frontlines.fuse",
            "sources_basis": SOURCES_BASIS["event"],
        })
        return ev

    def _same_event_ids(self, ev: dict[str, Any]) -> list[str]:
        if not ev.get("date") or not (ev.get("geonames_id") or ev.get("place")):
            return []
        em = s.event_mentions
        day = date.fromisoformat(ev["date"])
        q = (sa.select(em.c.id).where(
            em.c.plover == ev["plover"], em.c.document_id != ev["document_id"],
            em.c.date_value >= day - timedelta(days=1), em.c.date_value <= day + timedelta(days=1),
            _place_match(em.c.place_name, em.c.geonames_id,
                         place_id_of(ev["place"], ev["geonames_id"]) or ""))
             .order_by(em.c.date_value, em.c.document_id, em.c.position).limit(50))
        with self.engine.connect() as conn:
            return list(conn.execute(q).scalars())

    # -- summary ---------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """What the page needs to set itself up: date range, types, actors, statuses."""
        ea, a = s.event_actors, s.actors
        with self.engine.connect() as conn:
            unit = "event" if _has_fused(conn) else "mention"
            table = s.events if unit == "event" else s.event_mentions
            c = table.c

            def count(*where: Any) -> int:
                return conn.execute(sa.select(sa.func.count()).select_from(table)
                                    .where(*where)).scalar_one()

            lo, hi = conn.execute(sa.select(sa.func.min(c.date_value),
                                            sa.func.max(c.date_value))).one()
            types = conn.execute(sa.select(c.plover, sa.func.count()).group_by(c.plover)
                                 .order_by(sa.func.count().desc(), c.plover)).all()
            statuses = conn.execute(sa.select(c.status, sa.func.count()).group_by(c.status)
                                    .order_by(sa.func.count().desc())).all()
            # Actors are counted in reports (mentions): that is where roles are stored.
            actors = conn.execute(
                sa.select(ea.c.actor_id, a.c.name, a.c.sector,
                          sa.func.count(sa.distinct(ea.c.event_id)).label("n"))
                .select_from(ea.outerjoin(a, a.c.id == ea.c.actor_id))
                .where(ea.c.role.in_(["actor", "target"]))
                .group_by(ea.c.actor_id, a.c.name, a.c.sector)
                .order_by(sa.desc("n"), ea.c.actor_id).limit(300)).all()
            out = {
                "unit": unit,
                "events": count(), "located_events": count(c.lat.is_not(None)),
                "undated_events": count(c.date_value.is_(None)),
                "mentions": conn.execute(sa.select(sa.func.count())
                                         .select_from(s.event_mentions)).scalar_one(),
                "documents": conn.execute(sa.select(sa.func.count())
                                          .select_from(s.documents)).scalar_one(),
                "max_sources": (conn.execute(sa.select(sa.func.max(c.n_sources))).scalar()
                                if unit == "event" else 1),
            }
        out.update({
            "date_range": [_iso(lo), _iso(hi)],
            "types": [{"type": t, "events": n} for t, n in types],
            "statuses": [{"status": st, "events": n} for st, n in statuses],
            "actors": [{"id": aid, "name": name or aid, "sector": sector, "reports": n}
                       for aid, name, sector, n in actors],
            "sources_basis": SOURCES_BASIS[unit],
        })
        return out

    # -- places ----------------------------------------------------------------------------

    def places(self) -> list[dict[str, Any]]:
        """Every place the store's readings resolved, with mention and event counts."""
        pm, em = s.place_mentions, s.event_mentions
        key = sa.func.coalesce(sa.cast(pm.c.geonames_id, sa.String), sa.func.lower(pm.c.name))
        ekey = sa.func.coalesce(sa.cast(em.c.geonames_id, sa.String),
                                sa.func.lower(em.c.place_name))
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(key.label("k"), sa.func.min(pm.c.name).label("name"),
                          sa.func.min(pm.c.kind).label("kind"), sa.func.avg(pm.c.lat).label("lat"),
                          sa.func.avg(pm.c.lon).label("lon"),
                          sa.func.max(pm.c.geonames_id).label("geonames_id"),
                          sa.func.min(pm.c.country).label("country"),
                          sa.func.count().label("mentions"))
                .group_by(key).order_by(sa.desc("mentions"), "name")).mappings().all()
            events = dict(conn.execute(sa.select(ekey, sa.func.count())
                                       .where(em.c.place_name.is_not(None))
                                       .group_by(ekey)).all())
        out = []
        for r in rows:
            out.append({
                "id": place_id_of(r["name"], r["geonames_id"]), "name": r["name"],
                "kind": r["kind"], "lat": _round(r["lat"]), "lon": _round(r["lon"]),
                "geonames_id": r["geonames_id"], "country": r["country"],
                "mentions": r["mentions"], "events": events.get(r["k"], 0),
            })
        return out

    def place(self, place_id: str) -> Optional[dict[str, Any]]:
        """A place: what the readings say of it, its control timeline, figures, events."""
        pm, em, cc = s.place_mentions, s.event_mentions, s.control_claims
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(pm.c.name, pm.c.kind, pm.c.lat, pm.c.lon, pm.c.geonames_id,
                          pm.c.country)
                .where(_place_match(pm.c.name, pm.c.geonames_id, place_id)).limit(1)
            ).mappings().first()
            mentions = conn.execute(sa.select(sa.func.count()).select_from(pm).where(
                _place_match(pm.c.name, pm.c.geonames_id, place_id))).scalar_one()
            if found is None:  # named only in events or control claims
                found = conn.execute(
                    sa.select(em.c.place_name.label("name"), em.c.place_kind.label("kind"),
                              em.c.lat, em.c.lon, em.c.geonames_id,
                              em.c.place_country.label("country"))
                    .where(_place_match(em.c.place_name, em.c.geonames_id, place_id)).limit(1)
                ).mappings().first()
            if found is None:
                found = conn.execute(
                    sa.select(cc.c.place_name.label("name"), sa.null().label("kind"),
                              cc.c.lat, cc.c.lon, cc.c.geonames_id, sa.null().label("country"))
                    .where(_place_match(cc.c.place_name, cc.c.geonames_id, place_id)).limit(1)
                ).mappings().first()
            if found is None:
                return None
            by_type = dict(conn.execute(
                sa.select(em.c.plover, sa.func.count())
                .where(_place_match(em.c.place_name, em.c.geonames_id, place_id))
                .group_by(em.c.plover).order_by(sa.func.count().desc())).all())
            first, last = conn.execute(
                sa.select(sa.func.min(em.c.date_value), sa.func.max(em.c.date_value))
                .where(_place_match(em.c.place_name, em.c.geonames_id, place_id))).one()
        control = self.control_claims(place_id)
        figures = self.figures(place=place_id, limit=1000)[1]
        return {
            "id": place_id_of(found["name"], found["geonames_id"]),
            "name": found["name"], "kind": found["kind"], "lat": found["lat"],
            "lon": found["lon"], "geonames_id": found["geonames_id"],
            "country": found["country"],
            "mentions": mentions,
            "events": {"count": sum(by_type.values()), "by_type": by_type,
                       "first": _iso(first), "last": _iso(last)},
            "control": control,
            "control_basis": ("every stored control claim about the place, oldest first; "
                              "contradicting claims are all listed"),
            "figures": figures,
        }

    def control_claims(self, place_id: Optional[str] = None) -> list[dict[str, Any]]:
        """Control claims (a place's timeline when ``place_id`` is given), oldest first."""
        cc, d = s.control_claims, s.documents
        q = (sa.select(cc, d.c.title, d.c.outlet, d.c.url, d.c.published)
             .join(d, d.c.id == cc.c.document_id))
        if place_id is not None:
            q = q.where(_place_match(cc.c.place_name, cc.c.geonames_id, place_id))
        q = q.order_by(sa.case((cc.c.date_value.is_(None), 1), else_=0), cc.c.date_value,
                       cc.c.document_id, cc.c.position)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
            names = _names(conn, [[r["controller"], r["counterpart"]] for r in rows])
        out = []
        for r in rows:
            data = r["data"] or {}
            out.append({
                "id": r["id"], "document_id": r["document_id"],
                "place": r["place_name"], "place_id": place_id_of(r["place_name"], r["geonames_id"]),
                "lat": r["lat"], "lon": r["lon"],
                "controller": r["controller"], "controller_name": names.get(r["controller"]),
                "counterpart": r["counterpart"], "counterpart_name": names.get(r["counterpart"]),
                "change": r["change"], "date": _iso(r["date_value"]),
                "date_precision": r["date_precision"], "status": r["status"],
                "reported_by": data.get("reported_by") or [],
                "evidence": data.get("evidence") or [], "rule": r["rule"],
                **_doc_fields(r),
            })
        return out

    # -- figures ---------------------------------------------------------------------------

    def figures(self, *, kind: Sequence[str] = (), place: Optional[str] = None,
                since: Optional[date] = None, until: Optional[date] = None,
                status: Sequence[str] = (), limit: int = 500,
                offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Humanitarian figures (indicators), by as-of date; (total, one page)."""
        ind, d = s.indicators, s.documents
        cond: list[Any] = []
        if kind:
            cond.append(ind.c.kind.in_(list(kind)))
        if place is not None:
            cond.append(sa.func.lower(ind.c.place_name) == place.strip().lower()
                        if not place.isdigit() else
                        sa.func.lower(ind.c.place_name).in_(self._names_of_place(place)))
        if since is not None:
            cond.append(ind.c.as_of_value >= since)
        if until is not None:
            cond.append(ind.c.as_of_value <= until)
        if status:
            cond.append(ind.c.status.in_([x.lower() for x in status]))
        q = (sa.select(ind, d.c.title, d.c.outlet, d.c.url, d.c.published)
             .join(d, d.c.id == ind.c.document_id).where(*cond)
             .order_by(sa.case((ind.c.as_of_value.is_(None), 1), else_=0), ind.c.as_of_value,
                       ind.c.document_id, ind.c.position)
             .limit(limit).offset(offset))
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(ind)
                                 .where(*cond)).scalar_one()
            rows = [dict(r) for r in conn.execute(q).mappings()]
        return total, [_figure_row(r) for r in rows]

    def _names_of_place(self, geonames_id: str) -> list[str]:
        # Indicators keep a place name only; a GeoNames id stands for every name it had.
        pm, em = s.place_mentions, s.event_mentions
        gid = int(geonames_id)
        with self.engine.connect() as conn:
            names = set(conn.execute(sa.select(sa.func.lower(pm.c.name))
                                     .where(pm.c.geonames_id == gid)).scalars())
            names |= set(conn.execute(sa.select(sa.func.lower(em.c.place_name))
                                      .where(em.c.geonames_id == gid)).scalars())
        return sorted(n for n in names if n)

    # -- sieges ----------------------------------------------------------------------------

    def sieges(self) -> list[dict[str, Any]]:
        """Besieged places from what the store holds (see ``SIEGE_BASIS``), most reported
        first: besiegers, first and latest report, trapped population over time, forecasts,
        evacuations, and the siege reports themselves."""
        em, cc, ind = s.event_mentions, s.control_claims, s.indicators
        d = s.documents
        with self.engine.connect() as conn:
            reports = [dict(r) for r in conn.execute(
                sa.select(em.c.id, em.c.document_id, em.c.place_name, em.c.geonames_id,
                          em.c.lat, em.c.lon, em.c.date_value, em.c.status, em.c.data,
                          d.c.outlet, d.c.title, d.c.published)
                .join(d, d.c.id == em.c.document_id)
                .where(em.c.plover == "COERCE", em.c.mode == "restrict",
                       em.c.place_name.is_not(None))
                .order_by(em.c.date_value)).mappings()]
            claims = [dict(r) for r in conn.execute(
                sa.select(cc.c.id, cc.c.document_id, cc.c.place_name, cc.c.geonames_id,
                          cc.c.lat, cc.c.lon, cc.c.date_value, cc.c.controller,
                          cc.c.counterpart)
                .where(cc.c.change == "besieged", cc.c.place_name.is_not(None))).mappings()]
            figures = [dict(r) for r in conn.execute(
                sa.select(ind, d.c.title, d.c.outlet, d.c.url, d.c.published)
                .join(d, d.c.id == ind.c.document_id)
                .where(ind.c.place_name.is_not(None))
                .order_by(ind.c.as_of_value)).mappings()]
            names = _names(conn, [r["data"].get("actors") or [] for r in reports]
                           + [[c["counterpart"], c["controller"]] for c in claims])
        groups: dict[str, dict[str, Any]] = {}

        def group(name: str, gid: Optional[int], lat: Any, lon: Any) -> dict[str, Any]:
            key = str(gid) if gid else name.lower()
            g = groups.setdefault(key, {"key": key, "names": Counter(), "geonames_id": gid,
                                        "lat": lat, "lon": lon, "reports": [], "claims": [],
                                        "figures": []})
            g["names"][name] += 1
            if g["lat"] is None:
                g["lat"], g["lon"] = lat, lon
            return g

        for r in reports:
            group(r["place_name"], r["geonames_id"], r["lat"], r["lon"])["reports"].append(r)
        for c in claims:
            group(c["place_name"], c["geonames_id"], c["lat"], c["lon"])["claims"].append(c)
        by_name = {n.lower(): g for g in groups.values() for n in g["names"]}
        for f in figures:
            g = by_name.get(f["place_name"].lower())
            if g is None and f["kind"] in POPULATION_KINDS:
                g = group(f["place_name"], None, f["lat"], f["lon"])
                by_name[f["place_name"].lower()] = g
            if g is not None:
                g["figures"].append(f)
        out = []
        for g in groups.values():
            docs = {r["document_id"] for r in g["reports"]}
            population = [f for f in g["figures"] if f["kind"] in POPULATION_KINDS]
            if not (g["claims"] or population or len(docs) >= SIEGE_MIN_DOCUMENTS):
                continue
            out.append(_siege_view(g, names))
        out.sort(key=lambda x: (-x["reports"], x["place"]))
        return out

    # -- documents -------------------------------------------------------------------------

    def document(self, document_id: str) -> Optional[dict[str, Any]]:
        """A document with its text, and the spans of what its reading found in it."""
        doc = self.store.document(document_id)
        if doc is None:
            return None
        em, cc, ind = s.event_mentions, s.control_claims, s.indicators
        with self.engine.connect() as conn:
            events = conn.execute(sa.select(em.c.id, em.c.plover, em.c.mode, em.c.status,
                                            em.c.date_value, em.c.place_name, em.c.data)
                                  .where(em.c.document_id == document_id)
                                  .order_by(em.c.position)).mappings().all()
            control = conn.execute(sa.select(cc.c.id, cc.c.change, cc.c.place_name, cc.c.data)
                                   .where(cc.c.document_id == document_id)
                                   .order_by(cc.c.position)).mappings().all()
            figures = conn.execute(sa.select(ind.c.id, ind.c.kind, ind.c.value, ind.c.data)
                                   .where(ind.c.document_id == document_id)
                                   .order_by(ind.c.position)).mappings().all()
        doc["events"] = [{"id": e["id"], "plover": e["plover"], "mode": e["mode"],
                          "status": e["status"], "date": _iso(e["date_value"]),
                          "place": e["place_name"], "evidence": e["data"].get("evidence") or []}
                         for e in events]
        doc["control"] = [{"id": c["id"], "change": c["change"], "place": c["place_name"],
                           "evidence": c["data"].get("evidence") or []} for c in control]
        doc["figures"] = [{"id": f["id"], "kind": f["kind"], "value": f["value"],
                           "evidence": f["data"].get("evidence") or []} for f in figures]
        return doc


# -- shaping rows ----------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _names(conn: Any, id_lists: Iterable[Iterable[Optional[str]]]) -> dict[str, str]:
    ids = sorted({i for ids in id_lists for i in ids if i})
    names: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for aid, name in conn.execute(sa.select(s.actors.c.id, s.actors.c.name)
                                      .where(s.actors.c.id.in_(chunk))):
            names[aid] = name
    return names


def _doc_fields(r: dict[str, Any]) -> dict[str, Any]:
    return {"title": r.get("title"), "outlet": r.get("outlet"), "url": r.get("url"),
            "published": _iso(r.get("published"))}


def _mention_view(e: dict[str, Any]) -> dict[str, Any]:
    """One report of an event, as the evidence panel shows it."""
    keep = ("id", "document_id", "title", "outlet", "url", "published", "published_basis",
            "date", "date_precision", "date_expression", "status", "reported_by",
            "reported_by_names", "actors", "actor_names", "targets", "target_names", "place",
            "fatalities", "injured", "evidence", "sentence", "marks", "trigger", "rule")
    return {k: e.get(k) for k in keep}


def _figure_row(r: dict[str, Any]) -> dict[str, Any]:
    data = r["data"] or {}
    projected = data.get("projected_date") or None
    return {
        "id": r["id"], "document_id": r["document_id"], "kind": r["kind"],
        "value": _number(r["value"]), "unit": r["unit"], "low": _number(r["low"]),
        "high": _number(r["high"]), "hedge": data.get("hedge"),
        "place": r["place_name"], "lat": r["lat"], "lon": r["lon"],
        "as_of": _iso(r["as_of_value"]), "as_of_precision": r["as_of_precision"],
        "projected_date": projected.get("value") if projected else None,
        "projected_precision": projected.get("precision") if projected else None,
        "forecast": projected is not None,
        "status": r["status"], "reported_by": data.get("reported_by") or [],
        "evidence": data.get("evidence") or [], "rule": r["rule"],
        **_doc_fields(r),
    }


def _round(x: Optional[float]) -> Optional[float]:
    return None if x is None else round(x, 6)  # an average of equal points is not exact


def _number(x: Optional[float]) -> Optional[float | int]:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return int(x) if float(x).is_integer() else x


def _siege_view(g: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    besiegers: Counter[str] = Counter()
    for r in g["reports"]:
        besiegers.update(r["data"].get("actors") or [])
    for c in g["claims"]:
        if c["counterpart"]:
            besiegers[c["counterpart"]] += 1
    dates = sorted(x for x in [r["date_value"] for r in g["reports"]]
                   + [c["date_value"] for c in g["claims"]] if x)
    figures = [_figure_row(f) for f in g["figures"]]
    reports = [{"id": r["id"], "document_id": r["document_id"], "date": _iso(r["date_value"]),
                "status": r["status"], "outlet": r["outlet"], "title": r["title"],
                "evidence_text": (r["data"].get("evidence") or [{}])[0].get("text")}
               for r in g["reports"]]
    reports.sort(key=lambda r: (r["date"] is None, r["date"] or ""))  # undated last
    name = g["names"].most_common(1)[0][0]
    return {
        "place": name,
        "place_id": place_id_of(name, g["geonames_id"]),
        "names": sorted(g["names"]),
        "lat": g["lat"], "lon": g["lon"],
        "besiegers": [{"id": a, "name": names.get(a, a), "reports": n}
                      for a, n in besiegers.most_common()],
        "first_report": _iso(dates[0]) if dates else None,
        "latest_report": _iso(dates[-1]) if dates else None,
        "reports": len(g["reports"]) + len(g["claims"]),
        "documents": len({r["document_id"] for r in g["reports"]}
                         | {c["document_id"] for c in g["claims"]}),
        "population": [f for f in figures if f["kind"] in POPULATION_KINDS and not f["forecast"]],
        "forecasts": [f for f in figures if f["forecast"]],
        "evacuations": [f for f in figures if f["kind"] in EVACUATION_KINDS],
        "siege_reports": reports,
        "basis": SIEGE_BASIS,
    }
