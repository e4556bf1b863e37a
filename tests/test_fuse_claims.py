"""Fusion of control claims and figures (frontlines.fuse_claims): hand-made rows, then the sample corpus."""
from __future__ import annotations

import json
import random
from typing import Any, Optional

import pytest
from cli_support import run_ok

from frontlines.fuse_claims import (
    FigureMention,
    control_changes,
    fused_figures,
    values_close,
)
from frontlines.knowledge.actors import ActorBook


@pytest.fixture(scope="module")
def book() -> ActorBook:
    return ActorBook.load()


def claim(i: str, doc: str, outlet: Optional[str] = "Levant Wire", *, change: str = "captured",
          controller: Optional[str] = "SYR_GOV", counterpart: Optional[str] = "SYR_REB",
          place: str = "Castello road", day: str = "2016-07-17", precision: str = "day",
          expression: Optional[str] = "on Sunday", status: str = "asserted",
          published: Optional[str] = None) -> dict[str, Any]:
    return {"id": i, "document_id": doc, "outlet": outlet, "published": published or day,
            "change": change, "controller": controller, "counterpart": counterpart, "place": place,
            "place_kind": "road", "date": day, "date_precision": precision,
            "date_expression": expression, "status": status, "reported_by": [],
            "evidence_text": f"evidence of {i}"}


def figure(i: str, doc: str, outlet: Optional[str] = "Levant Wire", *, kind: str = "trapped_population",
           value: Optional[float] = 300000, low: Optional[float] = None, high: Optional[float] = None,
           hedge: Optional[str] = None, place: str = "eastern Aleppo", as_of: str = "2016-07-17",
           status: str = "asserted", unit: str = "people", projected: Optional[str] = None,
           published: Optional[str] = None) -> dict[str, Any]:
    return {"id": i, "document_id": doc, "outlet": outlet, "published": published or as_of,
            "kind": kind, "value": value, "low": low, "high": high, "hedge": hedge, "unit": unit,
            "place": place, "as_of": as_of, "as_of_precision": "day", "status": status,
            "projected_date": projected, "reported_by": [], "evidence_text": f"evidence of {i}"}


def groups(changes) -> list[list[str]]:
    return sorted(sorted(c["id"] for c in ch.claims) if hasattr(ch, "claims")
                  else sorted(r["id"] for r in ch.reports) for ch in changes)


# -- control -------------------------------------------------------------------------------


def test_the_same_capture_from_two_outlets_is_one_change_with_two_sources(book):
    (change,) = control_changes([
        claim("c1", "A", "Levant Wire"),
        claim("c2", "B", "Northern Desk", day="2016-07-18", expression=None,
              published="2016-07-18"),  # dated by its publication: the day before counts
    ], book)
    assert change.n_claims == 2 and change.n_sources == 2 and change.n_documents == 2
    assert change.change == "captured" and change.controller == "SYR_GOV"
    assert change.date == "2016-07-17" and change.date_precision == "day"  # the stated day wins
    assert (change.first_reported, change.last_reported) == ("2016-07-17", "2016-07-18")
    assert change.outlets == ["Levant Wire", "Northern Desk"]
    assert change.id.startswith("ctl-") and change.claim_ids == ["c1", "c2"]


def test_lost_is_the_other_sides_capture(book):
    (change,) = control_changes([
        claim("c1", "A"),
        claim("c2", "B", "Northern Desk", change="lost", controller="SYR_REB", counterpart="SYR_GOV"),
    ], book)
    assert (change.change, change.controller, change.counterpart) == ("captured", "SYR_GOV", "SYR_REB")
    assert not change.disagreements


