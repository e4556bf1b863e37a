"""User place files: the demo's Aleppo file, fallback to parents, and clear errors."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from frontlines.gazetteer.index import Gazetteer
from frontlines.gazetteer.userplaces import UserPlaces, read_place_file, representative_point

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "places" / "aleppo_2016.csv"
ALEPPO_POINT = (36.20124, 37.16117)  # GeoNames 170063
HEADER = "name,alt_names,kind,parent,country,lat,lon,source\n"


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    g = Gazetteer.open()
    yield g
    g.close()


@pytest.fixture(scope="module")
def example(gaz: Gazetteer) -> UserPlaces:
    return UserPlaces.load(EXAMPLE, gaz)


def write(tmp_path: Path, text: str, name: str = "places.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the example file -------------------------------------------------------------------


def test_castello_road_is_a_road_near_aleppo(example: UserPlaces, gaz: Gazetteer) -> None:
    (c,) = example.lookup("Castello road")
    assert (c.feature, c.place.kind, c.place.country, c.place.precision) == ("road", "road", "SY", 1)
    aleppo = gaz.get(170063)
    assert km((c.place.lat, c.place.lon), (aleppo.lat, aleppo.lon)) < 10
    assert example.lookup("Castillo road")[0].place == c.place
    assert c.source == "user:aleppo_2016.csv" and c.place.source.startswith("aleppo_2016.csv:")


@pytest.mark.parametrize("name", ["al-Rashideen", "al Rashideen", "Rashideen", "Al-Rāshidīn"])
def test_rashideen_falls_back_to_aleppo(example: UserPlaces, name: str) -> None:
    (c,) = example.lookup(name)
    assert c.place.name == "al-Rashideen" and c.feature == "neighbourhood"
    assert (c.place.lat, c.place.lon) == pytest.approx(ALEPPO_POINT)
    assert c.place.precision == 2
    assert c.parent == "Aleppo"


def test_fallback_follows_a_chain_of_parents(example: UserPlaces) -> None:
    (sector,) = example.lookup("al-Rashideen 4")
    assert (sector.place.lat, sector.place.lon) == pytest.approx(ALEPPO_POINT)
    assert sector.place.precision == 2 and sector.parent == "al-Rashideen"
    (hospital,) = example.lookup("Anadan Hospital")
    (anadan,) = example.lookup("Anadan")
    assert (hospital.place.lat, hospital.place.lon) == (anadan.place.lat, anadan.place.lon)
    assert (hospital.place.precision, anadan.place.precision) == (2, 1)


def test_example_file_facts(example: UserPlaces) -> None:
    rows = {r.name: r for r in example}
    assert len(rows) == 61
    assert rows["Aleppo"].geonames_id == 170063 and rows["Syria"].geonames_id == 163843
    governorates = [r for r in rows.values() if r.kind == "governorate"]
    assert len(governorates) == 14 and all(r.country == "SY" and r.lat is not None for r in governorates)
    for r in rows.values():  # every point lies in Syria or Turkey
        if r.lat is not None:
            assert 32.3 <= r.lat <= 42.2 and 25.6 <= r.lon <= 44.9, r.name
    assert example.lookup("Aleppo Governorate")[0].place.precision == 3
    assert example.lookup("Zahraa")[0].feature == "town"
    assert example.lookup("the citadel")[0].place.name == "Citadel of Aleppo"


def test_example_file_without_gazetteer() -> None:
    places = UserPlaces.load([EXAMPLE])  # every parent a point needs is in the file itself
    (c,) = places.lookup("Ramouseh artillery academy")
    assert (c.place.lat, c.place.lon) == pytest.approx(ALEPPO_POINT) and c.place.precision == 2


# -- parents from the gazetteer ----------------------------------------------------------


def test_parent_from_the_gazetteer(tmp_path: Path, gaz: Gazetteer) -> None:
    path = write(tmp_path, HEADER + "Hanano,Hananu,neighbourhood,Aleppo,SY,,,\n")
    (c,) = UserPlaces.load(path, gaz).lookup("Hananu")
    assert (c.place.lat, c.place.lon) == pytest.approx(ALEPPO_POINT)
    assert c.place.precision == 2 and c.match == "alt"


def test_parent_missing_without_gazetteer_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Hanano,,neighbourhood,Aleppo,SY,,,\n")
    with pytest.raises(ValueError, match=r"places\.csv:2: 'Hanano' has no coordinates .*'Aleppo'"):
        UserPlaces.load(path)


# -- geometry --------------------------------------------------------------------------------


def test_road_with_a_line_keeps_its_wkt(tmp_path: Path) -> None:
    line = "LINESTRING (37.10 36.25, 37.20 36.25)"
    path = write(tmp_path, "name,alt_names,kind,parent,country,lat,lon,wkt,source\n"
                           f'Test road,,road,,SY,,,"{line}",survey\n')
    (c,) = UserPlaces.load(path).lookup("Test road")
    assert c.geometry_wkt == line
    assert c.place.lat == pytest.approx(36.25) and c.place.lon == pytest.approx(37.15, abs=1e-3)
    assert c.place.precision == 1 and c.place.kind == "road"


def test_representative_points() -> None:
    assert representative_point("POINT (37.1 36.2)") == pytest.approx((36.2, 37.1))
    assert representative_point("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))") == pytest.approx((1.0, 1.0))
    lat, lon = representative_point("MULTILINESTRING ((0 0, 0 1), (10 10, 10 14))")
    assert (lat, lon) == pytest.approx((12.0, 10.0))  # half-way along the longer part
    for bad in ("CIRCLE (1 2)", "LINESTRING (1 2)", "POINT (1)", "POLYGON ((0 0, 1 0, 0 1))", "POINT (200 10)"):
        with pytest.raises(ValueError):
            representative_point(bad)


# -- errors -------------------------------------------------------------------------------------


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "name,alt_names,kind,parent,country,lat,source\nX,,village,,SY,1,\n")
    with pytest.raises(ValueError, match=r"places\.csv: missing required column 'lon'"):
        read_place_file(path)


@pytest.mark.parametrize("row,reason", [
    ("X,,village,,SY,north,37,", "not decimal degrees"),
    ("X,,village,,SY,36.2,,", "both be given"),
    ("X,,village,,SY,95,37,", "out of range"),
    (",,village,,SY,36,37,", "name is empty"),
    ("X,,,,SY,36,37,", "kind is empty"),
    ("X,,village,,Syria,36,37,", "ISO 3166-1"),
    ("X,,village,,SY,,,", "needs a parent"),
    ("X,,village,,SY,36,37", "expected 8 fields"),
])
def test_bad_row_names_file_and_line(tmp_path: Path, row: str, reason: str) -> None:
    path = write(tmp_path, HEADER + "Good,,village,,SY,36,37,\n" + row + "\n")
    with pytest.raises(ValueError, match=rf"places\.csv:3: .*{reason}"):
        read_place_file(path)


def test_bad_wkt_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "name,alt_names,kind,parent,country,lat,lon,wkt,source\nR,,road,,SY,,,LINESTRING (x y),\n")
    with pytest.raises(ValueError, match=r"places\.csv:2: bad coordinate pair"):
        read_place_file(path)


def test_duplicate_names_and_parent_loops(tmp_path: Path) -> None:
    dup = write(tmp_path, HEADER + "A,,village,,SY,36,37,\na,,village,,SY,36,37,\n", "dup.csv")
    with pytest.raises(ValueError, match=r"dup\.csv:3: duplicate name 'a' \(first on line 2\)"):
        read_place_file(dup)
    loop = write(tmp_path, HEADER + "A,,neighbourhood,B,SY,,,\nB,,neighbourhood,A,SY,,,\n", "loop.csv")
    with pytest.raises(ValueError, match=r"loop\.csv:\d: parent chain loops"):
        UserPlaces.load(loop)


def test_empty_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        read_place_file(write(tmp_path, ""))
    with pytest.raises(ValueError, match="cannot read"):
        read_place_file(tmp_path / "absent.csv")
    (tmp_path / "latin1.csv").write_bytes(HEADER.encode() + "Alep\xe9,,city,,SY,36,37,\n".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        read_place_file(tmp_path / "latin1.csv")


def test_extra_columns_bom_and_case_are_tolerated(tmp_path: Path) -> None:
    text = "\ufeffName,Alt_Names,Kind,Parent,Country,Lat,Lon,Source,Colour\nKhan Tuman,Khan Touman,Village,,sy,36.1,37.0,,red\n\n"
    (row,) = read_place_file(write(tmp_path, text))
    assert (row.name, row.kind, row.country, row.alt_names) == ("Khan Tuman", "village", "SY", ("Khan Touman",))


def test_minimal_columns_and_synonyms(tmp_path: Path) -> None:
    path = write(tmp_path, "name,kind,latitude,longitude,aliases\nKhan Tuman,village,36.1,37.0,Khan Touman|Khan Tooman\n")
    (c,) = UserPlaces.load(path).lookup("Khan Tooman")
    assert (c.place.lat, c.place.lon, c.parent, c.place.country) == (36.1, 37.0, None, None)
    with pytest.raises(ValueError, match=r"missing required column 'kind'.*name, kind, lat, lon"):
        read_place_file(write(tmp_path, "name,lat,lon\nX,1,2\n", "nokind.csv"))


def test_several_files_and_parents_across_them(tmp_path: Path) -> None:
    a = write(tmp_path, HEADER + "Old town,,neighbourhood,Testville,SY,,,\n", "a.csv")
    b = write(tmp_path, HEADER + "Testville,,town,,SY,35.5,38.5,survey\n", "b.csv")
    places = UserPlaces.load([a, b])
    assert len(places) == 2
    (c,) = places.lookup("Old town")
    assert (c.place.lat, c.place.lon, c.place.precision) == (35.5, 38.5, 2)
