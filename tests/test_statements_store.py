"""Statements in the store: their rows and actor roles, the query and its filters, the
cascade, id clashes, and the upgrade of a database from before statements."""
from __future__ import annotations

import copy
import sqlite3
from datetime import date

import pytest

from frontlines.export import statement_writer, statements_csv
from frontlines.store import Store, StoreError
from frontlines.store.map_queries import open_readonly
from statements_support import build_db, by_type, read_reports


@pytest.fixture(scope="module")
def readings(reader):
    return read_reports(reader)


@pytest.fixture
def store(tmp_path, readings):
    st = Store.open(build_db(tmp_path / "s.db", readings))
    yield st
    st.close()


def _links(path, statement_id: str) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as con:
        return set(con.execute("select actor_id, role from statement_actors "
                               "where statement_id = ?", (statement_id,)))


def test_the_reports_have_statements_apart_from_events(readings):
    # The premise of every test here: the reader keeps these speech acts out of events.
    types = sorted(m.plover for r in readings for m in r.statements)
    assert types == ["ACCUSE", "ACCUSE", "REJECT", "REQUEST", "THREATEN"]


def test_statements_land_in_their_table_with_actor_roles(store, readings, tmp_path):
    counts = store.counts()
    assert counts["statements"] == 5
    with sqlite3.connect(tmp_path / "s.db") as con:
        stored = dict(con.execute("select id, plover from statements"))
        events = {r[0] for r in con.execute("select id from event_mentions")}
    assert set(stored) == {m.id for r in readings for m in r.statements}
    assert not set(stored) & events  # statements never become event mentions
    accuse = by_type(readings[:1], "ACCUSE")
    assert accuse.actors == ["SYR_GOV"] and accuse.targets == ["SYR_REB"]
    assert _links(tmp_path / "s.db", accuse.id) == {
        ("SYR_GOV", "actor"), ("SYR_REB", "target"), ("TEST_WIRE", "reported_by")}
    for m in (m for r in readings for m in r.statements):
        expected = ({(a, "actor") for a in m.actors} | {(a, "target") for a in m.targets}
                    | {(a, "reported_by") for a in m.reported_by})
        assert _links(tmp_path / "s.db", m.id) == expected


def test_rows_name_the_actors_and_carry_the_evidence_and_document(store, readings):
    rows = store.statements(type="REJECT")
    assert len(rows) == 1
    row = rows[0]
    assert row["actor_names"] == ["Syrian government"]
    assert row["target_names"] == ["United Nations"]
    assert row["published"] == "2016-08-09" and row["title"] == "Report 2"
    assert row["outlet"] == "Test Wire"
    text = readings[1].document.text
    assert row["evidence_text"] == text[row["evidence_start"]:row["evidence_end"]]
    assert "rejected the UN report" in row["evidence_text"]
    assert row["trigger"] == "rejected"


def test_statements_are_in_document_date_order_undated_last(store):
    rows = store.statements()
    assert [r["published"] for r in rows] == ["2016-08-03"] * 2 + ["2016-08-09"] * 2 + [None]
    assert [r["plover"] for r in rows[:2]] == ["ACCUSE", "REQUEST"]  # reading order


def test_filters_actor_role_type_and_document_dates(store):
    gov = store.statements(actor="syrian GOVERNMENT")  # by name, any case, actor or target
    assert sorted(r["plover"] for r in gov) == ["ACCUSE", "ACCUSE", "REJECT", "THREATEN"]
    said = store.statements(actor="SYR_GOV", role="actor")
    assert sorted(r["plover"] for r in said) == ["ACCUSE", "REJECT"]
    spoken_of = store.statements(actor="SYR_GOV", role="target")
    assert sorted(r["plover"] for r in spoken_of) == ["ACCUSE", "THREATEN"]
    assert [r["plover"] for r in store.statements(type=["threaten", "REQUEST"])] == [
        "REQUEST", "THREATEN"]
    assert [r["published"] for r in store.statements(since=date(2016, 8, 4))] == [
        "2016-08-09"] * 2  # the undated document is left out
    assert len(store.statements(until=date(2016, 8, 3))) == 2
    assert store.statements(actor="nobody at all") == []
    with pytest.raises(ValueError, match="role should be one of"):
        store.statements(actor="UN", role="speaker")


