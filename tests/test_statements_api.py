"""`GET /api/statements`: paging, filters, parameter errors, and a store from before
statements, through the app in-process (no server)."""
from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient

from frontlines.api.app import create_app
from statements_support import build_db, read_reports


@pytest.fixture(scope="module")
def readings(reader):
    return read_reports(reader)


@pytest.fixture(scope="module")
def client(readings, tmp_path_factory):
    db = build_db(tmp_path_factory.mktemp("stmt-api") / "s.db", readings)
    with TestClient(create_app(db)) as c:
        yield c


def ok(client: TestClient, url: str) -> dict:
    resp = client.get(url)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_pages_follow_next_to_the_end(client):
    first = ok(client, "/api/statements?limit=2")
    assert (first["unit"], first["total"], first["limit"], first["offset"]) == (
        "statement", 5, 2, 0)
    assert first["next"] == "/api/statements?limit=2&offset=2"
    ids = [s["id"] for s in first["statements"]]
    page = first
    while page["next"]:
        page = ok(client, page["next"])
        ids += [s["id"] for s in page["statements"]]
    assert page["offset"] == 4 and len(page["statements"]) == 1
    assert ids == [s["id"] for s in ok(client, "/api/statements")["statements"]]
    assert len(set(ids)) == 5


def test_filters_keep_their_parameters_in_next(client):
    page = ok(client, "/api/statements?actor=SYR_GOV&limit=1")
    assert page["total"] == 4
    assert page["next"] == "/api/statements?actor=SYR_GOV&limit=1&offset=1"
    said = ok(client, "/api/statements?actor=Syrian%20government&role=actor")
    assert sorted(s["plover"] for s in said["statements"]) == ["ACCUSE", "REJECT"]
    typed = ok(client, "/api/statements?type=threaten,request")
    assert [s["plover"] for s in typed["statements"]] == ["REQUEST", "THREATEN"]
    dated = ok(client, "/api/statements?since=2016-08-04&until=2016-08-09")
    assert [s["published"] for s in dated["statements"]] == ["2016-08-09", "2016-08-09"]
    row = ok(client, "/api/statements?type=REJECT")["statements"][0]
    assert row["actor_names"] == ["Syrian government"]
    assert row["target_names"] == ["United Nations"]
    assert "rejected the UN report" in row["evidence_text"] and row["title"] == "Report 2"


@pytest.mark.parametrize("query, message", [
    ("type=CONDEMN", "type: should be a PLOVER type"),
    ("since=2016-8-1", "since: should be a date as YYYY-MM-DD"),
    ("since=2016-08-09&until=2016-08-01", "since: 2016-08-09 is after until 2016-08-01"),
    ("role=actor", "role: needs actor=ID or NAME"),
    ("actor=UN&role=speaker", "role: should be one of actor, target, reported_by"),
    ("limit=0", "limit:"),
    ("offset=-1", "offset:"),
    ("tpye=ACCUSE", "unknown parameter 'tpye'"),
])
def test_bad_parameters_are_400_with_a_reason(client, query, message):
    resp = client.get(f"/api/statements?{query}")
    assert resp.status_code == 400
    assert message in resp.json()["error"]


def test_a_store_from_before_statements_says_so(readings, tmp_path):
    db = build_db(tmp_path / "old.db", readings)
    with sqlite3.connect(db) as con:  # as a schema version 2 database, never upgraded
        con.execute("drop table statement_actors")
        con.execute("drop table statements")
        con.execute("update meta set value = '2' where key = 'schema_version'")
    with TestClient(create_app(db)) as c:
        resp = c.get("/api/statements")
        assert resp.status_code == 409 and "predates statements" in resp.json()["error"]
        assert c.get("/api/events").status_code == 200  # the rest is served as before
        doc = c.get(f"/api/documents/{readings[0].document.id}")
        assert doc.status_code == 200 and doc.json()["statements"] == []
        summary = c.get("/api/summary")
        assert summary.status_code == 200 and summary.json()["statements"] is None


def test_a_document_lists_its_statements_with_their_spans(client, readings):
    reading = readings[1]
    doc = ok(client, f"/api/documents/{reading.document.id}")
    assert [m["plover"] for m in doc["statements"]] == [m.plover for m in reading.statements]
    reject = next(m for m in doc["statements"] if m["plover"] == "REJECT")
    assert reject["actors"] == ["SYR_GOV"] and reject["targets"]
    span = reject["evidence"][0]
    assert doc["text"][span["start"]:span["end"]] == span["text"]


def test_the_summary_counts_the_statements(client):
    assert ok(client, "/api/summary")["statements"] == 5
