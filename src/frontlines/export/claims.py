"""Control claims and humanitarian figures as a table, CSV or JSON (rows of ``store.situation_queries``)."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from frontlines.export.base import ExportResult
from frontlines.export.csv import _cell
from frontlines.export.json import events_json

CONTROL_COLUMNS = (
    "id", "document_id", "date", "date_precision", "date_expression", "place", "place_kind", "place_text",
    "lat", "lon", "change", "controller", "counterpart", "status", "reported_by", "evidence_text", "rule",
    "title", "outlet", "url", "published",
)
FIGURE_COLUMNS = (
    "id", "document_id", "kind", "value", "unit", "low", "high", "hedge", "place", "place_kind", "lat", "lon",
    "as_of", "as_of_precision", "projected_date", "projected_expression", "status", "reported_by",
    "evidence_text", "rule", "title", "outlet", "url", "published",
)
# Table: (header, the row's field, widest cell).
CONTROL_TABLE = (("id", "id", 15), ("date", "date", 10), ("place", "place", 30), ("change", "change", 9),
                 ("controller", "controller", 14), ("other side", "counterpart", 14), ("status", "status", 9),
                 ("source", "outlet", 16), ("evidence", "evidence_text", 60))
FIGURE_TABLE = (("id", "id", 15), ("as of", "as_of", 10), ("place", "place", 24), ("kind", "kind", 18),
                ("value", "value", 18), ("status", "status", 9), ("source", "outlet", 16),
                ("evidence", "evidence_text", 60))


def amount(row: dict[str, Any]) -> str:
    """"some 300,000 people", "250,000–300,000 people", "> 0.5 share": a figure as it was given."""
    def num(x: Any) -> str:
        return f"{x:,.0f}" if isinstance(x, (int, float)) and x >= 1 else f"{x:g}" if x is not None else "?"
    if row.get("value") is None and (row.get("low") is not None or row.get("high") is not None):
        text = (f"> {num(row['low'])}" if row.get("low") is not None else f"< {num(row['high'])}")
    elif row.get("low") is not None and row.get("high") is not None:
        text = f"{num(row['low'])}–{num(row['high'])}"
    else:
        text = num(row.get("value"))
    hedge = row.get("hedge")
    return " ".join(x for x in (hedge, text, row.get("unit") or "") if x)


def _table(rows: list[dict[str, Any]], spec: tuple[tuple[str, str, int], ...], out: TextIO) -> ExportResult:
    def cell(row: dict[str, Any], field: str) -> str:
        value = amount(row) if field == "value" else row.get(field)
        text = "" if value is None else " ".join(str(value).split())
        return text
    cells = [[cell(r, f) for _, f, _ in spec] for r in rows]
    widths = [min(max([len(h)] + [len(c[i]) for c in cells]), cap) for i, (h, _, cap) in enumerate(spec)]
    clip = lambda s, w: s if len(s) <= w else s[:w - 1] + "…"  # noqa: E731
    out.write("  ".join(h.ljust(w) for (h, _, _), w in zip(spec, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for c in cells:
        out.write("  ".join(clip(v, w).ljust(w) for v, w in zip(c, widths)).rstrip() + "\n")
    return ExportResult(written=len(rows))


def _csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: TextIO) -> ExportResult:
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
        n += 1
    return ExportResult(written=n)


def control_table(rows: list[dict[str, Any]], out: TextIO) -> ExportResult:
    return _table(rows, CONTROL_TABLE, out)


def control_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    return _csv(rows, CONTROL_COLUMNS, out)


def figures_table(rows: list[dict[str, Any]], out: TextIO) -> ExportResult:
    return _table(rows, FIGURE_TABLE, out)


def figures_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    return _csv(rows, FIGURE_COLUMNS, out)


def rows_json(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    return events_json(rows, out)  # the same one-object-a-line array as the event export


__all__ = ["amount", "control_csv", "control_table", "figures_csv", "figures_table", "rows_json"]