def test_count_and_paging_agree_with_the_full_list(store):
    everything = [r["id"] for r in store.statements()]
    assert store.statement_count() == len(everything) == 5
    assert store.statement_count(actor="SYR_GOV", role="actor") == 2
    pages = [r["id"] for off in (0, 2, 4) for r in store.statements(limit=2, offset=off)]
    assert pages == everything


def test_summary_counts_statements_by_type(store):
    summ = store.summary()
    assert summ["counts"]["statement_actors"] > 0
    assert summ["statements_by_type"] == {"ACCUSE": 2, "REJECT": 1, "REQUEST": 1,
                                          "THREATEN": 1}


def test_deleting_a_document_deletes_its_statements(store, readings, tmp_path):
    doc = readings[1].document.id
    with sqlite3.connect(tmp_path / "s.db") as con:
        con.execute("pragma foreign_keys = on")
        con.execute("delete from documents where id = ?", (doc,))
        left = con.execute("select count(*) from statements where document_id = ?",
                           (doc,)).fetchone()[0]
        orphans = con.execute("select count(*) from statement_actors where statement_id "
                              "not in (select id from statements)").fetchone()[0]
    assert left == 0 and orphans == 0
    assert store.statement_count() == 3


def test_a_statement_id_twice_is_refused_and_leaves_nothing(tmp_path, readings):
    reading = copy.deepcopy(readings[0])
    reading.statements[1].id = reading.statements[0].id
    with Store.open(tmp_path / "clash.db") as st:
        with pytest.raises(StoreError, match="statements id .* appears twice"):
            st.add(reading)
        assert all(n == 0 for n in st.counts().values())


def _as_version_2(path) -> None:
    """Make a database look as it did before statements (schema version 2)."""
    with sqlite3.connect(path) as con:
        con.execute("drop table statement_actors")
        con.execute("drop table statements")
        con.execute("update meta set value = '2' where key = 'schema_version'")


def test_an_older_database_is_upgraded_and_filled_from_its_readings(tmp_path, readings):
    path = build_db(tmp_path / "old.db", readings)
    with Store.open(path) as st:
        before = st.statements()
        links = st.counts()["statement_actors"]
    _as_version_2(path)
    with Store.open(path, create=False) as st:  # the CLI's way of opening
        assert st.statements() == before
        assert st.counts()["statement_actors"] == links
        assert st.events() and st.counts()["event_mentions"] > 0  # the rest untouched
    with sqlite3.connect(path) as con:
        version = con.execute("select value from meta where key = 'schema_version'").fetchone()
    assert version == ("3",)
    with Store.open(path) as st:  # a stored document is still known as stored
        assert st.add(readings[0]) is False


def test_a_read_only_older_database_says_it_predates_statements(tmp_path, readings):
    path = build_db(tmp_path / "ro.db", readings)
    _as_version_2(path)
    ro = open_readonly(path)
    try:
        with pytest.raises(StoreError, match="predates statements"):
            ro.statements()
        assert ro.events()  # everything else reads as before
        assert "statements" not in ro.counts() and ro.counts()["event_mentions"] > 0
        assert ro.summary()["statements_by_type"] == {}
    finally:
        ro.close()


def test_statement_exports(store, tmp_path):
    import csv
    import io
    import json

    rows = store.statements(actor="UN")
    out = io.StringIO()
    assert statements_csv(rows, out).written == 2
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["plover"], r["actor_names"], r["target_names"]) for r in table] == [
        ("REJECT", "Syrian government", "United Nations"),
        ("ACCUSE", "United Nations", "Syrian government")]
    assert "place" not in table[0] and table[1]["published"] == ""
    out = io.StringIO()
    statement_writer("json")(rows, out)
    assert [r["id"] for r in json.loads(out.getvalue())] == [r["id"] for r in rows]
    with pytest.raises(ValueError, match="no place of their own"):
        statement_writer("geojson")
