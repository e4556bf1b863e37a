"""Representative points of countries and provinces, newspaper abbreviations, and the ranker."""
from __future__ import annotations

import json

import pytest

from frontlines.evaluate.geoparsing import haversine_km
from frontlines.gazetteer.index import Candidate, Gazetteer
from frontlines.gazetteer.natural_earth import extract
from frontlines.gazetteer.ranker import (FEATURES, NEIGHBOUR_CANDIDATES, NO_COHERENCE, RankContext, Ranker,
                                        candidate_matrix, coherence, features, fit, neighbour_candidates)
from frontlines.model import Place


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    g = Gazetteer.open()
    yield g
    g.close()


def _first(gaz: Gazetteer, name: str, feature: str) -> Candidate:
    return next(c for c in gaz.lookup(name) if c.feature == feature)


@pytest.mark.parametrize("name,lat,lon", [
    ("Syria", 35.0, 38.0),            # countryinfo's rounded centre
    ("Russia", 60.0, 100.0),          # a member-town point lay in the European west
    ("United States", 39.83, -98.58),  # the documented override: centre of the contiguous states
])
def test_country_points_are_national_centres(gaz: Gazetteer, name: str, lat: float, lon: float) -> None:
    c = _first(gaz, name, "country")
    assert haversine_km(c.place.lat, c.place.lon, lat, lon) < 50


def test_province_points_come_from_natural_earth(gaz: Gazetteer) -> None:
    texas = _first(gaz, "Texas", "admin1")
    # Natural Earth's label point lies in central Texas, far from any one big city.
    assert haversine_km(texas.place.lat, texas.place.lon, 31.0, -99.0) < 150


@pytest.mark.parametrize("written,code", [("Ky.", "US-KY"), ("W.Va.", "US-WV"), ("W. Va.", "US-WV"),
                                          ("Ind.", "US-IN"), ("B.C.", "CA-BC"), ("Sask.", "CA-SK"),
                                          ("Man.", "CA-MB")])
def test_newspaper_abbreviations_name_states_and_provinces(gaz: Gazetteer, written: str, code: str) -> None:
    assert any(c.feature == "admin1" and c.place.admin1 == code for c in gaz.lookup(written))


@pytest.mark.parametrize("word", ["Ind", "Miss", "Wash", "ind", "man"])
def test_abbreviations_without_the_period_are_words(gaz: Gazetteer, word: str) -> None:
    assert not any(c.match == "dotted" for c in gaz.lookup(word))


def test_postal_codes_in_capitals_only(gaz: Gazetteer) -> None:
    assert any(c.place.admin1 == "US-WV" for c in gaz.lookup("WV"))
    assert any(c.place.admin1 == "CA-BC" for c in gaz.lookup("BC"))
    assert not any(c.place.admin1 == "US-KY" for c in gaz.lookup("KY"))  # the Cayman Islands
    assert not any(c.place.admin1 == "US-OK" for c in gaz.lookup("OK"))  # a word, not Oklahoma


def test_continent_demonyms_are_context(gaz: Gazetteer) -> None:
    [c] = [c for c in gaz.lookup("European") if c.is_demonym]
    assert c.place.kind == "continent"


def test_natural_earth_extract_keeps_rows_with_geonames_ids(tmp_path) -> None:
    def feature(gid, name):
        return {"type": "Feature", "geometry": None, "properties": {
            "gn_id": gid, "iso_a2": "XX", "iso_3166_2": "XX-A", "postal": "A", "name": name, "name_en": name,
            "name_alt": None, "latitude": 1.23456, "longitude": -2.5}}
    path = tmp_path / "admin1.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature(5, "Aa"), feature(-1, "Bb")]}))
    [row] = list(extract(path))
    assert row["geonames_id"] == "5" and row["lat"] == "1.2346" and row["name_alt"] == ""


# -- the ranker ------------------------------------------------------------------------------


def _cand(name: str, country: str, admin1: str, pop: int, lat: float, lon: float) -> Candidate:
    return Candidate(place=Place(name=name, kind="city", lat=lat, lon=lon, country=country, admin1=admin1),
                     population=pop, feature="city", source="test")


ATHENS_GR = _cand("Athens", "GR", "GR-I", 660_000, 37.98, 23.73)
ATHENS_GA = _cand("Athens", "US", "US-GA", 120_000, 33.96, -83.38)