def test_a_denial_is_kept_as_a_disagreement_and_the_change_keeps_its_strongest_status(book):
    (change,) = control_changes([
        claim("c1", "A", "Levant Wire", status="claimed"),
        claim("c2", "B", "State News", status="denied"),
        claim("c3", "C", "Northern Desk", day="2016-07-17", precision="week", expression="last week"),
    ], book)
    assert change.status == "asserted" and change.n_sources == 3  # the strongest support
    status = next(d for d in change.disagreements if d["field"] == "status")
    assert {v["value"]: v["outlets"] for v in status["values"]} == {
        "claimed": ["Levant Wire"], "denied": ["State News"], "asserted": ["Northern Desk"]}
    date = next(d for d in change.disagreements if d["field"] == "date")
    assert {v["value"] for v in date["values"]} == {"2016-07-17 (day)", "2016-07-17 (week)"}
    assert change.date_precision == "day"  # the finest date


def test_a_siege_broken_and_the_army_saying_it_stands_contest_each_other(book):
    besieged, lifted = sorted(control_changes([
        claim("c1", "A", "Levant Wire", change="lifted", place="eastern Aleppo", day="2016-08-06"),
        claim("c2", "B", "State News", change="besieged", place="east Aleppo", day="2016-08-06",
              status="claimed"),
    ], book), key=lambda c: c.change)
    assert lifted.change == "lifted" and besieged.change == "besieged"
    assert lifted.place_key == besieged.place_key  # "east" and "eastern" Aleppo are one area
    assert [x["id"] for x in lifted.contested_by] == [besieged.id]
    assert [x["claim_ids"] for x in besieged.contested_by] == [["c1"]]


def test_the_same_place_a_week_apart_stays_two_changes(book):
    changes = control_changes([claim("c1", "A"), claim("c2", "B", "Northern Desk", day="2016-07-24")],
                              book)
    assert groups(changes) == [["c1"], ["c2"]]
    assert all(c.n_sources == 1 for c in changes)


def test_the_same_week_at_another_place_stays_apart(book):
    changes = control_changes([claim("c1", "A"), claim("c2", "B", place="Bani Zeid")], book)
    assert groups(changes) == [["c1"], ["c2"]]


def test_opposite_sides_and_one_document_twice_stay_apart(book):
    changes = control_changes([
        claim("c1", "A"),
        claim("c2", "B", controller="SYR_REB", counterpart="SYR_GOV"),  # the rebels took it back
        claim("c3", "A", outlet="Levant Wire"),  # the same document telling it twice
    ], book)
    assert groups(changes) == [["c1"], ["c2"], ["c3"]]


def test_a_planned_capture_is_not_the_capture(book):
    changes = control_changes([claim("c1", "A"), claim("c2", "B", status="planned")], book)
    assert groups(changes) == [["c1"], ["c2"]]


def test_documents_without_an_outlet_are_sources_of_their_own(book):
    (change,) = control_changes([claim("c1", "A", None), claim("c2", "B", None)], book)
    assert change.n_sources == 2 and change.outlets == []


def test_ids_and_groups_do_not_depend_on_the_order_of_the_rows(book):
    rows = [claim("c1", "A", published="2016-07-18"), claim("c2", "B", "Northern Desk", published="2016-07-17"),
            claim("c3", "C", "Crescent Times", day="2016-07-24"),
            claim("c4", "D", change="besieged", place="eastern Aleppo"),
            claim("c5", "E", "X", change="besieged", place="eastern Aleppo", day="2016-07-18",
                  expression=None)]
    first = [c.to_dict() for c in control_changes(rows, book)]
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert [c.to_dict() for c in control_changes(shuffled, book)] == first
    capture = next(c for c in first if "c1" in c["claim_ids"])
    assert capture["claim_ids"] == ["c2", "c1"]  # earliest report first
    import hashlib
    assert capture["id"] == "ctl-" + hashlib.sha256(b"c2").hexdigest()[:12]  # from the first report
    # A later report joining keeps the id.
    later = control_changes(rows + [claim("c6", "F", "Y", published="2016-07-20")], book)
    assert next(c for c in later if "c1" in c.claim_ids).id == capture["id"]


# -- figures -------------------------------------------------------------------------------


