"""Scoring a folder of hand-coded reports with the seed scorer."""
from __future__ import annotations

import json

import pytest

from frontlines.evaluate.reports import evaluate_reports, gold_from_report
from frontlines.knowledge.actors import ActorBook

REPORT = ("Shelling hits Donetsk market\n\n"
          "Artillery shells hit a market in Donetsk on Monday, killing three civilians, local officials said.\n")


def test_gold_takes_the_seed_shape():
    record = {"published": "2015-01-20", "events": [
        {"plover": "ASSAULT", "actors": ["RUS_MIL"], "targets": [], "place": "Donetsk",
         "evidence": "Artillery shells hit a market"}]}
    gold = gold_from_report(record, ActorBook.load(), "t")
    [event] = gold["events"]
    assert event["evidence"] == ["Artillery shells hit a market"]
    assert event["place"] == {"name": "Donetsk"}
    assert gold["actors"][0]["id"] == "RUS_MIL"


def test_a_folder_is_scored_and_summed(tmp_path, reader):
    (tmp_path / "donetsk.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "donetsk.json").write_text(json.dumps({"published": "2015-01-20", "events": [
        {"plover": "ASSAULT", "mode": "heavy-weapons", "actors": [], "targets": ["CIVILIANS"],
         "place": "Donetsk", "date": {"value": "2015-01-19", "precision": "day"}, "status": "claimed",
         "fatalities": 3, "evidence": "Artillery shells hit a market in Donetsk on Monday"}]}), encoding="utf-8")
    score = evaluate_reports(tmp_path, reader)
    assert set(score.per_document) == {"donetsk"}
    assert score.recall == 1.0
    assert 0.0 < score.precision <= 1.0
    assert "donetsk" in score.format()


def test_an_empty_folder_is_an_error(tmp_path, reader):
    with pytest.raises(FileNotFoundError, match="no NAME.txt"):
        evaluate_reports(tmp_path, reader)
