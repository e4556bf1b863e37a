"""Event exports, parsed back: JSON, CSV, GeoJSON."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from frontlines.export import EVENT_FORMATS, events_csv, events_geojson, events_json
from frontlines.export.csv import COLUMNS
from frontlines.store import Store
from readings_factory import aleppo_reading, make_reading


@pytest.fixture
def rows():
    with Store.open(":memory:") as st:
        st.add(aleppo_reading())
        st.add(make_reading("A strike hit Nowhere, and the \"ceasefire\", broke.", events=[
            {"evidence": "A strike hit Nowhere", "place": "Nowhere", "date": date(2016, 8, 2),
             "actors": ["SYR_MIL", "RUS_MIL"], "targets": ["CIVILIANS", "SYR_REB"]},
        ]))
        yield st.events()


def test_json_round_trip(rows):
    out = io.StringIO()
    result = events_json(rows, out)
    assert result.written == 3
    back = json.loads(out.getvalue())
    assert back == rows


def test_json_empty_is_an_empty_array():
    out = io.StringIO()
    assert events_json([], out).written == 0
    assert json.loads(out.getvalue()) == []


def test_csv_round_trip(rows):
    out = io.StringIO()
    assert events_csv(rows, out).written == 3
    back = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(back) == 3
    assert tuple(back[0].keys()) == COLUMNS
    by_id = {r["id"]: r for r in back}
    for row in rows:
        got = by_id[row["id"]]
        assert got["plover"] == row["plover"]
        assert got["date"] == row["date"]
        assert got["evidence_text"] == row["evidence_text"]
        assert got["fatalities"] == ("" if row["fatalities"] is None else str(row["fatalities"]))
        assert got["actors"] == ";".join(row["actors"])
        assert got["lat"] == ("" if row["lat"] is None else str(row["lat"]))
    two = next(r for r in back if r["place"] == "Nowhere")
    assert two["actors"] == "SYR_MIL;RUS_MIL"
    assert two["target_names"] == "civilians;Syrian rebels"


def test_csv_empty_has_a_header():
    out = io.StringIO()
    events_csv([], out)
    assert next(csv.reader(io.StringIO(out.getvalue()))) == list(COLUMNS)


def test_csv_carries_distance_when_present(rows):
    out = io.StringIO()
    events_csv([{**rows[0], "distance_km": 1.5}], out)
    back = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert back[0]["distance_km"] == "1.5"


def test_geojson_points_and_left_out(rows):
    out = io.StringIO()
    result = events_geojson(rows, out)
    assert (result.written, result.left_out) == (2, 1)  # "Nowhere" has no coordinates
    fc = json.loads(out.getvalue())
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == 2
    located = {r["id"]: r for r in rows if r["lat"] is not None}
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        row = located[f["id"]]
        assert f["geometry"]["coordinates"] == [row["lon"], row["lat"]]  # lon first
        assert f["properties"]["plover"] == row["plover"]
        assert f["properties"]["actors"] == row["actors"]
        assert "lat" not in f["properties"]


def test_geojson_empty():
    out = io.StringIO()
    assert events_geojson([], out).written == 0
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_formats_table():
    assert set(EVENT_FORMATS) == {"json", "csv", "geojson"}
