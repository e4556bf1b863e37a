"""The geoparsing scorer on hand-made records, and the real run on ../shared when present."""
from __future__ import annotations

import json
import math

import pytest

from frontlines.evaluate import geoparsing as geo


def _record(text: str, toponyms: list[dict], rid: str = "toy:1") -> dict:
    """A record in the shared layout; every toponym is in both gold sets unless it says otherwise."""
    out = []
    for t in toponyms:
        begin = text.index(t["text"])
        out.append({"begin": begin, "end": begin + len(t["text"]), "text": t["text"], "lat": t.get("lat"),
                    "lon": t.get("lon"), "geonameid": t.get("geonameid"),
                    "in_geocoding_gold": t.get("geocoding", True), "in_geotagging_gold": t.get("geotagging", True),
                    "offset_status": "ok", "attrs": {}})
    return {"id": rid, "dataset": "toy", "task": "geoparsing", "text": text, "date": None,
            "gold": {"toponyms": out}, "meta": {}}


TEXT = "Flooding hit Springfield and Dover before reaching Lakeside."
REC = _record(TEXT, [
    {"text": "Springfield", "lat": 39.80, "lon": -89.64, "geonameid": 4250542},
    {"text": "Dover", "lat": 51.13, "lon": 1.31, "geonameid": 2651048},
    {"text": "Lakeside", "lat": 10.0, "lon": 10.0, "geocoding": False},
])


def _at(name: str, lat: float, lon: float, gid=None) -> tuple:
    b = TEXT.index(name)
    return (b, b + len(name), lat, lon, gid)


def test_haversine_of_one_degree_of_latitude_is_about_111_km():
    assert geo.haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.05)


def test_right_wrong_and_unanswered_toponyms_are_scored_by_the_convention():
    springfield = _at("Springfield", 39.78, -89.65, 4250542)  # about 2 km off, same id
    dover_wrong = _at("Dover", 39.16, -75.52, 4142290)       # Delaware, not Kent
    score = geo.score_record(REC, [springfield, dover_wrong], [springfield, dover_wrong])
    g = score.gold_spans
    assert g.n == 2 and g.answered == 2
    assert g.acc161 == 0.5
    assert g.exact_id == 0.5
    assert g.median_km > 161
    # One answer missing: it counts as the largest error, so answering less never helps.
    none = geo.score_record(REC, [springfield, None], [springfield]).gold_spans
    assert none.answered == 1 and none.errors[1] is None
    assert none.mean_km == pytest.approx((none._km()[0] + geo.MAX_KM) / 2)
    assert none.auc > g.auc


def test_auc_is_zero_when_every_answer_is_exact_and_one_when_none_is_given():
    perfect = geo.score_record(REC, [_at("Springfield", 39.80, -89.64), _at("Dover", 51.13, 1.31)], [])
    assert perfect.gold_spans.auc == pytest.approx(0.0)
    nothing = geo.score_record(REC, [None, None], [])
    assert nothing.gold_spans.auc == pytest.approx(1.0, abs=1e-4)  # ln(1+MAX)/ln(MAX)
    assert nothing.gold_spans.acc161 == 0.0


def test_auc_follows_the_trapezoid_over_sorted_log_errors():
    g = geo.Geocoding(errors=[100.0, 0.0, 1000.0])
    y = sorted(math.log1p(e) for e in (0.0, 100.0, 1000.0))
    expected = ((y[0] + y[1]) / 2 + (y[1] + y[2]) / 2) / (math.log(geo.MAX_KM) * 2)
    assert g.auc == pytest.approx(expected)


def test_geotagging_counts_exact_and_overlapping_spans():
    springfield = _at("Springfield", 0, 0)
    partial = (TEXT.index("Dover"), TEXT.index("Dover") + 3, 0, 0, None)  # "Dov"
    extra = (0, 8, 0, 0, None)  # "Flooding"
    tagging = geo.score_record(REC, [None, None], [springfield, partial, extra]).tagging
    # Gold for detection: all three names, Lakeside included (geotagging only).
    assert tagging.exact.n_gold == 3 and tagging.exact.n_pred == 3
    assert tagging.exact.tp_gold == 1
    assert tagging.overlap.tp_gold == 2 and tagging.overlap.tp_pred == 2
    assert tagging.exact.precision == pytest.approx(1 / 3)


def test_end_to_end_resolution_is_scored_only_on_detected_gold_spans():
    springfield = _at("Springfield", 39.80, -89.64, 4250542)
    score = geo.score_record(REC, [None, None], [springfield])
    assert score.end_to_end.n == 1 and score.end_to_end.acc161 == 1.0


