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

import json
import math
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from frontlines import situation
from frontlines.gazetteer.placekey import place_key
from frontlines.store import schema as s
from frontlines.store import situation_queries
from frontlines.store.store import ROLES, Store, StoreError, _iso, _url_for

T = TypeVar("T")
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
SIEGE_BASIS = ("siege periods of the stored control claims ('besieged', 'lifted'), as "
               "the situation command makes them: a place is besieged from its first "
               "siege claim until a claim that the siege was broken or lifted; figures are "
               "those of the same place, siege reports those at the place or in the "
               "documents that tell its siege")


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

    FORM = "west,south,east,north in degrees (e.g. 36.9,36.0,37.4,36.4)"

    @classmethod
    def parse(cls, value: str) -> "BBox":
        """``west,south,east,north`` (GeoJSON's order); a ValueError says what is wrong."""
        parts = value.split(",")
        try:
            if len(parts) != 4:
                raise ValueError
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            raise ValueError(f"should be {cls.FORM}, not {value!r}") from None
        if any(math.isnan(x) for x in (west, south, east, north)):
            raise ValueError(f"should be {cls.FORM}, not {value!r}")
        if not (-180 <= west <= 180 and -180 <= east <= 180):
            raise ValueError(f"longitudes must lie in -180..180, not {value!r}")
        if not (-90 <= south <= 90 and -90 <= north <= 90):
            raise ValueError(f"latitudes must lie in -90..90, not {value!r}")
        if south > north:
            raise ValueError(f"south ({south:g}) is above north ({north:g})")
        return cls(west, south, east, north)

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


