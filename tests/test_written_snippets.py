"""Snippets we wrote ourselves join every training fold of the CASE classifier and are never scored."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.evaluate.case2021 import CaseRecord
from frontlines.reading.classify import FeatureConfig

pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")

from frontlines.evaluate.training import (  # noqa: E402  (after the skip: sklearn is an extra)
    WrittenSnippets, cross_validate, dev_overlap, load_written, train_case2021,
)

TEXT_ONLY = FeatureConfig(use_rules=False)

DEV = [
    ("Warplanes bombed the market town at dawn, killing nine.", "AIR_STRIKE"),
    ("Jets struck a fuel depot outside the city overnight.", "AIR_STRIKE"),
    ("An air raid hit the hospital district on Tuesday.", "AIR_STRIKE"),
    ("Drones bombed a convoy on the highway, witnesses said.", "AIR_STRIKE"),
    ("Police arrested twelve opposition activists in dawn raids.", "ARREST"),
    ("Security forces detained a journalist at the airport.", "ARREST"),
    ("Officers arrested the party leader at his home.", "ARREST"),
    ("Police detained forty students after a search of the dormitory.", "ARREST"),
    # the only grenade in the "dev" data: its fold's model never sees the label without help
    ("A man hurled a grenade into the crowded bus station.", "GRENADE"),
]
WRITTEN = [
    ("ws-GRENADE-01", "Attackers threw a grenade at a police post near the bazaar.", "GRENADE"),
    ("ws-GRENADE-02", "A hand grenade tossed into a tea shop wounded six men.", "GRENADE"),
    ("ws-GRENADE-03", "Two grenades were lobbed over the wall of the barracks.", "GRENADE"),
]


def _records(rows: list[tuple[str, str]]) -> list[CaseRecord]:
    return [CaseRecord(f"t{i}", text, label, (1, 2, 3)) for i, (text, label) in enumerate(rows)]


def _written_rows(rows: list[tuple[str, str, str]]) -> list[CaseRecord]:
    return [CaseRecord(i, t, lab, (1, 2, 3)) for i, t, lab in rows]


def _write_jsonl(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": t, "label": lab}) + "\n" for i, t, lab in rows),
                    encoding="utf-8")
    return path


def test_load_written_reads_a_directory_and_names_a_bad_line(tmp_path):
    folder = tmp_path / "written"
    folder.mkdir()
    _write_jsonl(folder / "a.jsonl", WRITTEN[:2])
    _write_jsonl(folder / "b.jsonl", WRITTEN[2:])
    records = load_written([folder])
    assert [r.id for r in records] == ["ws-GRENADE-01", "ws-GRENADE-02", "ws-GRENADE-03"]
    assert records[0].subtasks == (1, 2, 3)

    bad = _write_jsonl(tmp_path / "c.jsonl", [("x1", "A grenade went off.", "GRENADE"),
                                              ("x2", "Talks resumed.", "DIPLOMACY")])
    with pytest.raises(ValueError, match=r"c.jsonl:2: .*DIPLOMACY"):
        load_written([bad])


def test_load_written_refuses_a_text_twice(tmp_path):
    path = _write_jsonl(tmp_path / "a.jsonl", [WRITTEN[0], ("other-id", WRITTEN[0][1], "GRENADE")])
    with pytest.raises(ValueError, match="occurs twice"):
        load_written([path])


def test_written_snippets_train_every_fold_and_are_never_scored():
    records = _records(DEV)
    written = _written_rows(WRITTEN)
    alone = cross_validate(records, None, TEXT_ONLY, folds=2)
    helped = cross_validate(records, None, TEXT_ONLY, folds=2, written=WrittenSnippets(written))
    grenade = len(DEV) - 1
    assert alone.predicted[0][grenade] != "GRENADE"  # its fold had no grenade to learn from
    assert helped.predicted[0][grenade] == "GRENADE"
    assert len(helped.predicted[0]) == len(DEV)  # the written snippets are not among the scored


def test_written_snippets_need_the_features_the_records_have():
    records = _records(DEV)
    with pytest.raises(ValueError, match="rule features"):
        cross_validate(records, [["events=0"]] * len(records), FeatureConfig(), folds=2,
                       written=WrittenSnippets(_written_rows(WRITTEN)))


def _dev_file(tmp_path: Path) -> Path:
    data = tmp_path / "dev.jsonl"
    data.write_text("".join(json.dumps({"id": f"case2021:{r.id}", "text": r.text, "gold": {"label": r.label}}) + "\n"
                            for r in _records(DEV)), encoding="utf-8")
    return data


def test_training_refuses_a_written_snippet_that_repeats_a_dev_text(tmp_path):
    data = _dev_file(tmp_path)
    leak = _write_jsonl(tmp_path / "w.jsonl", [("w-1", DEV[0][0], "AIR_STRIKE")])
    with pytest.raises(ValueError, match="shares 100% of its word 4-grams"):
        train_case2021(data, tmp_path / "m.npz", TEXT_ONLY, cv=False, written=[leak])


def test_training_refuses_a_written_snippet_that_rewords_a_dev_text(tmp_path):
    data = _dev_file(tmp_path)
    reworded = "Warplanes bombed the market town at dawn, killing nine people."  # DEV[0] and two words
    assert dev_overlap(_written_rows([("w-1", reworded, "AIR_STRIKE")]), _records(DEV))[0] > 0.5
    leak = _write_jsonl(tmp_path / "w.jsonl", [("w-1", reworded, "AIR_STRIKE")])
    with pytest.raises(ValueError, match="rewrite of the data"):
        train_case2021(data, tmp_path / "m.npz", TEXT_ONLY, cv=False, written=[leak])
    assert dev_overlap(_written_rows(WRITTEN), _records(DEV))[0] < 0.5  # our own grenades pass


def test_cli_trains_with_written_snippets(tmp_path):
    from frontlines.cli import main

    data = _dev_file(tmp_path)
    written_dir = tmp_path / "written"
    written_dir.mkdir()
    _write_jsonl(written_dir / "grenades.jsonl", WRITTEN)
    out = tmp_path / "m.npz"
    result = CliRunner().invoke(main, ["train", "case2021", "--data", str(data), "--no-rules", "--folds", "2",
                                       "--written", str(written_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"trained on {len(DEV) + len(WRITTEN)} snippets" in result.output
    assert "every fold also trained on 3 written snippets (never scored)" in result.output
    assert "of its word 4-grams with a dev text" in result.output
    assert out.is_file()
