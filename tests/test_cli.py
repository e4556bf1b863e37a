"""The command line: option checks, events/show/summary on a hand-built store, read and
ingest with the real reader, a real subprocess, and an ingest killed half-way."""
from __future__ import annotations

import csv
import io
import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import FUSED_COLUMNS, TABLE_COLUMNS, main
from frontlines.fuse import Fuser
from frontlines.store import Store
from readings_factory import aleppo_reading, make_reading, mention_id, report_text, write_corpus

ROOT = Path(__file__).resolve().parents[1]
FRONTLINES = ROOT / ".venv" / "bin" / "frontlines"
if not FRONTLINES.exists():  # tests run from another environment: use the one running them
    FRONTLINES = Path(sys.executable).with_name("frontlines")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "events.db"
    with Store.open(path) as st:
        st.add(aleppo_reading())
        st.add(make_reading("Russian jets bombed Homs. Another strike hit Nowhere.", events=[
            {"evidence": "Russian jets bombed Homs", "actors": ["RUS_MIL"],
             "targets": ["SYR_REB"], "place": "Homs", "date": date(2016, 9, 15),
             "fatalities": 3},
            {"evidence": "Another strike hit Nowhere", "place": "Nowhere", "date": None},
        ], title="Jets over Homs", published=date(2016, 9, 16)))
        Fuser().refuse(st)  # as ingest would have: `events` lists fused events
    return str(path)


# -- option checks ------------------------------------------------------------------------


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("read", "ingest", "events", "show", "summary", "gazetteer", "evaluate",
                    "bench"):
        assert command in result.output


@pytest.mark.parametrize("args, message", [
    (["--since", "1 Aug 2016"], "--since': should be YYYY-MM-DD"),
    (["--until", "2016-02-30"], "--until': should be YYYY-MM-DD"),
    (["--near", "36.2,37.1", "--within-km", "-3"], "should be a positive number of kilometres"),
    (["--near", "99,37"], "-90 ≤ LAT ≤ 90"),
    (["--within-km", "5"], "--within-km needs --near"),
    (["--limit", "0"], "should be a positive whole number"),
    (["--since", "2016-09-01", "--until", "2016-08-01"], "is after --until"),
    (["--format", "xml"], "'xml' is not one of"),
    (["--type", "BOMBING"], "should be a PLOVER type (AGREE, CONSULT"),
])
def test_events_option_checks_name_the_expected_form(db, args, message):
    result = run("events", "--db", db, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_ingest_checks_published(tmp_path):
    result = run("ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), "--published", "today")
    assert result.exit_code == 2 and "should be YYYY-MM-DD" in result.output
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("command", [["events"], ["show", "abc"], ["summary"]])
def test_a_missing_database_is_an_error_not_a_new_file(tmp_path, command):
    path = tmp_path / "nope.db"
    result = run(*command, "--db", str(path))
    assert result.exit_code == 1
    assert "no such database" in result.output
    assert not path.exists()


# -- events, show, summary on a hand-built store ------------------------------------------


def test_events_table(db):
    result = run("events", "--db", db)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "date", "type", "actors", "→", "targets", "place",
                                "status", "dead", "src", "docs"]
    assert len(lines) == 2 + 4  # four reports of four different occurrences
    assert all(line.startswith("evt-") for line in lines[2:])
    assert "Syrian Armed Forces → civilians" in result.stdout
    assert "Nowhere" in lines[-1] and "?" in lines[-1]  # undated events come last
    assert "4 events" in result.stderr
    cap = sum(w for _, w in FUSED_COLUMNS) + 2 * (len(FUSED_COLUMNS) - 1)
    assert max(len(line) for line in lines) <= cap


def test_events_mentions_table(db):
    result = run("events", "--db", db, "--mentions")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "date", "type", "actors", "→", "targets", "place",
                                "status", "dead"]
    assert len(lines) == 2 + 4 and all(line.startswith("ev-") for line in lines[2:])
    assert "4 event mentions" in result.stderr
    cap = sum(w for _, w in TABLE_COLUMNS) + 2 * (len(TABLE_COLUMNS) - 1)
    assert max(len(line) for line in lines) <= cap