@dataclass(frozen=True)
class JsonPage:
    """A page of event rows already written as JSON."""

    total: int  # every match of the filter
    rows_json: str  # the page's rows: a JSON array
    unit: str  # "event" or "mention"
    count: int  # rows in the page


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
        cond += self._common_conditions(em, f, wrap=_dated(f))
        if f.actor:
            ids = self._actor_ids(f.actor)
            cond.append(_mention_has_actor(em.c.id, ids, f.role) if _dated(f)
                        else em.c.id.in_(_actor_match(ids, f.role)))
        if f.min_sources > 1:
            cond.append(sa.false())  # one source per mention
        return cond

    def _fused_conditions(self, f: EventFilter, in_date_order: bool = False) -> list[Any]:
        """``in_date_order``: for a page, which ix_events_map gives in its order (and checks
        the filters in) even without dates, rather than the type or lat/lon index."""
        ev, mem = s.events, s.event_members
        cond: list[Any] = []
        # The event's own date, as on the map and in the timeline (its reports may span
        # date_low..date_high); a plain range also keeps the date index usable.
        if f.since is not None:
            cond.append(ev.c.date_value >= f.since)
        if f.until is not None:
            cond.append(ev.c.date_value <= f.until)
        cond += self._common_conditions(ev, f, wrap=_dated(f) or in_date_order)
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
    def _common_conditions(table: sa.Table, f: EventFilter, wrap: bool) -> list[Any]:
        c = table.c
        # Without statistics (no ANALYZE) SQLite picks the lat/lon or type index over the
        # date index even when the date range is far narrower; ``wrap``ped, those columns
        # are not looked up, so the date index is used (and gives the order).
        col = _unindexed if wrap else (lambda x: x)
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

    def events_page_json(self, f: EventFilter, *, limit: int = 500, offset: int = 0,
                         brief: bool = False) -> JsonPage:
        """The rows of ``events_page`` as one JSON array text, as ``/api/events`` sends them.

        On SQLite, fused-event rows are written by SQLite itself (``json_object``), so a
        page makes no Python object per row or value; a test checks they are the rows of
        ``events_page``. Other databases, and stores without fused events, dump those."""
        with self.engine.connect() as conn:
            fused = _has_fused(conn)
            if fused and conn.dialect.name == "sqlite":
                total, rows = (self._brief_page_json(conn, f, limit, offset) if brief
                               else self._fused_page_json(conn, f, limit, offset))
                return JsonPage(total, "[" + ",".join(rows) + "]", "event", len(rows))
        total, dicts, unit = self.events_page(f, limit=limit, offset=offset, brief=brief)
        assert total is not None
        return JsonPage(total, dumps(dicts), unit, len(dicts))

    def _total(self, conn: Connection, table: sa.Table, cond: list[Any], limit: int,
               offset: int, n_rows: int) -> int:
        """Every match of the filter. A page that is not full is the last one, and tells the
        total without a count: the map's view of a few thousand dots never counts."""
        if n_rows < limit and (n_rows > 0 or offset == 0):
            return offset + n_rows
        return conn.execute(sa.select(sa.func.count()).select_from(table)
                            .where(*cond)).scalar_one()

    def _brief_query(self, f: EventFilter,
                     fused: bool) -> tuple[sa.Table, list[Any], list[Any], list[Any]]:
        """(table, conditions, the brief columns in BRIEF_FIELDS order, the page order)."""
        if fused:  # pages come in date order (``_date_ordered``), undated ones after
            table, cond = s.events, self._fused_conditions(f, in_date_order=True)
            c = table.c
            cols = [c.id, c.plover, c.mode, c.status, c.date_value, c.date_precision,
                    c.place_name, c.lat, c.lon, c.n_sources]
            return table, cond, cols, [c.date_value, c.first_reported, c.id]
        table, cond = s.event_mentions, self._mention_conditions(f)
        c = table.c
        cols = [c.id, c.plover, c.mode, c.status, c.date_value, c.date_precision, c.place_name,
                c.lat, c.lon, sa.literal(1)]
        return table, cond, cols, self._order(table, f, c.document_id, c.position)

    def _date_ordered(self, conn: Connection, f: EventFilter, cond: list[Any], limit: int,
                      offset: int, run: Callable[[list[Any], int, int], list[T]]) -> list[T]:
        """A page of fused events, oldest first and undated last, read in index order with
        no sort of every match: the dated ones, then, if the page reaches past them, the
        undated ones. ``run(conditions, limit, offset)`` gives rows in date order."""
        if _dated(f):  # no undated rows
            return run(cond, limit, offset)
        day = s.events.c.date_value
        dated = run([*cond, day.is_not(None)], limit, offset)
        if len(dated) == limit:
            return dated
        n_dated = (offset + len(dated) if dated or offset == 0 else conn.execute(
            sa.select(sa.func.count()).select_from(s.events)
            .where(*cond, day.is_not(None))).scalar_one())
        return dated + run([*cond, day.is_(None)], limit - len(dated), max(0, offset - n_dated))

    def _brief_page(self, conn: Connection, f: EventFilter, limit: int, offset: int,
                    with_total: bool, fused: bool) -> tuple[Optional[int], list[dict[str, Any]]]:
        table, cond, cols, order = self._brief_query(f, fused)

        def run(where: list[Any], n: int, skip: int) -> list[dict[str, Any]]:
            q = sa.select(*cols).where(*where).order_by(*order).limit(n).offset(skip)
            return [dict(zip(BRIEF_FIELDS, (i, p, m, st, _iso(d), dp, pl, lat, lon, k)))
                    for i, p, m, st, d, dp, pl, lat, lon, k in conn.execute(q)]

        rows = (self._date_ordered(conn, f, cond, limit, offset, run) if fused
                else run(cond, limit, offset))
        total = self._total(conn, table, cond, limit, offset, len(rows)) if with_total else None
        return total, rows

    def _brief_page_json(self, conn: Connection, f: EventFilter, limit: int,
                         offset: int) -> tuple[int, list[str]]:
        # Every column of a brief row is in ix_events_map: the page is read from the index.
        table, cond, cols, order = self._brief_query(f, fused=True)
        row = _json_object(*(x for pair in zip(BRIEF_FIELDS, cols) for x in pair))

        def run(where: list[Any], n: int, skip: int) -> list[str]:
            return _strings(conn, sa.select(row).where(*where).order_by(*order)
                            .limit(n).offset(skip))

        rows = self._date_ordered(conn, f, cond, limit, offset, run)
        return self._total(conn, table, cond, limit, offset, len(rows)), rows

    def _mention_page(self, conn: Connection, f: EventFilter, limit: int, offset: int,
                      with_total: bool) -> tuple[Optional[int], list[dict[str, Any]]]:
        em, d = s.event_mentions, s.documents
        cond = self._mention_conditions(f)
        q = (sa.select(em, d.c.title, d.c.outlet, d.c.url, d.c.published)
             .join(d, d.c.id == em.c.document_id).where(*cond)
             .order_by(*self._order(em, f, em.c.document_id, em.c.position))
             .limit(limit).offset(offset))
        rows = [dict(r) for r in conn.execute(q).mappings()]
        total = self._total(conn, em, cond, limit, offset, len(rows)) if with_total else None
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
        cond = self._fused_conditions(f, in_date_order=True)

        def run(where: list[Any], n: int, skip: int) -> list[dict[str, Any]]:
            q = (sa.select(ev).where(*where)
                 .order_by(ev.c.date_value, ev.c.first_reported, ev.c.id).limit(n).offset(skip))
            return [dict(r) for r in conn.execute(q).mappings()]

        rows = self._date_ordered(conn, f, cond, limit, offset, run)
        total = self._total(conn, ev, cond, limit, offset, len(rows)) if with_total else None
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
            for key in ("evidence_text", "title", "outlet"):
                row.setdefault(key, None)
            row["place_id"] = place_id_of(row["place"], row["geonames_id"])
        return total, out

    def _fused_page_json(self, conn: Connection, f: EventFilter, limit: int,
                         offset: int) -> tuple[int, list[str]]:
        """The rows of ``_fused_page`` (``Store._fused_row`` and the first report's line of
        evidence), each written by SQLite's ``json_object``."""
        ev = s.events
        cond = self._fused_conditions(f, in_date_order=True)
        e = s.events.alias("e")
        first = s.event_mentions.alias("first")
        doc = s.documents.alias("doc")

        def listed(path: str) -> Any:  # a list of the event's JSON, [] when absent
            return sa.func.coalesce(sa.func.json_extract(e.c.data, path), sa.func.json_array())

        row = _json_object(
            "id", e.c.id, "plover", e.c.plover, "mode", e.c.mode,
            "acled_event_type", e.c.acled_event_type,
            "acled_sub_event_type", e.c.acled_sub_event_type,
            "actors", listed("$.actors"), "actor_names", _names_json(e.c.data, "$.actors"),
            "targets", listed("$.targets"), "target_names", _names_json(e.c.data, "$.targets"),
            "status", e.c.status, "reported_by", listed("$.reported_by"),
            "date", e.c.date_value, "date_precision", e.c.date_precision,
            "date_low", e.c.date_low, "date_high", e.c.date_high,
            "place", e.c.place_name, "place_kind", e.c.place_kind, "lat", e.c.lat,
            "lon", e.c.lon, "geonames_id", e.c.geonames_id, "geo_precision", e.c.geo_precision,
            "place_country", e.c.place_country, "fatalities", e.c.fatalities_best,
            "fatalities_low", e.c.fatalities_low, "fatalities_high", e.c.fatalities_high,
            "injured", e.c.injured, "sources", e.c.n_sources, "documents", e.c.n_documents,
            "mentions", e.c.n_mentions, "outlets", listed("$.outlets"),
            "first_reported", e.c.first_reported, "last_reported", e.c.last_reported,
            "disagreements", listed("$.disagreements"), "mention_ids", listed("$.mentions"),
            "document_ids", listed("$.documents"),
            "evidence_text", sa.func.json_extract(first.c.data, "$.evidence[0].text"),
            "title", doc.c.title, "outlet", doc.c.outlet,
            "place_id", sa.case((sa.func.coalesce(e.c.geonames_id, 0) != 0,
                                 sa.cast(e.c.geonames_id, sa.Text)),
                                else_=sa.func.nullif(e.c.place_name, "")))
        def run(where: list[Any], n: int, skip: int) -> list[str]:
            # The page's ids first, from the index in page order (skipped rows cost an
            # index step each); only its rows are then read whole and written out.
            page = (sa.select(ev.c.id, ev.c.date_value, ev.c.first_reported).where(*where)
                    .order_by(ev.c.date_value, ev.c.first_reported, ev.c.id)
                    .limit(n).offset(skip).subquery("page"))
            pc = page.c
            return _strings(conn, sa.select(row)
                            .select_from(page.join(e, e.c.id == pc.id)
                                         .outerjoin(first, first.c.id == sa.func.json_extract(
                                             e.c.data, "$.mentions[0]"))
                                         .outerjoin(doc, doc.c.id == first.c.document_id))
                            .order_by(pc.date_value, pc.first_reported, pc.id))

        rows = self._date_ordered(conn, f, cond, limit, offset, run)
        return self._total(conn, ev, cond, limit, offset, len(rows)), rows

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
            # Counted on event_actors alone (in its actor index order), then named: grouping
            # by the joined names too made SQLite sort every row (0.67 s -> 0.41 s at 100k).
            n_reports = sa.func.count(sa.distinct(ea.c.event_id)).label("n")
            counted = (sa.select(ea.c.actor_id, n_reports)
                       .where(ea.c.role.in_(["actor", "target"]))
                       .group_by(ea.c.actor_id).subquery("counted"))
            actors = conn.execute(
                sa.select(counted.c.actor_id, a.c.name, a.c.sector, counted.c.n)
                .select_from(counted.outerjoin(a, a.c.id == counted.c.actor_id))
                .order_by(counted.c.n.desc(), counted.c.actor_id).limit(300)).all()
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
                # None for a store from before statements, read as it is (never upgraded here)
                "statements": (conn.execute(sa.select(sa.func.count()).select_from(s.statements)).scalar_one()
                               if sa.inspect(conn).has_table(s.statements.name) else None),
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

    def control_changes(self, place: Optional[str] = None,
                        min_sources: int = 1) -> list[dict[str, Any]]:
        """Control claims fused into changes of control (``fuse_claims.control_changes``),
        each with every claim behind it, its sources and disagreements; ``place`` matches
        by place key, as ``frontlines control`` does."""
        from frontlines.fuse_claims import control_changes

        rows = situation_queries.control_claims(self.store, place=place)
        return [c.to_dict() for c in control_changes(rows) if c.n_sources >= min_sources]

    # -- figures ---------------------------------------------------------------------------

    def fused_figures(self, *, kind: Optional[str] = None, place: Optional[str] = None,
                      since: Optional[date] = None, until: Optional[date] = None,
                      min_sources: int = 1, limit: int = 500,
                      offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Figures fused across reports (``fuse_claims.fused_figures``): one estimate with
        its low / best / high and every report; (total, one page). The date bounds apply to
        the fused figure's as-of day, so a figure is never split by them."""
        from frontlines.fuse_claims import fused_figures, within

        rows = situation_queries.indicators(self.store, place=place, kind=kind)
        found = [f.to_dict() for f in fused_figures(rows)
                 if within(f.as_of, since, until) and f.n_sources >= min_sources]
        return len(found), found[offset:offset + limit]

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

    def sieges(self, at: Optional[date] = None) -> list[dict[str, Any]]:
        """Besieged places, most reported first: the siege periods ``frontlines.situation``
        makes of the stored control claims (``siege_periods``; the state ``siege_at`` gives
        as of ``at``, default everything stored), with the trapped population over time,
        forecasts, evacuations and aid figured for the same place, and the siege reports
        (COERCE/restrict events) told of it. Places match by place key, as in
        ``frontlines situation``."""
        def told_by(r: dict[str, Any]) -> bool:  # a claim's day, as situation dates it
            return at is None or (r["date"] or r["published"] or "9999")[:10] <= at.isoformat()

        sieged: dict[str, list[dict[str, Any]]] = {}
        for r in situation_queries.control_claims(self.store):
            if r["change"] in ("besieged", "lifted") and r["place_key"] and told_by(r):
                sieged.setdefault(r["place_key"], []).append(r)
        if not sieged:
            return []
        figures_at: dict[str, list[dict[str, Any]]] = {}
        for f in situation_queries.indicators(self.store):  # siege_at keeps those of ``at``
            figures_at.setdefault(f["place_key"], []).append(f)
        reports = self._siege_reports(
            {k: {r["document_id"] for r in rows} for k, rows in sieged.items()}, at)
        out = []
        for key, rows in sieged.items():
            name = Counter(r["place"] for r in rows).most_common(1)[0][0]
            periods = situation.siege_periods(rows, name)
            if not periods:
                continue  # only hypothetical, planned or denied sieges
            now = situation.siege_at(rows, figures_at.get(key, []), name, at)
            out.append(self._siege(name, rows, periods, now, figures_at.get(key, []),
                                   reports.get(key, []), at))
        ids = {x for siege in out for p in siege["periods"] for x in (p["besieger"], p["besieged"])}
        ids |= {b["id"] for siege in out for b in siege["besiegers"]}
        names = situation_queries.actor_names(self.store, {i for i in ids if i})
        for siege in out:
            for who in (siege, *siege["periods"]):
                who["besieger_name"] = names.get(who["besieger"], who["besieger"])
                who["besieged_name"] = names.get(who["besieged"], who["besieged"])
            for b in siege["besiegers"]:
                b["name"] = names.get(b["id"], b["id"])
        out.sort(key=lambda x: (-x["reports"], x["place"]))
        return out

    def _siege_reports(self, documents: dict[str, set[str]],
                       at: Optional[date]) -> dict[str, list[dict[str, Any]]]:
        """Siege events (COERCE/restrict: "siege", "encircle", "cut off") per besieged place
        key (``documents``: the documents of its siege claims): those at the place, and
        those at another place in a document that tells the siege of it ("the siege of
        Aleppo" beside "eastern Aleppo has been besieged")."""
        keys_of_doc: dict[str, set[str]] = {}
        for key, docs in documents.items():
            for doc_id in docs:
                keys_of_doc.setdefault(doc_id, set()).add(key)
        em, d = s.event_mentions, s.documents
        q = (sa.select(em.c.id, em.c.document_id, em.c.place_name, em.c.date_value,
                       em.c.status, sa.func.json_extract(em.c.data, "$.evidence[0].text")
                       if self.engine.dialect.name == "sqlite" else em.c.data,
                       d.c.outlet, d.c.title)
             .join(d, d.c.id == em.c.document_id)
             .where(em.c.plover == "COERCE", em.c.mode == "restrict",
                    em.c.place_name.is_not(None)))
        if at is not None:
            q = q.where(sa.or_(em.c.date_value.is_(None), em.c.date_value <= at))
        out: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as conn:
            for mid, doc_id, place, day, status, text, outlet, title in conn.execute(q):
                key = place_key(place)
                keys = {key} if key in documents else keys_of_doc.get(doc_id, set())
                if isinstance(text, dict):  # not SQLite: the whole mention
                    text = ((text.get("evidence") or [{}])[0]).get("text")
                for k in keys:
                    out.setdefault(k, []).append({
                        "id": mid, "document_id": doc_id, "place": place, "date": _iso(day),
                        "status": status, "outlet": outlet, "title": title,
                        "evidence_text": text})
        for rows in out.values():
            rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["id"]))  # undated last
        return out

    @staticmethod
    def _siege(name: str, claims: list[dict[str, Any]], periods: list[situation.SiegePeriod],
               now: situation.Siege, figures: list[dict[str, Any]],
               reports: list[dict[str, Any]], at: Optional[date]) -> dict[str, Any]:
        besiegers: Counter[str] = Counter(
            r["controller"] for r in claims if r["change"] == "besieged" and r["controller"])
        days = sorted(x for x in [r["date"] or r["published"] for r in claims]
                      + [r["date"] for r in reports] if x)
        located = next((r for r in claims if r["lat"] is not None and r["lon"] is not None), None)
        view = []
        for p in periods:
            # What was figured while the period lasted, and the forecasts as of its end.
            def during(f: dict[str, Any], lo: str = p.start or "",
                       hi: str = p.end or "9999-12-31") -> bool:
                return lo <= (f["as_of"] or f["published"] or "")[:10] <= hi

            view.append({
                "status": p.status, "start": p.start, "end": p.end,
                "besieger": p.besieger, "besieged": p.besieged,
                "sources": [asdict(x) for x in p.sources],
                "lifted_by": [asdict(x) for x in p.lifted_by],
                "contested_by": [asdict(x) for x in p.contested_by],
                "trapped": [f for f in now.trapped if during(f)],
                "forecasts": situation.forecasts(
                    [f for f in figures if f["kind"] == "supply_exhaustion" and during(f)],
                    date.fromisoformat(p.end) if p.end else at),
            })
        documents = {r["document_id"] for r in claims} | {r["document_id"] for r in reports}
        return {
            "place": name,
            "place_id": name,
            "place_key": claims[0]["place_key"],
            "names": sorted({r["place"] for r in claims if r["place"]}),
            "lat": located["lat"] if located else None,
            "lon": located["lon"] if located else None,
            "at": at.isoformat() if at else None,
            "status": now.status,
            "besieger": now.besieger or periods[-1].besieger,
            "besieged": now.besieged or periods[-1].besieged,
            "start": periods[-1].start,
            "end": periods[-1].end,
            "periods": view,
            "besiegers": [{"id": a, "reports": n} for a, n in besiegers.most_common()],
            "first_report": days[0][:10] if days else None,
            "latest_report": days[-1][:10] if days else None,
            "reports": len(claims) + len(reports),
            "documents": len(documents),
            "population": now.trapped,
            "forecasts": now.forecasts,
            "evacuations": now.evacuated,
            "aid": now.aid,
            "contested_by": [asdict(x) for x in now.contested_by],
            "siege_reports": reports,
            "basis": SIEGE_BASIS,
        }

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
            st = s.statements
            statements = conn.execute(sa.select(st.c.id, st.c.plover, st.c.status, st.c.data)
                                      .where(st.c.document_id == document_id)
                                      .order_by(st.c.position)).mappings().all() \
                if sa.inspect(conn).has_table(st.name) else []  # a store from before statements
        doc["events"] = [{"id": e["id"], "plover": e["plover"], "mode": e["mode"],
                          "status": e["status"], "date": _iso(e["date_value"]),
                          "place": e["place_name"], "evidence": e["data"].get("evidence") or []}
                         for e in events]
        doc["control"] = [{"id": c["id"], "change": c["change"], "place": c["place_name"],
                           "evidence": c["data"].get("evidence") or []} for c in control]
        doc["figures"] = [{"id": f["id"], "kind": f["kind"], "value": f["value"],
                           "evidence": f["data"].get("evidence") or []} for f in figures]
        doc["statements"] = [{"id": m["id"], "plover": m["plover"], "status": m["status"],
                              "actors": m["data"].get("actors") or [],
                              "targets": m["data"].get("targets") or [],
                              "evidence": m["data"].get("evidence") or []} for m in statements]
        return doc


