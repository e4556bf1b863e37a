"""``frontlines bench``: throughput and memory of the reader, beside bare spaCy on the same texts.

Both run in one process on one list of documents (the inputs repeated until there are at
least ``min_docs``). Each is warmed up once on a batch first, so neither pays for first-call
costs (lazy loading, caches) in its timed run. The timed work is cut into rounds of whole
batches, and the two pipelines take turns on each round (the one that goes first alternates),
so that a change of machine load during the run (other jobs on a shared machine) falls on both
alike rather than on whichever ran second. The ratio is our documents/s divided by bare
spaCy's: the price of our stages on top of the parse.

Memory: the process peak from ``getrusage`` (loading included) is the figure the target is
about. Beside it, the highest RSS sampled (psutil, every 20 ms) while each pipeline ran; the
allocator does not hand memory back between turns, so those two are not exclusive.
"""
from __future__ import annotations

import gc
import math
import platform
import resource
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

import psutil

# Targets from issue 2, printed beside the figures (never asserted).
TARGET_RATIO = 0.7
TARGET_PEAK_RSS_MB = 700.0

_MB = 1024 * 1024
ROUNDS = 6  # turns each pipeline takes; more rounds follow load changes more closely


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / _MB


def _process_peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / _MB if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


class _RssSampler:
    """Highest RSS seen while each phase runs: ru_maxrss alone cannot tell phases apart."""

    def __init__(self, interval: float = 0.02):
        self.interval = interval
        self.phase: Optional[str] = None
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def mark(self, phase: Optional[str]) -> None:
        """Attribute samples from now on to ``phase`` (and take one at the switch)."""
        self._sample()
        self.phase = phase
        self._sample()

    def _sample(self) -> None:
        if self.phase is not None:
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), _rss_mb())

    def __enter__(self) -> "_RssSampler":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.mark(None)


@dataclass
class PhaseResult:
    """One timed run over all the documents."""

    name: str
    seconds: float
    docs: int
    words: int
    peak_rss_mb: float

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds if self.seconds > 0 else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "docs": self.docs,
            "words": self.words,
            "docs_per_s": round(self.docs_per_s, 2),
            "words_per_s": round(self.words_per_s, 1),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


@dataclass
class BenchResult:
    distinct_docs: int
    docs: int
    words: int  # whitespace tokens over all documents
    chars: int
    batch_size: int
    spacy: PhaseResult
    ours: PhaseResult
    load_seconds: Optional[float]  # Reader.load(), when run_bench loaded it
    rss_loaded_mb: float  # after loading the reader and the documents, before any run
    peak_rss_mb: float  # process peak (getrusage), loading included
    readings: int  # what read_many yielded
    events: int
    model: str
    pipeline: list[str]
    rounds: int = 1  # turns each pipeline took (alternating who goes first)
    stages: list[str] = field(default_factory=list)  # the reader's own stages ("refine" with a classifier)
    input_errors: list[str] = field(default_factory=list)
    machine: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ours.docs_per_s / self.spacy.docs_per_s if self.spacy.docs_per_s else 0.0

    @property
    def peak_rss_ours_mb(self) -> float:
        return max(self.ours.peak_rss_mb, self.rss_loaded_mb)

    def to_dict(self) -> dict[str, Any]:
        return {
            "distinct_docs": self.distinct_docs,
            "docs": self.docs,
            "words": self.words,
            "chars": self.chars,
            "batch_size": self.batch_size,
            "rounds": self.rounds,
            "spacy": self.spacy.to_dict(),
            "frontlines": self.ours.to_dict(),
            "ratio": round(self.ratio, 3),
            "load_seconds": round(self.load_seconds, 2) if self.load_seconds is not None else None,
            "rss_loaded_mb": round(self.rss_loaded_mb, 1),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "readings": self.readings,
            "events": self.events,
            "model": self.model,
            "pipeline": list(self.pipeline),
            "stages": list(self.stages),
            "input_errors": list(self.input_errors),
            "machine": dict(self.machine),
            "targets": {
                "ratio": TARGET_RATIO,
                "peak_rss_mb": TARGET_PEAK_RSS_MB,
                "ratio_met": self.ratio >= TARGET_RATIO,
                "peak_rss_met": self.peak_rss_mb <= TARGET_PEAK_RSS_MB,
            },
        }

    def format(self) -> str:
        mark = lambda ok: "ok" if ok else "MISSED"  # noqa: E731
        repeats = self.docs / self.distinct_docs if self.distinct_docs else 0
        lines = [
            f"frontlines bench: {self.docs:,} documents ({self.distinct_docs:,} distinct, x{repeats:.1f}), "
            f"{self.words:,} words, batch size {self.batch_size}, {self.rounds} alternating rounds",
            f"model {self.model}: {', '.join(self.pipeline) or '(no components)'}"
            + (f"; reader stages: {', '.join(self.stages)}" if self.stages else ""),
            f"machine: {self.machine.get('cpus')} CPUs, {self.machine.get('memory_gb')} GB, "
            f"Python {self.machine.get('python')}",
            "",
            f"{'':<12}{'seconds':>10}{'docs/s':>10}{'words/s':>11}{'RSS max MB':>12}",
        ]
        for p in (self.spacy, self.ours):
            lines.append(f"{p.name:<12}{p.seconds:>10.2f}{p.docs_per_s:>10.1f}{p.words_per_s:>11,.0f}"
                         f"{p.peak_rss_mb:>12.0f}")
        lines += [
            "",
            f"ratio (frontlines / bare spaCy docs/s): {self.ratio:.2f}   target >= {TARGET_RATIO:.2f} "
            f"[{mark(self.ratio >= TARGET_RATIO)}]",
            f"peak RSS (process, loading included):   {self.peak_rss_mb:.0f} MB   target <= "
            f"{TARGET_PEAK_RSS_MB:.0f} MB [{mark(self.peak_rss_mb <= TARGET_PEAK_RSS_MB)}]",
            "(RSS max: sampled while each ran; memory is not handed back between turns)",
            f"readings {self.readings:,}, events {self.events:,}"
            + (f"; Reader.load() {self.load_seconds:.1f} s" if self.load_seconds is not None else ""),
        ]
        if self.input_errors:
            lines.append(f"{len(self.input_errors)} input(s) skipped, e.g. {self.input_errors[0]}")
        return "\n".join(lines)


