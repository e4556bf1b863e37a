"""What the words around a name say about the place: "the village of X", "X region",
"the X river", and which town a story is about."""
from __future__ import annotations

import pytest


def places(reading):
    return {m.span.text: m.place for m in reading.places}


def test_an_unknown_village_keeps_its_name_at_the_province_it_is_in(read):
    # Invented name: no gazetteer has it, so the words must carry it.
    r = read("Gunmen killed nine farmers near the village of Qarawshen in Nigeria's Borno state "
             "on Saturday, officials said.")
    found = places(r)
    village = found["Qarawshen"]
    assert village.kind == "village"
    borno = found["Borno"]
    assert (village.lat, village.lon) == (borno.lat, borno.lon)
    assert village.precision == 3  # no nearer point than the state's
    [event] = [e for e in r.events if e.plover == "ASSAULT"]
    assert event.place is not None and event.place.name == "Qarawshen"


def test_an_unknown_name_without_settlement_words_is_not_made_a_place(read):
    r = read("Qarawshen said on Saturday that the talks in Abuja would resume.")
    assert "Qarawshen" not in places(r)


def test_a_name_before_region_is_the_region_not_its_capital(read):
    r = read("A drone strike on a market in Mali's Gao region killed 13 civilians on Sunday.")
    gao = places(r)["Gao"]
    assert gao.kind == "admin1" and gao.precision == 3


def test_a_river_is_not_the_town_of_its_name_anywhere_in_the_story(read):
    r = read("Russian troops pulled back across the Dnipro river on Friday. Ukrainian officials "
             "said retreating forces had blown up bridges over the Dnipro.")
    assert all(m.place.name != "Dnipro" for m in r.places)


def test_a_country_area_does_not_outvote_the_town_of_the_story(read):
    r = read("Earthquakes struck western Afghanistan on Saturday. Rescuers reached villages "
             "near Herat on Sunday, and hospitals in Herat were full, western Afghanistan's "
             "officials said. The United Nations said it had sent medical teams.")
    [aid] = [e for e in r.events if e.plover == "AID"]
    assert aid.place is not None and aid.place.name == "Herat"


def test_a_sea_is_not_the_province_that_shares_its_name(read):
    r = read("Coalition jets struck the Red Sea port of Hodeidah in Yemen on Tuesday.")
    found = places(r)
    assert found["Hodeidah"].country == "YE"
    assert all(p.country != "SD" for p in found.values())  # not Sudan's Red Sea State


def test_a_town_named_after_a_river_is_still_a_town(read):
    r = read("Police in Fall River, Massachusetts, arrested two men on Monday.")
    town = places(r)["Fall River"]
    assert town.kind == "city" and town.country == "US"


def test_an_unknown_village_with_nothing_said_of_where_it_lies_gets_no_place(read):
    # The story's town is elsewhere: borrowing its point would misplace the village.
    r = read("Officials in Aleppo said on Sunday that a landslide buried the village of "
             "Qarawshen overnight.")
    assert "Qarawshen" not in places(r)


def test_a_city_airport_is_the_airport_where_the_city_has_one(read):
    r = read("Separatist fighters shelled Donetsk airport on Sunday, Ukraine's military said.")
    airport = places(r)["Donetsk airport"]
    assert airport.kind == "airport" and airport.precision == 1 and airport.country == "UA"
    assert abs(airport.lat - 48.07) < 0.05 and abs(airport.lon - 37.74) < 0.05  # not the city centre


@pytest.mark.parametrize("headline, wrong", [
    ("Drone strike kills 13 civilians in northern Mali village", "Mali village"),
    ("Gunmen kill five in Nigerian village", "Nigerian village"),
])
def test_a_country_before_village_says_where_the_village_is_not_its_name(read, headline, wrong):
    r = read(f"{headline}\n\nGunmen killed five people in Borno state and a drone hit Kidal on Sunday.")
    assert not any(wrong in name for name in places(r))
    assert all(p.country in {"NG", "ML"} for p in places(r).values())  # no Mali town in China


def test_a_capital_named_city_keeps_its_name(read):
    assert places(read("Iraqi troops entered Kuwait City on Monday."))["Kuwait City"].kind == "city"
