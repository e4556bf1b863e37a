"""Helpers shared by the scorers: counts to P/R/F1, per-field tallies, span arithmetic.

Nothing here knows about a particular dataset.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

Interval = tuple[int, int]  # [start, end) character offsets


def ratio(num: float, den: float) -> float:
    """num / den, and 0.0 for an empty denominator (nothing to be right about)."""
    return num / den if den else 0.0


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class PRF:
    """Counts behind precision, recall and F1.

    Predictions and gold items are counted separately (``tp_pred``, ``tp_gold``) so that a
    scorer can forgive a prediction (``excluded_pred``: it leaves the precision denominator)
    without pretending it matched a gold item.
    """

    n_pred: int = 0
    n_gold: int = 0
    tp_pred: int = 0
    tp_gold: int = 0
    excluded_pred: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.tp_pred, self.n_pred - self.excluded_pred)

    @property
    def recall(self) -> float:
        return ratio(self.tp_gold, self.n_gold)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "tp_pred": self.tp_pred,
            "tp_gold": self.tp_gold,
            "excluded_pred": self.excluded_pred,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class FieldTally:
    """How often one field was right over the pairs where it applies."""

    n: int = 0
    correct: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.correct += int(ok)

    @property
    def accuracy(self) -> float:
        return ratio(self.correct, self.n)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "correct": self.correct, "accuracy": round(self.accuracy, 4)}


def find_all(text: str, needle: str) -> list[Interval]:
    """Every occurrence of ``needle`` in ``text`` (overlapping ones too), as intervals."""
    found: list[Interval] = []
    if not needle:
        return found
    i = text.find(needle)
    while i != -1:
        found.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return found


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping union of the intervals; empty ones dropped."""
    merged: list[list[int]] = []
    for s, e in sorted(iv for iv in intervals if iv[1] > iv[0]):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def overlap_size(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """Characters covered by both unions: the size of the intersection of ``a`` and ``b``."""
    a, b = merge_intervals(a), merge_intervals(b)
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_name(name: str | None) -> str:
    """Case, punctuation and a leading article do not make two names different."""
    if not name:
        return ""
    words = _NON_WORD.sub(" ", name.lower().replace("’", "'").replace("'s ", " ")).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


__all__ = [
    "FieldTally", "Interval", "PRF", "f1", "find_all", "merge_intervals", "normalise_name",
    "overlap_size", "ratio",
]
