"""Events as CSV: flat columns, one row per event, lists joined with ";"."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from frontlines.export.base import ExportResult

COLUMNS = (
    "id", "document_id", "date", "date_precision", "date_expression",
    "plover", "mode", "acled_event_type", "acled_sub_event_type",
    "actors", "actor_names", "targets", "target_names", "status", "reported_by",
    "place", "place_kind", "lat", "lon", "geonames_id", "geo_precision", "place_country",
    "fatalities", "injured", "evidence_start", "evidence_end", "evidence_text", "rule",
    "title", "outlet", "url", "published",
)
# Fused events (Store.fused_events()): one row per occurrence, with its sources.
FUSED_COLUMNS = (
    "id", "date", "date_precision", "date_low", "date_high",
    "plover", "mode", "acled_event_type", "acled_sub_event_type",
    "actors", "actor_names", "targets", "target_names", "status", "reported_by",
    "place", "place_kind", "lat", "lon", "geonames_id", "geo_precision", "place_country",
    "fatalities", "fatalities_low", "fatalities_high", "injured",
    "sources", "documents", "mentions", "outlets", "first_reported", "last_reported",
    "disagreements", "mention_ids", "document_ids",
)
# Statements (Store.statements()): speech acts, dated by their document, with no place.
STATEMENT_COLUMNS = (
    "id", "document_id", "published", "plover", "mode",
    "actors", "actor_names", "targets", "target_names", "reported_by", "reported_by_names",
    "status", "trigger", "evidence_start", "evidence_end", "evidence_text", "sentence_text",
    "rule", "title", "outlet", "url",
)
LIST_SEP = ";"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(_disagreement(v) if isinstance(v, dict) else str(v) for v in value)
    return value


def _disagreement(d: dict[str, Any]) -> str:
    """"status: claimed | asserted": what the reports disagree on, in one cell."""
    values = [v.get("value") for v in d.get("values") or []]
    shown = [",".join(map(str, v)) if isinstance(v, list) else str(v) for v in values]
    return f"{d.get('field')}: {' | '.join(shown)}"


def fused_events_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    """Fused events as CSV (``FUSED_COLUMNS``)."""
    return events_csv(rows, out, columns=FUSED_COLUMNS)


def statements_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    """Statements as CSV (``STATEMENT_COLUMNS``)."""
    return events_csv(rows, out, columns=STATEMENT_COLUMNS)


def events_csv(rows: Iterable[dict[str, Any]], out: TextIO,
               columns: tuple[str, ...] = COLUMNS) -> ExportResult:
    """Write the CSV. ``distance_km`` is added as a last column when the rows carry it."""
    writer: Any = None
    n = 0
    for row in rows:
        if writer is None:
            fields = columns + (("distance_km",) if "distance_km" in row else ())
            writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore",
                                    lineterminator="\n")
            writer.writeheader()
        writer.writerow({c: _cell(row.get(c)) for c in writer.fieldnames})
        n += 1
    if writer is None:  # no events: still a header, so the file opens as a table
        csv.writer(out, lineterminator="\n").writerow(columns)
    return ExportResult(written=n)
