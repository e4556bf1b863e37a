"""Situation views over hand-built stored claims: holders, sieges, contests, forecasts."""
from __future__ import annotations

from datetime import date

import pytest

from frontlines.model import ControlClaim, DateRef, Document, Indicator, Place, Reading, Span
from frontlines.situation import control_periods, situation
from frontlines.store import Store

TOWN = Place("Korvan", "city", 44.0, 21.0, country="XK")
EAST = Place("eastern Korvan", "area", 44.0, 21.0, precision=2, country="XK")
ROAD = Place("Ridge road", "road", 44.1, 21.1, country="XK")


def _claim(n: int, place: Place, change: str, controller, counterpart, day: str, status: str = "asserted",
           by: tuple[str, ...] = ()) -> ControlClaim:
    return ControlClaim(f"cc-test{n:03d}", place, place.name, controller, counterpart, change,
                        DateRef(date.fromisoformat(day), "day", None), status, list(by),  # type: ignore[arg-type]
                        [Span(0, 4, "text")], "control:test")


def _figure(n: int, kind: str, value, day: str, projected: str | None = None, unit: str = "people",
            status: str = "asserted") -> Indicator:
    proj = DateRef(date.fromisoformat(projected), "day", None) if projected else None
    return Indicator(f"in-test{n:03d}", kind, value, unit, None, None, None, EAST,
                     DateRef(date.fromisoformat(day), "day", None), proj, status, [], [Span(0, 4, "text")],  # type: ignore[arg-type]
                     "indicators:test")


def _store(tmp_path, docs: list[tuple[str, str, list[ControlClaim], list[Indicator]]]) -> Store:
    store = Store.open(tmp_path / "s.db")
    for text, outlet, claims, figures in docs:
        doc = Document(text=text, outlet=outlet, published=claims[0].date.value if claims else None,
                       published_basis="given")
        store.add(Reading(document=doc, control=claims, indicators=figures))
    return store


@pytest.fixture()
def korvan(tmp_path):
    docs = [
        ("one", "Wire A", [_claim(1, EAST, "held", "REBELS", None, "2020-03-01"),
                           _claim(2, ROAD, "captured", "ARMY", "REBELS", "2020-03-05")], []),
        ("two", "Wire B", [_claim(3, EAST, "besieged", "ARMY", "REBELS", "2020-03-05")],
         [_figure(1, "trapped_population", 90000, "2020-03-06"),
          _figure(2, "supply_exhaustion", 21, "2020-03-06", projected="2020-03-27", unit="days",
                  status="expected")]),
        ("three", "Wire C", [_claim(4, EAST, "besieged", "ARMY", "REBELS", "2020-03-12")],
         [_figure(3, "trapped_population", 85000, "2020-03-12"), _figure(4, "evacuated", 300, "2020-03-12")]),
        ("four", "Wire A", [_claim(5, EAST, "lifted", "ARMY", "REBELS", "2020-03-20", "claimed", ("REBELS",)),
                            _claim(6, EAST, "besieged", "ARMY", "REBELS", "2020-03-20", "claimed", ("ARMY",))], []),
        ("five", "Wire D", [_claim(7, EAST, "lifted", "ARMY", "REBELS", "2020-03-20")], []),
    ]
    store = _store(tmp_path, docs)
    yield store
    store.close()


def test_besieged_before_the_break_with_its_start_figures_and_forecast(korvan):
    sit = situation(korvan, "East Korvan", date(2020, 3, 15))  # another spelling of the same area
    assert sit.siege.status == "besieged" and sit.siege.start == "2020-03-05"
    assert (sit.siege.besieger, sit.siege.besieged) == ("ARMY", "REBELS")
    assert [f["value"] for f in sit.siege.trapped] == [90000, 85000]
    assert [f["value"] for f in sit.siege.evacuated] == [300]
    assert sit.siege.forecasts[0]["projected_date"] == "2020-03-27" and sit.siege.forecasts[0]["due"] == "due"
    assert sit.holding.controller == "REBELS" and sit.holding.since == "2020-03-01"


def test_after_the_break_the_denial_is_kept_with_its_source(korvan):
    sit = situation(korvan, "eastern Korvan", date(2020, 3, 25))
    assert sit.siege.status == "contested" and sit.siege.end == "2020-03-20"
    assert {s.id for s in sit.siege.sources} == {"cc-test005", "cc-test007"}
    [denial] = sit.siege.contested_by
    assert denial.id == "cc-test006" and denial.reported_by == ["ARMY"] and denial.outlet == "Wire A"


def test_a_break_nobody_denies_is_lifted(tmp_path):
    store = _store(tmp_path, [
        ("a", "Wire A", [_claim(1, TOWN, "besieged", "ARMY", "REBELS", "2020-01-01")], []),
        ("b", "Wire B", [_claim(2, TOWN, "lifted", "ARMY", "REBELS", "2020-02-01")], []),
    ])
    assert situation(store, "Korvan", date(2020, 1, 15)).siege.status == "besieged"
    sit = situation(store, "Korvan", date(2020, 2, 15))
    assert (sit.siege.status, sit.siege.start, sit.siege.end) == ("lifted", "2020-01-01", "2020-02-01")
    assert situation(store, "Korvan", date(2019, 12, 1)).siege.status == "none"
    store.close()


def test_the_access_road_and_its_holder_since_its_capture(korvan):
    sit = situation(korvan, "eastern Korvan", date(2020, 3, 15))
    [road] = sit.routes
    assert (road.place, road.controller, road.since) == ("Ridge road", "ARMY", "2020-03-05")


def test_claims_of_the_same_day_that_disagree_are_both_kept(tmp_path):
    store = _store(tmp_path, [
        ("a", "Wire A", [_claim(1, TOWN, "captured", "REBELS", "ARMY", "2020-05-02", "claimed", ("REBELS",))], []),
        ("b", "Wire B", [_claim(2, TOWN, "held", "ARMY", None, "2020-05-02", "claimed", ("ARMY",))], []),
    ])
    sit = situation(store, "Korvan", date(2020, 5, 3))
    assert sit.holding.state == "contested"
    ids = {s.id: s.outlet for s in sit.holding.sources + sit.holding.disputed_by}
    assert ids == {"cc-test001": "Wire A", "cc-test002": "Wire B"}
    store.close()


def test_control_periods_follow_the_changes_of_hand(tmp_path):
    store = _store(tmp_path, [
        ("a", "Wire A", [_claim(1, TOWN, "held", "ARMY", None, "2020-01-01")], []),
        ("b", "Wire B", [_claim(2, TOWN, "captured", "REBELS", "ARMY", "2020-02-10")], []),
        ("c", "Wire C", [_claim(3, TOWN, "lost", "REBELS", "ARMY", "2020-04-01")], []),
    ])
    from frontlines.store.situation_queries import control_claims

    [periods] = control_periods(control_claims(store)).values()
    assert [(p.controller, p.start, p.end) for p in periods] == [
        ("ARMY", "2020-01-01", "2020-02-10"), ("REBELS", "2020-02-10", "2020-04-01"), ("ARMY", "2020-04-01", None)]
    store.close()