# -- shaping rows ----------------------------------------------------------------------------


def dumps(content: Any) -> str:
    """JSON as the API writes it: compact, UTF-8 as is, dates as ISO strings."""
    return json.dumps(content, ensure_ascii=False, default=str, separators=(",", ":"))


def _strings(conn: Connection, q: Any) -> list[str]:
    """The one text column of a query's rows, straight from the DB-API cursor: a result
    row object per row would cost more than SQLite takes to write the row's JSON."""
    result = conn.execute(q)
    try:
        return [r[0] for r in result.cursor.fetchall()]
    finally:
        result.close()


def _json_object(*pairs: Any) -> Any:
    """SQLite's json_object over (key, value, key, value …), as text."""
    return sa.func.json_object(*(sa.literal(x) if isinstance(x, str) else x for x in pairs),
                               type_=sa.Text)


def _names_json(data: Any, path: str) -> Any:
    """The display names of the actor ids at ``path`` of a JSON column, in their order (the
    id itself when the actors table does not know it), as a JSON array."""
    each = sa.func.json_each(data, path).table_valued("key", "value").alias("each")
    a = s.actors.alias("named")
    names = (sa.select(sa.func.json_group_array(sa.func.coalesce(a.c.name, each.c.value)))
             .select_from(each.outerjoin(a, a.c.id == each.c.value)).scalar_subquery())
    return sa.func.json(names)


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

