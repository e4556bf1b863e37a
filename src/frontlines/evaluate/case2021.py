"""Score snippet event classification on CASE 2021 Task 2 (``../shared/eval/dev/case2021.jsonl``).

Each record is a short news-like snippet with one of 30 codes: ACLED's 25 sub-event types
plus ORG_CRIME, NATURAL_DISASTER, MAN_MADE_DISASTER (subtask 2) and DIPLO, ATTRIB (subtask 3).
The system sees only ``text``. Two ways to label a snippet:

- ``rules``: read it with the Reader and map the most salient event to a code
  (``reading.classify.rule_label``; the mapping is written out in docs/event-coding.md);
- ``model``: the shipped snippet classifier (reading/classify.py), with the Reader's events as
  features when the model was trained with them.

Subtask k is scored on the records whose ``subtasks`` holds k, over that subtask's labels:
weighted F1 (the task's headline), micro and macro F1 (multiclass.py, sklearn-equivalent).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, TypeVar

from frontlines.evaluate.multiclass import ClassificationScore, score_labels
from frontlines.knowledge.event_labels import CASE_CODES, SUBTASK_LABELS
from frontlines.model import Reading
from frontlines.reading.classify import reading_sector_of, rule_label

# Best published weighted F1 (Haneczok et al. 2021, full test set), printed beside ours.
PUBLISHED_WEIGHTED_F1 = {1: 0.839, 2: 0.797, 3: 0.771}
TARGET_WEIGHTED_F1 = 0.85  # issue 3, subtask 3
T = TypeVar("T")


@dataclass(frozen=True)
class CaseRecord:
    id: str
    text: str
    label: str
    subtasks: tuple[int, ...]
    ours: bool = False  # a snippet we wrote, not a record of the shared task


def load_jsonl(path: Path, parse: Callable[[dict[str, Any]], T], kind: str) -> list[T]:
    """``parse`` of every record of a JSON Lines file; a bad line is an error naming the file,
    the line and the reason (``parse`` raises KeyError, TypeError or ValueError)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not found (expected a {kind} JSON Lines file)")
    records = []
    # Lines by "\n" only: splitlines() would also break at a U+2028 inside a JSON string.
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append(parse(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{n}: not a {kind} record ({exc})") from exc
    if not records:
        raise ValueError(f"{path}: no records")
    return records


def _case_record(rec: dict[str, Any]) -> CaseRecord:
    if "gold" not in rec and "label" in rec:
        return written_record(rec)
    gold = rec["gold"]
    if gold["label"] not in CASE_CODES:
        raise ValueError(f"unknown label {gold['label']!r}")
    return CaseRecord(str(rec["id"]), rec["text"], gold["label"], tuple(int(k) for k in gold.get("subtasks") or (3,)))


def written_record(rec: dict[str, Any]) -> CaseRecord:
    """A snippet of ours, ``{"id", "text", "label"}``: scored in every subtask its label is in."""
    label = rec["label"]
    if label not in CASE_CODES:
        raise ValueError(f"unknown label {label!r}")
    text = rec["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty text")
    return CaseRecord(str(rec["id"]), text, label, tuple(k for k, labs in SUBTASK_LABELS.items() if label in labs),
                      ours=True)


def load_case2021(path: Path) -> list[CaseRecord]:
    """The records of a case2021 JSONL file, or of every ``*.jsonl`` in a directory: the shared
    evaluation's (``gold`` holds the label and subtasks) or snippets of ours (``{"id", "text",
    "label"}``, e.g. examples/heldout)."""
    return [r for f in jsonl_files(path, "snippets") for r in load_jsonl(f, _case_record, "case2021")]


def jsonl_files(path: Path, what: str) -> list[Path]:
    """The file itself, or every ``*.jsonl`` of a directory (an error if it has none)."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    files = sorted(path.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{path}: no *.jsonl files of {what}")
    return files


def label_from_reading(reading: Reading) -> tuple[str, str]:
    """The CASE code the rule-based events of a Reading amount to, and why (``rule_label``)."""
    return rule_label(reading.events, reading.document.text, reading_sector_of(reading))


# --------------------------------------------------------------------------- scoring


@dataclass
class CaseResult:
    method: str
    records: list[CaseRecord]
    predicted: list[str]
    why: list[str]
    subtask: int = 3
    notes: list[str] = field(default_factory=list)
    seen_in_training: int = 0  # records the model was trained on: its score there is no estimate

    def score(self, subtask: int) -> ClassificationScore:
        return score_case2021(self.records, self.predicted, subtask)

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": "case2021", "method": self.method, "headline_subtask": self.subtask,
                "seen_in_training": self.seen_in_training,
                "subtasks": {str(k): self.score(k).to_dict() for k in SUBTASK_LABELS},
                "published_weighted_f1": PUBLISHED_WEIGHTED_F1, "notes": list(self.notes)}

    def predictions(self) -> list[dict[str, str]]:
        return [{"id": r.id, "label": p} for r, p in zip(self.records, self.predicted)]

    def format(self, verbose: bool = False) -> str:
        lines = [f"case2021: {len(self.records)} snippets, method {self.method}", "",
                 f"{'subtask':<9}{'n':>5}{'weighted F1':>13}{'micro F1':>10}{'macro F1':>10}{'acc':>7}"
                 f"{'best published (wF1)':>22}"]
        for k in SUBTASK_LABELS:
            s = self.score(k)
            mark = "  <- headline" if k == self.subtask else ""
            lines.append(f"{k:<9}{s.n:>5}{s.weighted_f1:>13.3f}{s.micro_f1:>10.3f}{s.macro_f1:>10.3f}"
                         f"{s.accuracy:>7.3f}{PUBLISHED_WEIGHTED_F1[k]:>22.3f}{mark}")
        head = self.score(self.subtask)
        if self.seen_in_training:
            lines.append(f"target (issue 3): not measured here: {self.seen_in_training} records are training data")
        elif any(r.ours for r in self.records):
            lines.append("target (issue 3): set on CASE 2021, not on snippets of ours; the published figures "
                         "are CASE's too")
        elif self.subtask == 3:
            ok = "ok" if head.weighted_f1 >= TARGET_WEIGHTED_F1 else "below"
            lines.append(f"target (issue 3): subtask 3 weighted F1 >= {TARGET_WEIGHTED_F1:.2f} [{ok}]")
        lines += [f"note: {n}" for n in self.notes]
        lines += ["", f"subtask {self.subtask} per label"] + head.format_table()
        if verbose:
            lines += ["", "wrong predictions (id: gold -> predicted, why)"]
            labels = set(SUBTASK_LABELS[self.subtask])
            for r, p, w in zip(self.records, self.predicted, self.why):
                if r.label in labels and p != r.label:
                    lines.append(f"  {r.id}: {r.label} -> {p} ({w})")
        return "\n".join(lines)


def score_case2021(records: Sequence[CaseRecord], predicted: Sequence[str], subtask: int = 3) -> ClassificationScore:
    """Scores of one label per record on subtask ``subtask`` (1, 2 or 3). Pure."""
    if subtask not in SUBTASK_LABELS:
        raise ValueError(f"subtask should be 1, 2 or 3, not {subtask!r}")
    if len(records) != len(predicted):
        raise ValueError(f"{len(records)} records but {len(predicted)} predictions")
    pairs = [(r.label, p) for r, p in zip(records, predicted) if subtask in r.subtasks]
    return score_labels([g for g, _ in pairs], [p for _, p in pairs], SUBTASK_LABELS[subtask])


def read_snippets(texts: Iterable[str], reader: Any) -> list[Reading]:
    """Readings of bare texts: no date, no outlet, no id — the system sees the text only."""
    from frontlines.model import Document

    return list(reader.read_many(Document(text=t) for t in texts))


def evaluate_case2021(path: Path, subtask: int = 3, method: str = "rules", reader: Any = None,
                      model_path: Optional[Path] = None) -> CaseResult:
    """Label every record of ``path`` with ``method`` ("rules" or "model") and keep the results."""
    if subtask not in SUBTASK_LABELS:
        raise ValueError(f"subtask should be 1, 2 or 3, not {subtask!r}")
    if method not in {"rules", "model"}:
        raise ValueError(f"method should be 'rules' or 'model', not {method!r}")
    records = load_case2021(path)
    texts = [r.text for r in records]
    notes: list[str] = []
    model = None
    if method == "model":
        from frontlines.reading.classify import SnippetClassifier

        model = SnippetClassifier.load(model_path)
        seen = model.seen_count(texts)
        if seen:
            notes.append(f"{seen} of {len(texts)} snippets were in the model's training data: on them this "
                         f"is a training fit, not an estimate (`frontlines train case2021` prints the "
                         f"cross-validated one)")
    readings: list[Reading] = []
    if method == "rules" or (model is not None and model.uses_rules):
        if reader is None:
            from frontlines.reading.pipeline import Reader

            reader = Reader.load()
        readings = read_snippets(texts, reader)
    if model is None:
        labelled = [label_from_reading(r) for r in readings]
        return CaseResult(method, records, [c for c, _ in labelled], [w for _, w in labelled], subtask, notes)
    from frontlines.reading.classify import reading_features

    embeddings = None
    if model.config.embeddings:  # in batches: one text at a time is several times slower
        from frontlines.reading.encoders import embed

        embeddings = embed(texts, model.config.encoder)
    predicted, why = [], []
    for i, text in enumerate(texts):
        feats = reading_features(readings[i]) if readings else ()
        (label, prob), *_ = model.classify(text, feats, embeddings[i] if embeddings is not None else None)
        predicted.append(label)
        why.append(f"model p={prob:.2f}")
    return CaseResult(f"model ({model.name})", records, predicted, why, subtask, notes,
                      seen_in_training=model.seen_count(texts))


__all__ = ["CaseRecord", "CaseResult", "evaluate_case2021", "label_from_reading", "load_case2021", "load_jsonl",
           "read_snippets", "score_case2021"]