def test_events_filters(db):
    out = run("events", "--db", db, "--format", "json", "--type", "coerce").stdout
    assert [r["plover"] for r in json.loads(out)] == ["COERCE"]
    out = run("events", "--db", db, "--format", "json", "--actor", "Russian Armed Forces").stdout
    assert [r["place"] for r in json.loads(out)] == ["Homs"]
    out = run("events", "--db", db, "--format", "json", "--since", "2016-08-01",
              "--until", "2016-08-31").stdout
    assert [r["date"] for r in json.loads(out)] == ["2016-08-01"]
    out = run("events", "--db", db, "--format", "json", "--limit", "1").stdout
    assert len(json.loads(out)) == 1


def test_events_near_lat_lon(db):
    result = run("events", "--db", db, "--format", "json", "--near", "36.20,37.13",
                 "--within-km", "80")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert sorted(r["place"] for r in rows) == ["Aleppo", "Idlib"]
    assert "within 80 km of 36.2,37.13" in result.stderr


def test_events_inside_a_box(db):
    # Aleppo (36.2 N 37.16 E) and Idlib (35.93 N 36.63 E) are inside, Homs (34.73 N) below it.
    result = run("events", "--db", db, "--format", "json", "--bbox", "36.0,35.5,37.5,36.5")
    assert result.exit_code == 0, result.output
    assert sorted(r["place"] for r in json.loads(result.stdout)) == ["Aleppo", "Idlib"]
    assert "inside the box west 36, south 35.5, east 37.5, north 36.5" in result.stderr
    mentions = run("events", "--db", db, "--format", "json", "--mentions", "--bbox", "36.0,35.5,37.5,36.5")
    assert sorted(r["place"] for r in json.loads(mentions.stdout)) == ["Aleppo", "Idlib"]
    # with --near too: both must hold (Idlib is about 56 km from Aleppo)
    both = run("events", "--db", db, "--format", "json", "--bbox", "36.0,35.5,37.5,36.5",
               "--near", "36.20,37.13", "--within-km", "20")
    assert [r["place"] for r in json.loads(both.stdout)] == ["Aleppo"]


@pytest.mark.parametrize("box, message", [
    ("36,35,37", "should be west,south,east,north"),
    ("36,37,37,35", "south (37) is above north (35)"),
    ("36,35,200,36", "longitudes must lie in -180..180"),
])
def test_events_bbox_is_checked(db, box, message):
    result = CliRunner().invoke(main, ["events", "--db", db, "--bbox", box])
    assert result.exit_code == 2 and message in result.output


def test_events_formats_parse_back(db):
    rows = list(csv.DictReader(io.StringIO(run("events", "--db", db, "--format", "csv").stdout)))
    assert len(rows) == 4 and rows[0]["id"]
    result = run("events", "--db", db, "--format", "geojson")
    fc = json.loads(result.stdout)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 3
    assert "1 event without coordinates left out" in result.stderr


@pytest.mark.slow
def test_events_near_an_unknown_place_is_a_clear_error(db):
    from frontlines.gazetteer.build import ensure_index

    ensure_index()
    result = run("events", "--db", db, "--near", "Qwxzzyville Nowhere", "--within-km", "5")
    assert result.exit_code == 2
    assert "no place called 'Qwxzzyville Nowhere'" in result.output


@pytest.mark.slow
def test_events_near_a_place_name(db):
    from frontlines.gazetteer.build import ensure_index

    ensure_index()
    result = run("events", "--db", db, "--format", "json", "--near", "Aleppo",
                 "--within-km", "30")
    assert result.exit_code == 0, result.output
    assert [r["place"] for r in json.loads(result.stdout)] == ["Aleppo"]


