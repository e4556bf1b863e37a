"""Humanitarian figures as HXL: a CSV whose second row holds the HXL hashtags.

One row per figure; its number goes in the column of its kind, so a spreadsheet or an
HXL tool can filter and sum by hashtag. Core HXL hashtags and attributes where the HXL
dictionary has them (#loc, #geo, #country, #date+reported, #affected+killed/+injured/
+missing/+displaced/+refugees, #population, #meta+source, #status); attributes it lacks
are our own, which HXL allows (+trapped, +evacuated, +supply, +aid). See docs/situation.md.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from frontlines.export.base import ExportResult
from frontlines.export.csv import _cell

# kind → (column header, HXL hashtag) of the value column.
KIND_COLUMNS: dict[str, tuple[str, str]] = {
    "trapped_population": ("trapped", "#affected+trapped"),
    "population": ("population", "#population+total"),
    "displaced": ("displaced", "#affected+displaced"),
    "displaced_share": ("displaced share", "#affected+displaced+pct"),
    "refugees": ("refugees", "#affected+refugees"),
    "deaths": ("killed", "#affected+killed"),
    "deaths_total": ("killed in the war", "#affected+killed+total"),
    "injured": ("injured", "#affected+injured"),
    "missing": ("missing", "#affected+missing"),
    "evacuated": ("evacuated", "#affected+evacuated"),
    "aid_delivered": ("aid delivered", "#output+aid"),
    "supply_exhaustion": ("supplies last (days)", "#indicator+num+supply"),
    "conflict_duration": ("war duration", "#indicator+num+duration"),
}
LEAD = (("id", "#meta+id"), ("place", "#loc+name"), ("place kind", "#loc+type"), ("country", "#country+code"),
        ("lat", "#geo+lat"), ("lon", "#geo+lon"), ("kind", "#indicator+code"))
TAIL = (("low", "#value+min"), ("high", "#value+max"), ("hedge", "#description+hedge"), ("unit", "#indicator+unit"),
        ("as of", "#date+reported"), ("projected", "#date+projected"), ("status", "#status"),
        ("reported by", "#meta+source"), ("outlet", "#meta+publisher"), ("published", "#date+published"),
        ("url", "#meta+url"), ("evidence", "#description+evidence"))
_FIELDS = {"id": "id", "place": "place", "place kind": "place_kind", "country": "country", "lat": "lat",
           "lon": "lon", "kind": "kind", "low": "low", "high": "high", "hedge": "hedge", "unit": "unit",
           "as of": "as_of", "projected": "projected_date", "status": "status", "reported by": "reported_by",
           "outlet": "outlet", "published": "published", "url": "url", "evidence": "evidence_text"}


def figures_hxl(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    """Write header, hashtag row, then one row per figure (value in its kind's column)."""
    rows = list(rows)
    kinds = [k for k in KIND_COLUMNS if any(r["kind"] == k for r in rows)]
    kinds += sorted({r["kind"] for r in rows} - set(KIND_COLUMNS))
    value_cols = [(*KIND_COLUMNS.get(k, (k, f"#indicator+num+{k}")), k) for k in kinds]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h for h, _ in LEAD] + [h for h, _, _ in value_cols] + [h for h, _ in TAIL])
    writer.writerow([t for _, t in LEAD] + [t for _, t, _ in value_cols] + [t for _, t in TAIL])
    for r in rows:
        lead = [_cell(r.get(_FIELDS[h])) for h, _ in LEAD]
        values = [_cell(r.get("value")) if r["kind"] == k else "" for _, _, k in value_cols]
        tail = [_cell(r.get(_FIELDS[h])) for h, _ in TAIL]
        writer.writerow(lead + values + tail)
    return ExportResult(written=len(rows))


__all__ = ["KIND_COLUMNS", "figures_hxl"]
