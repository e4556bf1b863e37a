"""GeoJSON place files, multi-polygons, checking every row at once, and the stored places table."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontlines.gazetteer.userplaces import (
    UserPlaces, check_place_file, geojson_to_wkt, geometry_type, read_place_file, representative_point,
    rows_named,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "places"
GEOJSON = FIXTURES / "mosul_2017.geojson"
CSV = FIXTURES / "mosul_2017_west.csv"


def test_geojson_fixture_reads_like_a_csv() -> None:
    rows = {r.name: r for r in read_place_file(GEOJSON)}
    assert len(rows) == 6
    mosul = rows["Mosul"]
    assert (mosul.lat, mosul.lon, mosul.wkt, mosul.geonames_id) == (36.335, 43.1189, None, 99072)
    assert mosul.alt_names == ("Al-Mawsil", "Mossul") and mosul.line == 1
    assert rows["al-Zanjili"].lat is None and rows["al-Zanjili"].parent == "Mosul"
    assert geometry_type(rows["Mosul ring road"].wkt) == "MultiLineString"
    road = rows["Mosul-Erbil road"]
    assert road.wkt.startswith("LINESTRING (43.16 36.35, 43.4 36.33")
    assert 43.4 < road.lon < 43.8  # half-way along the road, not at either end


def test_geojson_places_resolve_with_the_parent_fallback() -> None:
    places = UserPlaces.load([GEOJSON, CSV])  # parents all in the files: no gazetteer needed
    (zanjili,) = places.lookup("Zinjili")
    assert (zanjili.place.lat, zanjili.place.lon, zanjili.place.precision) == (36.335, 43.1189, 2)
    assert zanjili.place.source == "mosul_2017.geojson:3"
    (campus,) = places.lookup("Mosul University")
    assert campus.geometry_wkt.startswith("MULTIPOLYGON") and campus.place.precision == 1


def test_multipolygon_point_is_in_its_largest_part() -> None:
    wkt = ("MULTIPOLYGON (((10 10, 10.1 10, 10.1 10.1, 10 10.1, 10 10)), "
           "((0 0, 4 0, 4 2, 0 2, 0 0), (1 1, 2 1, 2 1.5, 1 1)))")
    assert representative_point(wkt) == pytest.approx((1.0, 2.0))
    for bad in ("MULTIPOLYGON ((0 0, 1 0, 1 1, 0 0))", "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1)))",
                "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)) x)"):
        with pytest.raises(ValueError):
            representative_point(bad)


def test_geojson_to_wkt_checks_its_input() -> None:
    assert geojson_to_wkt({"type": "Point", "coordinates": [43.1, 36.2, 250]}) == "POINT (43.1 36.2)"
    with pytest.raises(ValueError, match="bad position"):
        geojson_to_wkt({"type": "LineString", "coordinates": [[43.1, True], [43.2, 36.3]]})
    with pytest.raises(ValueError, match="empty or malformed"):
        geojson_to_wkt({"type": "MultiPolygon", "coordinates": []})
    with pytest.raises(ValueError, match="'Circle' is not one of"):
        geojson_to_wkt({"type": "Circle", "coordinates": [0, 0]})


def test_every_bad_row_is_reported_and_the_first_is_raised(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,kind,lat,lon\nA,town,1,2\nB,,1,2\nC,town,1\nD,town,x,2\n", encoding="utf-8")
    rows, errors = check_place_file(path)
    assert [r.name for r in rows] == ["A"]
    assert [e.split(": ", 1)[0] for e in errors] == [f"{path}:3", f"{path}:4", f"{path}:5"]
    with pytest.raises(ValueError, match=r"p\.csv:3: kind is empty"):
        read_place_file(path)


def test_a_single_feature_and_a_non_collection(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"type": "Feature", "properties": {"name": "Q-West", "kind": "facility"},
                               "geometry": {"type": "Point", "coordinates": [43.12, 35.77]}}), encoding="utf-8")
    (row,) = read_place_file(one)
    assert (row.name, row.lat, row.lon) == ("Q-West", 35.77, 43.12)
    other = tmp_path / "other.geojson"
    other.write_text('{"type": "Polygon", "coordinates": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="must be a FeatureCollection"):
        read_place_file(other)


def test_unresolvable_rows_are_collected_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,kind,parent,lat,lon\nA,quarter,Nowhere,,\nB,quarter,A,,\nC,town,,1,2\n",
                    encoding="utf-8")
    rows = read_place_file(path)
    with pytest.raises(ValueError, match="'A' has no coordinates"):
        UserPlaces(rows)
    errors: list[str] = []
    places = UserPlaces(rows, errors=errors)
    assert [r.name for r in places] == ["C"]
    assert len(errors) == 1 and "'A' has no coordinates and its parent 'Nowhere'" in errors[0]


def test_rows_named_matches_like_lookup() -> None:
    rows = read_place_file(GEOJSON)
    assert [r.name for r in rows_named(rows, "AL ZANJĪLĪ")] == ["al-Zanjili"]
    assert [r.name for r in rows_named(rows, "Mawsil")] == ["Mosul"]  # the article drops
    assert rows_named(rows, "Baghdad") == [] and rows_named(rows, "") == []
    places = UserPlaces.load([GEOJSON])
    for name in ("Mossul", "old city of mosul", "Zinjili"):
        assert [r.name for r in rows_named(rows, name)] == [r.name for r in places.rows_named(name)]


def test_a_database_without_the_table_has_no_stored_places(tmp_path: Path) -> None:
    import sqlite3

    from frontlines.store import Store

    db = tmp_path / "old.db"
    Store.open(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE user_places")  # as a database made before user places
    with Store.open(db, create=False) as store:
        assert store.user_places() == [] and store.user_place_rows() == []
    with Store.open(db) as store:  # opened for writing, the table is made
        result = store.import_user_places(read_place_file(CSV), CSV.name)
        assert (len(result.added), result.unchanged) == (4, 0)
        assert [r["name"] for r in store.user_places(kind="facility")] == ["Mosul Airport"]
