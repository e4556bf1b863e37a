"""`frontlines statements`: the table, the filters, CSV and JSON, and its option errors."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cli_support import run_ok
from frontlines.cli import main
from statements_support import build_db, read_reports


@pytest.fixture(scope="module")
def db(reader, tmp_path_factory) -> str:
    return str(build_db(tmp_path_factory.mktemp("stmt-cli") / "s.db", read_reports(reader)))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_table_lists_every_statement_oldest_first(db):
    result = run("statements", "--db", db)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "published", "type", "actors", "→", "targets",
                                "status", "evidence"]
    body = lines[2:]
    assert len(body) == 5
    assert "Syrian government → Syrian rebels" in body[0] and "ACCUSE" in body[0]
    assert "THREATEN/violence" in body[3]
    assert body[4].split()[1] == "?"  # the undated document's statement, last
    assert result.stderr.strip() == "5 statements"


def test_filters_by_actor_type_and_document_date(db):
    rows = json.loads(run_ok("statements", "--db", db, "--actor", "united nations", "--json"))
    assert [(r["plover"], r["published"]) for r in rows] == [("REJECT", "2016-08-09"),
                                                              ("ACCUSE", None)]
    rows = json.loads(run_ok("statements", "--db", db, "--type", "accuse", "--type", "reject",
                             "--since", "2016-08-04", "--format", "json"))
    assert [r["plover"] for r in rows] == ["REJECT"]
    rows = json.loads(run_ok("statements", "--db", db, "--until", "2016-08-03", "--limit", "1",
                             "--json"))
    assert [r["plover"] for r in rows] == ["ACCUSE"]
    empty = run("statements", "--db", db, "--actor", "nobody")
    assert empty.exit_code == 0 and empty.stdout == "" and "0 statements" in empty.stderr


def test_csv_export_has_one_row_per_statement(db):
    out = run_ok("statements", "--db", db, "--format", "csv", "--type", "THREATEN")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["plover"], row["mode"], row["actors"], row["targets"]) == (
        "THREATEN", "violence", "SYR_REB", "SYR_GOV")
    assert row["evidence_text"].startswith("The rebels threatened to attack")
    assert row["published"] == "2016-08-09" and row["outlet"] == "Test Wire"


def test_geojson_and_bad_options_are_refused_with_a_reason(db, tmp_path):
    geo = run("statements", "--db", db, "--format", "geojson")
    assert geo.exit_code == 2 and "statements have no place of their own" in geo.output
    both = run("statements", "--db", db, "--format", "csv", "--json")
    assert both.exit_code == 2 and "two formats" in both.output
    dates = run("statements", "--db", db, "--since", "2016-09-01", "--until", "2016-08-01")
    assert dates.exit_code == 2 and "--since 2016-09-01 is after --until 2016-08-01" in dates.output
    bad_type = run("statements", "--db", db, "--type", "CONDEMN")
    assert bad_type.exit_code == 2 and "should be a PLOVER type" in bad_type.output
    missing = run("statements", "--db", str(tmp_path / "nope.db"))
    assert missing.exit_code == 1 and "no such database" in missing.output


def test_summary_counts_statements(db):
    out = run_ok("summary", "--db", db)
    assert "statements      5" in out and "  THREATEN      1" in out
