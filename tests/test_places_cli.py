"""`frontlines places import/list/show/remove`, and read/ingest/serve using the stored places.

The fixtures in tests/fixtures/places/ are ours, modelled on Mosul in 2017: a GeoJSON file
with a point, a polygon, a line, a multi-line, a multi-polygon and a neighbourhood with no
geometry, and a CSV of west-Mosul places, two of them without a point of their own.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from frontlines.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "places"
GEOJSON = FIXTURES / "mosul_2017.geojson"
CSV = FIXTURES / "mosul_2017_west.csv"
MOSUL = (36.335, 43.1189)  # the GeoJSON file's point for Mosul
HEADER = "name,alt_names,kind,parent,country,lat,lon,wkt,geonames_id,source\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return str(tmp_path / "places.db")


def stored_count(db: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM user_places").fetchone()[0]


def listed(db: str, *extra: str) -> list[dict]:
    result = run("places", "list", "--db", db, "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def import_both(db: str) -> None:
    for path in (GEOJSON, CSV):
        result = run("places", "import", str(path), "--db", db)
        assert result.exit_code == 0, result.output


# -- import ---------------------------------------------------------------------------------


def test_import_geojson_and_csv_then_list(db: str) -> None:
    first = run("places", "import", str(GEOJSON), "--db", db)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("imported mosul_2017.geojson: 6 added, 0 updated, 0 unchanged")
    second = run("places", "import", str(CSV), "--db", db)
    assert "imported mosul_2017_west.csv: 4 added, 0 updated, 0 unchanged" in second.stdout

    rows = {r["name"]: r for r in listed(db)}
    assert len(rows) == 10
    geometry = {name: r["geometry"] for name, r in rows.items()}
    assert geometry["Mosul"] == "Point" and geometry["Old City"] == "Polygon"
    assert geometry["Mosul-Erbil road"] == "LineString" and geometry["Mosul ring road"] == "MultiLineString"
    assert geometry["University of Mosul"] == "MultiPolygon" and geometry["al-Zanjili"] is None
    assert rows["University of Mosul"]["wkt"].startswith("MULTIPOLYGON (((43.14 36.375")
    # Aliases from a list and from a "|" string alike.
    assert rows["al-Zanjili"]["alt_names"] == ["Zanjili", "al-Zinjili"]
    assert rows["Old City"]["alt_names"] == ["Old City of Mosul", "al-Madina al-Qadima"]
    assert (rows["Mosul"]["lat"], rows["Mosul"]["lon"], rows["Mosul"]["geonames_id"]) == (*MOSUL, 99072)
    assert (rows["Yarmouk"]["origin"], rows["Yarmouk"]["line"]) == ("mosul_2017_west.csv", 2)
    assert (rows["al-Zanjili"]["origin"], rows["al-Zanjili"]["line"]) == ("mosul_2017.geojson", 3)
    assert rows["Yarmouk"]["lat"] is None and rows["Yarmouk"]["parent"] == "Mosul"

    roads = listed(db, "--kind", "ROAD")
    assert sorted(r["name"] for r in roads) == ["Mosul ring road", "Mosul-Erbil road"]
    table = run("places", "list", "--db", db)
    assert "← Mosul" in table.stdout and "mosul_2017_west.csv:2" in table.stdout
    assert table.stderr.strip() == "10 places"


def test_reimport_is_idempotent_and_a_changed_row_is_updated(db: str, tmp_path: Path) -> None:
    import_both(db)
    again = run("places", "import", str(CSV), "--db", db)
    assert again.stdout.strip() == "imported mosul_2017_west.csv: 0 added, 0 updated, 4 unchanged"
    assert stored_count(db) == 10

    # The same file name, edited: one point moved, one row added, one row gone.
    edited = tmp_path / "edit" / CSV.name
    edited.parent.mkdir()
    text = CSV.read_text(encoding="utf-8").replace("36.3390,43.1335", "36.3400,43.1340")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Wadi Hajar"))
    edited.write_text(text + "\nNabi Yunus,Nebi Yunus,neighbourhood,Mosul,IQ,36.3400,43.1450,,,estimated\n",
                      encoding="utf-8")
    changed = run("places", "import", str(edited), "--db", db)
    assert changed.exit_code == 0, changed.output
    assert changed.stdout.startswith(
        "imported mosul_2017_west.csv: 1 added, 1 updated, 2 unchanged; 1 stored place of "
        "mosul_2017_west.csv not in the file kept (--replace removes them)")
    assert "updated: Bab al-Toub" in changed.stdout
    rows = {r["name"]: r for r in listed(db)}
    assert (rows["Bab al-Toub"]["lat"], rows["Bab al-Toub"]["lon"]) == (36.34, 43.134)
    assert "Wadi Hajar" in rows and len(rows) == 11

    replaced = run("places", "import", str(edited), "--db", db, "--replace")
    assert replaced.stdout.startswith("imported mosul_2017_west.csv: 0 added, 0 updated, 4 unchanged, 1 removed")
    assert "Wadi Hajar" not in {r["name"] for r in listed(db)}
    assert stored_count(db) == 10


def test_dry_run_writes_nothing(db: str) -> None:
    result = run("places", "import", str(CSV), "--db", db, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("would import mosul_2017_west.csv: 4 added")
    assert not Path(db).exists()


def test_bad_csv_rows_are_all_reported_and_nothing_is_written(db: str, tmp_path: Path) -> None:
    import_both(db)
    bad = tmp_path / CSV.name  # the same name as a stored file: its rows must stay as they are
    bad.write_text(HEADER
                   + "Yarmouk,,neighbourhood,Mosul,IQ,36.33,43.10,,,moved\n"
                   + "Bad lat,,neighbourhood,Mosul,IQ,north,43.1,,,\n"
                   + "No kind,,,Mosul,IQ,36.3,43.1,,,\n"
                   + "Iraqi,,neighbourhood,,Iraq,36.3,43.1,,,\n"
                   + "Yarmouk,,neighbourhood,Mosul,IQ,36.3,43.1,,,\n", encoding="utf-8")
    result = run("places", "import", str(bad), "--db", db)
    assert result.exit_code == 1
    err = result.stderr
    assert f"{bad}:3: lat/lon 'north','43.1' are not decimal degrees" in err
    assert f"{bad}:4: kind is empty" in err
    assert f"{bad}:5: country 'IRAQ' is not an ISO 3166-1 alpha-2 code" in err
    assert f"{bad}:6: duplicate name 'Yarmouk' (first on line 2)" in err
    assert "nothing imported: 4 problems" in err
    rows = {r["name"]: r for r in listed(db)}
    assert len(rows) == 10 and rows["Yarmouk"]["lat"] is None  # line 2 was good, yet not written


def test_bad_geojson_features_are_all_reported(db: str, tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "properties": {"name": "Good", "kind": "village"},
         "geometry": {"type": "Point", "coordinates": [43.0, 36.0]}},
        {"type": "Feature", "properties": {"name": "Collection", "kind": "area"},
         "geometry": {"type": "GeometryCollection", "geometries": []}},
        {"type": "Feature", "properties": {"name": "Open ring", "kind": "neighbourhood"},
         "geometry": {"type": "Polygon", "coordinates": [[[43, 36], [43.1, 36], [43.1, 36.1]]]}},
        {"type": "Feature", "properties": {"name": "Kindless"},
         "geometry": {"type": "Point", "coordinates": [43.0, 36.0]}},
        {"type": "Feature", "properties": {"name": "Far", "kind": "village"},
         "geometry": {"type": "Point", "coordinates": [43.0, 136.0]}},
        {"type": "Feature", "properties": {"name": "Nowhere", "kind": "neighbourhood"}, "geometry": None},
        {"type": "Polygon", "coordinates": []},
    ]
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    result = run("places", "import", str(path), "--db", db)
    assert result.exit_code == 1
    err = result.stderr
    assert f"{path}: feature 2 ('Collection'): geometry type 'GeometryCollection' is not one of" in err
    assert f"{path}: feature 3 ('Open ring'): a POLYGON ring needs at least four points" in err
    assert f"{path}: feature 4 ('Kindless'): kind is empty" in err
    assert f"{path}: feature 5 ('Far'): coordinates 136.0,43.0 are out of range" in err
    assert f"{path}: feature 6 ('Nowhere'): a row without coordinates needs a parent" in err
    assert f"{path}: feature 7: not a GeoJSON Feature" in err
    assert "nothing imported: 6 problems" in err
    assert not run("places", "list", "--db", db).stdout  # the database was made, but is empty

    not_json = tmp_path / "broken.geojson"
    not_json.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    broken = run("places", "import", str(not_json), "--db", db)
    assert broken.exit_code == 1 and f"{not_json}: not valid JSON" in broken.stderr


def test_a_parent_found_nowhere_is_reported_before_anything_is_written(db: str, tmp_path: Path) -> None:
    path = tmp_path / "orphans.csv"
    path.write_text(HEADER + "Old quarter,,neighbourhood,Qqxvillez,IQ,,,,,\n"
                    + "Fine,,village,,IQ,36.2,43.2,,,\n", encoding="utf-8")
    result = run("places", "import", str(path), "--db", db)
    assert result.exit_code == 1
    assert ("orphans.csv:2: 'Old quarter' has no coordinates and its parent 'Qqxvillez' is not in "
            "the place files or the gazetteer") in result.stderr
    assert stored_count(db) == 0


# -- show and remove ----------------------------------------------------------------------


def test_show_by_alias_ignores_case_and_accents(db: str) -> None:
    import_both(db)
    result = run("places", "show", "ZANJĪLĪ", "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("al-Zanjili  (neighbourhood)")
    assert "aliases     Zanjili | al-Zinjili" in out
    assert "point       none of its own" in out
    assert "resolves to 36.33500, 43.11890  precision 2: the point of its parent Mosul" in out
    assert "parents     Mosul (mosul_2017.geojson:1)" in out
    assert "origin      mosul_2017.geojson, feature 3" in out
    assert "used when   the story is about IQ, or it names Mosul" in out

    gate = run("places", "show", "bab al tob", "--db", db).stdout
    assert "parents     Old City (mosul_2017.geojson:2) → Mosul (mosul_2017.geojson:1)" in gate
    assert "point       36.33900, 43.13350  precision 1" in gate and "geometry    Point" in gate
    campus = run("places", "show", "Mosul University", "--db", db).stdout
    assert "geometry    MultiPolygon  (WKT kept)" in campus
    # The larger part of the campus gives the point, not the annex.
    assert "point       36.38250, 43.15000 (from its MultiPolygon)  precision 1" in campus

    missing = run("places", "show", "Raqqa", "--db", db)
    assert missing.exit_code == 1 and "no imported place called 'Raqqa'" in missing.output


def test_show_a_parent_from_the_gazetteer(db: str) -> None:
    run("places", "import", str(CSV), "--db", db)  # without the GeoJSON file's Mosul
    out = run("places", "show", "Yarmuk", "--db", db).stdout
    assert "parents     Mosul = Mosul, IQ-NI, IQ (gazetteer, GeoNames 99072)" in out
    assert "precision 2: the point of its parent Mosul" in out


def test_remove_refuses_to_orphan_a_place(db: str, tmp_path: Path) -> None:
    path = tmp_path / "town.csv"
    path.write_text(HEADER + "Qqxvillez,,town,,IQ,36.2,43.2,,,survey\n"
                    + "Old quarter,,neighbourhood,Qqxvillez,IQ,,,,,\n", encoding="utf-8")
    assert run("places", "import", str(path), "--db", db).exit_code == 0
    refused = run("places", "remove", "Qqxvillez", "--db", db)
    assert refused.exit_code == 1
    assert "'Qqxvillez' not removed: other places need it" in refused.stderr
    assert "'Old quarter' has no coordinates" in refused.stderr
    assert stored_count(db) == 2
    assert run("places", "remove", "old QUARTER", "--db", db).stdout.strip() == "removed Old quarter (town.csv:3)"
    assert run("places", "remove", "Qqxvillez", "--db", db).exit_code == 0
    assert stored_count(db) == 0


def test_list_on_a_missing_database_is_an_error(tmp_path: Path) -> None:
    result = run("places", "list", "--db", str(tmp_path / "absent.db"))
    assert result.exit_code == 1 and "no such database" in result.output


def test_read_skips_an_absent_default_database_but_not_an_explicit_one(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from frontlines.cli import _stored_places

    monkeypatch.chdir(tmp_path)
    assert _stored_places("frontlines.db", explicit=False) == []
    with pytest.raises(click.ClickException, match="no such database"):
        _stored_places("frontlines.db", explicit=True)


# -- the reader and the API use the stored places -------------------------------------------


STORIES = [
    {"text": "Iraqi forces pushed into Yarmouk in western Mosul on Sunday, the Joint Operations "
             "Command said.", "published": "2017-03-05", "outlet": "Tigris Wire"},
    {"text": "Shelling hit Yarmouk in southern Damascus on Tuesday, Syrian state media said.",
     "published": "2017-03-07", "outlet": "Levant Wire"},
]


def _yarmouk(places: list[dict]) -> dict:
    return next(p for p in places if p["mention"]["text"] == "Yarmouk")


def test_read_and_ingest_resolve_a_stored_neighbourhood_only_in_its_context(db: str, tmp_path: Path) -> None:
    stories = tmp_path / "stories.jsonl"
    stories.write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    import_both(db)

    result = run("read", str(stories), "--db", db)  # no --places
    assert result.exit_code == 0, result.output
    assert "using 10 places imported into" in result.stderr
    iraq, syria = (json.loads(line) for line in result.stdout.splitlines())
    mosul_yarmouk = _yarmouk(iraq["places"])
    assert mosul_yarmouk["rule"] == "places:user" and mosul_yarmouk["country"] == "IQ"
    assert (mosul_yarmouk["lat"], mosul_yarmouk["lon"], mosul_yarmouk["precision"]) == (*MOSUL, 2)
    # The same name in a Damascus story is not the Mosul neighbourhood.
    damascus_yarmouk = _yarmouk(syria["places"])
    assert damascus_yarmouk["rule"] != "places:user" and damascus_yarmouk["country"] == "SY"

    ingested = run("ingest", str(stories), "--db", db)
    assert ingested.exit_code == 0, ingested.output
    from frontlines.store import Store

    with Store.open(db, create=False) as store:
        readings = [store.reading(d) for d in store.document_ids()]
    rules = {r["document"]["outlet"]: _yarmouk(r["places"])["rule"] for r in readings}
    assert rules == {"Tigris Wire": "places:user", "Levant Wire": damascus_yarmouk["rule"]}


def test_the_api_draws_the_stored_places(db: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from frontlines.api import create_app
    from frontlines.store import Store

    Store.open(db).close()  # an empty frontlines database
    import_both(db)
    extra = tmp_path / "extra.csv"
    extra.write_text(HEADER + "Qayyarah airbase,Q-West,facility,,IQ,35.77,43.12,,,estimated\n",
                     encoding="utf-8")
    with TestClient(create_app(db, places=[extra])) as client:
        body = client.get("/api/userplaces").json()
    types = {f["properties"]["name"]: f["geometry"]["type"] for f in body["features"]}
    assert types["University of Mosul"] == "MultiPolygon" and types["Mosul-Erbil road"] == "LineString"
    assert types["Qayyarah airbase"] == "Point" and "Yarmouk" not in types
    assert body["left_out"] == 3  # al-Zanjili, Yarmouk, Wadi Hajar: no point of their own
    assert {f["id"] for f in body["features"]} >= {"mosul_2017.geojson:6", "extra.csv:2"}


def test_a_places_file_named_like_an_imported_one_replaces_it(db: str, tmp_path: Path) -> None:
    from frontlines.gazetteer.userplaces import UserPlaces
    from frontlines.store import Store

    import_both(db)
    newer = tmp_path / CSV.name
    shutil.copy(CSV, newer)
    newer.write_text(newer.read_text(encoding="utf-8").replace("36.3058,43.1474", "36.3060,43.1480"),
                     encoding="utf-8")
    with Store.open(db, create=False) as store:
        places = UserPlaces.load([newer], stored=store.user_place_rows())
    (airport,) = places.lookup("Mosul Airport")
    assert (airport.place.lat, airport.place.lon) == (36.306, 43.148)
    assert len(places) == 10  # the stored copy of the file is left out, not doubled
