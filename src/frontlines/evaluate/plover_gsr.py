"""Score sentence event coding on the PLOVER gold-standard records (``plover_gsr.jsonl``).

Each record is one sentence coded with a PLOVER type (16, current manual), its actor (source)
and recipient (target) spans, and sometimes dead and injured. The system sees only ``text``.
The Reader's main act gives the type: the event or statement (a speech act with no date or place
of its own, ``Reading.statements``) whose trigger sits highest in the parse, then the first in
text order; an intention is AGREE or THREATEN by what it promises. Its ``actor_spans`` and
``target_spans`` give the spans (docs/event-coding.md).

Scores (the dataset README's convention; none is published):
- event type: accuracy and macro F1 over the 16 types (multiclass.py);
- actor and recipient spans: exact (begin, end) after trimming whitespace, micro P/R/F1 over
  records, plus a relaxed variant where any overlap matches (one to one). Actor gold is the
  ``actor`` plus ``reciprocal`` spans; recipient gold the ``recipient`` plus ``reciprocal`` ones;
- dead and injured: exact match where the gold is not null;
- the sentences coded twice are scored per record, and also once per sentence with either of
  its types counted right.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from frontlines.evaluate.common import PRF, FieldTally, Interval
from frontlines.evaluate.multiclass import ClassificationScore, score_labels
from frontlines.knowledge.ontology import PLOVER_TYPES
from frontlines.model import EventMention, Reading, Span
from frontlines.reading.classify import event_start

TARGET_MACRO_F1 = 0.75  # issue 3
TARGET_SPAN_F1 = 0.70


@dataclass(frozen=True)
class GsrRecord:
    id: str
    text: str
    event_type: str
    actors: tuple[Interval, ...]
    recipients: tuple[Interval, ...]
    dead: Optional[int] = None
    injured: Optional[int] = None
    group: str = ""  # records on the same sentence share it


def _trim(text: str, begin: int, end: int) -> Interval:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return (begin, end)


def _gsr_record(rec: dict[str, Any]) -> GsrRecord:
    gold, text = rec["gold"], rec["text"]
    if gold["event_type"] not in PLOVER_TYPES:
        raise ValueError(f"unknown event type {gold['event_type']!r}")
    spans = [s for s in gold.get("spans") or [] if s.get("begin") is not None]

    def role(*names: str) -> tuple[Interval, ...]:
        return tuple(sorted({_trim(text, s["begin"], s["end"]) for s in spans if s["role"] in names}))

    meta = rec.get("meta") or {}
    return GsrRecord(str(rec["id"]), text, gold["event_type"], role("actor", "reciprocal"),
                     role("recipient", "reciprocal"), gold.get("dead"), gold.get("injured"),
                     str(meta.get("split_key") or rec["id"]))


def load_plover_gsr(path: Path) -> list[GsrRecord]:
    """The records of a plover_gsr JSONL file."""
    from frontlines.evaluate.case2021 import load_jsonl

    return load_jsonl(path, _gsr_record, "plover_gsr")


# --------------------------------------------------------------------------- reading → coding


@dataclass
class GsrPrediction:
    event_type: Optional[str]
    actors: list[Interval]
    targets: list[Interval]
    dead: Optional[int] = None
    injured: Optional[int] = None
    why: str = ""

    def to_record(self, record_id: str, text: str) -> dict[str, Any]:
        spans = lambda ivs: [{"begin": b, "end": e, "text": text[b:e]} for b, e in ivs]  # noqa: E731
        return {"id": record_id, "event_type": self.event_type, "actors": spans(self.actors),
                "targets": spans(self.targets)}


# PLOVER codes a stated intention by what it promises (manual, AGREE and THREATEN): to do
# something for someone is AGREE ("will provide aid", "would meet"), to do something against
# them is THREATEN ("is prepared to impose martial law").
INTENDED_STATUSES = {"expected", "planned"}
HOSTILE = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}
COOPERATIVE = {"AID", "CONSULT", "COOPERATE", "RETREAT", "CONCEDE"}


def main_plover_event(events: Sequence[EventMention]) -> Optional[EventMention]:
    """A GSR sentence is coded for its main act: the event or statement whose trigger sits
    highest in the parse (``clause_depth``; "X said" does not count), then the first in text
    order."""
    if not events:
        return None

    def key(e: EventMention) -> tuple[int, int]:
        depth = e.clause_depth if e.clause_depth is not None else 99
        return (depth, event_start(e))

    return min(events, key=key)


def plover_type(event: EventMention) -> str:
    """The event's PLOVER type as the GSR codes a sentence: an intention is AGREE or THREATEN."""
    if event.status in INTENDED_STATUSES:
        if event.plover in HOSTILE:
            return "THREATEN"
        if event.plover in COOPERATIVE:
            return "AGREE"
    return event.plover


