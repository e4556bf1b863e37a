"""Exports: one module per output format, each writing events to a text stream.

The writers take the rows of ``Store.events()`` (mentions), ``Store.fused_events()``
(occurrences) or ``Store.statements()`` (speech acts) and return an ``ExportResult``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TextIO

from frontlines.export.base import ExportResult
from frontlines.export.csv import events_csv, fused_events_csv, statements_csv
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

# Statements have no place of their own: no GeoJSON for them.
STATEMENT_FORMATS: dict[str, EventWriter] = {
    "json": events_json,
    "csv": statements_csv,
}


def statement_writer(fmt: str) -> EventWriter:
    """The writer of statements in ``fmt``; ``ValueError`` saying why for a format that
    cannot hold them."""
    if fmt == "geojson":
        raise ValueError("statements have no place of their own, so GeoJSON cannot hold "
                         "them; use json or csv")
    if fmt not in STATEMENT_FORMATS:
        raise ValueError(f"statements are written as {' or '.join(STATEMENT_FORMATS)}, "
                         f"not {fmt!r}")
    return STATEMENT_FORMATS[fmt]


__all__ = ["EVENT_FORMATS", "ExportResult", "FUSED_EVENT_FORMATS", "STATEMENT_FORMATS",
           "events_csv", "events_geojson", "events_json", "fused_events_csv",
           "statement_writer", "statements_csv"]
