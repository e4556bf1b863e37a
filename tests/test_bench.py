"""``run_bench`` on a tiny corpus: the figures are there and sane. No timing thresholds."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

import pytest
import spacy

from frontlines.bench import BenchResult, run_bench
from frontlines.model import Document, Reading

DOCS = {
    "a.txt": "Shelling hit Korvan\n\nArtillery fire hit the market in Korvan on Tuesday, killing three people.",
    "b.txt": "Talks resume\n\nDelegates from both sides met in Lenta to discuss a ceasefire for the river towns.",
}


class _StubReader:
    """A reader with the real interface over a blank spaCy pipeline, counting what it sees."""

    def __init__(self) -> None:
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        self.read_docs = 0

    def read_many(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Reading]:
        documents = list(documents)
        for document, _doc in zip(documents, self.nlp.pipe((d.text for d in documents), batch_size=batch_size)):
            self.read_docs += 1
            yield Reading(document=document)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    for name, text in DOCS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")  # a bad input is skipped, not fatal
    return tmp_path


def _check(result: BenchResult, min_docs: int) -> None:
    assert result.distinct_docs == 2
    assert result.docs >= min_docs and result.docs % result.distinct_docs == 0
    assert result.readings == result.docs
    assert result.words > 0 and result.chars > result.words
    for phase in (result.spacy, result.ours):
        assert phase.docs == result.docs and phase.words == result.words
        assert phase.seconds > 0 and phase.docs_per_s > 0 and phase.words_per_s > phase.docs_per_s
        assert phase.peak_rss_mb > 10
    assert result.ratio > 0
    assert result.peak_rss_mb >= result.rss_loaded_mb * 0.5 > 0
    d = result.to_dict()
    json.dumps(d)
    for key in ("spacy", "frontlines", "ratio", "peak_rss_mb", "targets", "docs", "words"):
        assert key in d
    text = result.format()
    assert "docs/s" in text and "ratio" in text and "target" in text


def test_bench_tiny_run(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reader = _StubReader()
    result = run_bench([corpus], min_docs=5, batch_size=4, reader=reader, progress=False)
    _check(result, 5)
    assert result.docs == 6  # 2 distinct x 3 whole repeats
    assert result.rounds == 2  # turns of whole batches: 4 + 2 documents
    # one warm-up batch plus the timed run over every document
    assert reader.read_docs == result.docs + min(result.docs, 4)
    assert result.words == 3 * sum(len(t.split()) for t in DOCS.values())
    assert any("empty.txt" in e for e in result.input_errors)
    assert result.load_seconds is None  # the reader was given, not loaded
    assert capsys.readouterr().err == ""  # progress off: nothing on stderr


def test_bench_progress_goes_to_stderr(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_bench([corpus], min_docs=3, batch_size=2, reader=_StubReader(), progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "bare spaCy" in err and "frontlines" in err


def test_bench_without_documents_says_why(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="no readable documents.*empty.txt"):
        run_bench([tmp_path / "empty.txt"], min_docs=5, reader=_StubReader(), progress=False)


@pytest.mark.slow
def test_bench_with_the_real_reader(corpus: Path) -> None:
    pipeline = pytest.importorskip("frontlines.reading.pipeline", reason="the Reader is not written yet")
    reader: Any = pipeline.Reader.load()
    result = run_bench([corpus], min_docs=5, batch_size=8, reader=reader, progress=False)
    _check(result, 5)
    assert result.pipeline  # the real model has components


def test_bench_cli_names_an_unknown_classifier(corpus: Path) -> None:
    from click.testing import CliRunner

    from frontlines.cli import main

    result = CliRunner().invoke(main, ["bench", str(corpus), "--min-docs", "2", "--classifier", "no-such-model"])
    assert result.exit_code != 0
    assert "no-such-model" in result.output and "no such model file" in result.output


@pytest.mark.slow
def test_bench_reads_with_a_classifier(corpus: Path) -> None:
    pytest.importorskip("frontlines.reading.pipeline", reason="the Reader is not written yet")
    result = run_bench([corpus], min_docs=4, batch_size=4, progress=False, classifier="default")
    _check(result, 4)
    assert "refine" in result.stages and result.stages.index("refine") > result.stages.index("events")
    assert "reader stages:" in result.format() and result.to_dict()["stages"] == result.stages