def coding_from_reading(reading: Reading) -> GsrPrediction:
    """The main act's type, and the spans of its actors and targets.

    The main act is chosen among the reading's events and its statements (speech acts with
    no date or place of their own, which PLOVER codes as events). Spans are the role phrases
    the reader recorded (``actor_spans``, ``target_spans``), named actors or not."""
    event = main_plover_event([*reading.events, *reading.statements])
    if event is None:
        return GsrPrediction(None, [], [], why="no event")
    text = reading.document.text

    def spans(found: Sequence[Span]) -> list[Interval]:
        return sorted({_trim(text, s.start, s.end) for s in found})

    return GsrPrediction(plover_type(event), spans(event.actor_spans), spans(event.target_spans),
                         event.fatalities, event.injured, why=event.rule)


# --------------------------------------------------------------------------- scoring


def span_prf(gold: Sequence[Sequence[Interval]], predicted: Sequence[Sequence[Interval]], relaxed: bool = False) -> PRF:
    """Micro P/R/F1 of spans over records. Exact: equal (begin, end). Relaxed: any overlap,
    each gold span matched by at most one prediction and each prediction to at most one gold."""
    prf = PRF()
    for g, p in zip(gold, predicted, strict=True):
        g, p = sorted(set(g)), sorted(set(p))
        prf.n_gold += len(g)
        prf.n_pred += len(p)
        if not relaxed:
            hits = len(set(g) & set(p))
        else:
            hits, used = 0, set()
            for pb, pe in p:
                for j, (gb, ge) in enumerate(g):
                    if j not in used and pb < ge and gb < pe:
                        used.add(j)
                        hits += 1
                        break
        prf.tp_gold += hits
        prf.tp_pred += hits
    return prf


@dataclass
class GsrScore:
    types: ClassificationScore
    actors: PRF
    actors_relaxed: PRF
    targets: PRF
    targets_relaxed: PRF
    dead: FieldTally
    injured: FieldTally
    no_event: int
    sentences: FieldTally  # type right on each distinct sentence (either type of a twice-coded one)
    twice_coded_differently: int  # sentences whose two records have two types

    def to_dict(self) -> dict[str, Any]:
        return {"event_type": {"accuracy": round(self.types.accuracy, 4), "macro_f1": round(self.types.macro_f1, 4),
                               "weighted_f1": round(self.types.weighted_f1, 4),
                               "per_label": [s.to_dict() for s in self.types.per_label]},
                "actor_spans": {"exact": self.actors.to_dict(), "relaxed": self.actors_relaxed.to_dict()},
                "recipient_spans": {"exact": self.targets.to_dict(), "relaxed": self.targets_relaxed.to_dict()},
                "dead": self.dead.to_dict(), "injured": self.injured.to_dict(), "no_event": self.no_event,
                "per_sentence_type_accuracy": self.sentences.to_dict(),
                "sentences_coded_twice_with_two_types": self.twice_coded_differently}


