"""What every export writer returns."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportResult:
    written: int  # events written
    left_out: int = 0  # events the format cannot hold (GeoJSON: no coordinates)
