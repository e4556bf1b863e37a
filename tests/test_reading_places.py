"""Place mentions: NER labels fixed, areas, unknown named places, user places."""
from __future__ import annotations

from datetime import date

import pytest

from frontlines.model import Document


def names(reading):
    return [(m.place.name, m.place.kind, m.place.precision) for m in reading.places]


def test_city_tagged_as_nationality_is_still_a_place(read):
    r = read("Fighting continued in Aleppo, Syria.")
    found = names(r)
    assert ("Aleppo", "city", 1) in found
    assert ("Syria", "country", 3) in found


def test_area_of_a_city_is_placed_at_the_city_with_precision_2(read):
    r = read("Rebels were driven out of northern Aleppo last week.")
    [(name, kind, precision)] = [n for n in names(r) if n[1] == "area"]
    assert name == "northern Aleppo" and precision == 2


def test_named_road_not_in_the_gazetteer_keeps_its_name(read):
    r = read("Troops in Aleppo cut the Castello road on Sunday.")
    roads = [m for m in r.places if m.place.kind == "road"]
    assert roads and roads[0].place.name == "Castello road"
    assert roads[0].place.precision == 2


def test_spans_point_into_the_text(read):
    text = "Shelling hit Kramatorsk and Sloviansk in Ukraine."
    r = read(text)
    assert r.places
    for m in r.places:
        assert text[m.span.start:m.span.end] == m.span.text


@pytest.fixture(scope="module")
def user_reader(tmp_path_factory):
    from frontlines.reading.pipeline import Reader

    csv = tmp_path_factory.mktemp("places") / "places.csv"
    csv.write_text(
        "name,aliases,kind,parent,country,lat,lon\n"
        "Bab al-Nairab,Bab al Nayrab,neighbourhood,Aleppo,SY,36.196,37.176\n"
        "Sukkari,,neighbourhood,Aleppo,SY,,\n", encoding="utf-8")
    return Reader.load(places=[csv])


def test_user_places_win_and_missing_points_fall_back_to_the_parent(user_reader):
    r = user_reader.read(Document(text="Barrel bombs fell on Bab al Nayrab and Sukkari in Aleppo.",
                                  published=date(2016, 9, 20)))
    found = {m.place.name: m.place for m in r.places}
    assert found["Bab al-Nairab"].precision == 1
    assert found["Sukkari"].precision == 2
    assert found["Sukkari"].lat == pytest.approx(found["Aleppo"].lat, abs=0.05)