def test_the_trapped_population_told_by_three_outlets_in_one_week_is_one_figure():
    (fig,) = fused_figures([
        figure("f1", "A", "Levant Wire", value=250000, hedge="some"),
        figure("f2", "B", None, value=None, low=250000, high=300000, hedge="between",
               as_of="2016-07-18"),
        figure("f3", "C", "Crescent Times", value=300000, hedge="as many as", as_of="2016-07-21",
               status="claimed"),
    ])
    assert (fig.value_low, fig.value_best, fig.value_high) == (250000, 250000, 300000)
    assert [h["hedge"] for h in fig.hedges] == ["some", "between", "as many as"]
    assert fig.n_reports == 3 and fig.n_sources == 3 and fig.n_documents == 3
    assert (fig.as_of_low, fig.as_of_high) == ("2016-07-17", "2016-07-21")
    assert (fig.first_reported, fig.last_reported) == ("2016-07-17", "2016-07-21")
    assert fig.status == "asserted" and fig.id.startswith("fig-")
    values = next(d for d in fig.disagreements if d["field"] == "value")
    assert {v["value"] for v in values["values"]} == {"250000", "250000–300000", "300000"}


def test_best_is_the_lowest_credible_figure_else_the_lowest():
    (fig,) = fused_figures([
        figure("f1", "A", "Rebel Media", kind="deaths", value=30, status="claimed"),
        figure("f2", "B", "Monitor", kind="deaths", value=40, hedge="at least"),
    ])
    assert (fig.value_low, fig.value_best, fig.value_high) == (30, 40, 40)
    (claimed,) = fused_figures([
        figure("f1", "A", "Rebel Media", kind="deaths", value=30, status="claimed"),
        figure("f2", "B", "Army", kind="deaths", value=25, status="claimed"),
    ])
    assert claimed.value_best == 25


def test_counts_a_month_apart_or_far_apart_are_different_figures():
    figs = fused_figures([
        figure("f1", "A", kind="evacuated", value=169, as_of="2016-07-30"),
        figure("f2", "B", "Northern Desk", kind="evacuated", value=1000, as_of="2016-08-27"),
        figure("f3", "C", "Crescent Times", kind="evacuated", value=1000, as_of="2016-07-30"),
    ])
    assert groups(figs) == [["f1"], ["f2"], ["f3"]]  # 1,000 the same day is ~6 times 169


def test_a_count_of_one_day_does_not_join_the_next_week_but_a_stock_does():
    count = fused_figures([figure("f1", "A", kind="evacuated", value=300),
                           figure("f2", "B", "X", kind="evacuated", value=300, as_of="2016-07-20")])
    assert len(count) == 2
    stock = fused_figures([figure("f1", "A"), figure("f2", "B", "X", as_of="2016-07-22")])
    assert len(stock) == 1
    apart = fused_figures([figure("f1", "A"), figure("f2", "B", "X", as_of="2016-07-26")])
    assert len(apart) == 2  # nine days: the next estimate of a series


def test_a_weekly_series_does_not_chain_into_one_figure():
    figs = fused_figures([figure("f1", "A", value=300000, as_of="2016-07-17"),
                          figure("f2", "B", "X", value=290000, as_of="2016-07-22"),
                          figure("f3", "C", "Y", value=280000, as_of="2016-07-27")])
    assert len(figs) == 2  # f3 is within a week of f2 only: every report must be near every other


def test_other_kinds_units_places_and_forecasts_stay_apart():
    figs = fused_figures([
        figure("f1", "A"),
        figure("f2", "B", "X", kind="population"),
        figure("f3", "C", "Y", unit="families"),
        figure("f4", "D", "Z", place="western Aleppo"),
        figure("f5", "E", "W", kind="supply_exhaustion", value=21, unit="days", status="expected",
               projected="2016-08-07"),
        figure("f6", "F", "V", kind="supply_exhaustion", value=14, unit="days", status="expected",
               projected="2016-07-31"),
        figure("f7", "G", "U", kind="supply_exhaustion", value=20, unit="days", status="expected",
               projected="2016-08-06", as_of="2016-07-18"),
    ])
    assert groups(figs) == [["f1"], ["f2"], ["f3"], ["f4"], ["f5", "f7"], ["f6"]]


