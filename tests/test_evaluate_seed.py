"""The seed scorer: matching, forgiveness and field rules.

Most tests use a tiny gold written here, so the logic is tested without ../shared. The tests
marked ``shared`` read the real seed gold at run time (never copied) and skip when it is absent.
"""
from __future__ import annotations

import copy
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from frontlines.evaluate.common import PRF, find_all, merge_intervals, overlap_size
from frontlines.evaluate.seed import SeedScore, evaluate_seed, load_seed, score_seed

REPO = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- a tiny gold of our own

TEXT = (
    "Fighters of the North Brigade clashed with government troops near Korvan on Tuesday, leaving 12 dead.\n"
    "An air strike hit the Saba market in Korvan, residents said.\n"
    "The brigade later pulled back from the outskirts of Korvan.\n"
    "The militia seized the old bridge from the army on Wednesday.\n"
    "Some 4,000 people have fled Korvan.\n"
    "Fighters rested in the shade.\n"
    "Caption: An air strike hit the Saba market"
)

E1_EV = "Fighters of the North Brigade clashed with government troops near Korvan on Tuesday, leaving 12 dead."
E2_EV = "An air strike hit the Saba market"
E3_EV = "The brigade later pulled back from the outskirts of Korvan."
C1_EV = "The militia seized the old bridge from the army on Wednesday."
I1_EV = "Some 4,000 people have fled Korvan."
N1_EV = "Fighters rested in the shade"


def _place(name: str, kind: str, within: str | None) -> dict[str, Any]:
    return {"name": name, "kind": kind, "within": within}


def _date(value: str | None, precision: str | None, expression: str | None) -> dict[str, Any]:
    return {"value": value, "precision": precision, "expression": expression}


TINY_GOLD: dict[str, Any] = {
    "document": {"id": "tiny", "published": "2024-03-07", "source": "Test Wire", "title": "Korvan"},
    "actors": [
        {"id": "GOV", "names": ["government"], "sector": "GOV", "country": "ZZZ", "part_of": None},
        {"id": "GOV_MIL", "names": ["government troops", "army"], "sector": "MIL", "country": "ZZZ",
         "part_of": "GOV"},
        {"id": "MILITIA", "names": ["militia"], "sector": "REB", "country": "ZZZ", "part_of": None},
        {"id": "NORTH_BRIGADE", "names": ["North Brigade", "brigade"], "sector": "REB", "country": "ZZZ",
         "part_of": "MILITIA"},
        {"id": "CIVILIANS", "names": ["residents", "people"], "sector": "CVL", "country": "ZZZ", "part_of": None},
    ],
    "events": [
        {"id": "E1", "plover": "ASSAULT", "mode": None, "acled_event_type": "Battles",
         "acled_sub_event_type": "Armed clash", "actors": ["NORTH_BRIGADE"], "targets": ["GOV_MIL"],
         "place": _place("Korvan", "city", "Lenta province"), "date": _date("2024-03-05", "day", "on Tuesday"),
         "status": "asserted", "reported_by": [], "fatalities": 12, "evidence": [E1_EV], "related": ["E3"]},
        {"id": "E2", "plover": "ASSAULT", "mode": "aerial", "acled_event_type": "Explosions/Remote violence",
         "acled_sub_event_type": "Air/drone strike", "actors": [], "targets": ["CIVILIANS"],
         "place": _place("Saba market", "facility", "Korvan"), "date": _date("2024-03-07", "day", None),
         "status": "claimed", "reported_by": ["CIVILIANS"], "fatalities": None, "evidence": [E2_EV],
         "related": []},
        {"id": "E3", "plover": "RETREAT", "mode": "withdraw", "acled_event_type": None,
         "acled_sub_event_type": None, "actors": ["NORTH_BRIGADE"], "targets": ["GOV_MIL"],
         "place": _place("Korvan", "city", "Lenta province"), "date": _date("2024-03-05", "day", None),
         "status": "asserted", "reported_by": [], "fatalities": None, "evidence": [E3_EV], "related": ["E1"]},
    ],
    "control": [
        {"id": "C1", "place": _place("old bridge", "road", "Korvan"), "controller": "MILITIA",
         "counterpart": "GOV_MIL", "change": "captured", "date": _date("2024-03-06", "day", "on Wednesday"),
         "status": "asserted", "reported_by": [], "evidence": [C1_EV]},
    ],
    "indicators": [
        {"id": "I1", "kind": "displaced", "value": 4000, "unit": "people", "low": None, "high": None,
         "hedge": "some", "place": _place("Korvan", "city", "Lenta province"),
         "as_of": _date("2024-03-07", "day", None), "projected_date": None, "status": "asserted",
         "reported_by": [], "evidence": [I1_EV]},
    ],
    "non_events": [{"id": "N1", "evidence": [N1_EV], "trap": "MOBILIZE", "reason": "a scene"}],
}


