"""`frontlines bench --fusion`: the synthetic archive and the command (no timing asserted)."""
from __future__ import annotations

import json

from click.testing import CliRunner

from frontlines.bench_fusion import bcubed_f1, synthetic_mentions
from frontlines.cli import main


def test_a_smaller_archive_is_the_start_of_a_larger_one():
    small, truth_small = synthetic_mentions(300, seed=4)
    large, truth_large = synthetic_mentions(900, seed=4)
    assert large[:300] == small
    assert all(truth_large[m.id] == truth_small[m.id] for m in small)
    # Day after day: the later part of the archive is later (reports lag by up to two days).
    assert (min(m.published for m in large[600:]) - max(m.published for m in small)).days >= -2
    assert large[-1].published > small[-1].published


def test_bcubed_f1():
    truth = {"a": "o1", "b": "o1", "c": "o2"}
    assert bcubed_f1(truth, {"a": "x", "b": "x", "c": "y"}) == 1.0
    together = bcubed_f1(truth, {"a": "x", "b": "x", "c": "x"})
    assert together == 2 * (5 / 9) * 1.0 / (5 / 9 + 1.0)


def test_bench_fusion_command_prints_each_size():
    result = CliRunner().invoke(main, ["bench", "--fusion", "--mentions", "800", "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["mentions"] for s in data["sizes"]] == [200, 400, 800]
    assert all(0 < s["events"] <= s["mentions"] and s["peak_mb"] >= 0 for s in data["sizes"])
    assert len(data["growth"]) == 2
    bad = CliRunner().invoke(main, ["bench", "--fusion", "examples"])
    assert bad.exit_code == 2 and "give no PATH" in bad.output