def test_features_see_context_province_and_distance() -> None:
    ctx = RankContext(countries={"US"}, admin1={"US-GA"}, anchors=[(33.75, -84.39)], anchor_admin1={"US-GA"})
    ordered, rows = candidate_matrix([ATHENS_GR, ATHENS_GA], ctx)
    assert ordered[0] is ATHENS_GA  # the hand order already puts the context country first
    row = dict(zip(FEATURES, rows[0]))
    assert row["in_context_admin1"] == 1.0 and row["anchor_admin1"] == 1.0 and row["no_anchor"] == 0.0
    far = dict(zip(FEATURES, features(ATHENS_GR, ctx, 1, 660_000)))
    assert far["near_km_log"] > row["near_km_log"]


ATLANTA = _cand("Atlanta", "US", "US-GA", 420_000, 33.75, -84.39)
CLARKE_GA = Candidate(place=Place(name="Clarke County", kind="admin2", lat=33.95, lon=-83.37, country="US",
                                  admin1="US-GA"), population=116_000, feature="admin2", source="test")
CLARKE_AL = Candidate(place=Place(name="Clarke County", kind="admin2", lat=31.68, lon=-87.83, country="US",
                                  admin1="US-AL"), population=25_000, feature="admin2", source="test")


def _coh(row: tuple[float, ...]) -> dict[str, float]:
    return dict(zip(FEATURES[FEATURES.index("support_near"):], row))


def test_coherence_supports_the_namesake_near_the_other_names() -> None:
    # "Athens" in a story that also names Atlanta and an ambiguous "Clarke County": whichever
    # Clarke County is meant, Athens, Georgia has the others near it and in its state.
    ctx = RankContext(neighbours=[[ATLANTA], [CLARKE_GA, CLARKE_AL]])
    greece, georgia = (_coh(r) for r in coherence([ATHENS_GR, ATHENS_GA], ctx))
    assert georgia["support_near"] == 1.0 and georgia["support_admin1"] == 1.0
    assert georgia["support_country"] == 1.0 and georgia["home_admin1_top"] == 1.0
    assert georgia["support_unique"] == pytest.approx(0.75)  # Atlanta counts fully, Clarke County half
    assert georgia["home_admin1_share"] == pytest.approx(0.75)  # 1 vote from Atlanta, 1/2 from Clarke County
    assert all(greece[k] == 0.0 for k in greece)
    ordered, rows = candidate_matrix([ATHENS_GR, ATHENS_GA], ctx)
    assert dict(zip(FEATURES, rows[ordered.index(ATHENS_GA)]))["support_near"] == 1.0


def test_coherence_without_other_names_says_so() -> None:
    assert coherence([ATHENS_GR, ATHENS_GA], RankContext()) == [NO_COHERENCE, NO_COHERENCE]
    row = dict(zip(FEATURES, features(ATHENS_GA, RankContext(), 0, 120_000)))
    assert row["no_neighbours"] == 1.0 and row["support_near"] == 0.0


def test_a_tied_admin1_vote_names_no_home_state() -> None:
    ctx = RankContext(neighbours=[[CLARKE_GA, CLARKE_AL]])
    georgia = _coh(coherence([ATHENS_GA], ctx)[0])
    assert georgia["home_admin1_top"] == 0.0 and georgia["home_admin1_share"] == pytest.approx(0.5)


def test_a_state_is_supported_by_towns_inside_it_and_a_country_by_its_towns() -> None:
    state = Candidate(place=Place(name="Georgia", kind="admin1", lat=32.85, lon=-83.41, country="US", admin1="US-GA"),
                      population=4_800_000, feature="admin1", source="test")
    country = Candidate(place=Place(name="Georgia", kind="country", lat=42.0, lon=43.5, country="GE"),
                        population=3_700_000, feature="country", source="test")
    tbilisi = _cand("Tbilisi", "GE", "GE-TB", 1_050_000, 41.69, 44.83)
    us_story = _coh(coherence([country, state], RankContext(neighbours=[[ATLANTA]]))[1])
    assert us_story["support_admin1"] == 1.0 and us_story["support_near"] == 0.0  # a state's centroid is no town
    ge_country, ge_state = (_coh(r) for r in coherence([country, state], RankContext(neighbours=[[tbilisi]])))
    assert ge_country["support_country"] == 1.0 and ge_state["support_country"] == 0.0


def test_neighbour_candidates_leave_out_countries_and_keep_the_first_few() -> None:
    country = Candidate(place=Place(name="Georgia", kind="country", lat=42.0, lon=43.5, country="GE"),
                        population=3_700_000, feature="country", source="test")
    towns = [_cand(f"Town {i}", "US", "US-GA", 1000 + i, 33.0, -84.0) for i in range(NEIGHBOUR_CANDIDATES + 5)]
    kept = neighbour_candidates([country] + towns)
    assert kept == towns[:NEIGHBOUR_CANDIDATES]


