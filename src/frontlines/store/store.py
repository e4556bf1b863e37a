"""The store: documents, their readings and every mention, in SQLite (default) or PostgreSQL.

``Store.add`` writes one document and everything its reading found in ONE transaction, so
a crash leaves either the whole document or nothing. A document id is its content hash,
so adding the same text twice stores nothing new.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from frontlines.model import Place, Reading, Span
from frontlines.store import schema as s

if TYPE_CHECKING:  # map_queries imports this module
    from frontlines.store.map_queries import BBox

EARTH_RADIUS_KM = 6371.0088
ROLES = ("actor", "target", "reported_by")


class StoreError(Exception):
    """The store cannot be opened or used as asked; ``str()`` says why in one line."""


class AmbiguousId(StoreError):
    """An id prefix matched more than one row."""

    def __init__(self, prefix: str, candidates: Sequence[str]) -> None:
        self.prefix = prefix
        self.candidates = list(candidates)
        shown = ", ".join(self.candidates[:5]) + (" …" if len(self.candidates) > 5 else "")
        super().__init__(f"id prefix {prefix!r} matches {len(self.candidates)} events: {shown}")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _url_for(target: str | Path) -> tuple[str, Optional[Path]]:
    text = str(target)
    if "://" in text:
        return text, None
    if text == ":memory:":
        return "sqlite://", None
    path = Path(text).expanduser()
    return f"sqlite:///{path}", path


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers (the map, `frontlines events`) run while an ingest writes;
    # synchronous=NORMAL is durable across a process crash, which is what we promise.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _iso(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _place_cols(place: Optional[Place]) -> dict[str, Any]:
    if place is None:
        return {"place_name": None, "lat": None, "lon": None, "geonames_id": None}
    return {"place_name": place.name, "lat": place.lat, "lon": place.lon,
            "geonames_id": place.geonames_id}


@functools.cache
def _actor_upsert(dialect: str) -> Any:
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        return None
    stmt = insert(s.actors)
    return stmt.on_conflict_do_update(
        index_elements=[s.actors.c.id],
        set_={"name": stmt.excluded.name, "sector": stmt.excluded.sector,
              "country": stmt.excluded.country})


def _first(spans: Sequence[Span]) -> Optional[Span]:
    return spans[0] if spans else None


# The role of an actor link row, and the key of the mention's to_dict() that lists them.
_ROLE_KEYS = (("actor", "actors"), ("target", "targets"), ("reported_by", "reported_by"))


def _mention_cols(document_id: str, position: int, data: dict[str, Any]) -> dict[str, Any]:
    """The columns event mentions and statements share, from the mention's ``to_dict()``:
    built from the JSON form so that a migration fills them from stored readings too."""
    first = _first(data.get("evidence") or [])
    sentence = data.get("sentence")
    return {
        "id": data["id"], "document_id": document_id, "position": position,
        "plover": data["plover"], "mode": data.get("mode"), "status": data["status"],
        "rule": data["rule"],
        "evidence_start": first["start"] if first else None,
        "evidence_end": first["end"] if first else None,
        "sentence_start": sentence["start"] if sentence else None,
        "sentence_end": sentence["end"] if sentence else None,
        "data": data,
    }


def _actor_links(key: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per distinct (actor, role) of a mention, keyed by ``key`` (event_actors:
    event_id, statement_actors: statement_id)."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for role, field in _ROLE_KEYS:
        for actor_id in data.get(field) or []:
            if (actor_id, role) not in seen:
                seen.add((actor_id, role))
                rows.append({key: data["id"], "actor_id": actor_id, "role": role})
    return rows


def _write_statements(conn: Connection, document_id: str, items: Sequence[dict[str, Any]],
                      skip: Optional[set[str]] = None) -> int:
    """Insert a document's statements (their ``to_dict()``) and their actors; the number
    written. Ids in ``skip`` are left out, and those written are added to it (the
    migration's guard against an id stored twice)."""
    rows, links = [], []
    for pos, data in enumerate(items):
        if skip is not None:
            if data["id"] in skip:
                continue
            skip.add(data["id"])
        rows.append(_mention_cols(document_id, pos, data))
        links.extend(_actor_links("statement_id", data))
    if rows:
        conn.execute(s.statements.insert(), rows)
    if links:
        conn.execute(s.statement_actors.insert(), links)
    return len(rows)


def _with_actor(link: sa.Table, key: sa.Column, actor: str, role: Optional[str]) -> Any:
    """The ids (``key`` of the link table) of the mentions where an actor id or name, any
    case, has ``role`` (default: actor or target)."""
    if role is not None and role not in ROLES:
        raise ValueError(f"role should be one of {', '.join(ROLES)}, not {role!r}")
    roles = [role] if role else ["actor", "target"]
    a = s.actors
    needle = actor.strip().lower()
    return (sa.select(key)
            .select_from(link.outerjoin(a, a.c.id == link.c.actor_id))
            .where(link.c.role.in_(roles))
            .where(sa.or_(sa.func.lower(link.c.actor_id) == needle,
                          sa.func.lower(a.c.name) == needle)))


def _upper_list(value: str | Iterable[str]) -> list[str]:
    return [x.upper() for x in ([value] if isinstance(value, str) else value)]


class Store:
    """Documents, readings and mentions in one database. Open with ``Store.open(...)``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, target: str | Path = "frontlines.db", *, create: bool = True) -> "Store":
        """Open a store at a SQLite path (or ``:memory:``) or an SQLAlchemy URL.

        With ``create=False`` a missing SQLite file is an error instead of a new empty
        database: a query against a mistyped path should say so, not return nothing.
        """
        url, path = _url_for(target)
        if path is not None and not path.exists():
            if not create:
                raise StoreError(f"{path}: no such database (run `frontlines ingest` first)")
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {}
        if url == "sqlite://":
            # One shared connection, or every connection would see its own empty database.
            kwargs = {"poolclass": sa.pool.StaticPool,
                      "connect_args": {"check_same_thread": False}}
        engine = sa.create_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        try:
            store._prepare(create)
        except sa.exc.DatabaseError as exc:
            engine.dispose()
            raise StoreError(f"{target}: not a usable database ({exc.orig})") from exc
        except StoreError:
            engine.dispose()
            raise
        return store

    def _prepare(self, create: bool) -> None:
        inspector = sa.inspect(self.engine)
        if not inspector.has_table("meta"):
            if not create:
                raise StoreError(f"{self.engine.url.database}: not a frontlines database")
            s.metadata.create_all(self.engine)
            with self.engine.begin() as conn:
                conn.execute(s.meta.insert().values(key="schema_version",
                                                    value=str(s.SCHEMA_VERSION)))
            return
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(s.meta.c.value)
                                 .where(s.meta.c.key == "schema_version")).scalar()
        if found is None or int(found) > s.SCHEMA_VERSION:
            raise StoreError(f"{self.engine.url.database}: schema version {found}, "
                             f"this frontlines reads up to {s.SCHEMA_VERSION}")
        if int(found) < s.SCHEMA_VERSION:
            self._migrate(int(found))
        elif create:
            s.metadata.create_all(self.engine)  # tables added since; a no-op otherwise
            self._create_missing_indexes()

    def _create_missing_indexes(self) -> None:
        """Indexes added since the database was made (``create_all`` skips the indexes of
        tables that exist): same answers without them, only slower."""
        inspector = sa.inspect(self.engine)
        for table in s.metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            # The inspector does not list expression indexes (lower(name)): ask SQLite itself.
            if self.engine.dialect.name == "sqlite":
                with self.engine.connect() as conn:
                    have = set(conn.execute(sa.text(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"),
                        {"t": table.name}).scalars())
            else:
                have = {ix["name"] for ix in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in have:
                    index.create(self.engine, checkfirst=True)

    def _migrate(self, found: int) -> None:
        """Add the tables of later versions, in one transaction. Version 1 had no fused
        events: the stored mentions stay as they are; ``frontlines fuse`` (or the next
        ingest, which does it first) fuses them. Version 2 had no statements table: the
        statements are filled from the stored readings' JSON, which already holds them."""
        try:
            with self.engine.begin() as conn:
                s.metadata.create_all(conn)
                if found < 3:
                    self._backfill_statements(conn)
                conn.execute(s.meta.update().where(s.meta.c.key == "schema_version")
                             .values(value=str(s.SCHEMA_VERSION)))
        except sa.exc.DatabaseError as exc:
            raise StoreError(
                f"{self.engine.url.database}: schema version {found} needs upgrading to "
                f"{s.SCHEMA_VERSION}, which failed ({exc.orig}); open it "
                f"writable, or re-ingest into a new database") from exc

    @staticmethod
    def _backfill_statements(conn: Connection, batch: int = 200) -> int:
        """Statement rows for every stored reading that has statements; the number written.
        Readings are paged by document id, so a large store is never loaded whole."""
        r = s.readings
        written, last, seen = 0, "", set()
        while True:
            page = conn.execute(sa.select(r.c.document_id, r.c.data)
                                .where(r.c.document_id > last)
                                .order_by(r.c.document_id).limit(batch)).all()
            if not page:
                return written
            for document_id, data in page:
                written += _write_statements(conn, document_id,
                                             (data or {}).get("statements") or [], seen)
            last = page[-1][0]

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(s.documents.c.id)
                               .where(s.documents.c.id == document_id)).first()
        return row is not None

    def add(self, reading: Reading, *, reader_version: Optional[str] = None,
            and_then: Optional[Callable[[Connection, Reading], None]] = None) -> bool:
        """Store a document and its reading. False if the document was already there.

        All rows of the document go in one transaction: after a crash the document is
        either fully stored or absent, and re-adding it completes the store. ``and_then``
        runs inside that transaction once the rows are in (ingest passes the incremental
        fusion, ``frontlines.fuse.Fuser.update``): what it writes commits with the document.
        """
        doc = reading.document
        try:
            with self.engine.begin() as conn:
                exists = conn.execute(sa.select(s.documents.c.id)
                                      .where(s.documents.c.id == doc.id)).first()
                if exists:
                    return False
                self._insert(conn, reading, reader_version)
                if and_then is not None:
                    and_then(conn, reading)
        except sa.exc.IntegrityError as exc:
            # Another process may have stored the same document meanwhile.
            if self.has_document(doc.id):
                return False
            clash = self._id_clash(reading)
            if clash:
                raise StoreError(clash) from exc
            raise
        return True

    def _id_clash(self, reading: Reading) -> Optional[str]:
        """Why ids of this reading cannot be stored, if they are not unique."""
        for table, items in ((s.event_mentions, reading.events),
                             (s.statements, reading.statements),
                             (s.control_claims, reading.control),
                             (s.indicators, reading.indicators)):
            ids = [m.id for m in items]
            dup = next((i for i in ids if ids.count(i) > 1), None)
            if dup is not None:
                return f"{table.name} id {dup!r} appears twice in one reading"
            with self.engine.connect() as conn:
                for chunk in _chunks(ids):
                    row = conn.execute(sa.select(table.c.id, table.c.document_id)
                                       .where(table.c.id.in_(chunk))).first()
                    if row is not None:
                        return (f"{table.name} id {row.id!r} is already stored for document "
                                f"{row.document_id}: mention ids must be unique across documents")
        return None

    def _insert(self, conn: Connection, reading: Reading, reader_version: Optional[str]) -> None:
        doc = reading.document
        # Plain insert() with parameter dicts: compiled once and cached, unlike .values().
        conn.execute(s.documents.insert(), {
            "id": doc.id, "title": doc.title, "outlet": doc.outlet, "url": doc.url,
            "published": doc.published, "published_basis": doc.published_basis,
            "origin": doc.origin, "text": doc.text,
            "ingested_at": datetime.now(UTC).replace(tzinfo=None),
        })
        conn.execute(s.readings.insert(), {
            "document_id": doc.id, "reader_version": reader_version, "data": reading.to_dict()})
        if reading.actors:
            self._upsert_actors(conn, [a.to_dict() for a in reading.actors.values()])

        event_rows: list[dict[str, Any]] = []
        actor_rows: list[dict[str, Any]] = []
        for pos, ev in enumerate(reading.events):
            data, place = ev.to_dict(), ev.place
            event_rows.append({
                **_mention_cols(doc.id, pos, data),
                "acled_event_type": ev.acled_event_type,
                "acled_sub_event_type": ev.acled_sub_event_type,
                "date_value": ev.date.value, "date_precision": ev.date.precision,
                "date_expression": ev.date.expression,
                **_place_cols(place),
                "place_kind": place.kind if place else None,
                "geo_precision": place.precision if place else None,
                "place_country": place.country if place else None,
                "fatalities": ev.fatalities, "injured": ev.injured,
            })
            actor_rows.extend(_actor_links("event_id", data))
        if event_rows:
            conn.execute(s.event_mentions.insert(), event_rows)
        if actor_rows:
            conn.execute(s.event_actors.insert(), actor_rows)
        _write_statements(conn, doc.id, [m.to_dict() for m in reading.statements])

        control_rows = [{
            "id": c.id, "document_id": doc.id, "position": pos,
            **_place_cols(c.place),
            "place_name": c.place.name if c.place else c.place_text,
            "controller": c.controller, "counterpart": c.counterpart, "change": c.change,
            "date_value": c.date.value, "date_precision": c.date.precision,
            "status": c.status, "rule": c.rule, "data": c.to_dict(),
        } for pos, c in enumerate(reading.control)]
        if control_rows:
            conn.execute(s.control_claims.insert(), control_rows)

        indicator_rows = [{
            "id": i.id, "document_id": doc.id, "position": pos,
            "kind": i.kind, "value": i.value, "unit": i.unit, "low": i.low, "high": i.high,
            "place_name": i.place.name if i.place else None,
            "lat": i.place.lat if i.place else None, "lon": i.place.lon if i.place else None,
            "as_of_value": i.as_of.value, "as_of_precision": i.as_of.precision,
            "status": i.status, "rule": i.rule, "data": i.to_dict(),
        } for pos, i in enumerate(reading.indicators)]
        if indicator_rows:
            conn.execute(s.indicators.insert(), indicator_rows)

        place_rows = [{
            "document_id": doc.id, "position": pos, "name": p.place.name,
            "kind": p.place.kind, "lat": p.place.lat, "lon": p.place.lon,
            "geonames_id": p.place.geonames_id, "precision": p.place.precision,
            "country": p.place.country, "start": p.span.start, "end": p.span.end,
            "rule": p.rule, "data": p.to_dict(),
        } for pos, p in enumerate(reading.places)]
        if place_rows:
            conn.execute(s.place_mentions.insert(), place_rows)

    def _upsert_actors(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        # The latest knowledge files win: an actor's name or sector may have been corrected.
        stmt = _actor_upsert(conn.dialect.name)
        if stmt is not None:
            conn.execute(stmt, rows)
            return
        for row in rows:  # other databases: portable but slower
            done = conn.execute(s.actors.update().where(s.actors.c.id == row["id"])
                                .values(**row))
            if done.rowcount == 0:
                conn.execute(s.actors.insert().values(**row))

    # -- reading -----------------------------------------------------------------------

    def document_ids(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(s.documents.c.id)).scalars())

    def document(self, document_id: str) -> Optional[dict[str, Any]]:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(s.documents)
                               .where(s.documents.c.id == document_id)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        out["published"] = _iso(out["published"])
        out["ingested_at"] = _iso(out["ingested_at"])
        return out

    def reading(self, document_id: str) -> Optional[dict[str, Any]]:
        """The stored ``Reading.to_dict()`` of a document."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(s.readings.c.data)
                                .where(s.readings.c.document_id == document_id)).scalar()

    def events(
        self,
        since: Optional[date] = None,
        until: Optional[date] = None,
        type: Optional[str | Iterable[str]] = None,
        actor: Optional[str] = None,
        near: Optional[tuple[float, float]] = None,
        within_km: Optional[float] = None,
        limit: Optional[int] = None,
        *,
        role: Optional[str] = None,
        status: Optional[str | Iterable[str]] = None,
        bbox: Optional[BBox] = None,
    ) -> list[dict[str, Any]]:
        """Event mentions as plain dicts (one per event), oldest first.

        ``since``/``until`` are inclusive bounds on the event date (events without a date
        are left out when either is given). ``type`` is a PLOVER type or several.
        ``actor`` matches an actor id or name, case-insensitively, as actor or target
        (``role=`` narrows it to one of actor|target|reported_by). ``near=(lat, lon)``
        with ``within_km`` (default 25) keeps located events within that distance and
        adds ``distance_km``; ``bbox`` (``map_queries.BBox``) keeps located events inside the
        box. Unlocated events match neither.
        """
        em, d = s.event_mentions, s.documents
        q = (sa.select(em, d.c.title, d.c.outlet, d.c.url, d.c.published)
             .join(d, d.c.id == em.c.document_id))
        if since is not None:
            q = q.where(em.c.date_value >= since)
        if until is not None:
            q = q.where(em.c.date_value <= until)
        if type is not None:
            q = q.where(sa.func.upper(em.c.plover).in_(_upper_list(type)))
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            q = q.where(em.c.status.in_([x.lower() for x in statuses]))
        if actor is not None:
            ea = s.event_actors
            q = q.where(em.c.id.in_(_with_actor(ea, ea.c.event_id, actor, role)))
        # Dated events first, in date order; then undated ones, in reading order.
        q = q.order_by(sa.case((em.c.date_value.is_(None), 1), else_=0), em.c.date_value,
                       em.c.document_id, em.c.position)
        return self._fetch(q, em, near, within_km, limit, self._event_row, bbox)

    def _fetch(self, q: Any, table: sa.Table, near: Optional[tuple[float, float]],
               within_km: Optional[float], limit: Optional[int],
               make_row: Callable[[dict[str, Any], dict[str, str]], dict[str, Any]],
               bbox: Optional[BBox] = None) -> list[dict[str, Any]]:
        """Run a listing query: ``bbox`` and ``near`` as boxes in SQL, then the true distance;
        rows made by ``make_row`` with the actor names they need."""
        radius = None
        if bbox is not None:
            q = q.where(bbox.condition(table.c.lat, table.c.lon))
        if near is not None:
            lat0, lon0 = float(near[0]), float(near[1])
            radius = 25.0 if within_km is None else float(within_km)
            q = q.where(self._bbox(table.c.lat, table.c.lon, lat0, lon0, radius))
        elif within_km is not None:
            raise ValueError("within_km needs near=(lat, lon)")
        if limit is not None and near is None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
            names = self._actor_names(conn, rows)
        out = []
        for r in rows:
            row = make_row(r, names)
            if near is not None:
                dist = haversine_km(lat0, lon0, r["lat"], r["lon"])
                if dist > radius:  # type: ignore[operator]
                    continue
                row["distance_km"] = round(dist, 3)
            out.append(row)
            if limit is not None and len(out) >= limit:
                break
        return out

    @staticmethod
    def _bbox(lat_col: Any, lon_col: Any, lat0: float, lon0: float, km: float) -> Any:
        # A box that surely contains the circle; haversine then trims the corners.
        dlat = math.degrees(km / EARTH_RADIUS_KM)
        lat_lo, lat_hi = lat0 - dlat, lat0 + dlat
        cond = [lat_col.is_not(None), lon_col.is_not(None),
                lat_col >= lat_lo, lat_col <= lat_hi]
        if lat_lo <= -90 or lat_hi >= 90:
            return sa.and_(*cond)  # the circle covers a pole: every longitude
        dlon = math.degrees(km / (EARTH_RADIUS_KM * math.cos(math.radians(max(
            abs(lat_lo), abs(lat_hi))))))
        if dlon >= 180:
            return sa.and_(*cond)
        lo, hi = lon0 - dlon, lon0 + dlon
        if lo < -180:  # the box crosses the antimeridian
            lon_cond = sa.or_(lon_col >= lo + 360, lon_col <= hi)
        elif hi > 180:
            lon_cond = sa.or_(lon_col >= lo, lon_col <= hi - 360)
        else:
            lon_cond = sa.and_(lon_col >= lo, lon_col <= hi)
        return sa.and_(*cond, lon_cond)

    @staticmethod
    def _actor_names(conn: Connection, rows: list[dict[str, Any]]) -> dict[str, str]:
        ids: set[str] = set()
        for r in rows:
            data = r["data"]
            ids.update(data.get("actors") or [])
            ids.update(data.get("targets") or [])
            ids.update(data.get("reported_by") or [])
        names: dict[str, str] = {}
        for chunk in _chunks(sorted(ids)):
            for aid, name in conn.execute(sa.select(s.actors.c.id, s.actors.c.name)
                                          .where(s.actors.c.id.in_(chunk))):
                names[aid] = name
        return names

    @staticmethod
    def _event_row(r: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
        data = r["data"]
        evidence = data.get("evidence") or []
        actors, targets = list(data.get("actors") or []), list(data.get("targets") or [])
        reported_by = list(data.get("reported_by") or [])
        return {
            "id": r["id"],
            "document_id": r["document_id"],
            "plover": r["plover"],
            "mode": r["mode"],
            "acled_event_type": r["acled_event_type"],
            "acled_sub_event_type": r["acled_sub_event_type"],
            "actors": actors,
            "actor_names": [names.get(a, a) for a in actors],
            "targets": targets,
            "target_names": [names.get(a, a) for a in targets],
            "status": r["status"],
            "reported_by": reported_by,
            "date": _iso(r["date_value"]),
            "date_precision": r["date_precision"],
            "date_expression": r["date_expression"],
            "place": r["place_name"],
            "place_kind": r["place_kind"],
            "lat": r["lat"],
            "lon": r["lon"],
            "geonames_id": r["geonames_id"],
            "geo_precision": r["geo_precision"],
            "place_country": r["place_country"],
            "fatalities": r["fatalities"],
            "injured": r["injured"],
            "evidence_start": r["evidence_start"],
            "evidence_end": r["evidence_end"],
            "evidence_text": evidence[0]["text"] if evidence else None,
            "evidence": evidence,
            "rule": r["rule"],
            "title": r["title"],
            "outlet": r["outlet"],
            "url": r["url"],
            "published": _iso(r["published"]),
        }

    def resolve_event_id(self, id_or_prefix: str) -> Optional[str]:
        """The full id of an event mention given its id or a unique prefix of it."""
        return self._resolve(s.event_mentions, id_or_prefix)

    def event(self, id_or_prefix: str) -> Optional[dict[str, Any]]:
        """One event with its document and its evidence sentence, or None.

        Accepts a unique id prefix; raises ``AmbiguousId`` if the prefix is not unique.
        Adds ``sentence`` {start, end, text} and ``marks``: the evidence spans as
        [start, end] offsets into the sentence text, for highlighting.
        """
        event_id = self.resolve_event_id(id_or_prefix)
        if event_id is None:
            return None
        em, d = s.event_mentions, s.documents
        q = (sa.select(em, d.c.title, d.c.outlet, d.c.url, d.c.published,
                       d.c.published_basis, d.c.text.label("document_text"))
             .join(d, d.c.id == em.c.document_id).where(em.c.id == event_id))
        with self.engine.connect() as conn:
            r = dict(conn.execute(q).mappings().one())
            names = self._actor_names(conn, [r])
        row = self._event_row(r, names)
        row["reported_by_names"] = [names.get(a, a) for a in row["reported_by"]]
        row["published_basis"] = r["published_basis"]
        row["trigger"] = r["data"].get("trigger")
        text: str = r["document_text"]
        start, end = r["sentence_start"], r["sentence_end"]
        if start is None or end is None:
            start, end = _sentence_around(text, r["evidence_start"], r["evidence_end"])
        row["sentence"] = {"start": start, "end": end, "text": text[start:end]}
        row["marks"] = [[max(e["start"], start) - start, min(e["end"], end) - start]
                        for e in row["evidence"] if e["start"] < end and e["end"] > start]
        return row

    # -- statements (speech acts, Reading.statements) ----------------------------------

    def statements(
        self,
        actor: Optional[str] = None,
        type: Optional[str | Iterable[str]] = None,
        since: Optional[date] = None,
        until: Optional[date] = None,
        limit: Optional[int] = None,
        offset: int = 0,
        *,
        role: Optional[str] = None,
    ) -> list[dict[str, Any]]:
        """Statements ("X condemned Y", "X demanded ...") as plain dicts, oldest first.

        A statement has no date of its own: ``since``/``until`` are inclusive bounds on its
        document's publication date (statements of undated documents are left out when
        either is given, and listed last otherwise). ``type`` and ``actor`` (with
        ``role``) filter as in ``events()``. ``offset`` skips that many rows (paging).
        """
        st, d = s.statements, s.documents
        q = (sa.select(st, d.c.title, d.c.outlet, d.c.url, d.c.published)
             .join(d, d.c.id == st.c.document_id)
             .where(*self._statement_conditions(actor, type, since, until, role))
             .order_by(sa.case((d.c.published.is_(None), 1), else_=0), d.c.published,
                       st.c.document_id, st.c.position))
        if offset:
            q = q.offset(offset)
        with self._explaining_missing_statements():
            return self._fetch(q, st, None, None, limit, self._statement_row)

    def statement_count(
        self,
        actor: Optional[str] = None,
        type: Optional[str | Iterable[str]] = None,
        since: Optional[date] = None,
        until: Optional[date] = None,
        *,
        role: Optional[str] = None,
    ) -> int:
        """How many statements ``statements()`` gives for these filters, without a limit."""
        st, d = s.statements, s.documents
        q = (sa.select(sa.func.count()).select_from(st.join(d, d.c.id == st.c.document_id))
             .where(*self._statement_conditions(actor, type, since, until, role)))
        with self._explaining_missing_statements(), self.engine.connect() as conn:
            return conn.execute(q).scalar_one()

    @staticmethod
    def _statement_conditions(actor: Optional[str], type: Optional[str | Iterable[str]],
                              since: Optional[date], until: Optional[date],
                              role: Optional[str]) -> list[Any]:
        st, published = s.statements, s.documents.c.published
        cond: list[Any] = []
        if since is not None:
            cond.append(published >= since)
        if until is not None:
            cond.append(published <= until)
        if type is not None:
            cond.append(sa.func.upper(st.c.plover).in_(_upper_list(type)))
        if actor is not None:
            links = s.statement_actors
            cond.append(st.c.id.in_(_with_actor(links, links.c.statement_id, actor, role)))
        return cond

    @contextmanager
    def _explaining_missing_statements(self) -> Iterator[None]:
        """A read-only server never upgrades a version 2 store: say so, not "no such table".
        The table is looked for only when a query fails, not on every request."""
        try:
            yield
        except sa.exc.OperationalError:
            with self.engine.connect() as conn:
                missing = not sa.inspect(conn).has_table(s.statements.name)
            if missing:
                raise StoreError(f"{self.engine.url.database}: this database predates statements "
                                 f"(schema version 2); open it once with a frontlines command, "
                                 f"e.g. `frontlines statements --db PATH`, to upgrade it") from None
            raise

    @staticmethod
    def _statement_row(r: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
        # Dated by ``published``, the document's date: a statement has none of its own.
        data = r["data"]
        evidence = data.get("evidence") or []
        actors, targets = list(data.get("actors") or []), list(data.get("targets") or [])
        reported_by = list(data.get("reported_by") or [])
        sentence, trigger = data.get("sentence"), data.get("trigger")
        return {
            "id": r["id"],
            "document_id": r["document_id"],
            "plover": r["plover"],
            "mode": r["mode"],
            "actors": actors,
            "actor_names": [names.get(a, a) for a in actors],
            "targets": targets,
            "target_names": [names.get(a, a) for a in targets],
            "reported_by": reported_by,
            "reported_by_names": [names.get(a, a) for a in reported_by],
            "status": r["status"],
            "trigger": trigger["text"] if trigger else None,
            "evidence_start": r["evidence_start"],
            "evidence_end": r["evidence_end"],
            "evidence_text": evidence[0]["text"] if evidence else None,
            "sentence_text": sentence["text"] if sentence else None,
            "evidence": evidence,
            "rule": r["rule"],
            "title": r["title"],
            "outlet": r["outlet"],
            "url": r["url"],
            "published": _iso(r["published"]),
        }

    # -- fused events (written by frontlines.fuse) -------------------------------------

    def fused_events(
        self,
        since: Optional[date] = None,
        until: Optional[date] = None,
        type: Optional[str | Iterable[str]] = None,
        actor: Optional[str] = None,
        near: Optional[tuple[float, float]] = None,
        within_km: Optional[float] = None,
        limit: Optional[int] = None,
        *,
        min_sources: Optional[int] = None,
        status: Optional[str | Iterable[str]] = None,
        bbox: Optional[BBox] = None,
    ) -> list[dict[str, Any]]:
        """Fused events (one per occurrence) as plain dicts, oldest first.

        The filters are those of ``events()``; ``since``/``until`` keep events whose span of
        reported dates overlaps them, ``actor`` matches any member mention's actor or
        target, ``min_sources`` keeps events told by at least that many sources (outlets;
        a document without an outlet counts as a source of its own).
        """
        ev, mem = s.events, s.event_members
        q = sa.select(ev)
        if since is not None:
            q = q.where(sa.func.coalesce(ev.c.date_high, ev.c.date_value) >= since)
        if until is not None:
            q = q.where(sa.func.coalesce(ev.c.date_low, ev.c.date_value) <= until)
        if type is not None:
            types = [type] if isinstance(type, str) else list(type)
            q = q.where(sa.func.upper(ev.c.plover).in_([t.upper() for t in types]))
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            q = q.where(ev.c.status.in_([x.lower() for x in statuses]))
        if min_sources is not None:
            q = q.where(ev.c.n_sources >= min_sources)
        if actor is not None:
            ea, a = s.event_actors, s.actors
            needle = actor.strip().lower()
            matching = (sa.select(mem.c.event_id)
                        .select_from(mem.join(ea, ea.c.event_id == mem.c.mention_id)
                                     .outerjoin(a, a.c.id == ea.c.actor_id))
                        .where(ea.c.role.in_(["actor", "target"]))
                        .where(sa.or_(sa.func.lower(ea.c.actor_id) == needle,
                                      sa.func.lower(a.c.name) == needle)))
            q = q.where(ev.c.id.in_(matching))
        q = q.order_by(sa.case((ev.c.date_value.is_(None), 1), else_=0), ev.c.date_value,
                       ev.c.first_reported, ev.c.id)
        return self._fetch(q, ev, near, within_km, limit, self._fused_row, bbox)

    @staticmethod
    def _fused_row(r: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
        data = r["data"]
        actors, targets = list(data.get("actors") or []), list(data.get("targets") or [])
        return {
            "id": r["id"],
            "plover": r["plover"],
            "mode": r["mode"],
            "acled_event_type": r["acled_event_type"],
            "acled_sub_event_type": r["acled_sub_event_type"],
            "actors": actors,
            "actor_names": [names.get(a, a) for a in actors],
            "targets": targets,
            "target_names": [names.get(a, a) for a in targets],
            "status": r["status"],
            "reported_by": list(data.get("reported_by") or []),
            "date": _iso(r["date_value"]),
            "date_precision": r["date_precision"],
            "date_low": _iso(r["date_low"]),
            "date_high": _iso(r["date_high"]),
            "place": r["place_name"],
            "place_kind": r["place_kind"],
            "lat": r["lat"],
            "lon": r["lon"],
            "geonames_id": r["geonames_id"],
            "geo_precision": r["geo_precision"],
            "place_country": r["place_country"],
            "fatalities": r["fatalities_best"],
            "fatalities_low": r["fatalities_low"],
            "fatalities_high": r["fatalities_high"],
            "injured": r["injured"],
            "sources": r["n_sources"],
            "documents": r["n_documents"],
            "mentions": r["n_mentions"],
            "outlets": list(data.get("outlets") or []),
            "first_reported": _iso(r["first_reported"]),
            "last_reported": _iso(r["last_reported"]),
            "disagreements": list(data.get("disagreements") or []),
            "mention_ids": list(data.get("mentions") or []),
            "document_ids": list(data.get("documents") or []),
        }

    def resolve_fused_id(self, id_or_prefix: str) -> Optional[str]:
        """The full id of a fused event given its id or a unique prefix of it."""
        return self._resolve(s.events, id_or_prefix)

    def _resolve(self, table: sa.Table, id_or_prefix: str) -> Optional[str]:
        with self.engine.connect() as conn:
            if conn.execute(sa.select(table.c.id).where(table.c.id == id_or_prefix)).first():
                return id_or_prefix
            escaped = (id_or_prefix.replace("\\", "\\\\").replace("%", "\\%")
                       .replace("_", "\\_"))
            found = list(conn.execute(sa.select(table.c.id)
                                      .where(table.c.id.like(escaped + "%", escape="\\"))
                                      .order_by(table.c.id).limit(21)).scalars())
        if len(found) > 1:
            raise AmbiguousId(id_or_prefix, found)
        return found[0] if found else None

    def fused_event(self, id_or_prefix: str) -> Optional[dict[str, Any]]:
        """One fused event with every report of it (``reports``: each member as
        ``event()`` gives it, earliest report first). None if unknown; ``AmbiguousId`` if
        the prefix is not unique."""
        event_id = self.resolve_fused_id(id_or_prefix)
        if event_id is None:
            return None
        with self.engine.connect() as conn:
            r = dict(conn.execute(sa.select(s.events).where(s.events.c.id == event_id))
                     .mappings().one())
            names = self._actor_names(conn, [r])
        row = self._fused_row(r, names)
        reports = [self.event(mid) for mid in row["mention_ids"]]
        row["reports"] = sorted((x for x in reports if x is not None),
                                key=lambda x: (x["published"] or "9999", x["id"]))
        return row

    def event_of_mention(self, mention_id: str) -> Optional[str]:
        """The fused event a mention belongs to, if it has been fused."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(s.event_members.c.event_id)
                                .where(s.event_members.c.mention_id == mention_id)).scalar()

    def fusion_status(self) -> dict[str, Any]:
        """How current the fused events are: counts, unfused mentions, rules version."""
        from frontlines.store import fused

        with self.engine.connect() as conn:
            return {
                "events": conn.execute(sa.select(sa.func.count()).select_from(s.events))
                .scalar_one(),
                "unfused_mentions": fused.unfused_count(conn),
                "fusion_version": fused.get_meta(conn, "fusion_version"),
            }

    # -- user places (``frontlines places import``; store/user_places.py) --------------

    def user_places(self, kind: Optional[str] = None) -> list[dict[str, Any]]:
        """The imported user places as plain dicts, by origin file then line."""
        from frontlines.store import user_places

        return user_places.records(self.engine, kind=kind)

    def user_place_rows(self) -> list[Any]:
        """The imported user places as ``UserPlace`` rows, for ``Reader.load(stored_places=…)``."""
        from frontlines.store import user_places

        return user_places.stored_places(self.engine)

    def import_user_places(self, rows: Sequence[Any], origin: str, *, replace: bool = False,
                           dry_run: bool = False) -> Any:
        """Store checked ``UserPlace`` rows as the places of the file named ``origin``
        (an ``ImportResult``: added, updated, unchanged, removed, kept)."""
        from frontlines.store import user_places

        return user_places.import_places(self.engine, rows, origin, replace=replace,
                                         dry_run=dry_run)

    def remove_user_places(self, ids: Sequence[int]) -> int:
        """Delete imported user places by their ``id``; the number deleted."""
        from frontlines.store import user_places

        return user_places.remove_places(self.engine, ids)

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.engine.connect() as conn:
            present = set(sa.inspect(conn).get_table_names())  # an older store read as it is
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                    for t in s.TABLES if t.name in present}

    def summary(self) -> dict[str, Any]:
        """What the store holds: counts, events by type, top places, event date range."""
        em, pm = s.event_mentions, s.place_mentions
        with self.engine.connect() as conn:
            by_type = dict(conn.execute(
                sa.select(em.c.plover, sa.func.count()).group_by(em.c.plover)
                .order_by(sa.func.count().desc(), em.c.plover)).all())
            places = conn.execute(
                sa.select(em.c.place_name, sa.func.count()).where(em.c.place_name.is_not(None))
                .group_by(em.c.place_name).order_by(sa.func.count().desc(), em.c.place_name)
                .limit(10)).all()
            distinct_places = conn.execute(
                sa.select(sa.func.count(sa.distinct(pm.c.name)))).scalar_one()
            lo, hi = conn.execute(sa.select(sa.func.min(em.c.date_value),
                                            sa.func.max(em.c.date_value))).one()
            undated = conn.execute(sa.select(sa.func.count()).select_from(em)
                                   .where(em.c.date_value.is_(None))).scalar_one()
            located = conn.execute(sa.select(sa.func.count()).select_from(em)
                                   .where(em.c.lat.is_not(None))).scalar_one()
            st = s.statements
            statements_by_type: dict[str, int] = {}
            if sa.inspect(conn).has_table(st.name):  # an older store read as it is has none
                statements_by_type = dict(conn.execute(
                    sa.select(st.c.plover, sa.func.count()).group_by(st.c.plover)
                    .order_by(sa.func.count().desc(), st.c.plover)).all())
        return {
            "counts": self.counts(),
            "events_by_type": by_type,
            "event_places": [(name, n) for name, n in places],
            "distinct_places": distinct_places,
            "located_events": located,
            "date_range": (_iso(lo), _iso(hi)),
            "undated_events": undated,
            "statements_by_type": statements_by_type,
        }


def _sentence_around(text: str, start: Optional[int], end: Optional[int]) -> tuple[int, int]:
    # Fallback when the reader gave no sentence span: cut at the nearest sentence ends.
    if start is None or end is None:
        return 0, 0
    lo = max(text.rfind(sep, 0, start) for sep in (". ", "! ", "? ", "\n"))
    lo = 0 if lo < 0 else lo + (1 if text[lo] == "\n" else 2)
    his = [i for i in (text.find(sep, end) for sep in (". ", "! ", "? ", "\n")) if i >= 0]
    hi = min(his) + 1 if his else len(text)
    if hi > len(text) or text[hi - 1] == "\n":
        hi -= 1
    return lo, max(hi, end)
