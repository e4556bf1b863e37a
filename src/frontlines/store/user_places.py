"""User places kept in the store: imported from place files, read back as ``UserPlace`` rows.

A stored place is keyed by (origin, casefolded name), where the origin is the name of the
file it came from. Importing a file again therefore updates its rows in place instead of
adding copies, and the same name may come from two files (a "Castello" in a Syria file
and one in an Italy file), as with ``--places``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from frontlines.gazetteer.userplaces import UserPlace, geometry_type
from frontlines.store import schema as s

# What a row says; a change in any of these is an update. The line number is left out: a
# row that only moved in the file is unchanged (its stored line follows it quietly).
FIELDS = ("name", "kind", "alt_names", "parent", "country", "lat", "lon", "wkt", "source", "geonames_id")


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do) to the stored places of one origin."""

    origin: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)  # with replace: stored, no longer in the file
    kept: list[str] = field(default_factory=list)  # without replace: stored, not in the file
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        text = (f"{verb} {self.origin}: {len(self.added)} added, {len(self.updated)} updated, "
                f"{self.unchanged} unchanged")
        if self.removed:
            text += f", {len(self.removed)} removed"
        if self.kept:
            text += (f"; {len(self.kept)} stored place{'' if len(self.kept) == 1 else 's'} of "
                     f"{self.origin} not in the file kept (--replace removes them)")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"origin": self.origin, "added": self.added, "updated": self.updated,
                "unchanged": self.unchanged, "removed": self.removed, "kept": self.kept,
                "dry_run": self.dry_run}


def _key(name: str) -> str:
    # The same key read_place_file uses to refuse a duplicate name within a file.
    return name.casefold()


def _values(row: UserPlace) -> dict[str, Any]:
    return {
        "name": row.name, "kind": row.kind, "alt_names": list(row.alt_names), "parent": row.parent,
        "country": row.country, "lat": row.lat, "lon": row.lon, "wkt": row.wkt,
        "source": row.source, "geonames_id": row.geonames_id,
    }


def has_table(conn: Connection) -> bool:
    """False for a database made before user places were stored (opened read-only)."""
    return sa.inspect(conn).has_table(s.user_places.name)


def to_user_place(record: dict[str, Any]) -> UserPlace:
    """The ``UserPlace`` of a stored record; its ``file`` is the origin file name."""
    return UserPlace(
        name=record["name"], alt_names=tuple(record["alt_names"] or ()), kind=record["kind"],
        parent=record["parent"], country=record["country"], lat=record["lat"], lon=record["lon"],
        wkt=record["wkt"], source=record["source"], geonames_id=record["geonames_id"],
        file=Path(record["origin"]), line=record["line"],
    )


def records(engine: Engine, kind: Optional[str] = None, origin: Optional[str] = None) -> list[dict[str, Any]]:
    """The stored places as plain dicts, by origin then line (the order of the files)."""
    t = s.user_places
    with engine.connect() as conn:
        if not has_table(conn):
            return []
        q = sa.select(t).order_by(t.c.origin, t.c.line, t.c.id)
        if kind is not None:
            q = q.where(t.c.kind == kind.strip().casefold())
        if origin is not None:
            q = q.where(t.c.origin == origin)
        rows = [dict(r) for r in conn.execute(q).mappings()]
    for r in rows:
        for k in ("imported_at", "updated_at"):
            if isinstance(r[k], datetime):
                r[k] = r[k].isoformat(timespec="seconds")
    return rows


def stored_places(engine: Engine) -> list[UserPlace]:
    """Every stored place as a ``UserPlace``, ready for ``UserPlaces(...)`` or the reader."""
    return [to_user_place(r) for r in records(engine)]


def planned(engine: Engine, rows: Sequence[UserPlace], origin: str, *, replace: bool = False) -> list[UserPlace]:
    """The stored places as they would be after importing ``rows`` as ``origin``: what an
    import checks (parents, loops) before it writes."""
    new = {_key(r.name) for r in rows}
    out = []
    for r in records(engine):
        if r["origin"] != origin:
            out.append(to_user_place(r))
        elif not replace and r["name_key"] not in new:
            out.append(to_user_place(r))
    return out + [dataclasses.replace(row, file=Path(origin)) for row in rows]


def import_places(engine: Engine, rows: Sequence[UserPlace], origin: str, *, replace: bool = False,
                  dry_run: bool = False) -> ImportResult:
    """Store ``rows`` (checked already) as the places of ``origin``, in one transaction.

    A row whose (origin, name) is stored is updated if anything it says changed; others are
    added. With ``replace``, stored places of ``origin`` that are not in ``rows`` are
    removed; without it they are kept and listed in ``ImportResult.kept``.
    """
    t = s.user_places
    result = ImportResult(origin=origin, dry_run=dry_run)
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        existing = {r["name_key"]: dict(r) for r in conn.execute(
            sa.select(t).where(t.c.origin == origin)).mappings()}
        for row in rows:
            key, values = _key(row.name), _values(row)
            old = existing.pop(key, None)
            if old is None:
                result.added.append(row.name)
                if not dry_run:
                    conn.execute(t.insert().values(
                        origin=origin, name_key=key, line=row.line, geometry=_geometry(row),
                        imported_at=now, updated_at=now, **values))
                continue
            if any(_differs(old[f], values[f]) for f in FIELDS):
                result.updated.append(row.name)
                if not dry_run:
                    conn.execute(t.update().where(t.c.id == old["id"]).values(
                        line=row.line, geometry=_geometry(row), updated_at=now, **values))
            else:
                result.unchanged += 1
                if old["line"] != row.line and not dry_run:
                    conn.execute(t.update().where(t.c.id == old["id"]).values(line=row.line))
        for old in sorted(existing.values(), key=lambda r: r["line"]):
            if replace:
                result.removed.append(old["name"])
                if not dry_run:
                    conn.execute(t.delete().where(t.c.id == old["id"]))
            else:
                result.kept.append(old["name"])
    return result


def remove_places(engine: Engine, ids: Sequence[int]) -> int:
    """Delete stored places by id; the number deleted."""
    t = s.user_places
    with engine.begin() as conn:
        if not has_table(conn):
            return 0
        return conn.execute(t.delete().where(t.c.id.in_(list(ids)))).rowcount


def _geometry(row: UserPlace) -> Optional[str]:
    if row.wkt:
        return geometry_type(row.wkt)
    return "Point" if row.lat is not None else None


def _differs(stored: Any, new: Any) -> bool:
    if isinstance(stored, float) or isinstance(new, float):
        return stored is None or new is None or abs(float(stored) - float(new)) > 1e-12
    if isinstance(new, list):
        return list(stored or []) != new
    return stored != new


__all__ = ["ImportResult", "import_places", "planned", "records", "remove_places", "stored_places",
           "to_user_place"]