def _spans(text: str, strings: list[str], occurrence: int = 0) -> list[dict[str, Any]]:
    out = []
    for s in strings:
        hits = find_all(text, s)
        assert hits, s
        start, end = hits[min(occurrence, len(hits) - 1)]
        out.append({"start": start, "end": end, "text": s})
    return out


def perfect_prediction(gold: dict[str, Any], text: str) -> dict[str, Any]:
    """What a perfect reader would print: the gold records with located evidence spans."""
    pred: dict[str, Any] = {
        "document": {"id": "x"},
        "actors": [{"id": a["id"], "name": (a.get("names") or [a["id"]])[0], "sector": a.get("sector"),
                    "country": a.get("country")} for a in gold["actors"]],
    }
    for section in ("events", "control", "indicators"):
        pred[section] = []
        for g in gold.get(section) or []:
            rec = copy.deepcopy(g)
            rec["evidence"] = _spans(text, g["evidence"])
            rec.pop("related", None)
            pred[section].append(rec)
    return pred


def _event(pred: dict[str, Any], gold_id: str) -> dict[str, Any]:
    return next(e for e in pred["events"] if e["id"] == gold_id)


def _pair(score: SeedScore, gold_id: str, section: str = "events"):
    return next(p for p in getattr(score, section).pairs if p.gold_id == gold_id)


# --------------------------------------------------------------------------- common helpers


def test_find_all_finds_every_occurrence() -> None:
    assert find_all("abcabcab", "ab") == [(0, 2), (3, 5), (6, 8)]
    assert find_all("aaa", "aa") == [(0, 2), (1, 3)]
    assert find_all("abc", "") == []


def test_overlap_size_counts_shared_characters_once() -> None:
    assert merge_intervals([(5, 8), (0, 3), (2, 4)]) == [(0, 4), (5, 8)]
    assert overlap_size([(0, 10)], [(5, 15)]) == 5
    assert overlap_size([(0, 10), (2, 6)], [(4, 8)]) == 4
    assert overlap_size([(0, 5)], [(5, 9)]) == 0  # half-open: touching is not overlapping


def test_prf_excluded_predictions_leave_the_denominator() -> None:
    prf = PRF(n_pred=5, n_gold=4, tp_pred=3, tp_gold=3, excluded_pred=1)
    assert prf.precision == pytest.approx(0.75)
    assert prf.recall == pytest.approx(0.75)
    assert prf.f1 == pytest.approx(0.75)
    assert PRF().precision == 0.0 and PRF().f1 == 0.0


# --------------------------------------------------------------------------- tiny gold


def test_tiny_perfect_prediction_scores_one() -> None:
    score = score_seed(perfect_prediction(TINY_GOLD, TEXT), TINY_GOLD, TEXT)
    for section in score.sections:
        assert (section.prf.precision, section.prf.recall, section.prf.f1) == (1.0, 1.0, 1.0), section.name
        for name, tally in section.fields.items():
            assert tally.accuracy == 1.0, (section.name, name)
    assert score.events.fields["actors"].n == 3
    assert score.traps_hit == [] and score.events.duplicates == 0
    json.dumps(score.to_dict())  # JSON-able
    out = score.format(verbose=True)
    assert "events" in out and "1.000" in out


def test_empty_prediction_scores_zero_without_dividing_by_zero() -> None:
    score = score_seed({"events": [], "control": [], "indicators": []}, TINY_GOLD, TEXT)
    assert score.events.prf.recall == 0.0 and score.events.prf.precision == 0.0
    assert [u.reason for u in score.events.unmatched_gold] == ["missed"] * 3
    assert "below" in score.format()


def test_wrong_type_is_no_match() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E2")["plover"] = "PROTEST"
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.events.prf.tp_gold == 2
    assert score.events.prf.precision == pytest.approx(2 / 3)
    assert score.events.prf.recall == pytest.approx(2 / 3)
    [u] = score.events.unmatched_pred
    assert u.reason.startswith("wrong plover") and "E2" in u.reason
    [g] = score.events.unmatched_gold
    assert g.id == "E2" and "PROTEST" in g.reason


