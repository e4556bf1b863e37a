"""Exports: one module per output format, each writing events to a text stream.

The writers take the rows of ``Store.events()`` (mentions) or ``Store.fused_events()``
(occurrences) and return an ``ExportResult``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TextIO

from frontlines.export.base import ExportResult
from frontlines.export.csv import events_csv, fused_events_csv
from frontlines.export.geojson import events_geojson
from frontlines.export.json import events_json

EventWriter = Callable[[Iterable[dict[str, Any]], TextIO], ExportResult]

EVENT_FORMATS: dict[str, EventWriter] = {
    "json": events_json,
    "csv": events_csv,
    "geojson": events_geojson,
}

# JSON and GeoJSON carry any row; CSV needs the columns of a fused event.
FUSED_EVENT_FORMATS: dict[str, EventWriter] = {
    "json": events_json,
    "csv": fused_events_csv,
    "geojson": events_geojson,
}

__all__ = ["EVENT_FORMATS", "ExportResult", "FUSED_EVENT_FORMATS", "events_csv",
           "events_geojson", "events_json", "fused_events_csv"]
