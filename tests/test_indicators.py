"""The indicator stage: humanitarian figures read from figures, on sentences written for these tests."""
from __future__ import annotations

from datetime import date


def _kinds(read, text: str, published: str = "2016-01-10"):
    return read(text, published=published).indicators


def _one(read, text: str, kind: str, published: str = "2016-01-10"):
    found = [i for i in _kinds(read, text, published) if i.kind == kind]
    assert len(found) == 1, [(i.kind, i.value) for i in _kinds(read, text, published)]
    return found[0]


def test_people_trapped_in_a_town_with_hedge_source_and_day(read):
    i = _one(read, "Some 40,000 civilians are still trapped in the Syrian town of Madaya, the UN said.",
             "trapped_population")
    assert (i.value, i.unit, i.hedge) == (40000, "people", "some")
    assert i.place is not None and i.place.name == "Madaya"
    assert i.status == "asserted" and i.reported_by == ["UN"]  # the UN's count, not a party's claim
    assert i.as_of.value == date(2016, 1, 10)
    assert i.id.startswith("in-")


def test_a_supply_forecast_is_expected_with_a_projected_day(read):
    i = _one(read, "Doctors in Homs warned that fuel for the generators could run out within ten days.",
             "supply_exhaustion")
    assert (i.value, i.unit, i.hedge) == (10, "days", "within")
    assert i.status == "expected"
    assert i.as_of.value == date(2016, 1, 10)
    assert i.projected_date is not None and i.projected_date.value == date(2016, 1, 20)


def test_people_who_left_through_a_corridor(read):
    i = _one(read, "By Sunday only 450 people had left Homs through the corridor.", "evacuated",
             published="2016-01-12")
    assert (i.value, i.hedge) == (450, "only")
    assert i.as_of.value == date(2016, 1, 10)  # "by Sunday"


def test_a_share_displaced_and_a_war_total_claimed_as_an_estimate(read):
    text = ("Half of the population of Idlib province has been displaced. "
            "According to some estimates, as many as 300,000 people may have died in the war in Syria.")
    found = {i.kind: i for i in _kinds(read, text)}
    assert found["displaced_share"].value == 0.5 and found["displaced_share"].unit == "share"
    total = found["deaths_total"]
    assert (total.value, total.hedge, total.status) == (300000, "as many as", "claimed")


def test_an_attacks_toll_stays_with_the_event(read):
    found = _kinds(read, "An air strike on a market in Idlib killed 12 people on Monday, rescuers said.")
    assert not [i for i in found if i.kind in {"deaths", "deaths_total"}]


def test_people_who_fled_abroad_are_refugees_and_fleeing_home_is_displacement(read):
    text = ("More than 20,000 people have fled into neighbouring Turkey. "
            "The shelling forced about 5,000 families from their homes in Idlib.")
    found = {i.kind: i for i in _kinds(read, text)}
    assert found["refugees"].value == 20000 and found["refugees"].place.name == "Turkey"
    assert found["displaced"].value == 5000


def test_residents_of_a_besieged_place_are_its_trapped_population(read):
    text = "Syrian government forces have besieged Madaya since July. The town's 40,000 residents face hunger."
    i = _one(read, text, "trapped_population")
    assert i.value == 40000


def test_one_figure_told_twice_is_one_indicator(read):
    text = ("Fuel in Homs could run out in ten days, doctors fear.\n\n"
            "Doctors said fuel in Homs could run out within ten days.")
    i = _one(read, text, "supply_exhaustion")
    assert len(i.evidence) == 2 and i.hedge == "within"