def test_no_evidence_overlap_is_no_match() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E3")["evidence"] = _spans(TEXT, ["Some 4,000 people"])  # right type, wrong sentence
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert [u.id for u in score.events.unmatched_gold] == ["E3"]
    assert score.events.unmatched_pred[0].reason == "no gold overlap"


def test_every_occurrence_of_gold_evidence_counts() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E2")["evidence"] = _spans(TEXT, [E2_EV], occurrence=1)  # the caption copy
    assert _event(pred, "E2")["evidence"][0]["start"] > TEXT.index("Caption")
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.events.prf.recall == 1.0
    assert score.repaired_spans == 0


def test_ancestor_actor_accepted_descendant_not() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E1")["actors"] = ["MILITIA"]  # gold names its member NORTH_BRIGADE
    _event(pred, "E3")["targets"] = ["GOV"]  # gold names GOV_MIL, part of GOV
    pred["control"][0]["controller"] = "NORTH_BRIGADE"  # gold names MILITIA: a descendant is wrong
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert _pair(score, "E1").fields["actors"] is True
    assert _pair(score, "E3").fields["targets"] is True
    assert _pair(score, "C1", "control").fields["controller"] is False
    assert score.control.fields["controller"].accuracy == 0.0


def test_extra_or_missing_actor_is_wrong() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E1")["actors"] = ["NORTH_BRIGADE", "CIVILIANS"]
    _event(pred, "E2")["targets"] = []
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert _pair(score, "E1").fields["actors"] is False
    assert _pair(score, "E2").fields["targets"] is False
    assert _pair(score, "E2").wrong["targets"] == ([], ["CIVILIANS"])


def test_battle_dyad_order_ignored_but_not_for_other_types() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    for gid in ("E1", "E3"):  # E1 is an ACLED battle, E3 a RETREAT
        e = _event(pred, gid)
        e["actors"], e["targets"] = e["targets"], e["actors"]
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert _pair(score, "E1").fields["actors"] and _pair(score, "E1").fields["targets"]
    assert not _pair(score, "E3").fields["actors"] and not _pair(score, "E3").fields["targets"]


def test_soft_date_allows_one_day_only_when_gold_expression_is_null() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E1")["date"] = _date("2024-03-06", "day", "on Tuesday")  # gold has an expression
    _event(pred, "E2")["date"] = _date("2024-03-06", "day", None)  # gold: null expression, ±1 day
    _event(pred, "E3")["date"] = _date("2024-03-07", "day", None)  # two days off
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert _pair(score, "E1").fields["date"] is False
    assert _pair(score, "E2").fields["date"] is True
    assert _pair(score, "E3").fields["date"] is False


def test_date_precision_reported_separately() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E1")["date"] = _date("2024-03-05", "week", "on Tuesday")
    _event(pred, "E2")["date"] = _date(None, None, None)
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert _pair(score, "E1").fields["date"] is True
    assert _pair(score, "E1").fields["date + precision"] is False
    assert _pair(score, "E2").fields["date"] is False  # gold has a value, prediction none


def test_duplicate_prediction_is_a_false_positive_reported_separately() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    dup = copy.deepcopy(_event(pred, "E2"))
    dup["id"] = "dup"
    dup["evidence"] = _spans(TEXT, [E2_EV], occurrence=1)
    pred["events"].append(dup)
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.events.duplicates == 1 and score.events.forgiven == 0
    assert score.events.prf.recall == 1.0
    assert score.events.prf.precision == pytest.approx(3 / 4)
    assert score.events.unmatched_pred[0].reason == "duplicate of E2"


def test_second_prediction_spanning_a_linked_event_is_forgiven() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    split = copy.deepcopy(_event(pred, "E1"))  # ASSAULT citing E1 and the linked E3: a split story
    split["id"] = "split"
    split["evidence"] = _spans(TEXT, ["leaving 12 dead.", "pulled back"])
    pred["events"].append(split)
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.events.forgiven == 1 and score.events.duplicates == 0
    assert score.events.prf.precision == 1.0  # neither true nor false positive
    assert score.events.unmatched_pred[0].reason.startswith("forgiven")


def test_merge_of_linked_events_is_reported_but_still_missed() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    pred["events"] = [e for e in pred["events"] if e["id"] != "E3"]
    _event(pred, "E1")["evidence"] = _spans(TEXT, [E1_EV, E3_EV])  # one event for both
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.events.linked_merges == 1
    assert score.events.prf.recall == pytest.approx(2 / 3)
    assert score.events.unmatched_gold[0].reason.startswith("linked merge")