class _Progress:
    """One bar on stderr over both pipelines' turns; silent when disabled."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="bench", unit="doc", file=sys.stderr, mininterval=0.5)

    def wrap(self, items: Iterable[Any], phase: str) -> Iterator[Any]:
        if self.bar is None:
            yield from items
            return
        self.bar.set_description(phase)
        for item in items:
            yield item
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_bench(paths: Sequence[Path], min_docs: int = 2000, batch_size: int = 64, reader: Any = None,
              progress: bool = True, classifier: Optional[str] = None) -> BenchResult:
    """Read the documents under ``paths``, repeat them to ``min_docs``, and time bare spaCy
    (``reader.nlp.pipe``) and ``reader.read_many`` on the same texts in this process.
    ``classifier``: read with this snippet classifier's refine stage (``Reader.load``), when
    no ``reader`` is given."""
    from frontlines.model import Document
    from frontlines.sources import InputError, read_inputs

    errors: list[str] = []
    distinct: list[Document] = []
    for item in read_inputs([str(p) for p in paths]):
        if isinstance(item, InputError):
            errors.append(str(item))
        else:
            distinct.append(item)
    if not distinct:
        detail = f": {errors[0]}" if errors else ""
        raise ValueError(f"no readable documents in {', '.join(map(str, paths)) or '(no paths)'}{detail}")
    if batch_size < 1:
        raise ValueError(f"batch size should be a positive integer, got {batch_size}")

    # Whole repeats, so every distinct document weighs the same.
    docs = distinct * max(1, math.ceil(min_docs / len(distinct)))
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)

    load_seconds: Optional[float] = None
    if reader is None:
        from frontlines.reading.pipeline import Reader

        t0 = time.perf_counter()
        reader = Reader.load(classifier=classifier)
        load_seconds = time.perf_counter() - t0
    nlp = reader.nlp

    # Warm-up: one batch each, untimed.
    warm = docs[: min(len(docs), batch_size)]
    for _ in nlp.pipe([d.text for d in warm], batch_size=batch_size):
        pass
    for _ in reader.read_many(warm, batch_size=batch_size):
        pass
    rss_loaded = _rss_mb()

    # Rounds of whole batches; the pipelines take turns, and who goes first alternates.
    per_round = batch_size * max(1, math.ceil(len(docs) / ROUNDS / batch_size))
    chunks = [docs[i:i + per_round] for i in range(0, len(docs), per_round)]
    seconds = {"bare spaCy": 0.0, "frontlines": 0.0}
    counts = {"readings": 0, "events": 0}
    bar = _Progress(2 * len(docs), progress)

    def bare(chunk: list[Document]) -> None:
        for _ in bar.wrap(nlp.pipe([d.text for d in chunk], batch_size=batch_size), "bare spaCy"):
            pass

    def ours(chunk: list[Document]) -> None:
        for reading in bar.wrap(reader.read_many(chunk, batch_size=batch_size), "frontlines"):
            counts["readings"] += 1
            counts["events"] += len(getattr(reading, "events", ()) or ())

    runs: dict[str, Callable[[list[Document]], None]] = {"bare spaCy": bare, "frontlines": ours}
    try:
        with _RssSampler() as rss:
            for i, chunk in enumerate(chunks):
                order = ("frontlines", "bare spaCy") if i % 2 == 0 else ("bare spaCy", "frontlines")
                for name in order:
                    gc.collect()  # the other turn's garbage must not be collected on this clock
                    rss.mark(name)
                    t0 = time.perf_counter()
                    runs[name](chunk)
                    seconds[name] += time.perf_counter() - t0
                    rss.mark(None)
    finally:
        bar.close()
    spacy_phase = PhaseResult("bare spaCy", seconds["bare spaCy"], len(docs), words, rss.peaks["bare spaCy"])
    ours_phase = PhaseResult("frontlines", seconds["frontlines"], len(docs), words, rss.peaks["frontlines"])
    readings = counts["readings"]

    meta = getattr(nlp, "meta", {}) or {}
    return BenchResult(
        distinct_docs=len(distinct), docs=len(docs), words=words, chars=sum(map(len, texts)),
        batch_size=batch_size, spacy=spacy_phase, ours=ours_phase, load_seconds=load_seconds,
        rss_loaded_mb=rss_loaded, peak_rss_mb=_process_peak_mb(), readings=readings, events=counts["events"],
        model=f"{meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '')}".strip(),
        pipeline=list(getattr(nlp, "pipe_names", [])), rounds=len(chunks), input_errors=errors,
        stages=[str(getattr(s, "name", type(s).__name__)) for s in getattr(reader, "stages", ())],
        machine={"cpus": psutil.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
                 "python": platform.python_version(), "platform": platform.platform()},
    )


__all__ = ["BenchResult", "PhaseResult", "TARGET_PEAK_RSS_MB", "TARGET_RATIO", "run_bench"]
