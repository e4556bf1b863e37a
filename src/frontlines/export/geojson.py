"""Events as a GeoJSON FeatureCollection of Points; events without coordinates are left
out (and counted), since a feature needs a geometry to be drawn."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from frontlines.export.base import ExportResult

# Heavy, map-irrelevant fields stay out of the properties; the event id leads to them.
_SKIP = {"lat", "lon", "evidence", "mention_ids", "document_ids"}


def event_feature(row: dict[str, Any]) -> dict[str, Any] | None:
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None:
        return None
    return {
        "type": "Feature",
        "id": row["id"],
        # GeoJSON (RFC 7946) orders coordinates longitude first.
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {k: v for k, v in row.items() if k not in _SKIP},
    }


def events_geojson(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    features, left_out = [], 0
    for row in rows:
        feature = event_feature(row)
        if feature is None:
            left_out += 1
        else:
            features.append(feature)
    out.write('{"type": "FeatureCollection", "features": [')
    for i, feature in enumerate(features):
        out.write(",\n" if i else "\n")
        out.write(json.dumps(feature, ensure_ascii=False, default=str))
    out.write("\n]}\n" if features else "]}\n")
    return ExportResult(written=len(features), left_out=left_out)
