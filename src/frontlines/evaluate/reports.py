"""Score a folder of hand-coded reports (``NAME.txt`` + ``NAME.json``) with the seed scorer.

The project's own reports about other wars (tests/fixtures/reports) check that rules
written for one war generalise. Each JSON gives ``published`` and lists ``events`` and
``non_events`` with one evidence string each; they are turned into the seed's gold shape
and scored by ``score_seed``, then summed over documents (micro-averaged).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from frontlines.evaluate.seed import SeedScore, score_seed
from frontlines.knowledge.actors import ActorBook
from frontlines.model import Document


@dataclass
class ReportsScore:
    per_document: dict[str, SeedScore] = field(default_factory=dict)

    def _sum(self, attr: str, section: str = "events") -> int:
        return sum(getattr(getattr(s, section).prf, attr) for s in self.per_document.values())

    def section(self, name: str) -> tuple[int, int, float, float]:
        """(predicted, gold, precision, recall) of a section summed over the documents."""
        n_pred = self._sum("n_pred", name) - self._sum("excluded_pred", name)
        n_gold = self._sum("n_gold", name)
        p = self._sum("tp_pred", name) / n_pred if n_pred else 0.0
        r = self._sum("tp_gold", name) / n_gold if n_gold else 0.0
        return self._sum("n_pred", name), n_gold, p, r

    @property
    def precision(self) -> float:
        n = self._sum("n_pred") - self._sum("excluded_pred")
        return self._sum("tp_pred") / n if n else 0.0

    @property
    def recall(self) -> float:
        n = self._sum("n_gold")
        return self._sum("tp_gold") / n if n else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_accuracy(self) -> dict[str, tuple[int, int]]:
        totals: dict[str, list[int]] = {}
        for score in self.per_document.values():
            for name, tally in score.events.fields.items():
                t = totals.setdefault(name, [0, 0])
                t[0] += tally.n
                t[1] += tally.correct
        return {k: (v[0], v[1]) for k, v in totals.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": "reports",
            "documents": len(self.per_document),
            "events": {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                       "n_pred": self._sum("n_pred"), "n_gold": self._sum("n_gold")},
            **{name: dict(zip(("n_pred", "n_gold", "precision", "recall"), self.section(name)))
               for name in ("control", "indicators")},
            "fields": {k: {"n": n, "ok": ok} for k, (n, ok) in self.field_accuracy().items()},
            "per_document": {k: v.events.prf.to_dict() for k, v in self.per_document.items()},
        }

    def format(self, verbose: bool = False) -> str:
        lines = [f"reports: {len(self.per_document)} documents",
                 f"events  pred {self._sum('n_pred')}  gold {self._sum('n_gold')}  "
                 f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"]
        for name in ("control", "indicators"):
            n_pred, n_gold, p, r = self.section(name)
            lines.append(f"{name:<11} pred {n_pred}  gold {n_gold}  P {p:.3f}  R {r:.3f}")
        lines += ["",
                  f"{'field':<24}{'n':>5}{'ok':>5}{'acc':>8}"]
        for name, (n, ok) in self.field_accuracy().items():
            lines.append(f"{name:<24}{n:>5}{ok:>5}{(ok / n if n else 0):>8.3f}")
        lines.append("")
        for name, score in sorted(self.per_document.items()):
            p = score.events.prf
            lines.append(f"  {name:<40} pred {p.n_pred:>2} gold {p.n_gold:>2}  P {p.precision:.2f}  R {p.recall:.2f}")
            if verbose:
                lines += ["    " + line for line in score._format_details()]
        return "\n".join(lines)


def gold_from_report(record: dict[str, Any], book: ActorBook, title: Optional[str]) -> dict[str, Any]:
    """A report's JSON in the seed gold's shape (lists of evidence, place objects, actor tree)."""
    used = {a for e in record.get("events", []) for key in ("actors", "targets", "reported_by") for a in e.get(key) or []}
    used |= {a for section in ("control", "indicators") for x in record.get(section, [])
             for a in [x.get("controller"), x.get("counterpart"), *(x.get("reported_by") or [])] if a}
    actors = []
    for actor_id in sorted(used):
        entry = book.entries.get(actor_id)
        actors.append({"id": actor_id, "names": list(entry.aliases) if entry else [],
                       "part_of": entry.actor.part_of if entry else None})
    events = []
    for n, e in enumerate(record.get("events", []), start=1):
        place = e.get("place")
        events.append({**e, "id": f"E{n}", "evidence": _as_list(e.get("evidence")),
                       "place": place if isinstance(place, dict) or place is None else {"name": place}})
    non_events = [{**x, "id": f"N{n}", "evidence": _as_list(x.get("evidence")), "trap": x.get("trap", "")}
                  for n, x in enumerate(record.get("non_events", []), start=1)]
    others = {section: [{**x, "id": f"{section[0].upper()}{n}", "evidence": _as_list(x.get("evidence")),
                         "place": _place(x.get("place"))}
                        for n, x in enumerate(record.get(section, []), start=1)]
              for section in ("control", "indicators")}
    return {"document": {"id": title, "title": title, "published": record.get("published")},
            "actors": actors, "events": events, **others, "non_events": non_events}


def _place(place: Any) -> Any:
    return place if isinstance(place, dict) or place is None else {"name": place}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def evaluate_reports(data_dir: Path, reader: Any = None) -> ReportsScore:
    """Read every ``*.txt`` in ``data_dir`` that has a ``.json`` beside it, and score it."""
    data_dir = Path(data_dir)
    pairs = [(t, t.with_suffix(".json")) for t in sorted(data_dir.glob("*.txt")) if t.with_suffix(".json").exists()]
    if not pairs:
        raise FileNotFoundError(f"{data_dir}: no NAME.txt with NAME.json beside it")
    if reader is None:
        from frontlines.reading.pipeline import Reader

        reader = Reader.load()
    book = ActorBook.load()
    result = ReportsScore()
    for text_path, gold_path in pairs:
        text = text_path.read_text(encoding="utf-8")
        record = json.loads(gold_path.read_text(encoding="utf-8"))
        published = date.fromisoformat(record["published"]) if record.get("published") else None
        title = text.split("\n", 1)[0]
        reading = reader.read(Document(text=text, title=title, published=published,
                                       published_basis="given" if published else "unknown"))
        result.per_document[text_path.stem] = score_seed(reading.to_dict(), gold_from_report(record, book, title), text)
    return result