def test_values_close_is_a_factor_not_a_difference():
    def f(value=None, low=None, high=None) -> FigureMention:
        return FigureMention("x", "d", None, None, "trapped_population", "people", value, low, high,
                             "k", None, None, "asserted")
    assert values_close(f(250000), f(300000))
    assert values_close(f(low=250000, high=300000), f(275000))
    assert values_close(f(10), f(15)) and not values_close(f(10), f(16))
    assert not values_close(f(169), f(1000))


def test_figure_ids_and_groups_do_not_depend_on_order():
    rows = [figure("f1", "A", published="2016-07-19"), figure("f2", "B", "X", value=260000, published="2016-07-18"),
            figure("f3", "C", "Y", kind="evacuated", value=12), figure("f4", "D", "Z", kind="evacuated", value=13)]
    first = [f.to_dict() for f in fused_figures(rows)]
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert [f.to_dict() for f in fused_figures(shuffled)] == first
    assert len(first) == 2
    trapped = next(f for f in first if f["kind"] == "trapped_population")
    assert trapped["report_ids"] == ["f2", "f1"]  # earliest report first: the id is f2's


# -- the sample corpus, through the CLI ---------------------------------------------------


def test_the_corpus_tells_some_changes_of_control_more_than_once(ingested_corpus):
    changes = json.loads(run_ok("control", "--db", ingested_corpus, "--format", "json"))
    claims = json.loads(run_ok("control", "--db", ingested_corpus, "--format", "json", "--reports"))
    assert len(changes) < len(claims)
    assert sorted(i for c in changes for i in c["claim_ids"]) == sorted(c["id"] for c in claims)
    multi = [c for c in changes if c["n_sources"] >= 2]
    assert multi
    # The gold: the Castello road cut on 17 July, told by Levant Wire and by other reports.
    castello = [c for c in multi if c["place"] == "Castello road" and c["change"] == "captured"]
    assert castello and castello[0]["date"] == "2016-07-17"
    # The break of the siege on 6 August, told by several outlets, contested by a party.
    broken = [c for c in changes if c["change"] == "lifted" and c["date"] == "2016-08-06"]
    assert broken and broken[0]["n_sources"] >= 2 and broken[0]["contested_by"]
    table = run_ok("control", "--place", "Castello road", "--db", ingested_corpus)
    assert table.splitlines()[0].split()[:2] == ["id", "date"] and "sources" in table.splitlines()[0]


def test_the_corpus_figures_list_one_row_per_figure_with_its_range(ingested_corpus):
    figs = json.loads(run_ok("figures", "--kind", "trapped_population", "--db", ingested_corpus, "--format", "json"))
    reports = json.loads(run_ok("figures", "--kind", "trapped_population", "--db", ingested_corpus, "--format", "json",
                             "--reports"))
    assert sum(f["n_reports"] for f in figs) == len(reports)
    assert all(f["value_low"] <= f["value_best"] <= f["value_high"] for f in figs)


def test_a_change_only_ever_denied_contests_nothing(book):
    changes = control_changes([
        claim("c1", "A", "State News", controller="SYR_REB", counterpart="SYR_GOV", status="denied"),
        claim("c2", "B", "Levant Wire", change="held", counterpart=None),
    ], book)
    assert len(changes) == 2 and not any(c.contested_by for c in changes)
    taken = control_changes([
        claim("c1", "A", "Rebel Media", controller="SYR_REB", counterpart="SYR_GOV", status="claimed"),
        claim("c2", "B", "Levant Wire", change="held", counterpart=None),
    ], book)
    assert all(len(c.contested_by) == 1 for c in taken)  # rebels say taken, the wire says held
