"""Control claims and humanitarian figures as a table, CSV, JSON or HXL.

Two shapes: one row per report (rows of ``store.situation_queries``, ``--reports``), and, by
default, one row per fused change of control or figure (``fuse_claims``: its sources, its
value range, what the reports disagree on).
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from frontlines.export.base import ExportResult
from frontlines.export.csv import _cell
from frontlines.export.hxl import KIND_COLUMNS
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

# Fused: one row per change of control / per figure (``ControlChange.to_dict()`` and
# ``FusedFigure.to_dict()`` flattened by ``change_row`` / ``figure_row``).
CHANGE_COLUMNS = (
    "id", "date", "date_precision", "date_low", "date_high", "place", "place_key", "place_kind",
    "lat", "lon", "country", "change", "controller", "counterpart", "status", "n_sources",
    "n_documents", "n_claims", "outlets", "first_reported", "last_reported", "disagreements",
    "contested_by", "claim_ids", "document_ids", "evidence_text",
)
FUSED_FIGURE_COLUMNS = (
    "id", "kind", "value_best", "value_low", "value_high", "unit", "hedges", "place", "place_key",
    "place_kind", "lat", "lon", "country", "as_of", "as_of_precision", "as_of_low", "as_of_high",
    "projected_date", "status", "n_sources", "n_documents", "n_reports", "outlets",
    "first_reported", "last_reported", "disagreements", "report_ids", "document_ids",
    "evidence_text",
)
CHANGE_TABLE = (("id", "id", 16), ("date", "date", 10), ("place", "place", 28), ("change", "change", 9),
                ("controller", "controller", 14), ("other side", "counterpart", 14), ("status", "status", 9),
                ("sources", "n_sources", 7), ("outlets", "sources_text", 34), ("disputed", "disputed", 28),
                ("evidence", "evidence_text", 50))
FUSED_FIGURE_TABLE = (("id", "id", 16), ("as of", "as_of", 10), ("place", "place", 24), ("kind", "kind", 18),
                      ("value", "range", 30), ("status", "status", 9), ("sources", "n_sources", 7),
                      ("outlets", "sources_text", 34), ("evidence", "evidence_text", 50))


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


def _num(x: Any) -> str:
    return f"{x:,.0f}" if isinstance(x, (int, float)) and x >= 1 else f"{x:g}" if x is not None else "?"


def value_range(fig: dict[str, Any]) -> str:
    """"250,000–300,000 people (best 250,000)", or "some 250,000 people" when one report or one
    number: the spread the sources give, with ACLED's best."""
    low, best, high = fig.get("value_low"), fig.get("value_best"), fig.get("value_high")
    unit = fig.get("unit") or ""
    if low == high:
        hedges = list(dict.fromkeys(h["hedge"] for h in fig.get("hedges") or []))
        return " ".join(x for x in (*hedges[:1], _num(best), unit) if x)
    return " ".join(x for x in (f"{_num(low)}–{_num(high)}", unit, f"(best {_num(best)})") if x)


def _disputed(row: dict[str, Any]) -> str:
    fields = [d["field"] for d in row.get("disagreements") or []]
    if row.get("contested_by"):
        fields.append("contested: " + ", ".join(sorted({c["change"] for c in row["contested_by"]})))
    return "; ".join(fields)


def _outlets(row: dict[str, Any]) -> str:
    """The outlets, and how many documents without one (each a source of its own)."""
    outlets = list(row.get("outlets") or [])
    unnamed = (row.get("n_sources") or 0) - len(outlets)
    return ", ".join(outlets + ([f"+{unnamed} without outlet"] if unnamed > 0 else []))


def change_row(change: dict[str, Any]) -> dict[str, Any]:
    """A fused change as a flat row: its first claim's evidence, who contests it, in words."""
    claims = change.get("claims") or []
    return {**change, "evidence_text": claims[0].get("evidence_text") if claims else None,
            "disputed": _disputed(change), "sources_text": _outlets(change),
            "contested_by": [f"{c['id']} {c['change']} {c.get('controller') or '?'} ({c['status']})"
                             for c in change.get("contested_by") or []]}