def test_fit_learns_to_prefer_the_nearby_namesake() -> None:
    # Toy groups: the right candidate is always the one near the other places of the story.
    groups = []
    for i in range(40):
        near = [0.0] * len(FEATURES)
        far = [0.0] * len(FEATURES)
        near[0] = far[0] = 1.0
        near[FEATURES.index("near_km_log")] = 0.1
        far[FEATURES.index("near_km_log")] = 0.8
        far[FEATURES.index("log_population")] = 0.9  # bigger, but far away
        near[FEATURES.index("log_population")] = 0.6
        groups.append(([far, near], [0, 1]))
    w = fit(groups)
    r = Ranker(w)
    assert r.score(groups[0][0][1]) > r.score(groups[0][0][0])


def test_ranker_without_weights_keeps_the_hand_order(tmp_path) -> None:
    r = Ranker.load(tmp_path / "none.json")
    assert r.weights is None
    ordered = r.order([ATHENS_GA, ATHENS_GR], RankContext())
    assert [c for c, _ in ordered][0] is ATHENS_GR  # larger town first, no context
    with pytest.raises(ValueError, match="features"):
        Ranker([1.0, 2.0])


def test_the_shipped_ranker_prefers_the_coherent_namesake() -> None:
    # Athens, Greece is larger and the hand order's first; the story's other names say Georgia.
    ctx = RankContext(neighbours=[[ATLANTA], [CLARKE_GA, CLARKE_AL]])
    ordered = Ranker.load().order([ATHENS_GR, ATHENS_GA], ctx)
    assert ordered[0][0] is ATHENS_GA
    assert sum(p for _c, p in ordered) == pytest.approx(1.0)  # shares of one name's candidates


def test_softmax_fit_separates_candidates_within_a_toponym() -> None:
    # Every toponym has one near and one far candidate, and the far one is always bigger: only
    # the comparison within a toponym tells them apart.
    groups = []
    for i in range(30):
        near, far = [0.0] * len(FEATURES), [0.0] * len(FEATURES)
        near[0] = far[0] = 1.0
        near[FEATURES.index("support_near")] = 1.0
        near[FEATURES.index("log_population")] = 0.1 * (i % 5)
        far[FEATURES.index("log_population")] = 0.1 * (i % 5) + 0.3
        groups.append(([far, near], [0, 1]))
    w = fit(groups)
    assert w[FEATURES.index("support_near")] > 0
    assert all(Ranker(w).score(rows[1]) > Ranker(w).score(rows[0]) for rows, _ in groups)
    with pytest.raises(ValueError, match="loss"):
        fit(groups, loss="hinge")


def test_a_village_with_the_state_among_its_alternate_names_is_no_namesake_town() -> None:
    state = Candidate(place=Place(name="Minnesota", kind="admin1", lat=46.3, lon=-94.3, country="US", admin1="US-MN"),
                      population=4_600_000, feature="admin1", source="test")
    village = Candidate(place=Place(name="Minneota", kind="city", lat=44.56, lon=-95.99, country="US", admin1="US-MN"),
                        population=1_363, feature="city", source="test", parent="Minnesota", match="alt")
    from frontlines.gazetteer.index import rank
    assert rank([village, state], {"US"})[0] is state
    ordered = Ranker.load().order([village, state], RankContext(countries={"US"}))
    assert ordered[0][0] is state


def test_shipped_weights_match_the_features() -> None:
    r = Ranker.load()
    assert r.weights is not None and len(r.weights) == len(FEATURES)


def test_a_named_container_outvotes_population() -> None:
    alex_eg = _cand("Alexandria", "EG", "EG-ALX", 3_800_000, 31.20, 29.92)
    alex_la = _cand("Alexandria", "US", "US-LA", 48_000, 31.31, -92.45)
    ordered = Ranker.load().order([alex_eg, alex_la], RankContext(countries={"US", "EG"}, container={"US-LA"}))
    assert ordered[0][0] is alex_la


def test_a_bare_province_name_with_its_town_inside_is_the_town(gaz: Gazetteer) -> None:
    ordered = Ranker.load().order(gaz.lookup("Idlib"), RankContext(countries={"SY"}))
    assert ordered[0][0].feature == "city" and ordered[0][0].place.country == "SY"