def score_plover_gsr(records: Sequence[GsrRecord], predictions: Sequence[GsrPrediction]) -> GsrScore:
    """Scores of one coding per record. Pure."""
    if len(records) != len(predictions):
        raise ValueError(f"{len(records)} records but {len(predictions)} predictions")
    types = score_labels([r.event_type for r in records], [p.event_type for p in predictions], PLOVER_TYPES)
    gold_a, gold_t = [r.actors for r in records], [r.recipients for r in records]
    pred_a, pred_t = [p.actors for p in predictions], [p.targets for p in predictions]
    dead, injured = FieldTally(), FieldTally()
    for r, p in zip(records, predictions):
        if r.dead is not None:
            dead.add(p.dead == r.dead)
        if r.injured is not None:
            injured.add(p.injured == r.injured)
    groups: dict[str, tuple[set[str], Optional[str]]] = {}
    for r, p in zip(records, predictions):
        gold_types, _ = groups.get(r.group, (set(), None))
        groups[r.group] = (gold_types | {r.event_type}, p.event_type)
    sentences = FieldTally()
    for gold_types, pred in groups.values():
        sentences.add(pred in gold_types)
    return GsrScore(types, span_prf(gold_a, pred_a), span_prf(gold_a, pred_a, relaxed=True),
                    span_prf(gold_t, pred_t), span_prf(gold_t, pred_t, relaxed=True), dead, injured,
                    sum(p.event_type is None for p in predictions), sentences,
                    sum(len(g) > 1 for g, _ in groups.values()))


@dataclass
class GsrResult:
    records: list[GsrRecord]
    predictions: list[GsrPrediction]
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> GsrScore:
        return score_plover_gsr(self.records, self.predictions)

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": "plover_gsr", "records": len(self.records), **self.score.to_dict()}

    def prediction_records(self) -> list[dict[str, Any]]:
        return [p.to_record(r.id, r.text) for r, p in zip(self.records, self.predictions)]

    def format(self, verbose: bool = False) -> str:
        s = self.score
        mark = lambda ok: "ok" if ok else "below"  # noqa: E731
        lines = [f"plover_gsr: {len(self.records)} sentences ({s.no_event} with no event read)", "",
                 f"event type   accuracy {s.types.accuracy:.3f}   macro F1 {s.types.macro_f1:.3f}   "
                 f"weighted F1 {s.types.weighted_f1:.3f}",
                 f"             per sentence, either type of a twice-coded one right: {s.sentences.accuracy:.3f} "
                 f"({s.sentences.correct}/{s.sentences.n}; {s.twice_coded_differently} sentences carry two types)",
                 "", f"{'spans':<12}{'match':<9}{'pred':>5}{'gold':>5}{'tp':>5}{'P':>7}{'R':>7}{'F1':>7}"]
        for name, exact, relaxed in (("actor", s.actors, s.actors_relaxed), ("recipient", s.targets, s.targets_relaxed)):
            for kind, prf in (("exact", exact), ("overlap", relaxed)):
                lines.append(f"{name:<12}{kind:<9}{prf.n_pred:>5}{prf.n_gold:>5}{prf.tp_gold:>5}"
                             f"{prf.precision:>7.3f}{prf.recall:>7.3f}{prf.f1:>7.3f}")
        lines += ["", f"dead exact {s.dead.correct}/{s.dead.n}   injured exact {s.injured.correct}/{s.injured.n}",
                  f"targets (issue 3): type macro F1 >= {TARGET_MACRO_F1:.2f} [{mark(s.types.macro_f1 >= TARGET_MACRO_F1)}], "
                  f"actor and recipient span F1 >= {TARGET_SPAN_F1:.2f} "
                  f"[{mark(min(s.actors.f1, s.targets.f1) >= TARGET_SPAN_F1)}]"]
        lines += [f"note: {n}" for n in self.notes]
        lines += ["", "event type per label"] + s.types.format_table()
        if verbose:
            lines += ["", "wrong types (id: gold -> predicted, rule)"]
            for r, p in zip(self.records, self.predictions):
                if p.event_type != r.event_type:
                    lines.append(f"  {r.id}: {r.event_type} -> {p.event_type} ({p.why})")
        return "\n".join(lines)


def evaluate_plover_gsr(path: Path, reader: Any = None) -> GsrResult:
    """Read every sentence of ``path`` (text only) and code it from its main event."""
    from frontlines.evaluate.case2021 import read_snippets

    records = load_plover_gsr(path)
    if reader is None:
        from frontlines.reading.pipeline import Reader

        reader = Reader.load()
    readings = read_snippets([r.text for r in records], reader)
    return GsrResult(records, [coding_from_reading(x) for x in readings])


__all__ = ["GsrPrediction", "GsrRecord", "GsrResult", "GsrScore", "coding_from_reading", "evaluate_plover_gsr",
           "load_plover_gsr", "main_plover_event", "score_plover_gsr", "span_prf"]