def test_matching_is_maximal_not_order_dependent() -> None:
    # p0 overlaps both strike mentions most; p1 only the first. Greedy alone would pair p0 with the
    # first mention's gold and leave p1 out; a gold with two events shows the augmenting step.
    gold = copy.deepcopy(TINY_GOLD)
    gold["events"] = [
        {**gold["events"][1], "id": "A", "evidence": ["An air strike hit the Saba market in Korvan"]},
        {**gold["events"][1], "id": "B", "evidence": ["Caption: An air strike"]},
    ]
    first, second = find_all(TEXT, E2_EV)
    p0 = {"id": "p0", "plover": "ASSAULT", "evidence": [
        {"start": first[0], "end": first[1], "text": E2_EV},
        {"start": second[0] - 9, "end": second[0] + 13, "text": "Caption: An air strike"}]}
    p1 = {"id": "p1", "plover": "ASSAULT", "evidence": [{"start": first[0], "end": first[0] + 13,
                                                         "text": "An air strike"}]}
    score = score_seed({"events": [p0, p1]}, gold, TEXT)
    assert score.events.prf.tp_gold == 2
    assert {(p.gold_id, p.pred_id) for p in score.events.pairs} == {("A", "p1"), ("B", "p0")}


def test_place_exact_and_coarse() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E2")["place"] = {"name": "Korvan", "kind": "city"}  # the market's container
    _event(pred, "E1")["place"] = {"name": "Lenta Governorate", "kind": "admin1"}  # two steps up
    _event(pred, "E3")["place"] = {"name": "Somewhere Else", "kind": "city"}
    score = score_seed(pred, TINY_GOLD, TEXT)
    e1, e2, e3 = (_pair(score, g) for g in ("E1", "E2", "E3"))
    assert (e2.fields["place"], e2.fields["place (coarse ok)"]) == (False, True)
    assert (e1.fields["place"], e1.fields["place (coarse ok)"]) == (False, True)
    assert (e3.fields["place"], e3.fields["place (coarse ok)"]) == (False, False)


def test_place_name_normalised() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E2")["place"] = {"name": "the Saba Market", "kind": "facility", "lat": 1.0}
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert _pair(score, "E2").fields["place"] is True


def test_status_planned_counts_as_expected_but_claimed_is_not_asserted() -> None:
    gold = copy.deepcopy(TINY_GOLD)
    gold["events"][0]["status"] = "expected"
    pred = perfect_prediction(gold, TEXT)
    _event(pred, "E1")["status"] = "planned"
    _event(pred, "E2")["status"] = "asserted"  # gold: claimed
    score = score_seed(pred, gold, TEXT)
    assert _pair(score, "E1").fields["status"] is True
    assert _pair(score, "E2").fields["status"] is False


def test_mode_acled_and_fatalities_fields() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    _event(pred, "E1")["fatalities"] = 0  # gold 12
    _event(pred, "E2")["fatalities"] = 0  # gold null: "no figure" is not "zero"
    _event(pred, "E2")["mode"] = "drone"
    _event(pred, "E2")["acled_sub_event_type"] = "Shelling/artillery/missile attack"
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.events.fields["fatalities"].correct == 1
    e2 = _pair(score, "E2")
    assert not e2.fields["mode"] and not e2.fields["acled_sub_event_type"] and e2.fields["acled_event_type"]


def test_non_event_trap_hit() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    pred["events"].append({"id": "trap", "plover": "MOBILIZE", "evidence": _spans(TEXT, ["Fighters rested"])})
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert [(t.non_event_id, t.pred_id) for t in score.traps_hit] == [("N1", "trap")]
    assert score.to_dict()["non_events"]["traps_hit"] == 1
    assert score.events.prf.precision == pytest.approx(3 / 4)
    assert "traps hit: 1/1 (N1)" in score.format()


def test_control_lost_is_captured_turned_round() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    c = pred["control"][0]
    c["change"], c["controller"], c["counterpart"] = "lost", "GOV_MIL", "MILITIA"
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.control.prf.recall == 1.0
    pair = _pair(score, "C1", "control")
    assert pair.fields["controller"] and pair.fields["counterpart"]


