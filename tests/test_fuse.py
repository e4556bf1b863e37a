"""Fusion rules, ids and clustering (no store, no reader): frontlines.fuse."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from frontlines.fuse import (
    Mention, Rules, compatible, event_id, fuse, is_durative,
    places_compatible, summarise, times_compatible, types_compatible,
)
from frontlines.fuse_claims import ControlMention, fuse_control
from frontlines.knowledge.actors import ActorBook

ALEPPO = dict(place_name="Aleppo", place_kind="city", lat=36.2021, lon=37.1343,
              geo_precision=1, place_country="SY")
SUKKARI = dict(place_name="Sukkari", place_kind="neighbourhood", lat=36.1759, lon=37.1411,
               geo_precision=1, place_country="SY")
SHAAR = dict(place_name="al-Shaar", place_kind="neighbourhood", lat=36.2085, lon=37.1856,
             geo_precision=1, place_country="SY")
ATAREB = dict(place_name="Atareb", place_kind="town", lat=36.1390, lon=36.8300,
              geo_precision=1, place_country="SY")
KAFR_HAMRA = dict(place_name="Kafr Hamra", place_kind="town", lat=36.2554, lon=37.0877,
                  geo_precision=1, place_country="SY")
PROVINCE = dict(place_name="Aleppo Governorate", place_kind="governorate", lat=36.226,
                lon=37.468, geo_precision=3, place_country="SY")
# Placed at their parent's point (precision 2), as a user place file without coordinates.
BANI_ZEID = dict(place_name="Bani Zeid", place_kind="neighbourhood", lat=36.2021, lon=37.1343,
                 geo_precision=2, place_country="SY")
LAYRAMOUN = dict(place_name="al-Layramoun", place_kind="neighbourhood", lat=36.2021,
                 lon=37.1343, geo_precision=2, place_country="SY")
EAST_ALEPPO = dict(place_name="eastern Aleppo", place_kind="area", lat=36.2021, lon=37.1343,
                   geo_precision=2, place_country="SY")

_n = [0]


def m(doc: str = "", *, day: date | None = date(2016, 8, 2), precision: str | None = "day",
      expression: str | None = "on Tuesday", place: dict | None = None, **kw) -> Mention:
    _n[0] += 1
    fields = dict(
        id=kw.pop("id", f"ev-{doc or 'd'}-{_n[0]:04d}"), document_id=doc or f"doc{_n[0]}",
        outlet=kw.pop("outlet", f"Outlet {_n[0]}"), published=kw.pop("published", date(2016, 8, 3)),
        plover=kw.pop("plover", "ASSAULT"), mode=kw.pop("mode", "aerial"),
        acled_event_type=kw.pop("acled", "Explosions/Remote violence"),
        acled_sub_event_type=kw.pop("acled_sub", None), status=kw.pop("status", "asserted"),
        date_value=day, date_precision=precision if day else None,
        date_expression=expression, **(ATAREB if place is None else place))
    fields.update(kw)
    return Mention(**fields)


@pytest.fixture(scope="module")
def book() -> ActorBook:
    return ActorBook.load()


# -- compatibility rules ------------------------------------------------------------------


def test_type_needs_the_same_plover_and_mode_when_both_give_one():
    assert types_compatible(m(), m(mode=None))
    assert not types_compatible(m(), m(mode="heavy-weapons"))
    assert not types_compatible(m(), m(plover="PROTEST", mode=None, acled="Protests"))
    # An air strike and a ground battle are different occurrences, even on one day and place.
    assert not types_compatible(m(mode=None), m(mode=None, acled="Battles"))
    # Outlets code a strike on a market as remote violence or as violence against civilians.
    assert types_compatible(m(), m(mode=None, acled="Violence against civilians"))


def test_time_windows_depend_on_precision():
    tuesday = m(day=date(2016, 8, 2))
    assert times_compatible(tuesday, m(day=date(2016, 8, 2)))
    assert not times_compatible(tuesday, m(day=date(2016, 8, 1)))  # the next day's strike
    week = m(day=date(2016, 8, 1), precision="week", expression="last week")
    assert times_compatible(tuesday, week)
    assert not times_compatible(m(day=date(2016, 8, 8)), week)
    month = m(day=date(2016, 8, 1), precision="month", expression="this month")
    assert times_compatible(m(day=date(2016, 8, 31)), month)
    assert not times_compatible(m(day=date(2016, 9, 1)), month)
    # A day taken from the publication date may be the day before.
    published = m(day=date(2016, 8, 3), expression=None)
    assert times_compatible(tuesday, published)
    assert not times_compatible(m(day=date(2016, 8, 1)), published)


def test_undated_and_year_mentions_are_never_fused(book):
    assert not compatible(m(day=None), m(day=None), book)
    year = m(day=date(2016, 1, 1), precision="year", expression="in 2016")
    assert not compatible(year, m(), book)


def test_durable_occurrences_chain_across_a_gap(book):
    siege = dict(plover="COERCE", mode="restrict", acled=None, place=EAST_ALEPPO)
    first, later = m(day=date(2016, 7, 17), **siege), m(day=date(2016, 7, 28), **siege)
    assert first.durative and later.durative
    assert compatible(first, later, book)
    assert not compatible(first, m(day=date(2016, 8, 26), **siege), book)  # 40 days: Rules
    offensive = dict(mode=None, acled="Battles", place=ALEPPO)
    sunday = m(day=date(2016, 7, 31), evidence_text="launched an offensive", **offensive)
    monday = m(day=date(2016, 8, 1), expression="for a second day on Monday", **offensive)
    assert is_durative("ASSAULT", None, "launched an offensive", "on Sunday")
    # (from_row and from_event set durative from the trigger and the date expression)
    monday, sunday = replace(monday, durative=True), replace(sunday, durative=True)
    assert compatible(sunday, monday, book)
    # A one-off attack the next day is a different occurrence (the gap is for durable ones).
    assert not compatible(replace(sunday, durative=False), replace(monday, durative=False), book)


def test_places_same_nested_or_near_for_their_precision():
    assert places_compatible(m(place=SUKKARI), m(place=ALEPPO))  # a neighbourhood in its city
    assert not places_compatible(m(place=SUKKARI), m(place=SHAAR))  # two neighbourhoods
    assert not places_compatible(m(place=ATAREB), m(place=KAFR_HAMRA))  # towns 15+ km apart
    assert places_compatible(m(place=EAST_ALEPPO), m(place=ALEPPO))  # nested by name
    # Two different places both placed at their parent's point cannot be told apart: apart.
    assert not places_compatible(m(place=BANI_ZEID), m(place=LAYRAMOUN))
    assert places_compatible(m(place=BANI_ZEID), m(place=ALEPPO))
    # Spellings of one name meet ("Shaar district" is al-Shaar).
    assert places_compatible(m(place=dict(SHAAR, place_name="Shaar district")), m(place=SHAAR))
    # A province holds its towns; another country's town is elsewhere.
    assert places_compatible(m(place=PROVINCE), m(place=ATAREB))
    assert not places_compatible(m(place=dict(ATAREB, place_country="TR")), m(place=PROVINCE))
    # The distance scales with the place: 8 km is inside a city, not inside a village.
    near = dict(ALEPPO, place_name="Somewhere", place_kind="village", lat=36.2741)
    assert places_compatible(m(place=ALEPPO), m(place=near))
    assert not places_compatible(m(place=dict(ALEPPO, place_kind="village")), m(place=near))
    assert not places_compatible(m(place=ALEPPO), m(place=near), Rules(radius_km={"city": 5.0}))


def test_actors_same_member_coalition_or_battle_sides(book):
    assert compatible(m(actors=("RUS_MIL",)), m(actors=("RUS_MIL",)), book)
    assert compatible(m(actors=()), m(actors=("RUS_MIL",)), book)  # unknown on one side
    assert compatible(m(actors=("UNKNOWN_AIRCRAFT",)), m(actors=("RUS_MIL",)), book)
    assert not compatible(m(actors=("RUS_MIL",)), m(actors=("SYR_MIL",)), book)
    # A member and its coalition: Jabhat Fatah al-Sham in Jaish al-Fatah, in the rebels.
    battle = dict(mode=None, acled="Battles")
    assert compatible(m(actors=("JFS",), **battle), m(actors=("SYR_REB",), **battle), book)
    # A battle told from both sides.
    assert compatible(m(actors=("SYR_REB",), targets=("SYR_MIL",), **battle),
                      m(actors=("SYR_MIL",), targets=("SYR_REB",), **battle), book)
    assert not compatible(m(actors=("ISIS",), targets=("SDF",), **battle),
                          m(actors=("SYR_MIL",), targets=("SYR_REB",), **battle), book)


def test_vague_places_fuse_only_through_named_related_actors(book):
    assert not compatible(m(place=PROVINCE), m(place=ATAREB), book)
    assert compatible(m(place=PROVINCE, actors=("RUS_MIL",)),
                      m(place=ATAREB, actors=("RUS_MIL",)), book)
    unplaced = dict(place_name=None, place_kind=None, lat=None, lon=None, geo_precision=None,
                    place_country=None)
    assert not compatible(m(place=unplaced), m(), book)
    assert compatible(m(place=unplaced, actors=("RUS_MIL",)), m(actors=("RUS_MIL",)), book)


def test_statuses_fuse_within_their_class(book):
    assert compatible(m(status="claimed"), m(status="denied"), book)  # a disputed occurrence
    assert not compatible(m(status="asserted"), m(status="negated"), book)
    assert not compatible(m(status="asserted"), m(status="expected"), book)


def test_two_mentions_of_one_document_are_never_fused(book):
    assert not compatible(m("same"), m("same"), book)
    events = fuse([m("same"), m("same"), m("other")], book)
    assert sorted(len(e.members) for e in events) == [1, 2]


# -- clustering ----------------------------------------------------------------------------


def test_a_city_level_report_does_not_bridge_two_neighbourhoods(book):
    who = dict(actors=("RUS_MIL",))
    sukkari, shaar, city = m(place=SUKKARI, **who), m(place=SHAAR, **who), m(place=ALEPPO, **who)
    groups = [{x.id for x in e.members} for e in fuse([city, sukkari, shaar], book)]
    assert len(groups) == 2  # the city report joins one of them
    assert not any({sukkari.id, shaar.id} <= g for g in groups)


def test_not_contradicting_is_not_enough_to_link_two_reports(book):
    # No actor, no toll, and places that only nest: a misread report contradicts nothing.
    assert not compatible(m(place=SUKKARI), m(place=ALEPPO), book)
    assert compatible(m(place=SUKKARI, fatalities=2), m(place=ALEPPO, fatalities=2), book)
    assert compatible(m(place=SUKKARI), m(place=SUKKARI), book)


def test_a_vague_date_does_not_bridge_two_days(book):
    monday, tuesday = m(day=date(2016, 8, 1)), m(day=date(2016, 8, 2))
    week = m(day=date(2016, 8, 1), precision="week", expression="last week")
    assert compatible(week, monday, ActorBook.load()) and compatible(week, tuesday, book)
    events = fuse([week, monday, tuesday], book)
    assert len(events) == 2  # the week joins one day's strike, never both


def test_fusion_is_the_same_in_any_order_and_ids_are_stable(book):
    rng = random.Random(7)
    pool = []
    for i in range(60):
        place = rng.choice([ALEPPO, SUKKARI, SHAAR, ATAREB, KAFR_HAMRA, PROVINCE])
        pool.append(m(f"d{i % 25}", day=date(2016, 8, rng.randint(1, 4)), place=place,
                      actors=rng.choice([(), ("RUS_MIL",), ("SYR_MIL",)]),
                      mode=rng.choice(["aerial", None])))
    first = fuse(pool, book)
    shuffled = pool[:]
    rng.shuffle(shuffled)
    again = fuse(shuffled, book)
    assert [(e.id, [x.id for x in e.members]) for e in first] == \
        [(e.id, [x.id for x in e.members]) for e in again]
    assert sum(len(e.members) for e in first) == len(pool)
    assert len({e.id for e in first}) == len(first)


def test_event_id_is_a_hash_of_the_first_report():
    early = m(published=date(2016, 8, 3), id="ev-b")
    late = m(published=date(2016, 8, 9), id="ev-a")
    assert event_id([early, late]) == event_id([late, early]) == event_id([early])
    assert event_id([late]) != event_id([early])
    assert event_id([early]).startswith("evt-")


# -- what an Event keeps -------------------------------------------------------------------


def test_an_event_keeps_sources_figures_and_disagreements(book):
    a = m("A", outlet="Northern Desk", fatalities=15, published=date(2016, 8, 3))
    b = m("B", outlet="Levant Wire", fatalities=18, fatalities_high=22, status="claimed",
          actors=("RUS_MIL",), published=date(2016, 8, 3))
    c = m("C", outlet="Northern Desk", fatalities=15, published=date(2016, 8, 18),
          day=date(2016, 8, 1), precision="week", expression="two weeks after")
    (event,) = fuse([a, b, c], book)
    assert (event.n_mentions, event.n_documents, event.n_sources) == (3, 3, 2)
    assert (event.first_reported, event.last_reported) == (date(2016, 8, 3), date(2016, 8, 18))
    assert (event.fatalities_low, event.fatalities_best, event.fatalities_high) == (15, 15, 22)
    assert event.status == "asserted" and event.actors == ["RUS_MIL"]
    assert event.date_value == date(2016, 8, 2) and event.date_precision == "day"
    fields = {d["field"]: d for d in event.disagreements}
    assert set(fields) == {"status", "date", "fatalities"}  # an unnamed attacker is no dispute
    statuses = {v["value"]: v["outlets"] for v in fields["status"]["values"]}
    assert statuses == {"asserted": ["Northern Desk"], "claimed": ["Levant Wire"]}


def test_who_attacked_whom_is_a_disagreement_kept(book):
    battle = dict(mode=None, acled="Battles", place=ALEPPO)
    a = m("A", actors=("SYR_REB",), targets=("SYR_MIL",), **battle)
    b = m("B", actors=("SYR_MIL",), targets=("SYR_REB",), **battle)
    (event,) = fuse([a, b], book)
    assert set(event.actors) | set(event.targets) == {"SYR_REB", "SYR_MIL"}
    assert not set(event.actors) & set(event.targets)
    (actors,) = [d for d in event.disagreements if d["field"] == "actors"]
    assert sorted(v["value"] for v in actors["values"]) == [["SYR_MIL"], ["SYR_REB"]]


def test_best_is_the_lowest_credible_figure(book):
    claim = m("A", fatalities=3, status="claimed")
    stated = m("B", fatalities=9)
    event = summarise([claim, stated], book)
    assert (event.fatalities_low, event.fatalities_best, event.fatalities_high) == (3, 9, 9)


def test_documents_without_an_outlet_are_sources_of_their_own(book):
    (event,) = fuse([m("A", outlet=None), m("B", outlet=None)], book)
    assert event.n_sources == 2


# -- control claims ------------------------------------------------------------------------


def test_the_same_capture_reported_twice_is_one_change_of_control(book):
    def claim(i: str, doc: str, change: str = "captured", controller: str = "SYR_MIL",
              counterpart: str = "SYR_REB", day: date = date(2016, 7, 27),
              place: str = "Bani Zeid") -> ControlMention:
        return ControlMention(i, doc, "Outlet", day, change, controller, counterpart, place,
                              None, None, day, "day", "on Wednesday", "asserted")

    groups = fuse_control([
        claim("c1", "A"),
        claim("c2", "B", change="lost", controller="SYR_REB", counterpart="SYR_MIL"),
        claim("c3", "C", place="al-Layramoun"),
        claim("c4", "D", day=date(2016, 8, 6)),
        claim("c5", "E", controller="SYR_REB", counterpart="SYR_MIL"),
    ], book)
    assert sorted(sorted(c.id for c in g) for g in groups) == [["c1", "c2"], ["c3"], ["c4"],
                                                                ["c5"]]


# -- rules added after reading the sample corpus's split occurrences ----------------------

def test_fighting_since_a_day_lasts_until_the_report(book):
    since = m(day=date(2016, 7, 6), expression="since Wednesday", published=date(2016, 7, 8),
              mode=None, acled="Battles", actors=("SYR_MIL",))
    thursday = m(day=date(2016, 7, 7), expression="on Thursday", mode=None, acled="Battles",
                 actors=("SYR_MIL",))
    assert since.window == (date(2016, 7, 6).toordinal(), date(2016, 7, 8).toordinal())
    assert compatible(since, thursday, book)
    later = m(day=date(2016, 7, 9), expression="on Saturday", mode=None, acled="Battles",
              actors=("SYR_MIL",))
    assert not compatible(since, later, book)


def test_a_siege_of_part_of_a_city_is_the_siege_of_the_city(book):
    siege = dict(plover="COERCE", mode="restrict", acled=None)
    east = m(place=EAST_ALEPPO, **siege)
    city = m(place=ALEPPO, day=date(2016, 8, 6), expression="on Saturday", **siege)
    assert compatible(east, city, book)
    # Not so for strikes: a strike "in Aleppo" may be any strike in the city.
    assert not compatible(m(place=EAST_ALEPPO), m(place=ALEPPO), book)


def test_a_named_part_agrees_with_the_place_it_is_named_after(book):
    ramouseh = dict(place_name="Ramouseh", place_kind="neighbourhood", lat=36.2021,
                    lon=37.1343, geo_precision=2, place_country="SY")
    academy = dict(ramouseh, place_name="Ramouseh artillery academy", place_kind="facility")
    battle = dict(mode=None, acled="Battles")
    assert compatible(m(place=academy, actors=("SYR_REB",), **battle),
                      m(place=ramouseh, targets=("SYR_GOV",), **battle), book)
    # A city and a district inside it still need more than the names to agree.
    assert not compatible(m(place=EAST_ALEPPO, **battle), m(place=ALEPPO, **battle), book)
