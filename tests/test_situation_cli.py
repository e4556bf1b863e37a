"""End to end through the CLI: ingest the sample corpus, then ask how eastern Aleppo stood on two days."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from frontlines.cli import main



def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def corpus_db(ingested_corpus: str) -> str:
    return ingested_corpus  # read only: the session's one ingest of the sample corpus


def test_late_july_eastern_aleppo_is_besieged_since_the_road_was_cut(corpus_db):
    text = run("situation", "eastern Aleppo", "--at", "2016-07-30", "--db", corpus_db)
    assert "siege: BESIEGED since 2016-07-17" in text
    assert "broken" not in text
    assert "held by: Syrian rebels" in text
    assert "route Castello road: Syrian government, since 2016-07-17" in text
    assert "trapped:" in text and "275,000" in text  # the besieged population, with its source
    sit = json.loads(run("situation", "eastern Aleppo", "--at", "2016-07-30", "--db", corpus_db, "--format", "json"))
    assert sit["siege"]["status"] == "besieged" and sit["siege"]["end"] is None


def test_after_6_august_the_siege_is_broken_and_the_armys_denial_is_shown(corpus_db):
    sit = json.loads(run("situation", "East Aleppo", "--at", "2016-08-10", "--db", corpus_db, "--format", "json"))
    siege = sit["siege"]
    assert siege["end"] == "2016-08-06" and siege["start"] == "2016-07-17"
    assert siege["status"] == "contested"  # the rebels say broken, the army says not
    assert any("Jaish al-Fatah" in s["evidence"] or "REB_COALITION" in s["reported_by"] for s in siege["sources"])
    denials = siege["contested_by"]
    assert denials and all(d["status"] == "claimed" for d in denials)
    assert any(d["outlet"] == "Levant Wire" and d["date"] == "2016-08-06" for d in denials)
    text = run("situation", "eastern Aleppo", "--at", "2016-08-10", "--db", corpus_db)
    assert "siege broken on 2016-08-06" in text and "denied: [cc-" in text


def test_conflicting_claims_about_one_place_and_day_are_both_shown_with_their_sources(corpus_db):
    text = run("situation", "1070 housing project", "--at", "2016-08-02", "--db", corpus_db)
    assert "CONTESTED on 2016-08-01" in text
    assert "Syrian government holds it, says [cc-" in text and "Syrian rebels holds it, says [cc-" in text
    assert text.count("Crescent Times 2016-08-01") == 2


def test_control_and_figures_list_the_claims_in_every_format(corpus_db):
    rows = json.loads(run("control", "--place", "eastern Aleppo", "--db", corpus_db, "--format", "json"))
    assert {"held", "besieged", "lifted"} <= {r["change"] for r in rows}
    assert all(r["place_key"] == rows[0]["place_key"] for r in rows)
    since = json.loads(run("control", "--since", "2016-08-06", "--db", corpus_db, "--format", "json"))
    assert since and all(r["date"] >= "2016-08-06" for r in since)
    table = run("control", "--place", "Castello road", "--db", corpus_db)
    assert table.splitlines()[0].startswith("id") and "captured" in table
    hxl = list(csv.reader(io.StringIO(run("figures", "--db", corpus_db, "--format", "hxl"))))
    assert hxl[1][0] == "#meta+id" and "#affected+trapped" in hxl[1] and "#date+reported" in hxl[1]
    trapped = json.loads(run("figures", "--kind", "trapped_population", "--db", corpus_db, "--format", "json"))
    assert trapped and all(r["kind"] == "trapped_population" for r in trapped)
    flat = list(csv.DictReader(io.StringIO(run("figures", "--place", "eastern Aleppo", "--db", corpus_db,
                                               "--format", "csv"))))
    assert flat and {"kind", "value_best", "value_low", "value_high", "hedges", "as_of", "outlets",
                     "n_sources"} <= set(flat[0])  # one row per fused figure
    reports = list(csv.DictReader(io.StringIO(run("figures", "--place", "eastern Aleppo", "--db", corpus_db,
                                                  "--format", "csv", "--reports"))))
    assert reports and {"kind", "value", "hedge", "as_of", "outlet"} <= set(reports[0])


def test_a_place_with_no_claims_says_so(corpus_db):
    text = run("situation", "Reykjavik", "--db", corpus_db)
    assert "no claim of who holds it" in text and "no report of a siege" in text