def test_control_wrong_change_and_place_text() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    pred["control"].append({**copy.deepcopy(pred["control"][0]), "id": "held", "change": "held"})
    pred["control"][0]["place"] = {"name": "bridge"}
    pred["control"][0]["place_text"] = "the old bridge"  # the surface text names it exactly
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.control.prf.precision == pytest.approx(0.5)
    assert _pair(score, "C1", "control").fields["place"] is True


def test_indicator_fields() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    ind = pred["indicators"][0]
    ind["value"], ind["hedge"] = 4000.0, None
    score = score_seed(pred, TINY_GOLD, TEXT)
    pair = _pair(score, "I1", "indicators")
    assert pair.fields["value"] is True and pair.fields["hedge"] is False
    ind["kind"] = "killed"
    assert score_seed(pred, TINY_GOLD, TEXT).indicators.prf.recall == 0.0


def test_shifted_offsets_are_relocated_by_text_and_counted() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    ev = _event(pred, "E3")["evidence"][0]
    ev["start"] += 5
    ev["end"] += 5
    _event(pred, "E1")["evidence"] = [{"start": 0, "end": 5, "text": "nowhere in the text"}]
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.repaired_spans == 1 and score.unlocated_spans == 1
    assert _pair(score, "E3").overlap == len(E3_EV)
    assert [u.id for u in score.events.unmatched_gold] == ["E1"]


def test_actor_ids_aligned_by_name_and_by_sector() -> None:
    pred = perfect_prediction(TINY_GOLD, TEXT)
    pred["actors"] = [
        {"id": "army_of_z", "name": "army", "sector": "MIL", "country": "ZZZ"},
        {"id": "brigade_n", "name": "Brigade N", "sector": "REB", "country": "ZZZ"},  # top of REB: MILITIA
    ]
    _event(pred, "E1")["actors"], _event(pred, "E1")["targets"] = ["brigade_n"], ["army_of_z"]
    score = score_seed(pred, TINY_GOLD, TEXT)
    assert score.actor_alignment["army_of_z"] == {"gold": "GOV_MIL", "by": "name"}
    assert score.actor_alignment["brigade_n"] == {"gold": "MILITIA", "by": "sector+country"}
    assert _pair(score, "E1").fields["actors"] and _pair(score, "E1").fields["targets"]


def test_gold_evidence_missing_from_text_is_a_problem() -> None:
    gold = copy.deepcopy(TINY_GOLD)
    gold["events"][0]["evidence"].append("not in the text at all")
    score = score_seed(perfect_prediction(TINY_GOLD, TEXT), gold, TEXT)
    assert any("E1" in p for p in score.problems)


def _write_seed(tmp_path: Path) -> Path:
    (tmp_path / "article.txt").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "gold.json").write_text(json.dumps(TINY_GOLD), encoding="utf-8")
    return tmp_path


