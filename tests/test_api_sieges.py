"""Sieges as the map's panel gets them: periods made by ``situation.siege_periods`` from
control claims (hand-built rows here), and ``/api/sieges`` from a real server over the
ingested sample corpus, checked against ``frontlines situation`` on the same store."""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

import pytest

from api_support import corpus_db, get, serving
from frontlines.situation import siege_periods, situation
from frontlines.store.map_queries import open_readonly


def _claim(n: int, change: str, day: str, status: str = "asserted", controller: Optional[str] = "ARMY",
           counterpart: Optional[str] = "REBELS") -> dict[str, Any]:
    """A row as ``situation_queries.control_claims`` gives it."""
    return {"id": f"cc-{n:03d}", "document_id": f"doc-{n}", "place": "eastern Korvan",
            "place_key": "iast kurvan", "place_kind": "area", "change": change, "date": day,
            "date_precision": "day", "published": day, "status": status, "reported_by": [],
            "controller": controller, "counterpart": counterpart, "outlet": "Wire",
            "title": None, "evidence_text": f"claim {n}"}


def test_a_siege_runs_from_its_first_claim_to_its_lifting():
    claims = [_claim(1, "besieged", "2020-03-05"), _claim(2, "besieged", "2020-03-12"),
              _claim(3, "lifted", "2020-03-20")]
    [p] = siege_periods(claims, "eastern Korvan")
    assert (p.status, p.start, p.end, p.besieger, p.besieged) == (
        "lifted", "2020-03-05", "2020-03-20", "ARMY", "REBELS")
    assert [s.id for s in p.sources] == ["cc-001", "cc-002"]
    assert [s.id for s in p.lifted_by] == ["cc-003"]


def test_a_denied_lifting_is_contested_and_stays_one_period():
    claims = [_claim(1, "besieged", "2020-03-05"),
              _claim(2, "lifted", "2020-03-20", "claimed"), _claim(3, "lifted", "2020-03-20"),
              _claim(4, "besieged", "2020-03-20", "claimed")]  # "the army denied it was broken"
    [p] = siege_periods(claims, "eastern Korvan")
    assert (p.status, p.start, p.end) == ("contested", "2020-03-05", "2020-03-20")
    assert [s.id for s in p.contested_by] == ["cc-004"]


def test_a_siege_laid_again_after_its_lifting_is_a_second_period():
    claims = [_claim(1, "besieged", "2020-01-01"), _claim(2, "lifted", "2020-02-01"),
              _claim(3, "besieged", "2020-03-01"), _claim(4, "besieged", "2020-03-09")]
    first, second = siege_periods(claims, "eastern Korvan")
    assert (first.status, first.start, first.end) == ("lifted", "2020-01-01", "2020-02-01")
    assert (second.status, second.start, second.end) == ("besieged", "2020-03-01", None)
    assert [s.id for s in first.sources] == ["cc-001"]
    assert [s.id for s in second.sources] == ["cc-003", "cc-004"]


def test_a_lifting_told_again_later_does_not_move_its_day():
    claims = [_claim(1, "besieged", "2020-01-01"), _claim(2, "lifted", "2020-02-01"),
              _claim(3, "lifted", "2020-02-10")]
    [p] = siege_periods(claims, "eastern Korvan")
    assert (p.start, p.end) == ("2020-01-01", "2020-02-01")


def test_a_lifting_with_no_siege_told_before_it_has_no_start():
    [p] = siege_periods([_claim(1, "lifted", "2016-08-26")], "Daraya")
    assert (p.status, p.start, p.end) == ("lifted", None, "2016-08-26")


def test_only_a_threatened_siege_or_a_party_s_later_claim_makes_no_period():
    assert siege_periods([_claim(1, "besieged", "2020-01-01", "planned")], "eastern Korvan") == []
    claims = [_claim(1, "besieged", "2020-01-01"), _claim(2, "lifted", "2020-02-01"),
              _claim(3, "besieged", "2020-02-20", "claimed")]  # a party says it still holds
    assert len(siege_periods(claims, "eastern Korvan")) == 1


# -- /api/sieges over the sample corpus, on a real server -----------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return corpus_db(tmp_path_factory)


@pytest.fixture(scope="module")
def base(db):
    with serving(db) as url:
        yield url


def _sieges(base: str, query: str = "") -> list[dict[str, Any]]:
    status, body, _ = get(f"{base}/api/sieges{query}")
    assert status == 200, body
    return body["sieges"]


def _east(sieges: list[dict[str, Any]]) -> dict[str, Any]:
    found = [s for s in sieges if s["place_key"] == "iast alipu"]
    assert found, [s["place"] for s in sieges]
    return found[0]


def test_eastern_aleppo_is_besieged_from_17_july_until_its_break_on_6_august(base):
    east = _east(_sieges(base))
    first = east["periods"][0]
    assert (first["start"], first["end"]) == ("2016-07-17", "2016-08-06")
    assert first["status"] in ("lifted", "contested")
    assert first["lifted_by"] and all(s["date"] == "2016-08-06" for s in first["lifted_by"])
    assert east["besieger_name"] and east["besieged_name"]
    # The trapped population over time and the supply forecasts, each with its source.
    assert [f["as_of"] for f in east["population"]] == sorted(f["as_of"] for f in east["population"])
    assert east["population"] and all(f["value"] and f["id"] for f in east["population"])
    assert east["forecasts"] and all(f["projected_date"] for f in east["forecasts"])
    assert first["trapped"] and first["forecasts"]


def test_the_siege_as_of_a_day_is_the_situation_of_that_day(base, db):
    store = open_readonly(db)
    try:
        for day in ("2016-07-20", "2016-07-30", "2016-08-06", "2016-08-10", None):
            east = _east(_sieges(base, f"?at={day}" if day else ""))
            expected = situation(store, "eastern Aleppo", date.fromisoformat(day) if day else None).siege
            assert (east["status"], east["besieger"], east["besieged"]) == (
                expected.status, expected.besieger, expected.besieged), day
            assert east["end"] == expected.end, day
            assert east["at"] == day
    finally:
        store.close()


def test_before_the_siege_there_is_none_and_during_it_is_still_on(base):
    assert not [s for s in _sieges(base, "?at=2016-07-10") if s["place_key"] == "iast alipu"]
    east = _east(_sieges(base, "?at=2016-07-30"))
    assert east["status"] == "besieged" and east["start"] == "2016-07-17" and east["end"] is None
    assert [p["end"] for p in east["periods"]] == [None]
    # Forecasts made by then, due as of the period (no end yet: as of the day asked).
    assert {f["due"] for f in east["periods"][0]["forecasts"]} <= {"due", "passed", "later"}


def test_sieges_carry_their_reports_and_basis(base):
    for s in _sieges(base):
        assert s["periods"] and s["basis"]
        assert s["reports"] >= len(s["periods"]) and s["documents"] >= 1
        for r in s["siege_reports"]:
            assert r["id"].startswith("ev-") and r["document_id"]


def test_a_bad_day_is_refused_with_its_name(base):
    status, body, _ = get(f"{base}/api/sieges?at=30+July")
    assert status == 400 and body["parameter"] == "at"