def test_the_ceiling_tells_missing_data_from_ranking_errors():
    gazetteer = {"Springfield": [(42.10, -72.59), (39.80, -89.64)], "Dover": [(39.16, -75.52)]}
    points = lambda name: gazetteer.get(name, [])  # noqa: E731
    wrong = [_at("Springfield", 42.10, -72.59), _at("Dover", 39.16, -75.52)]
    score = geo.score_record(REC, wrong, [], points)
    assert score.gold_spans.ceiling == 0.5
    assert score.gold_spans.breakdown() == {"right": 0, "ranking": 1, "missing": 1}
    assert score.ranking == ["Springfield"] and score.missing == ["Dover"]


def test_the_exact_id_ceiling_counts_the_gold_id_among_the_candidates():
    # Springfield's gold id is a candidate (though far from the gold point: Canada's case), Dover's is not.
    gazetteer = {"Springfield": [(42.10, -72.59, 4951788), (45.0, -80.0, 4250542)], "Dover": [(39.16, -75.52, 4142290)]}
    points = lambda name: gazetteer.get(name, [])  # noqa: E731
    answers = [_at("Springfield", 45.0, -80.0, 4250542), _at("Dover", 39.16, -75.52, 4142290)]
    g = geo.score_record(REC, answers, [], points).gold_spans
    assert g.id_in_ceiling == [True, False] and g.id_ceiling == 0.5
    assert g.exact_id == 0.5 and g.to_dict()["id_efficiency"] == 1.0
    assert g.ceiling == 0.0  # no candidate within 161 km of either gold point
    # a toponym with no gold id is not counted, and a candidate with no id matches nothing
    assert geo.id_in_ceiling({"text": "Lakeside", "geonameid": None}, points) is None
    assert geo.id_in_ceiling({"text": "Dover", "geonameid": 2651048}, lambda name: [(51.13, 1.31)]) is False


def test_wrong_number_of_answers_is_an_error():
    with pytest.raises(ValueError, match="answers for 2 gold toponyms"):
        geo.score_record(REC, [None], [])


def test_load_records_checks_the_file(tmp_path):
    good = tmp_path / "toy.jsonl"
    good.write_text(json.dumps(REC) + "\n", encoding="utf-8")
    assert len(geo.load_records(tmp_path, "toy")) == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"task": "entity_spans", "gold": {}}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: not a geoparsing record"):
        geo.load_records(bad, "bad")
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        geo.load_records(tmp_path / "missing.jsonl", "missing")


def test_predictions_round_trip_through_rescore(tmp_path):
    springfield = _at("Springfield", 39.80, -89.64, 4250542)
    out = tmp_path / "pred.jsonl"
    out.write_text(json.dumps(geo.prediction_record(REC, [springfield, None], [springfield])) + "\n")
    again = geo.rescore([REC], "toy", out)
    direct = geo.GeoparsingScore("toy")
    direct.add(geo.score_record(REC, [springfield, None], [springfield]))
    assert again.to_dict() == direct.to_dict()


# -- the real reader ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def system():
    return geo.load_system()


def test_reader_resolves_given_spans_in_a_toy_story(system):
    nlp, stage, gaz = system
    text = "Syrian troops shelled Aleppo and Idlib on Monday, officials in Damascus said."
    rec = _record(text, [
        {"text": "Aleppo", "lat": 36.20, "lon": 37.16, "geonameid": 170063},
        {"text": "Idlib", "lat": 35.93, "lon": 36.63, "geonameid": 169388},
        {"text": "Damascus", "lat": 33.51, "lon": 36.29, "geonameid": 170654},
    ])
    result = geo.evaluate_geoparsing([rec], "toy", nlp, stage, gaz)
    assert result.gold_spans.acc161 == 1.0
    assert result.gold_spans.ceiling == 1.0
    assert result.tagging.exact.recall == 1.0


@pytest.mark.shared
@pytest.mark.parametrize("dataset", geo.DATASETS)
def test_dev_sets_score_above_the_population_baseline(shared_dir, system, dataset):
    """Not a target, a floor: resolution on gold spans must beat a coin and stay under the
    ceiling (a scorer bug would show as accuracy above the ceiling)."""
    nlp, stage, gaz = system
    records = geo.load_records(shared_dir / "eval" / "dev", dataset)[:25]
    result = geo.evaluate_geoparsing(records, dataset, nlp, stage, gaz)
    g = result.gold_spans
    assert g.n > 50
    assert g.acc161 <= g.ceiling + 1e-9
    assert g.acc161 > 0.4
    assert result.tagging.exact.f1 > 0.4