def test_show_marks_the_evidence_and_names_the_source(db):
    doc_id = aleppo_reading().document.id
    result = run("show", mention_id("ev", doc_id, 1), "--db", db)
    assert result.exit_code == 0
    out = result.stdout
    assert "[[Government forces shelled Aleppo]] on Monday, killing 12 civilians" in out
    assert "ASSAULT" in out and "Explosions/Remote violence" in out
    assert "Syrian Armed Forces (SYR_MIL)" in out and "civilians (CIVILIANS)" in out
    assert "36.2021, 37.1343" in out and "precision 1" in out
    assert "2016-08-01 (day)" in out and '"on Monday"' in out
    assert "claimed, reported by Syrian Observatory for Human Rights (SOHR)" in out
    assert "“A report”, Test Wire, published 2016-08-01" in out
    assert "https://example.org/a" in out
    assert "rule       test" in out
    assert "fatalities 12" in out


def test_show_accepts_a_unique_prefix_and_refuses_an_ambiguous_one(db):
    doc_id = aleppo_reading().document.id
    full = mention_id("ev", doc_id, 2)
    result = run("show", full[:-1] + "2", "--db", db)
    assert result.exit_code == 0 and f"event {full}" in result.stdout
    ambiguous = run("show", "ev-" + doc_id[:8], "--db", db)
    assert ambiguous.exit_code == 1 and "matches 2 events" in ambiguous.output
    unknown = run("show", "zzzz", "--db", db)
    assert unknown.exit_code == 1 and "no event 'zzzz'" in unknown.output


def test_summary(db):
    result = run("summary", "--db", db)
    assert result.exit_code == 0
    out = result.stdout
    assert "documents       2" in out
    assert "events          4 (3 located, 1 undated)" in out
    assert "ASSAULT" in out and "COERCE" in out
    assert "2016-07-30 … 2016-09-15" in out


# -- read and ingest with the real reader ---------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer_ready():
    from frontlines.gazetteer.build import ensure_index

    ensure_index()


@pytest.mark.slow
def test_read_prints_json_lines_and_fails_on_bad_input(tmp_path, gazetteer_ready):
    paths = write_corpus(tmp_path / "c", 2)
    (tmp_path / "empty.txt").write_text("")
    result = run("read", str(paths[0]), str(tmp_path / "empty.txt"), str(paths[1]),
                 "--published", "2016-08-01", "--text")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    assert {"document", "actors", "events", "control", "indicators", "places", "text"} <= set(
        records[0])
    assert "report 0" in records[0]["text"] and "report 1" in records[1]["text"]
    assert records[0]["document"]["published"] == "2016-08-01"
    for rec in records:
        for ev in rec["events"]:
            for span in ev["evidence"]:
                assert rec["text"][span["start"]:span["end"]] == span["text"]
    assert [line for line in result.stderr.splitlines() if "empty.txt" in line]
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_read_stdin(gazetteer_ready):
    result = run("read", "-", "--published", "2016-08-01", input=report_text(3))
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["events"] and "text" not in record


@pytest.mark.slow
def test_ingest_command_and_rerun(tmp_path, gazetteer_ready):
    write_corpus(tmp_path / "c", 3)
    (tmp_path / "c" / "empty.txt").write_text("")
    dbfile = str(tmp_path / "cli.db")
    first = run("ingest", str(tmp_path / "c"), "--db", dbfile, "--published", "2016-08-01")
    assert first.exit_code == 1  # one bad input
    assert "empty.txt" in first.stderr
    assert first.stdout.startswith("stored 3 documents, ")
    assert "; 0 already stored; 1 error" in first.stdout
    again = run("ingest", str(tmp_path / "c"), "--db", dbfile)
    assert again.stdout.startswith("stored 0 documents, 0 events; 3 already stored; 1 error")
    assert "3 already stored" in again.stdout
    events = run("events", "--db", dbfile, "--format", "json")
    assert json.loads(events.stdout)


