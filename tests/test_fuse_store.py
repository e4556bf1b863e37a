"""Fused events in the store: incremental fusion in each document's transaction equals fusion
from scratch in any order; old databases; the events, show and fuse commands."""
from __future__ import annotations

import random
import sqlite3
from datetime import date

import pytest
from click.testing import CliRunner

from frontlines.cli import main
from frontlines.fuse import FUSION_VERSION, Fuser
from frontlines.store import Store
from readings_factory import make_reading


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _readings() -> list:
    """Nine reports by three outlets: a shelling of Aleppo told four times (two tolls), a
    strike on Homs told twice, a strike on Aleppo the next day, and singletons."""
    out = []
    shelling = dict(evidence="Government forces shelled Aleppo", actors=["SYR_MIL"],
                    targets=["CIVILIANS"], place="Aleppo", date=date(2016, 8, 1),
                    expression="on Monday", mode="heavy-weapons")
    for i, (outlet, dead, status) in enumerate([("Levant Wire", 12, "asserted"),
                                                ("Northern Desk", 15, "claimed"),
                                                ("Levant Wire", 12, "asserted"),
                                                ("Orontes Monitor", None, "denied")]):
        text = f"Report {i}. Government forces shelled Aleppo on Monday."
        out.append(make_reading(text, events=[dict(shelling, fatalities=dead, status=status)],
                                title=f"Shelling {i}", outlet=outlet,
                                published=date(2016, 8, 2 + i)))
    for i, outlet in enumerate(["Levant Wire", "Northern Desk"]):
        text = f"Homs {i}: Russian jets bombed Homs."
        out.append(make_reading(text, events=[dict(
            evidence="Russian jets bombed Homs", actors=["RUS_MIL"], place="Homs",
            date=date(2016, 9, 15), expression="on Thursday", mode="aerial",
            acled="Explosions/Remote violence")], title=f"Homs {i}", outlet=outlet,
            published=date(2016, 9, 16)))
    out.append(make_reading("Next day: Government forces shelled Aleppo again.", events=[dict(
        shelling, evidence="Government forces shelled Aleppo", date=date(2016, 8, 2))],
        title="Next day", outlet="Levant Wire", published=date(2016, 8, 3)))
    out.append(make_reading("Kyiv: a strike hit Kyiv.", events=[dict(
        evidence="a strike hit Kyiv", place="Kyiv", date=date(2016, 8, 1))], title="Kyiv"))
    out.append(make_reading("Undated: a strike hit Nowhere.", events=[dict(
        evidence="a strike hit Nowhere", place="Nowhere", date=None)], title="Nowhere"))
    return out


def _snapshot(store: Store) -> list[tuple]:
    return sorted((e["id"], tuple(sorted(e["mention_ids"])), e["sources"], e["fatalities_low"],
                   e["fatalities_high"]) for e in store.fused_events())


def _ingest(path, readings, fuser) -> Store:
    store = Store.open(path)
    for r in readings:
        store.add(r, and_then=fuser.update)
    return store


@pytest.fixture(scope="module")
def fuser() -> Fuser:
    return Fuser()


def test_incremental_fusion_in_any_order_equals_fusion_from_scratch(tmp_path, fuser):
    readings = _readings()
    rng = random.Random(3)
    snapshots = []
    for k in range(4):
        order = readings[:]
        rng.shuffle(order)
        with _ingest(tmp_path / f"{k}.db", order, fuser) as store:
            snapshots.append(_snapshot(store))
            fuser.refuse(store)
            assert _snapshot(store) == snapshots[-1]  # from scratch: the same ids, the same events
    assert all(s == snapshots[0] for s in snapshots)
    events = snapshots[0]
    assert len(events) == 5
    shelling = [e for e in events if len(e[1]) == 4]
    assert len(shelling) == 1 and shelling[0][2:] == (3, 12, 15)  # 3 outlets, 12 to 15 dead
    assert sorted(len(e[1]) for e in events) == [1, 1, 1, 2, 4]


def test_a_document_and_its_fusion_commit_together(tmp_path, fuser):
    readings = _readings()
    with _ingest(tmp_path / "a.db", readings[:2], fuser) as store:
        before = _snapshot(store)

        def explode(conn, reading):
            fuser.update(conn, reading)
            raise RuntimeError("killed half-way")

        with pytest.raises(RuntimeError):
            store.add(readings[2], and_then=explode)
        assert not store.has_document(readings[2].document.id)
        assert _snapshot(store) == before
        assert store.fusion_status()["unfused_mentions"] == 0