class _GoldReader:
    """A stand-in reader: returns the gold as model objects, checking what it was given."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def read(self, document: Any) -> Any:
        from frontlines.model import DateRef, EventMention, Place, Reading, Span

        self.seen.append(document)
        reading = Reading(document=document)
        for g in TINY_GOLD["events"]:
            spans = [Span(s, e, document.text[s:e]) for s, e in (find_all(document.text, x)[0] for x in g["evidence"])]
            reading.events.append(EventMention(
                id=g["id"], plover=g["plover"], mode=g["mode"], acled_event_type=g["acled_event_type"],
                acled_sub_event_type=g["acled_sub_event_type"], actors=g["actors"], targets=g["targets"],
                place=Place(name=g["place"]["name"], kind=g["place"]["kind"]),
                date=DateRef(date.fromisoformat(g["date"]["value"]), g["date"]["precision"], g["date"]["expression"]),
                status=g["status"], reported_by=g["reported_by"], fatalities=g["fatalities"], evidence=spans,
                rule="test"))
        return reading


def test_evaluate_seed_runs_the_reader_with_gold_metadata(tmp_path: Path) -> None:
    reader = _GoldReader()
    score = evaluate_seed(_write_seed(tmp_path), reader=reader)
    [doc] = reader.seen
    assert doc.text == TEXT and doc.published == date(2024, 3, 7) and doc.outlet == "Test Wire"
    assert score.events.prf.f1 == 1.0
    assert score.events.fields["date + precision"].accuracy == 1.0
    assert score.control.prf.recall == 0.0  # the stand-in reads no control claims


def test_evaluate_seed_names_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="gold.json"):
        evaluate_seed(tmp_path / "nope", reader=_GoldReader())


# --------------------------------------------------------------------------- the real seed gold


def _seed_dir() -> Path:
    shared = Path(os.environ.get("FRONTLINES_SHARED") or REPO.parent / "shared")
    seed = shared / "eval" / "seed"
    if not (seed / "gold.json").is_file() or not (seed / "article.txt").is_file():
        pytest.skip(f"../shared/eval/seed not found: {seed} (set FRONTLINES_SHARED to the shared folder)")
    return seed


@pytest.fixture
def seed() -> tuple[dict[str, Any], str]:
    return load_seed(_seed_dir())


@pytest.mark.shared
def test_seed_perfect_prediction(seed: tuple[dict[str, Any], str]) -> None:
    gold, text = seed
    score = score_seed(perfect_prediction(gold, text), gold, text)
    for section in score.sections:
        assert section.prf.f1 == 1.0, section.name
        assert all(t.accuracy == 1.0 for t in section.fields.values()), section.name
    assert score.events.prf.n_gold == len(gold["events"])
    assert score.traps_hit == [] and score.problems == []
    assert score.targets_met


@pytest.mark.shared
def test_seed_variations(seed: tuple[dict[str, Any], str]) -> None:
    gold, text = seed
    battle = next(e for e in gold["events"] if e["acled_event_type"] == "Battles")
    other = next(e for e in gold["events"] if e["acled_event_type"] != "Battles" and e["actors"] != e["targets"]
                 and e["actors"] and e["targets"])
    pred = perfect_prediction(gold, text)
    for gid in (battle["id"], other["id"]):
        e = _event(pred, gid)
        e["actors"], e["targets"] = e["targets"], e["actors"]
    dropped = gold["events"][-1]["id"]
    pred["events"] = [e for e in pred["events"] if e["id"] != dropped]
    score = score_seed(pred, gold, text)
    assert _pair(score, battle["id"]).fields["actors"] is True
    assert _pair(score, other["id"]).fields["actors"] is False
    n = len(gold["events"])
    assert score.events.prf.recall == pytest.approx((n - 1) / n)
    assert score.events.prf.precision == 1.0


@pytest.mark.shared
def test_seed_ancestor_and_coarse_place(seed: tuple[dict[str, Any], str]) -> None:
    gold, text = seed
    parent = {a["id"]: a.get("part_of") for a in gold["actors"]}
    ev = next(e for e in gold["events"] if any(parent.get(a) for a in e["actors"]) and e["place"].get("within"))
    pred = perfect_prediction(gold, text)
    e = _event(pred, ev["id"])
    e["actors"] = sorted({parent.get(a) or a for a in ev["actors"]})
    e["place"] = {"name": ev["place"]["within"], "kind": "city"}
    score = score_seed(pred, gold, text)
    pair = _pair(score, ev["id"])
    assert pair.fields["actors"] is True
    assert (pair.fields["place"], pair.fields["place (coarse ok)"]) == (False, True)


@pytest.mark.shared
def test_seed_trap_contained_in_true_evidence_is_not_a_hit(seed: tuple[dict[str, Any], str]) -> None:
    gold, text = seed
    # A non-event whose text lies inside a gold event's evidence: citing the event is right,
    # a second event on the trap text alone is a duplicate and a trap hit.
    for trap in gold["non_events"]:
        host = next((e for e in gold["events"] if any(trap["evidence"][0] in x for x in e["evidence"])), None)
        if host:
            break
    else:
        pytest.skip("no non-event inside an event's evidence in this gold")
    pred = perfect_prediction(gold, text)
    assert score_seed(pred, gold, text).traps_hit == []
    pred["events"].append({"id": "extra", "plover": host["plover"], "evidence": _spans(text, trap["evidence"])})
    score = score_seed(pred, gold, text)
    assert [t.non_event_id for t in score.traps_hit] == [trap["id"]]
    assert score.events.duplicates == 1


@pytest.mark.shared
def test_seed_with_the_real_reader(seed: tuple[dict[str, Any], str]) -> None:
    pipeline = pytest.importorskip("frontlines.reading.pipeline", reason="the Reader is not written yet")
    score = evaluate_seed(_seed_dir(), reader=pipeline.Reader.load())
    d = score.to_dict()
    json.dumps(d)
    assert d["events"]["n_gold"] == len(seed[0]["events"])
    assert 0.0 <= d["events"]["precision"] <= 1.0 and 0.0 <= d["events"]["recall"] <= 1.0
    assert score.unlocated_spans == 0  # the Reader's offsets point into the text it was given
