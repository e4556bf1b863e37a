"""Events as one JSON array, one event object per line (valid JSON, easy to diff)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from frontlines.export.base import ExportResult


def events_json(rows: Iterable[dict[str, Any]], out: TextIO) -> ExportResult:
    n = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(row, ensure_ascii=False, default=str))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return ExportResult(written=n)
