"""End to end through the CLI: ingest the sample corpus, then ask how eastern Aleppo stood on two days."""
from __future__ import annotations

import csv
import io
import json

from cli_support import run_ok


def test_late_july_eastern_aleppo_is_besieged_since_the_road_was_cut(ingested_corpus):
    text = run_ok("situation", "eastern Aleppo", "--at", "2016-07-30", "--db", ingested_corpus)
    assert "siege: BESIEGED since 2016-07-17" in text
    assert "broken" not in text
    assert "held by: Syrian rebels" in text
    assert "route Castello road: Syrian government, since 2016-07-17" in text
    assert "trapped:" in text and "275,000" in text  # the besieged population, with its source
    sit = json.loads(run_ok("situation", "eastern Aleppo", "--at", "2016-07-30", "--db", ingested_corpus, "--format", "json"))
    assert sit["siege"]["status"] == "besieged" and sit["siege"]["end"] is None


def test_after_6_august_the_siege_is_broken_and_the_armys_denial_is_shown(ingested_corpus):
    sit = json.loads(run_ok("situation", "East Aleppo", "--at", "2016-08-10", "--db", ingested_corpus, "--format", "json"))
    siege = sit["siege"]
    assert siege["end"] == "2016-08-06" and siege["start"] == "2016-07-17"
    assert siege["status"] == "contested"  # the rebels say broken, the army says not
    assert any("Jaish al-Fatah" in s["evidence"] or "REB_COALITION" in s["reported_by"] for s in siege["sources"])
    denials = siege["contested_by"]
    assert denials and all(d["status"] == "claimed" for d in denials)
    assert any(d["outlet"] == "Levant Wire" and d["date"] == "2016-08-06" for d in denials)
    text = run_ok("situation", "eastern Aleppo", "--at", "2016-08-10", "--db", ingested_corpus)
    assert "siege broken on 2016-08-06" in text and "denied: [cc-" in text


def test_conflicting_claims_about_one_place_and_day_are_both_shown_with_their_sources(ingested_corpus):
    text = run_ok("situation", "1070 housing project", "--at", "2016-08-02", "--db", ingested_corpus)
    assert "CONTESTED on 2016-08-01" in text
    assert "Syrian government holds it, says [cc-" in text and "Syrian rebels holds it, says [cc-" in text
    assert text.count("Crescent Times 2016-08-01") == 2


def test_control_and_figures_list_the_claims_in_every_format(ingested_corpus):
    rows = json.loads(run_ok("control", "--place", "eastern Aleppo", "--db", ingested_corpus, "--format", "json"))
    assert {"held", "besieged", "lifted"} <= {r["change"] for r in rows}
    assert all(r["place_key"] == rows[0]["place_key"] for r in rows)
    since = json.loads(run_ok("control", "--since", "2016-08-06", "--db", ingested_corpus, "--format", "json"))
    assert since and all(r["date"] >= "2016-08-06" for r in since)
    table = run_ok("control", "--place", "Castello road", "--db", ingested_corpus)
    assert table.splitlines()[0].startswith("id") and "captured" in table
    hxl = list(csv.reader(io.StringIO(run_ok("figures", "--db", ingested_corpus, "--format", "hxl"))))
    assert hxl[1][0] == "#meta+id" and "#affected+trapped" in hxl[1] and "#date+reported" in hxl[1]
    trapped = json.loads(run_ok("figures", "--kind", "trapped_population", "--db", ingested_corpus, "--format", "json"))
    assert trapped and all(r["kind"] == "trapped_population" for r in trapped)
    flat = list(csv.DictReader(io.StringIO(run_ok("figures", "--place", "eastern Aleppo", "--db", ingested_corpus,
                                               "--format", "csv"))))
    assert flat and {"kind", "value_best", "value_low", "value_high", "hedges", "as_of", "outlets",
                     "n_sources"} <= set(flat[0])  # one row per fused figure
    reports = list(csv.DictReader(io.StringIO(run_ok("figures", "--place", "eastern Aleppo", "--db", ingested_corpus,
                                                  "--format", "csv", "--reports"))))
    assert reports and {"kind", "value", "hedge", "as_of", "outlet"} <= set(reports[0])


def test_a_place_with_no_claims_says_so(ingested_corpus):
    text = run_ok("situation", "Reykjavik", "--db", ingested_corpus)
    assert "no claim of who holds it" in text and "no report of a siege" in text
