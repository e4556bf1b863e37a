"""Queries behind the situation views: stored control claims and humanitarian figures as rows.

Each row is a plain dict with the claim's fields, its place key (``reading.placekey``: so
"east Aleppo" and "eastern Aleppo" are one place), its evidence and the document it came
from (title, outlet, url, published). Place filters compare keys, so they are applied in
Python after a date filter in SQL; the tables are small next to the event tables.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

import sqlalchemy as sa

from frontlines.gazetteer.placekey import place_key
from frontlines.store import schema as s
from frontlines.store.store import Store, _iso


def _document_cols() -> list[Any]:
    d = s.documents
    return [d.c.title, d.c.outlet, d.c.url, d.c.published]


def _common(r: dict[str, Any]) -> dict[str, Any]:
    data = r["data"]
    place = data.get("place") or {}
    evidence = data.get("evidence") or []
    return {
        "id": r["id"],
        "document_id": r["document_id"],
        "place": place.get("name") or r.get("place_name"),
        "place_key": place_key(place.get("name") or r.get("place_name")),
        "place_kind": place.get("kind"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "country": place.get("country"),
        "status": r["status"],
        "reported_by": list(data.get("reported_by") or []),
        "evidence": evidence,
        "evidence_text": evidence[0]["text"] if evidence else None,
        "rule": r["rule"],
        "title": r["title"],
        "outlet": r["outlet"],
        "url": r["url"],
        "published": _iso(r["published"]),
    }


def _select(store: Store, table: sa.Table, day: sa.Column, since: Optional[date], until: Optional[date],
            *where: Any) -> list[dict[str, Any]]:
    """Rows of a mention table joined to their documents, oldest day first (undated last)."""
    q = sa.select(table, *_document_cols()).join(s.documents, s.documents.c.id == table.c.document_id)
    for cond in where:
        q = q.where(cond)
    if since is not None:
        q = q.where(day >= since)
    if until is not None:
        q = q.where(day <= until)
    q = q.order_by(sa.case((day.is_(None), 1), else_=0), day, table.c.document_id, table.c.position)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def _at_place(rows: list[dict[str, Any]], place: Optional[str]) -> list[dict[str, Any]]:
    key = place_key(place) if place else None
    return [r for r in rows if key is None or r["place_key"] == key]


def control_claims(store: Store, place: Optional[str] = None, since: Optional[date] = None,
                   until: Optional[date] = None) -> list[dict[str, Any]]:
    """Stored control claims, oldest first (undated last); ``place`` matches by place key."""
    cc = s.control_claims
    out = []
    for r in _select(store, cc, cc.c.date_value, since, until):
        data = r["data"]
        out.append({**_common(r), "place_text": data.get("place_text"), "controller": r["controller"],
                    "counterpart": r["counterpart"], "change": r["change"], "date": _iso(r["date_value"]),
                    "date_precision": r["date_precision"],
                    "date_expression": (data.get("date") or {}).get("expression")})
    return _at_place(out, place)


def indicators(store: Store, place: Optional[str] = None, kind: Optional[str] = None,
               since: Optional[date] = None, until: Optional[date] = None) -> list[dict[str, Any]]:
    """Stored humanitarian figures, oldest as-of date first; ``place`` matches by place key."""
    it = s.indicators
    where = [it.c.kind == kind] if kind is not None else []
    out = []
    for r in _select(store, it, it.c.as_of_value, since, until, *where):
        data = r["data"]
        projected = data.get("projected_date") or {}
        out.append({**_common(r), "kind": r["kind"], "value": r["value"], "unit": r["unit"], "low": r["low"],
                    "high": r["high"], "hedge": data.get("hedge"), "as_of": _iso(r["as_of_value"]),
                    "as_of_precision": r["as_of_precision"], "projected_date": projected.get("value"),
                    "projected_expression": projected.get("expression")})
    return _at_place(out, place)


def actor_names(store: Store, ids: set[str]) -> dict[str, str]:
    """Display names of the given actor ids (unknown ids are left out)."""
    names: dict[str, str] = {}
    wanted = sorted(i for i in ids if i)
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for aid, name in conn.execute(sa.select(s.actors.c.id, s.actors.c.name).where(s.actors.c.id.in_(chunk))):
                names[aid] = name
    return names


__all__ = ["actor_names", "control_claims", "indicators"]