def test_an_old_database_is_upgraded_and_says_it_needs_fusing(tmp_path, fuser):
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        for r in _readings()[:3]:
            store.add(r)  # stored without fusion
    con = sqlite3.connect(path)  # make it look like a version 1 database
    con.execute("drop table event_members")
    con.execute("drop table events")
    con.execute("update meta set value = '1' where key = 'schema_version'")
    con.commit()
    con.close()
    result = run("events", "--db", str(path))
    assert result.exit_code == 0
    assert "3 event mentions are not fused yet: run `frontlines fuse --db" in result.stderr
    with Store.open(path) as store:
        assert store.fusion_status() == {"events": 0, "unfused_mentions": 3,
                                         "fusion_version": None}
    done = run("fuse", "--db", str(path))
    assert done.exit_code == 0 and "fused 3 mentions into 1 event " in done.stdout
    result = run("events", "--db", str(path))
    assert "not fused" not in result.stderr and "1 event" in result.stderr
    with Store.open(path) as store:
        assert store.fusion_status()["fusion_version"] == FUSION_VERSION


def test_ingest_fuses_what_is_stale_first(tmp_path):
    from frontlines.ingest import ingest
    from test_ingest import FakeReader

    path = tmp_path / "x.db"
    with Store.open(path) as store:
        for r in _readings()[:2]:
            store.add(r)  # no fusion
        corpus = tmp_path / "c"
        corpus.mkdir()
        (corpus / "a.txt").write_text("Title\n\nArtillery shelled the town.", encoding="utf-8")
        ingest([corpus], store, FakeReader(), published=date(2016, 8, 1), progress=False)
        status = store.fusion_status()
        assert status["unfused_mentions"] == 0 and status["fusion_version"] == FUSION_VERSION


@pytest.fixture
def db(tmp_path, fuser) -> str:
    path = tmp_path / "f.db"
    _ingest(path, _readings(), fuser).close()
    return str(path)


def test_events_lists_sources_and_filters_by_them(db):
    result = run("events", "--db", db)
    assert result.exit_code == 0 and "5 events" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[-2:] == ["src", "docs"]
    shelling = next(line for line in lines if "12–15" in line)  # the spread of tolls
    assert shelling.split()[-2:] == ["3", "4"]
    many = run("events", "--db", db, "--min-sources", "2", "--format", "json")
    import json

    rows = json.loads(many.stdout)
    assert sorted(r["sources"] for r in rows) == [2, 3]
    assert {r["place"] for r in rows} == {"Aleppo", "Homs"}
    shell = next(r for r in rows if r["place"] == "Aleppo")
    assert {d["field"] for d in shell["disagreements"]} >= {"status", "fatalities"}
    mentions = run("events", "--db", db, "--mentions")
    assert "9 event mentions" in mentions.stderr
    bad = run("events", "--db", db, "--mentions", "--min-sources", "2")
    assert bad.exit_code == 2 and "does not go with --mentions" in bad.output
    csv_out = run("events", "--db", db, "--format", "csv", "--min-sources", "3").stdout
    header, row = csv_out.splitlines()[:2]
    assert "sources" in header.split(",") and "disagreements" in header.split(",")
    assert "status: " in row


def test_show_lists_every_report_with_its_evidence(db):
    import json

    rows = json.loads(run("events", "--db", db, "--min-sources", "3", "--format", "json").stdout)
    (event,) = rows
    result = run("show", event["id"][:9], "--db", db)
    assert result.exit_code == 0
    out = result.stdout
    assert f"event {event['id']}   4 reports from 3 sources in 4 documents" in out
    assert out.count("[[Government forces shelled Aleppo]]") == 4
    for outlet in ("Levant Wire", "Northern Desk", "Orontes Monitor"):
        assert outlet in out
    assert "disagree   status:" in out and "fatalities: " in out
    assert "12 (ACLED best: the lowest credible figure; reports say 12 to 15)" in out
    one = run("show", event["mention_ids"][0], "--db", db)
    assert one.exit_code == 0 and f"event      {event['id']}" in one.stdout
