"""The place stage in context: containment, abbreviations, and the document's own places."""
from __future__ import annotations

from frontlines.evaluate.geoparsing import haversine_km


def _place(reading, name: str):
    return next(m.place for m in reading.places if m.span.text == name)


def test_a_town_followed_by_its_state_abbreviation_is_in_that_state(read):
    r = read("A tornado damaged homes in Alexandria, La., on Tuesday, the sheriff said.")
    alexandria = _place(r, "Alexandria")
    assert alexandria.country == "US" and alexandria.admin1 == "US-LA"


def test_the_same_name_follows_the_other_places_of_the_story(read):
    r = read("Police in Athens and nearby Atlanta, Ga., searched for the driver on Monday.")
    athens = _place(r, "Athens")
    assert athens.country == "US"
    assert haversine_km(athens.lat, athens.lon, 33.96, -83.38) < 50


def test_an_ambiguous_town_follows_the_ambiguous_names_around_it(read):
    # No state is named and no name is unambiguous: the namesakes that cohere (Athens, Ga., in
    # Clarke County, Ga., near Watkinsville) win over the larger Athens in Greece.
    r = read("Deputies from Clarke County searched a field outside Athens and a barn near Watkinsville.")
    athens = _place(r, "Athens")
    assert athens.country == "US" and athens.admin1 == "US-GA"


def test_a_state_name_is_not_a_village_that_lists_it_among_its_names(read):
    r = read("Farmers across Minnesota counted the losses after the storm, officials in Fergus Falls said.")
    assert _place(r, "Minnesota").kind == "admin1"


def test_a_syria_story_keeps_its_places(read):
    r = read("Government forces shelled Aleppo and Idlib, Syrian state media said.")
    assert _place(r, "Aleppo").geonames_id == 170063
    assert _place(r, "Idlib").country == "SY"


def _user_reader(tmp_path_factory):
    from frontlines.reading.pipeline import Reader

    csv = tmp_path_factory.mktemp("ctxplaces") / "places.csv"
    csv.write_text(
        "name,aliases,kind,parent,country,lat,lon\n"
        "Castello,Castello road,road,Aleppo,SY,36.245,37.170\n"
        "Bab Qinnasrin,,neighbourhood,Aleppo,,36.197,37.153\n", encoding="utf-8")
    return Reader.load(places=[csv])


def test_user_places_win_only_where_their_country_or_parent_is_in_context(tmp_path_factory):
    from datetime import date

    from frontlines.model import Document

    reader = _user_reader(tmp_path_factory)

    def places(text):
        r = reader.read(Document(text=text, published=date(2016, 8, 1), published_basis="given"))
        return {m.span.text: m for m in r.places}

    syria = places("Regime forces cut Castello north of Aleppo, Syrian media said.")
    assert syria["Castello"].rule == "places:user"
    italy = places("Tourists crowded into Castello, near Venice in Italy, on Sunday.")
    assert "Castello" not in italy or italy["Castello"].rule != "places:user"
    # No country on the row: its parent named in the text is enough.
    aleppo = places("Shells fell on Bab Qinnasrin in Aleppo.")
    assert aleppo["Bab Qinnasrin"].rule == "places:user"
