"""The store: round trip, idempotence, one transaction per document, and the filters."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from frontlines.model import Place, Span
from frontlines.store import AmbiguousId, Store, StoreError, haversine_km
from readings_factory import ALEPPO_TEXT, PLACES, aleppo_reading, make_reading, mention_id


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "t.db")
    yield st
    st.close()


def test_round_trip_keeps_every_row(store):
    reading = aleppo_reading()
    assert store.add(reading, reader_version="test-1") is True
    c = store.counts()
    assert c["documents"] == 1 and c["readings"] == 1
    assert c["event_mentions"] == 2
    assert c["control_claims"] == 1 and c["indicators"] == 1
    assert c["place_mentions"] == 2
    assert c["actors"] == 4  # SYR_MIL, SYR_REB, CIVILIANS, SOHR
    # E1: actor, target, reported_by; E2: actor, target
    assert c["event_actors"] == 5
    assert store.reading(reading.document.id) == reading.to_dict()
    doc = store.document(reading.document.id)
    assert doc["text"] == ALEPPO_TEXT
    assert doc["published"] == "2016-08-01" and doc["published_basis"] == "given"
    assert store.has_document(reading.document.id)
    assert not store.has_document("0" * 16)


def test_adding_the_same_document_twice_stores_nothing_new(store):
    assert store.add(aleppo_reading()) is True
    before = store.counts()
    assert store.add(aleppo_reading()) is False
    assert store.counts() == before


def test_store_persists_across_open(tmp_path):
    path = tmp_path / "p.db"
    with Store.open(path) as st:
        st.add(aleppo_reading())
    with Store.open(path, create=False) as st:
        assert len(st.events()) == 2


def test_a_failing_document_leaves_no_rows(store):
    # Two events with the same id: the second insert fails, and the whole document must
    # be rolled back, not left half-stored.
    reading = aleppo_reading()
    reading.events[1].id = reading.events[0].id
    with pytest.raises(StoreError, match="appears twice"):
        store.add(reading)
    assert all(n == 0 for n in store.counts().values())
    # The store is still usable afterwards.
    assert store.add(aleppo_reading()) is True


def test_event_rows_are_plain_and_complete(store):
    reading = aleppo_reading()
    store.add(reading)
    rows = store.events()
    assert [r["plover"] for r in rows] == ["COERCE", "ASSAULT"]  # oldest first
    e = rows[1]
    assert e["id"] == mention_id("ev", reading.document.id, 1)
    assert e["actors"] == ["SYR_MIL"] and e["actor_names"] == ["Syrian Armed Forces"]
    assert e["targets"] == ["CIVILIANS"] and e["reported_by"] == ["SOHR"]
    assert e["date"] == "2016-08-01" and e["date_precision"] == "day"
    assert e["date_expression"] == "on Monday"
    assert e["place"] == "Aleppo" and e["lat"] == pytest.approx(36.2021)
    assert e["geonames_id"] == 170063 and e["geo_precision"] == 1
    assert e["fatalities"] == 12 and e["status"] == "claimed"
    assert e["evidence_text"] == "Government forces shelled Aleppo"
    assert ALEPPO_TEXT[e["evidence_start"]:e["evidence_end"]] == e["evidence_text"]
    assert e["title"] == "A report" and e["outlet"] == "Test Wire"
    assert e["published"] == "2016-08-01"
    # Plain values only, so a DataFrame or json.dumps takes them as they are.
    allowed = (str, int, float, list, type(None))
    assert all(isinstance(v, allowed) for v in e.values())


def _many(store):
    store.add(aleppo_reading())
    store.add(make_reading("Russian jets bombed Homs. Another strike hit Nowhere.", events=[
        {"evidence": "Russian jets bombed Homs", "plover": "ASSAULT", "actors": ["RUS_MIL"],
         "targets": ["SYR_REB"], "place": "Homs", "date": date(2016, 9, 15), "fatalities": 3},
        {"evidence": "Another strike hit Nowhere", "plover": "ASSAULT", "actors": [],
         "place": "Nowhere", "date": None},
    ], published=date(2016, 9, 16)))
    store.add(make_reading("Shelling in Kyiv was reported.", events=[
        {"evidence": "Shelling in Kyiv", "plover": "ASSAULT", "place": "Kyiv",
         "date": date(2022, 3, 1)},
    ], published=date(2022, 3, 2)))


def test_date_filters_are_inclusive_and_drop_undated(store):
    _many(store)
    assert len(store.events()) == 5
    since = store.events(since=date(2016, 8, 1))
    assert [r["date"] for r in since] == ["2016-08-01", "2016-09-15", "2022-03-01"]
    until = store.events(until=date(2016, 8, 1))
    assert [r["date"] for r in until] == ["2016-07-30", "2016-08-01"]
    both = store.events(since=date(2016, 8, 2), until=date(2016, 12, 31))
    assert [r["place"] for r in both] == ["Homs"]


def test_type_filter_is_case_insensitive(store):
    _many(store)
    assert {r["plover"] for r in store.events(type="coerce")} == {"COERCE"}
    assert len(store.events(type="ASSAULT")) == 4
    assert len(store.events(type=["COERCE", "assault"])) == 5
    assert store.events(type="PROTEST") == []


def test_actor_filter_matches_id_or_name(store):
    _many(store)
    by_id = store.events(actor="syr_mil")
    # SYR_MIL is actor of the Aleppo shelling and target of the Idlib attack.
    assert sorted(r["place"] for r in by_id) == ["Aleppo", "Idlib"]
    by_name = store.events(actor="RUSSIAN armed forces")
    assert [r["place"] for r in by_name] == ["Homs"]
    assert [r["place"] for r in store.events(actor="SYR_MIL", role="actor")] == ["Aleppo"]
    assert [r["place"] for r in store.events(actor="SYR_MIL", role="target")] == ["Idlib"]
    assert [r["place"] for r in store.events(actor="sohr", role="reported_by")] == ["Aleppo"]
    assert store.events(actor="SOHR") == []  # a reporter is not an actor by default
    assert store.events(actor="nobody") == []
    with pytest.raises(ValueError):
        store.events(actor="SOHR", role="witness")


def test_near_filter_uses_true_distance(store):
    _many(store)
    aleppo = (PLACES["Aleppo"].lat, PLACES["Aleppo"].lon)
    close = store.events(near=aleppo, within_km=10)
    assert [r["place"] for r in close] == ["Aleppo"]
    assert close[0]["distance_km"] == pytest.approx(0, abs=0.01)
    wider = store.events(near=aleppo, within_km=100)
    assert sorted(r["place"] for r in wider) == ["Aleppo", "Idlib"]
    assert all(r["distance_km"] <= 100 for r in wider)
    # Homs is ~160 km from Aleppo; Kyiv and the unlocated event never come back.
    assert sorted(r["place"] for r in store.events(near=aleppo, within_km=200)) == [
        "Aleppo", "Homs", "Idlib"]
    assert len(store.events(near=aleppo, within_km=20000)) == 4
    with pytest.raises(ValueError):
        store.events(within_km=5)


def test_near_filter_trims_the_box_corners(store):
    # A place inside the bounding box but outside the circle must be dropped.
    origin = (36.0, 37.0)
    corner = Place("Corner", "village", 36.0 + 0.08, 37.0 + 0.1)  # ~12.8 km away
    text = "Shelling hit Corner."
    reading = make_reading(text, events=[{"evidence": "Shelling hit Corner", "date": None}])
    reading.events[0].place = corner
    store.add(reading)
    assert haversine_km(*origin, corner.lat, corner.lon) > 10
    assert store.events(near=origin, within_km=10) == []
    assert len(store.events(near=origin, within_km=15)) == 1


def test_near_filter_across_the_antimeridian(store):
    text = "Shelling hit Taveuni."
    reading = make_reading(text, events=[{"evidence": "Shelling hit Taveuni", "date": None}])
    reading.events[0].place = Place("Taveuni", "island", -16.9, 179.95)
    store.add(reading)
    rows = store.events(near=(-16.9, -179.95), within_km=20)
    assert len(rows) == 1 and rows[0]["distance_km"] < 20


def test_bbox_filter_keeps_located_events_inside_the_box(store):
    from frontlines.store.map_queries import BBox

    _many(store)
    syria = BBox(35.5, 32.0, 42.5, 37.5)
    assert sorted(r["place"] for r in store.events(bbox=syria)) == ["Aleppo", "Homs", "Idlib"]
    north_only = BBox(35.5, 35.5, 42.5, 37.5)  # Homs (34.7 N) falls out
    assert sorted(r["place"] for r in store.events(bbox=north_only)) == ["Aleppo", "Idlib"]
    assert store.events(bbox=BBox(-10.0, 0.0, 0.0, 10.0)) == []
    with pytest.raises(ValueError, match="south"):
        BBox.parse("35,37,42,36")


def test_limit(store):
    _many(store)
    assert len(store.events(limit=2)) == 2
    aleppo = (PLACES["Aleppo"].lat, PLACES["Aleppo"].lon)
    assert len(store.events(near=aleppo, within_km=200, limit=1)) == 1


def test_event_by_id_and_prefix(store):
    reading = aleppo_reading()
    store.add(reading)
    full = mention_id("ev", reading.document.id, 1)
    e = store.event(full)
    assert e["id"] == full and e["title"] == "A report"
    assert e["reported_by_names"] == ["Syrian Observatory for Human Rights"]
    # No sentence span was given: the store cuts the sentence around the evidence.
    assert e["sentence"]["text"] == (
        "Government forces shelled Aleppo on Monday, killing 12 civilians, the Observatory said.")
    (a, b), = e["marks"]
    assert e["sentence"]["text"][a:b] == "Government forces shelled Aleppo"
    assert store.event(full[:-1] + "2")["plover"] == "COERCE"
    with pytest.raises(AmbiguousId) as err:
        store.event("ev-" + reading.document.id[:6])
    assert len(err.value.candidates) == 2
    assert store.event("ffffffffffff") is None
    assert store.event("%") is None  # LIKE wildcards are taken literally


def test_event_uses_the_readers_sentence_span(store):
    text = "First line. Rebels shelled Aleppo at dawn. Third line."
    sentence = Span(12, 42, text[12:42])
    reading = make_reading(text, events=[{"evidence": "shelled Aleppo", "place": "Aleppo",
                                          "date": None, "sentence": sentence}])
    store.add(reading)
    e = store.events()[0]
    shown = store.event(e["id"])
    assert shown["sentence"] == {"start": 12, "end": 42, "text": "Rebels shelled Aleppo at dawn."}
    (a, b), = shown["marks"]
    assert shown["sentence"]["text"][a:b] == "shelled Aleppo"


def test_mention_ids_must_be_unique_across_documents(store):
    store.add(aleppo_reading())
    other = make_reading("Rebels shelled Homs.", events=[{"evidence": "Rebels shelled Homs"}])
    other.events[0].id = aleppo_reading().events[0].id
    with pytest.raises(StoreError, match="unique across documents"):
        store.add(other)
    assert not store.has_document(other.document.id)


def test_open_without_create_refuses_a_missing_file(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no such database"):
        Store.open(path, create=False)
    assert not path.exists()


def test_open_refuses_a_foreign_database(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("create table x (a)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a frontlines database"):
        Store.open(path, create=False)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        Store.open(junk)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_memory_store(tmp_path):
    with Store.open(":memory:") as st:
        st.add(aleppo_reading())
        assert st.counts()["event_mentions"] == 2


def test_summary(store):
    _many(store)
    summ = store.summary()
    assert summ["counts"]["documents"] == 3
    assert summ["events_by_type"] == {"ASSAULT": 4, "COERCE": 1}
    assert summ["date_range"] == ("2016-07-30", "2022-03-01")
    assert summ["undated_events"] == 1
    assert summ["located_events"] == 4
    assert dict(summ["event_places"])["Aleppo"] == 1


def test_haversine_one_degree_of_latitude():
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.05)
    assert haversine_km(10, 179.5, 10, -179.5) == pytest.approx(109.5, abs=0.5)


def test_an_older_database_gets_the_indexes_added_since(tmp_path):
    path = tmp_path / "old.db"
    Store.open(path).close()
    with sqlite3.connect(path) as con:  # as a database made before the map's index
        con.execute("DROP INDEX ix_events_map")
    Store.open(path).close()  # a writable open adds it back
    with sqlite3.connect(path) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_events_map" in names
