"""Text of the `frontlines places` commands: the list's columns and one place's page."""
from __future__ import annotations

from typing import Any


def point_text(r: dict[str, Any]) -> str:
    """The row's own point, or "← PARENT" when it borrows its parent's."""
    if r["lat"] is None or r["lon"] is None:
        return "← " + (r["parent"] or "?")
    return f"{r['lat']:.5f}, {r['lon']:.5f}"


PLACE_COLUMNS = (("name", 28), ("kind", 13), ("point", 22), ("parent", 22), ("country", 7),
                 ("geometry", 15), ("origin", 30))


def place_cells(r: dict[str, Any]) -> list[str]:
    """One `places list` row, in the order of ``PLACE_COLUMNS``."""
    return [r["name"], r["kind"], point_text(r), r["parent"] or "", r["country"] or "",
            r["geometry"] or "", f"{r['origin']}:{r['line']}"]


def public_fields(r: dict[str, Any]) -> dict[str, Any]:
    """A stored place as `places list --json` prints it (without the lookup key)."""
    return {k: v for k, v in r.items() if k != "name_key"}


def _gazetteer_label(c: Any) -> str:
    p = c.place
    bits = [p.name, p.admin1, p.country]
    label = ", ".join(b for b in bits if b)
    return f"{label} (gazetteer{f', GeoNames {p.geonames_id}' if p.geonames_id else ''})"


def format_user_place(r: dict[str, Any], user: Any, row: Any) -> str:
    """The `places show` page of one stored place."""
    lines = [f"{r['name']}  ({r['kind']})"]

    def field(label: str, value: str) -> None:
        lines.append(f"  {label:<12}{value}")

    field("aliases", " | ".join(r["alt_names"]) if r["alt_names"] else "—")
    cand = user.candidate(row) if row in user.rows else None
    if r["lat"] is not None and r["lon"] is not None:
        where = f"{r['lat']:.5f}, {r['lon']:.5f}"
        if r["wkt"] and r["geometry"] != "Point":
            where += f" (from its {r['geometry']})"
        if cand is not None:
            where += f"  precision {cand.place.precision}"
        field("point", where)
    else:
        field("point", "none of its own")
        if cand is not None and cand.place.lat is not None:
            field("resolves to", f"{cand.place.lat:.5f}, {cand.place.lon:.5f}  precision "
                                 f"{cand.place.precision}: the point of its parent {r['parent']}")
        else:
            field("resolves to", "nothing: its parent cannot be found")
    chain = []
    for name, parent_row, gaz_cand in user.chain(row):
        if parent_row is not None:
            chain.append(f"{parent_row.name} ({parent_row.file.name}:{parent_row.line})")
        elif gaz_cand is not None:
            chain.append(f"{name} = {_gazetteer_label(gaz_cand)}")
        else:
            chain.append(f"{name} (not found)")
    field("parents", " → ".join(chain) if chain else "—")
    field("country", r["country"] or "—")
    if r["country"] or r["parent"]:
        # The reader's in-context rule (reading/places.py): the country, or a parent named.
        parents = [n for n, _, _ in user.chain(row)]
        when = [f"the story is about {r['country']}"] if r["country"] else []
        if parents:
            when.append("it names " + (parents[0] if len(parents) == 1
                                       else ", ".join(parents[:-1]) + " or " + parents[-1]))
        field("used when", ", or ".join(when))
    else:
        field("used when", "always (it names no country and no parent)")
    field("geometry", (r["geometry"] or "none") + ("  (WKT kept)" if r["wkt"] else ""))
    field("geonames", str(r["geonames_id"]) if r["geonames_id"] else "—")
    field("source", r["source"] or "—")
    unit = "feature" if r["origin"].casefold().endswith((".geojson", ".json")) else "line"
    field("origin", f"{r['origin']}, {unit} {r['line']}  (imported {r['imported_at']}"
                    + (f", updated {r['updated_at']})" if r["updated_at"] != r["imported_at"] else ")"))
    return "\n".join(lines)
