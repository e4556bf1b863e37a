"""SQL for fused events: the rows fusion reads and writes, and the queries views ask.

Fusion itself (``frontlines.fuse``) decides what belongs together; this module only moves
rows. Every function takes a ``Connection`` so it runs inside the caller's transaction: the
incremental update of a new document commits with the document, or not at all.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from frontlines.store import schema as s

EARTH_RADIUS_KM = 6371.0088
COARSE_KINDS = ("country", "admin1", "governorate", "province", "region", "continent")


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _mention_select() -> Any:
    em, d = s.event_mentions, s.documents
    return (sa.select(em, d.c.outlet, d.c.published)
            .join(d, d.c.id == em.c.document_id))


def mention_rows(conn: Connection, ids: Optional[Sequence[str]] = None) -> list[dict[str, Any]]:
    """Stored mentions with their document's outlet and published date (all, or ``ids``)."""
    if ids is None:
        return [dict(r) for r in conn.execute(_mention_select()).mappings()]
    out: list[dict[str, Any]] = []
    for chunk in _chunks(list(ids)):
        q = _mention_select().where(s.event_mentions.c.id.in_(chunk))
        out.extend(dict(r) for r in conn.execute(q).mappings())
    return out


@functools.cache
def _candidate_stmt(with_box: bool) -> Any:
    # Built once: incremental fusion runs this for every new mention.
    em = s.event_mentions
    bp = sa.bindparam
    q = (_mention_select().where(em.c.plover == bp("plover"))
         .where(em.c.date_value.is_not(None))
         .where(em.c.date_value <= bp("hi"))
         .where(sa.or_(em.c.date_value >= bp("lo"),
                       sa.and_(em.c.date_precision == "week", em.c.date_value >= bp("lo_week")),
                       sa.and_(em.c.date_precision == "month",
                               em.c.date_value >= bp("lo_month"))))
         .where(em.c.document_id != bp("document")))
    if with_box:
        q = q.where(sa.or_(
            em.c.lat.is_(None), em.c.lon.is_(None), em.c.geo_precision >= 3,
            sa.func.lower(sa.func.coalesce(em.c.place_kind, "")).in_(COARSE_KINDS),
            sa.and_(em.c.lat.between(bp("lat_lo"), bp("lat_hi")),
                    em.c.lon.between(bp("lon_lo"), bp("lon_hi")))))
    return q


def candidate_rows(conn: Connection, plover: str, lo: date, hi: date,
                   near: Optional[tuple[float, float, float]] = None,
                   exclude_document: str = "") -> list[dict[str, Any]]:
    """Stored mentions that MAY be compatible with one of type ``plover`` whose window,
    widened by its gap, is [lo, hi]: a superset, filtered exactly by the caller.
    ``near=(lat, lon, km)`` keeps located fine places within the box, plus every unlocated,
    unplaced or coarse one (they match by name, actor or country)."""
    day = timedelta(days=1)
    # A window starts on its date value (a publication-day date: the day before) and lasts
    # a day, a week or at most 31 days: only those can reach [lo, hi].
    params: dict[str, Any] = {"plover": plover, "hi": hi + day, "lo": lo,
                              "lo_week": lo - 6 * day, "lo_month": lo - 31 * day,
                              "document": exclude_document}
    box = False
    if near is not None:
        lat0, lon0, km = near
        dlat = math.degrees(km / EARTH_RADIUS_KM)
        cos = math.cos(math.radians(min(89.0, abs(lat0) + dlat)))
        dlon = math.degrees(km / (EARTH_RADIUS_KM * cos))
        # Near a pole or the antimeridian: no box (a superset is still right).
        box = abs(lat0) + dlat < 89.0 and -180 < lon0 - dlon and lon0 + dlon < 180
        params.update(lat_lo=lat0 - dlat, lat_hi=lat0 + dlat, lon_lo=lon0 - dlon,
                      lon_hi=lon0 + dlon)
    return [dict(r) for r in conn.execute(_candidate_stmt(box), params).mappings()]


def components_of(conn: Connection, mention_ids: Iterable[str]) -> set[str]:
    em = s.event_members
    found: set[str] = set()
    ids = sorted(set(mention_ids))
    for chunk in _chunks(ids):
        found.update(conn.execute(sa.select(em.c.component)
                                  .where(em.c.mention_id.in_(chunk))).scalars())
    return found


def members_of_components(conn: Connection, components: Iterable[str]) -> list[str]:
    em = s.event_members
    out: list[str] = []
    for chunk in _chunks(sorted(set(components))):
        out.extend(conn.execute(sa.select(em.c.mention_id)
                                .where(em.c.component.in_(chunk))).scalars())
    return out


def delete_components(conn: Connection, components: Iterable[str]) -> None:
    """Drop the events of these components (their members go with them: ON DELETE CASCADE,
    and explicitly, for databases that do not cascade)."""
    comps = sorted(set(components))
    for chunk in _chunks(comps):
        ids = list(conn.execute(sa.select(s.events.c.id)
                                .where(s.events.c.component.in_(chunk))).scalars())
        conn.execute(s.event_members.delete().where(s.event_members.c.component.in_(chunk)))
        for ids_chunk in _chunks(ids):
            conn.execute(s.event_members.delete()
                         .where(s.event_members.c.event_id.in_(ids_chunk)))
            conn.execute(s.events.delete().where(s.events.c.id.in_(ids_chunk)))


def clear(conn: Connection) -> None:
    conn.execute(s.event_members.delete())
    conn.execute(s.events.delete())


def insert(conn: Connection, event_rows: list[dict[str, Any]],
           member_rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(event_rows):
        conn.execute(s.events.insert(), list(chunk))
    for chunk in _chunks(member_rows, 2000):
        conn.execute(s.event_members.insert(), list(chunk))


def set_meta(conn: Connection, key: str, value: str) -> None:
    done = conn.execute(s.meta.update().where(s.meta.c.key == key).values(value=value))
    if done.rowcount == 0:
        conn.execute(s.meta.insert().values(key=key, value=value))


def get_meta(conn: Connection, key: str) -> Optional[str]:
    return conn.execute(sa.select(s.meta.c.value).where(s.meta.c.key == key)).scalar()


def unfused_count(conn: Connection) -> int:
    """Mentions that belong to no event: stored without fusion (or before it existed)."""
    em, m = s.event_mentions, s.event_members
    q = (sa.select(sa.func.count()).select_from(em.outerjoin(m, m.c.mention_id == em.c.id))
         .where(m.c.mention_id.is_(None)))
    return int(conn.execute(q).scalar_one())


def has_mentions(conn: Connection) -> bool:
    return conn.execute(sa.select(s.event_mentions.c.id).limit(1)).first() is not None
