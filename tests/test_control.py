"""The control stage: who takes, holds, divides or besieges a place, on sentences written for these tests."""
from __future__ import annotations

from datetime import date

import pytest


def _claims(read, text: str, published: str = "2020-02-06"):
    return read(text, published=published).control


def _one(read, text: str, change: str, published: str = "2020-02-06"):
    found = [c for c in _claims(read, text, published) if c.change == change]
    assert len(found) == 1, [(c.change, c.place_text) for c in _claims(read, text, published)]
    return found[0]


def test_a_capture_names_the_state_as_controller_and_its_own_day(read):
    c = _one(read, "Syrian troops captured the town of Saraqeb on Tuesday after days of fighting.", "captured")
    assert c.controller == "SYR_GOV"  # a state holds ground through its forces
    assert "Saraqeb" in c.place_text
    assert c.date.value == date(2020, 2, 4) and c.date.precision == "day"
    assert c.status == "asserted"
    assert c.id.startswith("cc-")
    assert c.evidence and "captured" in c.evidence[0].text


def test_a_party_claiming_a_capture_from_someone(read):
    c = _one(read, "Syrian rebels said they had seized the village of Khan Tuman from Syrian troops.", "captured")
    assert c.status == "claimed" and c.reported_by == ["SYR_REB"]
    assert c.controller == "SYR_REB" and c.counterpart == "SYR_GOV"


def test_a_holder_adjective_is_a_held_claim_of_the_narrator(read):
    c = _one(read, "Shells fell overnight on the rebel-held town of Atareb in northern Syria, residents said.",
             "held", published="2016-08-03")
    assert c.controller == "SYR_REB" and c.status == "asserted"
    assert (c.place.name if c.place else c.place_text) == "Atareb"
    assert c.date.value == date(2016, 8, 3) and c.date.expression is None


def test_a_part_of_a_town_named_by_its_direction(read):
    c = _one(read, "Food prices rose again in the opposition-held east of Aleppo.", "held")
    assert c.place is not None and c.place.name == "eastern Aleppo" and c.place.kind == "area"


def test_a_divided_town_keeps_both_sides_and_the_start(read):
    c = _one(read, "Deir ez-Zor has been divided between government forces and rebel groups since 2014.",
             "divided")
    assert {c.controller, c.counterpart} == {"SYR_GOV", "SYR_REB"}
    assert c.date.value == date(2014, 1, 1) and c.date.precision == "year"


def test_a_siege_broken_and_the_denial_of_it(read):
    text = ("Syrian government forces have besieged Homs since July. On Friday Syrian rebels said they had broken "
            "the siege of Homs. The Syrian army denied that the siege had been broken.")
    claims = _claims(read, text, published="2016-01-10")
    lifted = [c for c in claims if c.change == "lifted"]
    assert len(lifted) == 1 and lifted[0].status == "claimed" and lifted[0].reported_by == ["SYR_REB"]
    assert lifted[0].date.value == date(2016, 1, 8)
    denial = [c for c in claims if c.change == "besieged" and c.rule.endswith(":denied")]
    assert len(denial) == 1 and denial[0].status == "claimed" and denial[0].controller == "SYR_GOV"
    assert all((c.place.name if c.place else c.place_text) == "Homs" for c in claims)


def test_an_attempt_to_break_a_siege_tells_the_siege_stands(read):
    claims = _claims(read, "Rebels launched an offensive on Sunday to break the siege of Madaya.")
    assert [c.change for c in claims] == ["besieged"]
    assert claims[0].status == "asserted"


def test_a_vowed_capture_is_planned_and_undated(read):
    c = _one(read, "The rebel commander vowed that his fighters would take Hama within weeks.", "captured")
    assert c.status in {"planned", "expected", "hypothetical"}
    assert c.date.value is None


@pytest.mark.parametrize("text", [
    "The government held talks with the opposition in Geneva on Monday.",
    "Rebels took the wounded to a hospital in Idlib.",
    "An aid convoy entered the city on Tuesday.",
    "Protesters stormed the parliament building in the capital.",
    "Officials avoided the word siege when they spoke about Madaya.",
    "Few residents took up the offer to leave Madaya.",
])
def test_no_claim_where_no_ground_changes_hands(read, text):
    assert _claims(read, text) == []


def test_one_claim_told_twice_is_one_claim_with_both_mentions(read):
    caption = "A fighter walks in the rebel-held town of Atareb, Syria. March 3, 2016."
    claims = _claims(read, f"{caption}\n\n{caption}\n", published="2016-03-05")
    assert len(claims) == 1 and len(claims[0].evidence) == 2
    assert claims[0].date.value == date(2016, 3, 3)  # the caption's own date


def test_ids_are_unique_across_documents_and_stable(read):
    a = _claims(read, "Syrian troops captured the town of Saraqeb on Tuesday.")
    b = _claims(read, "Syrian troops captured the town of Saraqeb on Tuesday.\n")
    again = _claims(read, "Syrian troops captured the town of Saraqeb on Tuesday.")
    assert a[0].id != b[0].id  # another document (another text) with a claim at the same offset
    assert a[0].id == again[0].id


def test_the_seed_article_meets_the_issue_targets(reader, shared_dir):
    from frontlines.evaluate.seed import evaluate_seed

    score = evaluate_seed(shared_dir / "eval" / "seed", reader)
    for section in (score.control, score.indicators):
        assert section.prf.recall == 1.0 and section.prf.precision >= 0.9, section.name


def test_report_golds_carry_their_control_and_indicators_to_the_scorer():
    from frontlines.evaluate.reports import gold_from_report
    from frontlines.knowledge.actors import ActorBook

    record = {"published": "2020-01-01", "events": [], "control": [
        {"place": "Korvan", "controller": "SYR_MIL", "counterpart": None, "change": "captured",
         "evidence": "troops took Korvan"}],
        "indicators": [{"kind": "displaced", "value": 5, "place": "Korvan", "evidence": "5 fled"}]}
    gold = gold_from_report(record, ActorBook.load(), "t")
    assert gold["control"][0]["place"] == {"name": "Korvan"} and gold["control"][0]["evidence"] == ["troops took Korvan"]
    assert gold["indicators"][0]["id"] == "I1"
    assert "SYR_MIL" in {a["id"] for a in gold["actors"]}