@pytest.mark.slow
def test_real_subprocess_read_ingest_show(tmp_path, gazetteer_ready):
    paths = write_corpus(tmp_path / "c", 2)
    read = subprocess.run([str(FRONTLINES), "read", str(paths[0]), "--published", "2016-08-01"],
                          capture_output=True, text=True, check=False)
    assert read.returncode == 0, read.stderr
    (record,) = [json.loads(line) for line in read.stdout.splitlines()]
    assert record["document"]["id"]
    dbfile = str(tmp_path / "sub.db")
    ingest = subprocess.run([str(FRONTLINES), "ingest", str(tmp_path / "c"), "--db", dbfile],
                            capture_output=True, text=True, check=False)
    assert ingest.returncode == 0, ingest.stderr
    assert ingest.stdout.startswith("stored 2 documents")
    listed = subprocess.run([str(FRONTLINES), "events", "--db", dbfile, "--format", "json"],
                            capture_output=True, text=True, check=True)
    first = json.loads(listed.stdout)[0]["id"]
    shown = subprocess.run([str(FRONTLINES), "show", first, "--db", dbfile],
                           capture_output=True, text=True, check=False)
    assert shown.returncode == 0 and "[[" in shown.stdout and "]]" in shown.stdout


# -- an ingest killed half-way ------------------------------------------------------------------


def _snapshot(path: Path) -> tuple[set[str], set[str]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        docs = {r[0] for r in con.execute("select id from documents")}
        events = {r[0] for r in con.execute("select id from event_mentions")}
    finally:
        con.close()
    return docs, events


def _stored_count(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("select count(*) from documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # the schema is not created yet
        return 0


def _assert_consistent(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        docs = con.execute("select id from documents").fetchall()
        for (doc_id,) in docs:
            row = con.execute("select data from readings where document_id = ?",
                              (doc_id,)).fetchone()
            assert row is not None, f"document {doc_id} stored without its reading"
            reading = json.loads(row[0])
            n_events = con.execute("select count(*) from event_mentions where document_id = ?",
                                   (doc_id,)).fetchone()[0]
            assert n_events == len(reading["events"]), f"document {doc_id} half-stored"
            n_places = con.execute("select count(*) from place_mentions where document_id = ?",
                                   (doc_id,)).fetchone()[0]
            assert n_places == len(reading["places"])
    finally:
        con.close()


@pytest.mark.slow
def test_an_ingest_killed_half_way_is_consistent_and_rerun_completes_it(
        tmp_path, gazetteer_ready):
    n = 200
    corpus = tmp_path / "corpus"
    write_corpus(corpus, n)
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    cmd = [str(FRONTLINES), "ingest", str(corpus), "--published", "2016-08-01",
           "--no-progress"]
    # The clean single run, to compare with, goes on beside the one we kill.
    clean = subprocess.Popen([*cmd, "--db", str(clean_db)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    victim = subprocess.Popen([*cmd, "--db", str(killed_db)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        # Kill it as soon as some documents are in, long before all of them are.
        while victim.poll() is None and _stored_count(killed_db) == 0:
            time.sleep(0.02)
        assert victim.poll() is None, "the ingest ended before it could be killed: " + (
            victim.stderr.read() if victim.stderr else "")
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert victim.returncode == -signal.SIGKILL
        partial_docs, _ = _snapshot(killed_db)
        assert 0 < len(partial_docs) < n
        _assert_consistent(killed_db)

        rerun = subprocess.run([*cmd, "--db", str(killed_db)], capture_output=True, text=True,
                               check=False)
        assert rerun.returncode == 0, rerun.stderr
        assert f"; {len(partial_docs)} already stored" in rerun.stdout
        _assert_consistent(killed_db)

        clean_out, clean_err = clean.communicate()
        assert clean.returncode == 0, clean_err
        assert clean_out.startswith(f"stored {n} documents")
    finally:
        for proc in (victim, clean):
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
    killed_docs, killed_events = _snapshot(killed_db)
    assert len(killed_docs) == n
    assert (killed_docs, killed_events) == _snapshot(clean_db)
    q = ("select id, document_id, plover, date_value, place_name, lat, lon, data "
         "from event_mentions order by id")
    a, b = sqlite3.connect(killed_db), sqlite3.connect(clean_db)
    try:
        assert a.execute(q).fetchall() == b.execute(q).fetchall()
    finally:
        a.close()
        b.close()
