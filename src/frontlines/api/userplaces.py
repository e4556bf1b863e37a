"""User place files as GeoJSON for the map: roads as lines where the file gives WKT."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

# The place-file reader checks WKT already; its parser gives the coordinate lists.
from frontlines.gazetteer.userplaces import _WKT, UserPlace, _parts, polygons, read_place_file


def wkt_geometry(wkt: str) -> dict[str, Any]:
    """A GeoJSON geometry for a checked WKT POINT, LINESTRING, MULTILINESTRING, POLYGON or
    MULTIPOLYGON."""
    m = _WKT.match(wkt)
    if not m:
        raise ValueError(f"not a WKT geometry the place files allow: {wkt[:60]!r}")
    kind = m.group(1).upper()
    if kind == "MULTIPOLYGON":
        return {"type": "MultiPolygon", "coordinates": [
            [[[lon, lat] for lon, lat in ring] for ring in rings] for rings in polygons(wkt)]}
    parts = _parts(m.group(2))
    coords = [[[lon, lat] for lon, lat in part] for part in parts]
    if kind == "POINT":
        return {"type": "Point", "coordinates": coords[0][0]}
    if kind == "LINESTRING":
        return {"type": "LineString", "coordinates": coords[0]}
    if kind == "MULTILINESTRING":
        return {"type": "MultiLineString", "coordinates": coords}
    return {"type": "Polygon", "coordinates": coords}


def user_places_geojson(files: Sequence[str | Path], stored: Sequence[UserPlace] = ()) -> dict[str, Any]:
    """A FeatureCollection of the rows of ``files`` and of the places imported into the
    store (``stored``) that have a geometry of their own. A stored place whose origin has
    the name of one of ``files`` is left out: the file given is the newer copy.

    Rows without coordinates are left out and counted: they borrow their parent's point
    when read, and drawing them there would put a neighbourhood on the city centre.
    """
    features: list[dict[str, Any]] = []
    left_out = 0
    given = {Path(f).name for f in files}
    groups: list[tuple[str, Sequence[UserPlace]]] = [
        (name, [r for r in stored if r.file.name == name])
        for name in dict.fromkeys(r.file.name for r in stored) if name not in given]
    for file in files:
        groups.append((Path(file).name, read_place_file(file)))  # ValueError naming the file and line
    for file, rows in groups:
        for row in rows:
            geometry: Optional[dict[str, Any]] = None
            if row.wkt:
                geometry = wkt_geometry(row.wkt)
            elif row.lat is not None and row.lon is not None:
                geometry = {"type": "Point", "coordinates": [row.lon, row.lat]}
            if geometry is None:
                left_out += 1
                continue
            features.append({
                "type": "Feature",
                "id": f"{Path(file).name}:{row.line}",
                "geometry": geometry,
                "properties": {
                    "name": row.name, "kind": row.kind, "parent": row.parent,
                    "country": row.country, "alt_names": list(row.alt_names),
                    "geonames_id": row.geonames_id, "source": row.source,
                    "estimated": bool(row.source and row.source.lower().startswith("estimated")),
                    "file": Path(file).name,
                },
            })
    return {"type": "FeatureCollection", "features": features, "left_out": left_out}
