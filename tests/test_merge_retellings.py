"""One occurrence told twice in a report: an undated retelling, the party who owns "a drone", a
headline on a region, a denied toll; and two strikes on two targets, which are not one."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from frontlines.knowledge.actors import ActorBook
from frontlines.model import DateRef, EventMention, Place, Span
from frontlines.reading.merge import merge_mentions

PUBLISHED = date(2024, 3, 19)  # a Tuesday
SUNDAY = DateRef(date(2024, 3, 17), "day", "on Sunday")
UNDATED = DateRef(PUBLISHED, "day", None)  # the publication day, for want of a stated one
TOWN = Place("Kidal", "city", 18.44, 1.41, precision=1, country="ML")


@pytest.fixture(scope="module")
def book() -> ActorBook:
    return ActorBook.load()


def _mention(start: int, date_ref: DateRef, actors: list[str], acled: str = "Explosions/Remote violence",
             mode: str | None = "drone") -> EventMention:
    return EventMention(id=f"m{start}", plover="ASSAULT", mode=mode, acled_event_type=acled,
                        acled_sub_event_type="Air/drone strike" if acled.startswith("Explosions") else "Armed clash",
                        actors=actors, targets=["CIVILIANS"], place=TOWN, date=date_ref, status="asserted",
                        reported_by=[], fatalities=None, evidence=[Span(start, start + 10, "x" * 10)], rule="t")


def test_an_undated_retelling_is_the_strike_of_two_days_before(book):
    merged = merge_mentions([_mention(0, SUNDAY, ["UNKNOWN_AIRCRAFT"]), _mention(200, UNDATED, [])], book)
    assert len(merged) == 1 and merged[0].date == SUNDAY


def test_fighting_goes_on_so_an_undated_battle_is_not_sundays(book):
    battle = dict(acled="Battles", mode=None)
    merged = merge_mentions([_mention(0, SUNDAY, ["UKR_MIL"], **battle), _mention(200, UNDATED, ["UKR_MIL"], **battle)],
                            book)
    assert len(merged) == 2


def test_the_party_that_owns_the_strike_takes_the_place_of_a_drone(book):
    said = _mention(200, SUNDAY, ["MLI_MIL"])
    merged = merge_mentions([_mention(0, SUNDAY, ["UNKNOWN_AIRCRAFT"]), said], book)
    assert len(merged) == 1
    assert merged[0].actors == ["MLI_MIL"] and "MLI_MIL" not in merged[0].targets


def test_a_background_line_with_no_day_does_not_name_the_gunmen(book):
    # "No group has claimed it. Boko Haram has attacked farmers before."
    attack = _mention(0, SUNDAY, ["UNKNOWN_GUNMEN"], acled="Violence against civilians", mode=None)
    background = _mention(200, UNDATED, ["BOKO_HARAM"], acled="Violence against civilians", mode=None)
    merged = merge_mentions([attack, background], book)
    assert [m.actors for m in merged] == [["UNKNOWN_GUNMEN"], ["BOKO_HARAM"]]


NORTH = Place("northern Mali", "area", 18.0, -2.0, precision=3, country="ML")


def _headline(mention: EventMention, place: Place) -> EventMention:
    return replace(mention, place=place, sentence=Span(0, 60, "x" * 60))


def test_a_headline_on_a_region_of_the_country_tells_the_body_event(book):
    # "Drone strike kills 13 in northern Mali village" / "A drone strike on Kidal ... on Sunday"
    head = _headline(_mention(0, UNDATED, []), NORTH)
    body = _mention(100, SUNDAY, ["UNKNOWN_AIRCRAFT"])
    merged = merge_mentions([head, body], book)
    assert len(merged) == 1 and merged[0].place == TOWN and merged[0].date == SUNDAY
    # a part of a town (precision 2) holds no other town
    eastern_gao = Place("eastern Gao", "area", 16.27, -0.04, precision=2, country="ML")
    assert len(merge_mentions([_headline(_mention(0, UNDATED, []), eastern_gao), body], book)) == 2


def test_a_denied_toll_contests_the_strike_it_joins_but_does_not_negate_it(book):
    # "... and denied that any civilians had been killed"
    strike = _mention(0, SUNDAY, ["UNKNOWN_AIRCRAFT"])
    denied_toll = replace(_mention(300, UNDATED, [], acled="Violence against civilians", mode=None),
                          status="denied", rule="trigger:ASSAULT:kill")
    merged = merge_mentions([strike, denied_toll], book)
    assert len(merged) == 1 and merged[0].status == "claimed"
    both_denied = merge_mentions([replace(strike, status="denied"), denied_toll], book)
    assert [m.status for m in both_denied] == ["denied"]


def test_strikes_on_two_named_targets_are_two_strikes(book):
    # "warplanes struck Houthi positions near the airport" / "an air strike hit a minibus carrying a family"
    positions = replace(_mention(0, SUNDAY, ["UNKNOWN_AIRCRAFT"]), targets=["HOUTHIS"])
    minibus = _mention(300, UNDATED, [])
    assert len(merge_mentions([positions, minibus], book)) == 2
    # the same target told twice is one strike
    assert len(merge_mentions([_mention(0, SUNDAY, ["UNKNOWN_AIRCRAFT"]), minibus], book)) == 1
