"""One-label-per-item classification scores: per-label P/R/F1, micro, macro and weighted F1.

The averages follow scikit-learn's ``f1_score(y_true, y_pred, labels=L, average=...)`` with
``zero_division=0``: only labels in ``L`` are scored, so a prediction outside ``L`` is a miss
for its gold label and a false positive for nobody; a label with no gold and no prediction
scores 0 in the macro average and weighs nothing in the weighted one. Accuracy is over all
items, whatever their labels.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from frontlines.evaluate.common import f1, ratio


@dataclass(frozen=True)
class LabelScore:
    label: str
    tp: int
    n_pred: int
    support: int  # gold items with this label

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.n_pred)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.support)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "tp": self.tp, "n_pred": self.n_pred, "support": self.support,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class ClassificationScore:
    per_label: tuple[LabelScore, ...]
    n: int
    correct: int

    @property
    def accuracy(self) -> float:
        return ratio(self.correct, self.n)

    @property
    def micro_f1(self) -> float:
        tp = sum(s.tp for s in self.per_label)
        return f1(ratio(tp, sum(s.n_pred for s in self.per_label)), ratio(tp, sum(s.support for s in self.per_label)))

    @property
    def macro_f1(self) -> float:
        return ratio(sum(s.f1 for s in self.per_label), len(self.per_label))

    @property
    def weighted_f1(self) -> float:
        return ratio(sum(s.f1 * s.support for s in self.per_label), sum(s.support for s in self.per_label))

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "accuracy": round(self.accuracy, 4), "weighted_f1": round(self.weighted_f1, 4),
                "micro_f1": round(self.micro_f1, 4), "macro_f1": round(self.macro_f1, 4),
                "per_label": [s.to_dict() for s in self.per_label]}

    def format_table(self, indent: str = "  ") -> list[str]:
        lines = [f"{indent}{'label':<31}{'gold':>5}{'pred':>5}{'tp':>5}{'P':>7}{'R':>7}{'F1':>7}"]
        for s in sorted(self.per_label, key=lambda s: (-s.support, s.label)):
            lines.append(f"{indent}{s.label:<31}{s.support:>5}{s.n_pred:>5}{s.tp:>5}"
                         f"{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}")
        return lines


def score_labels(gold: Sequence[str], predicted: Sequence[Optional[str]],
                 labels: Optional[Sequence[str]] = None) -> ClassificationScore:
    """Score one predicted label per item (None: no prediction) against one gold label per item.

    ``labels`` is the label set to average over (default: every gold and predicted label).
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    if labels is None:
        labels = sorted({*gold, *(p for p in predicted if p is not None)})
    if len(set(labels)) != len(labels):
        raise ValueError("labels repeat")
    support = Counter(gold)
    n_pred = Counter(p for p in predicted if p is not None)
    tp = Counter(g for g, p in zip(gold, predicted) if g == p)
    per_label = tuple(LabelScore(lab, tp[lab], n_pred[lab], support[lab]) for lab in labels)
    return ClassificationScore(per_label, n=len(gold), correct=sum(tp.values()))


__all__ = ["ClassificationScore", "LabelScore", "score_labels"]
