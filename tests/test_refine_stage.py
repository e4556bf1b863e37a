"""The opt-in refine stage: a snippet classifier revises the event stage's ACLED sub-event types."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from click.testing import CliRunner

from frontlines.cli import main
from frontlines.model import Document
from frontlines.reading.classify import FeatureConfig, RefineStage, SnippetClassifier
from frontlines.reading.events import EventStage
from frontlines.reading.pipeline import Reader

STORY = ("Government warplanes bombed the market of the rebel-held town on Monday, killing nine people. "
         "The opposition said it would retaliate if the raids went on.")


def _always(label: str) -> SnippetClassifier:
    """A model that puts every sentence in ``label``, whatever it says."""
    labels = ("AIR_STRIKE", "PEACE_PROTEST", "NATURAL_DISASTER")
    intercept = np.array([5.0 if lab == label else 0.0 for lab in labels])
    return SnippetClassifier(labels, ("w:market",), np.ones(1), np.zeros((3, 1)), intercept,
                             FeatureConfig(use_rules=True), {"train_digests": []})


def _with_refine(reader: Reader, model: SnippetClassifier, uncode: bool = True) -> Reader:
    stages = list(reader.stages)
    at = next(i for i, s in enumerate(stages) if isinstance(s, EventStage)) + 1
    return Reader(reader.nlp, stages[:at] + [RefineStage(model, uncode=uncode)] + stages[at:])


def _read(r: Reader):
    return r.read(Document(text=STORY, published=date(2020, 6, 16), published_basis="given"))


def test_the_model_decides_the_main_event_and_says_so(reader):
    plain = _read(reader)
    strike = next(e for e in plain.events if e.acled_sub_event_type == "Air/drone strike")
    revised = _read(_with_refine(reader, _always("PEACE_PROTEST")))
    assert len(revised.events) == len(plain.events)
    same = next(e for e in revised.events if e.evidence == strike.evidence)
    assert same.acled_sub_event_type == "Peaceful protest" and same.acled_event_type == "Protests"
    assert same.rule == strike.rule + "+model:case2021"
    # what ACLED does not code (the threatened retaliation) is left as the rules read it
    for before, after in zip(plain.events, revised.events):
        if before.acled_sub_event_type is None:
            assert after == before


def test_a_sentence_the_model_puts_outside_acled_is_uncoded(reader):
    revised = _read(_with_refine(reader, _always("NATURAL_DISASTER")))
    assert not any(e.acled_sub_event_type == "Air/drone strike" for e in revised.events)
    kept = _read(_with_refine(reader, _always("NATURAL_DISASTER"), uncode=False))
    assert any(e.acled_sub_event_type == "Air/drone strike" for e in kept.events)


def test_a_model_that_agrees_changes_nothing(reader):
    assert _read(_with_refine(reader, _always("AIR_STRIKE"))).events == _read(reader).events


def test_an_unknown_model_fails_before_the_reader_loads(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such model file"):
        Reader.load(classifier=str(tmp_path / "absent.npz"))
    result = CliRunner().invoke(main, ["read", "-", "--classifier", str(tmp_path / "absent.npz")],
                                input="Jets bombed the town.")
    assert result.exit_code != 0 and "no such model file" in result.output
