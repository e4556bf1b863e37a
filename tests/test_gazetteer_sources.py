"""Sources beyond towns and units: airports (airportsdata), Australian state codes, and
given toponym spans that a kind noun follows ("Buenos Aires hospital")."""
from __future__ import annotations

import pytest

from frontlines.evaluate import geoparsing as geo
from frontlines.gazetteer.build import airport_names
from frontlines.gazetteer.index import Gazetteer


def test_airport_names_drop_the_city_before_a_slash_and_as_a_first_word():
    assert airport_names("Ottawa / Macdonald-Cartier International Airport") == [
        "Macdonald-Cartier International Airport"]
    assert airport_names("Toronto Pearson International Airport") == ["Pearson International Airport"]
    # Three words left at least, and only for names that end in an airport word.
    assert airport_names("Aleppo International Airport") == []
    assert airport_names("Dallas Love Field") == []


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    g = Gazetteer.open()
    yield g
    g.close()


@pytest.mark.parametrize("name,country", [
    ("Pearson International Airport", "CA"),
    ("Macdonald-Cartier International Airport", "CA"),
    ("Montreal-Pierre Elliott Trudeau International Airport", "CA"),  # "Montréal-…", accent folded
    ("Aleppo International Airport", "SY"),
])
def test_airports_are_places_of_their_own_with_a_point(gaz, name, country):
    c = gaz.lookup(name)[0]
    assert c.feature == "airport" and c.source == "airportsdata"
    assert c.place.country == country and c.place.precision == 1
    assert c.place.lat is not None and c.place.lon is not None


def test_a_town_is_not_shadowed_by_its_airport(gaz):
    assert gaz.lookup("Aleppo")[0].feature == "city"
    assert all(c.feature != "airport" for c in gaz.lookup("Toronto"))


@pytest.mark.parametrize("code,name", [("NSW", "New South Wales"), ("QLD", "Queensland"),
                                       ("ACT", "Australian Capital Territory")])
def test_australian_state_codes_match_in_capitals_only(gaz, code, name):
    assert any(c.place.name == name and c.match == "abbrev" for c in gaz.lookup(code))
    assert not any(c.place.name == name for c in gaz.lookup(code.lower()))


def test_a_state_code_that_is_a_country_code_is_left_out(gaz):
    # "SA" is Saudi Arabia's code and, in the news, often South Africa: not South Australia.
    assert not any(c.place.name == "South Australia" for c in gaz.lookup("SA"))


# -- given spans ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def system():
    return geo.load_system()


def _gold(text: str, name: str, lat: float, lon: float) -> dict:
    begin = text.index(name)
    return {"begin": begin, "end": begin + len(name), "text": name, "lat": lat, "lon": lon,
            "in_geocoding_gold": True, "in_geotagging_gold": True}


@pytest.mark.parametrize("text,name,lat,lon", [
    ("The children were infected at the Benghazi hospital, Libyan officials said.", "Benghazi", 32.12, 20.07),
    ("The crash happened near Otter Tail County Road 80, east of Perham, Minnesota.", "Otter Tail County",
     46.41, -95.71),
    ("The case is before U.S. District Judge Michael Barrett in Cincinnati, Ohio.", "U.S.", 39.76, -98.50),
])
def test_a_given_span_followed_by_a_kind_noun_is_the_place_itself(system, text, name, lat, lon):
    """In the gold-spans mode the span is the toponym: "[Benghazi] hospital" is Benghazi,
    not an unknown facility left unanswered."""
    nlp, stage, _gaz = system
    t = _gold(text, name, lat, lon)
    (place,) = stage.resolve_spans(nlp(text), [(t["begin"], t["end"])])
    assert place is not None
    assert geo.haversine_km(lat, lon, place.lat, place.lon) < 161


def test_reading_still_keeps_a_named_road_as_a_road(read):
    """Detection is unchanged: in a reading, "Castello road" is a road, not the town."""
    reading = read("Government forces cut the Castello road north of Aleppo on Sunday.")
    assert not any(m.place.name == "Castello" and m.place.kind == "city" for m in reading.places)