def figure_row(fig: dict[str, Any]) -> dict[str, Any]:
    """A fused figure as a flat row: its range in words, each hedge with its outlet."""
    reports = fig.get("reports") or []
    return {**fig, "range": value_range(fig), "sources_text": _outlets(fig),
            "evidence_text": reports[0].get("evidence_text") if reports else None,
            "hedges": [f"{h['hedge']} ({h.get('outlet') or h['document_id']})" for h in fig.get("hedges") or []]}


def _table(rows: list[dict[str, Any]], spec: tuple[tuple[str, str, int], ...], out: TextIO) -> ExportResult:
    def cell(row: dict[str, Any], field: str) -> str:
        value = amount(row) if field == "value" else row.get(field)
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
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


def changes_table(changes: list[dict[str, Any]], out: TextIO) -> ExportResult:
    return _table([change_row(c) for c in changes], CHANGE_TABLE, out)


def changes_csv(changes: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    return _csv((change_row(c) for c in changes), CHANGE_COLUMNS, out)


def fused_figures_table(figs: list[dict[str, Any]], out: TextIO) -> ExportResult:
    return _table([figure_row(f) for f in figs], FUSED_FIGURE_TABLE, out)


def fused_figures_csv(figs: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    return _csv((figure_row(f) for f in figs), FUSED_FIGURE_COLUMNS, out)


# HXL of fused figures: as ``export.hxl`` (the value, ACLED's best, in its kind's column),
# with the range, every hedge, the number of sources and every outlet.
_FUSED_HXL_LEAD = (("id", "#meta+id", "id"), ("place", "#loc+name", "place"),
                   ("place kind", "#loc+type", "place_kind"), ("country", "#country+code", "country"),
                   ("lat", "#geo+lat", "lat"), ("lon", "#geo+lon", "lon"), ("kind", "#indicator+code", "kind"))
_FUSED_HXL_TAIL = (("low", "#value+min", "value_low"), ("high", "#value+max", "value_high"),
                   ("hedge", "#description+hedge", "hedges"), ("unit", "#indicator+unit", "unit"),
                   ("as of", "#date+reported", "as_of"), ("projected", "#date+projected", "projected_date"),
                   ("status", "#status", "status"), ("sources", "#meta+sources+num", "n_sources"),
                   ("outlet", "#meta+publisher", "outlets"), ("first published", "#date+published", "first_reported"),
                   ("reports", "#meta+reports", "report_ids"), ("evidence", "#description+evidence", "evidence_text"))


def fused_figures_hxl(figs: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    """Header, hashtag row, then one row per fused figure."""
    rows = [figure_row(f) for f in figs]
    kinds = [k for k in KIND_COLUMNS if any(r["kind"] == k for r in rows)]
    kinds += sorted({r["kind"] for r in rows} - set(KIND_COLUMNS))
    value_cols = [(*KIND_COLUMNS.get(k, (k, f"#indicator+num+{k}")), k) for k in kinds]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h for h, _, _ in _FUSED_HXL_LEAD] + [h for h, _, _ in value_cols]
                    + [h for h, _, _ in _FUSED_HXL_TAIL])
    writer.writerow([t for _, t, _ in _FUSED_HXL_LEAD] + [t for _, t, _ in value_cols]
                    + [t for _, t, _ in _FUSED_HXL_TAIL])
    for r in rows:
        writer.writerow([_cell(r.get(f)) for _, _, f in _FUSED_HXL_LEAD]
                        + [_cell(r.get("value_best")) if r["kind"] == k else "" for _, _, k in value_cols]
                        + [_cell(r.get(f)) for _, _, f in _FUSED_HXL_TAIL])
    return ExportResult(written=len(rows))


def rows_json(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    return events_json(rows, out)  # the same one-object-a-line array as the event export


__all__ = ["amount", "change_row", "changes_csv", "changes_table", "control_csv", "control_table", "figure_row",
           "figures_csv", "figures_table", "fused_figures_csv", "fused_figures_hxl", "fused_figures_table",
           "rows_json", "value_range"]
