"""Event coding scorers (CASE 2021, PLOVER GSR), the rules → CASE mapping and the snippet classifier.

Every text here is written for the tests. The tests marked ``shared`` read ../shared/eval/dev at
run time (never copied) and skip when it is absent.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from frontlines.evaluate.case2021 import CaseRecord, CaseResult, load_case2021, score_case2021
from frontlines.evaluate.multiclass import score_labels
from frontlines.evaluate.plover_gsr import (
    GsrPrediction, GsrRecord, load_plover_gsr, score_plover_gsr, span_prf,
)
from frontlines.knowledge.event_labels import (
    ACLED_TO_CASE, CASE_CODES, SUBTASK_LABELS, acled_sub_event, case_code,
)
from frontlines.knowledge.ontology import ACLED_SUB_EVENT_TYPES
from frontlines.model import DateRef, EventMention, Span
from frontlines.reading.classify import (
    FeatureConfig, SnippetClassifier, crime_named, disaster_class, event_features, main_event, rule_label, words,
)

# --------------------------------------------------------------------------- metrics


def test_scores_by_hand():
    s = score_labels(["A", "A", "B", "C"], ["A", "B", "B", None])
    assert s.accuracy == pytest.approx(0.5)
    # A: P 1, R 1/2; B: P 1/2, R 1; C: nothing right
    assert s.weighted_f1 == pytest.approx((2 / 3 * 2 + 2 / 3 * 1 + 0) / 4)
    assert s.macro_f1 == pytest.approx((2 / 3 + 2 / 3) / 3)
    assert s.micro_f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


def test_scores_over_a_label_subset():
    s = score_labels(["A", "A", "B", "C"], ["A", "B", "B", None], labels=["A", "B"])
    assert [x.label for x in s.per_label] == ["A", "B"]
    assert s.macro_f1 == pytest.approx(2 / 3)
    assert s.weighted_f1 == pytest.approx(2 / 3)
    assert s.micro_f1 == pytest.approx(2 / 3)


def test_a_prediction_outside_the_label_set_is_wrong():
    s = score_labels(["A", "B"], ["X", "B"], labels=["A", "B"])
    assert s.per_label[0].f1 == 0.0 and s.per_label[1].f1 == 1.0
    assert s.weighted_f1 == pytest.approx(0.5)
    with pytest.raises(ValueError):
        score_labels(["A"], ["A", "B"])


def test_scores_equal_sklearn():
    metrics = pytest.importorskip("sklearn.metrics", reason="scikit-learn (the train extra) is not installed")
    rng = random.Random(7)
    labels = ["A", "B", "C", "D", "E"]
    gold = [rng.choice(labels[:4]) for _ in range(200)]
    pred = [rng.choice(labels + ["Z"]) for _ in range(200)]
    ours = score_labels(gold, pred, labels)
    for avg, value in (("weighted", ours.weighted_f1), ("macro", ours.macro_f1), ("micro", ours.micro_f1)):
        assert value == pytest.approx(metrics.f1_score(gold, pred, labels=labels, average=avg, zero_division=0))


# --------------------------------------------------------------------------- labels and mapping


def test_case_codes_cover_acled():
    assert len(SUBTASK_LABELS[1]) == 25 and len(SUBTASK_LABELS[2]) == 28 and len(SUBTASK_LABELS[3]) == 30
    assert set(ACLED_TO_CASE) == set(ACLED_SUB_EVENT_TYPES)
    for sub in ACLED_SUB_EVENT_TYPES:
        assert acled_sub_event(case_code(sub)) == sub
    assert acled_sub_event("DIPLO") is None
    with pytest.raises(KeyError):
        case_code("Airstrike")


def _event(plover: str, acled: str | None, start: int, status: str = "asserted",
           actors: tuple[str, ...] = (), mode: str | None = None) -> EventMention:
    span = Span(start, start + 4, "xxxx")
    return EventMention(id=f"ev-{start}", plover=plover, mode=mode, acled_event_type=None,
                        acled_sub_event_type=acled, actors=list(actors), targets=[], place=None,
                        date=DateRef(), status=status, reported_by=[], fatalities=None,
                        evidence=[span], rule=f"trigger:{plover}:x", trigger=span)


SECTORS = {"GANG": "CRM", "ARMY": "MIL"}.get


def test_rule_label_takes_the_first_event_that_happened_and_acled_codes():
    expected = _event("ASSAULT", None, 0, status="expected")
    clash = _event("ASSAULT", "Armed clash", 20)
    strike = _event("ASSAULT", "Air/drone strike", 40)
    assert main_event([strike, expected, clash]) is clash
    assert rule_label([strike, expected, clash], "text", SECTORS)[0] == "ARMED_CLASH"


def test_rule_label_fallbacks():
    assert rule_label([_event("ASSAULT", "Attack", 0, actors=("GANG",))], "t", SECTORS)[0] == "ORG_CRIME"
    assert rule_label([_event("ASSAULT", "Attack", 0, actors=("GANG", "ARMY"))], "t", SECTORS)[0] == "ATTACK"
    assert rule_label([_event("SANCTION", None, 0)], "t", SECTORS)[0] == "DIPLO"
    assert rule_label([_event("ACCUSE", None, 0)], "t", SECTORS)[0] == "ATTRIB"
    assert rule_label([_event("RETREAT", None, 0)], "t", SECTORS)[0] == "NON_VIOL_TERRIT_TRANSFER"
    assert rule_label([], "Floods swept the valley after a fire", SECTORS)[0] == "NATURAL_DISASTER"
    assert rule_label([], "A fire broke out before the floods", SECTORS)[0] == "MAN_MADE_DISASTER"
    assert rule_label([], "The minister spoke at length", SECTORS)[0] == "OTHER"
    assert disaster_class("firearms were found") is None  # whole words only


def test_a_withdrawal_transfers_ground_only_when_someone_takes_it():
    withdrawal = _event("RETREAT", None, 0, mode="withdraw")
    alone = "Government forces withdrew from the town of Kasba, heading south to the capital"
    assert rule_label([withdrawal], alone, SECTORS)[0] == "CHANGE_TO_GROUP_ACT"
    # "government-controlled" names who holds ground elsewhere, not who took this town
    assert rule_label([withdrawal], "The militia pulled back to government-controlled areas", SECTORS)[0] \
        == "CHANGE_TO_GROUP_ACT"
    for taken in ("The army withdrew from Kasba, leaving it in the hands of the rebels",
                  "The army withdrew from Kasba and rebel fighters moved into the town",
                  "Rebels took control of Kasba after the army withdrew",
                  "The army withdrew from Kasba and handed it over to a local militia"):
        assert rule_label([withdrawal], taken, SECTORS)[0] == "NON_VIOL_TERRIT_TRANSFER", taken
    # only a withdrawal is read so: other retreats keep their PLOVER type's class
    assert rule_label([_event("RETREAT", None, 0, mode="disarm")], alone, SECTORS)[0] == "NON_VIOL_TERRIT_TRANSFER"


def test_organised_crime_is_named_by_its_words_and_takes_police_work_with_it():
    assert rule_label([], "Customs officers found 300 kg of cocaine in a container", SECTORS)[0] == "ORG_CRIME"
    assert rule_label([], "Floods hit the port where smugglers land fuel", SECTORS)[0] == "NATURAL_DISASTER"
    seizure = _event("COERCE", "Disrupted weapons use", 0, actors=("ARMY",), mode="seize")
    assert rule_label([seizure], "Troops seized rifles and heroin from traffickers", SECTORS)[0] == "ORG_CRIME"
    assert rule_label([seizure], "Troops seized rifles and mortars from the rebels", SECTORS)[0] == "DISR_WEAP"
    # an attack stays an attack whatever the story's words: only police work becomes crime
    attack = _event("ASSAULT", "Attack", 0, actors=("ARMY",))
    assert rule_label([attack], "Soldiers shot two drug couriers", SECTORS)[0] == "ATTACK"
    assert not crime_named("the druggist's shop")  # whole words only


def test_a_claim_or_denial_of_responsibility_is_attribution():
    bombing = _event("ASSAULT", "Remote explosive/landmine/IED", 0, mode="explosives")
    assert rule_label([bombing], "The group claimed responsibility for the bombing", SECTORS)[0] == "ATTRIB"
    assert rule_label([bombing], "The army denied any involvement in the bombing", SECTORS)[0] == "ATTRIB"
    assert rule_label([bombing], "A bombing killed four; no one was held responsible", SECTORS)[0] == "REM_EXPLOS"
    # the doer may come between the denial and the blame, within the clause
    assert rule_label([bombing], "Moscow denied its planes were responsible for the strike", SECTORS)[0] == "ATTRIB"
    assert rule_label([bombing], "They denied it. Then a bombing was blamed on no one in particular",
                      SECTORS)[0] == "REM_EXPLOS"


def test_natural_hazards_of_every_family_are_disasters():
    for text in ("Three tremors shook the coast overnight", "The pandemic closed the border crossings",
                 "A snowstorm cut the mountain villages off", "Locusts stripped the fields bare",
                 "A forest fire spread towards the villages"):
        assert disaster_class(text) == "NATURAL_DISASTER", text
    assert disaster_class("Food poisoning sent forty pupils to hospital") == "MAN_MADE_DISASTER"


def test_the_fire_of_weapons_is_no_blaze():
    for text in ("Gunmen opened fire on the bus", "Riot police fire tear gas at the students",
                 "The convoy came under fire near the bridge", "The cease-fire held for a week"):
        assert disaster_class(text) is None, text
    assert disaster_class("A fire at the market killed two traders") == "MAN_MADE_DISASTER"


def test_event_features_name_what_the_story_is_about():
    feats = event_features([], "Floods swept the valley and smugglers were blamed for the dam breach", SECTORS)
    assert {"text=NATURAL_DISASTER", "text=ORG_CRIME", "text=responsibility"} <= set(feats)
    assert not [f for f in event_features([], "The minister spoke at length", SECTORS) if f.startswith("text=")]


def test_event_features_name_types_and_sectors():
    feats = event_features([_event("ASSAULT", "Attack", 0, actors=("ARMY",), mode="firearms")], "t", SECTORS)
    assert {"rule=ATTACK", "plover=ASSAULT", "mode=ASSAULT/firearms", "acled=Attack", "actor=MIL",
            "target=none", "status=happened", "ASSAULT:actor=MIL"} <= set(feats)
    assert "events=0" in event_features([], "t", SECTORS)


def test_case_scores_per_subtask():
    recs = [CaseRecord("a", "", "AIR_STRIKE", (1, 2, 3)), CaseRecord("b", "", "DIPLO", (3,)),
            CaseRecord("c", "", "ORG_CRIME", (2, 3))]
    pred = ["AIR_STRIKE", "DIPLO", "ARREST"]
    assert score_case2021(recs, pred, 1).n == 1 and score_case2021(recs, pred, 1).weighted_f1 == 1.0
    s3 = score_case2021(recs, pred, 3)
    assert s3.n == 3 and s3.accuracy == pytest.approx(2 / 3)
    assert s3.weighted_f1 == pytest.approx(2 / 3)  # ORG_CRIME missed; the ARREST is a false positive
    with pytest.raises(ValueError):
        score_case2021(recs, pred, 4)


def _case_line(i: int, text: str, label: str) -> str:
    return json.dumps({"id": f"case2021:t{i}", "text": text, "gold": {"label": label, "subtasks": [1, 2, 3]}})


def test_load_case2021_names_the_bad_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(_case_line(1, "x", "AIR_STRIKE") + "\n" + _case_line(2, "y", "AIRSTRIKE") + "\n")
    with pytest.raises(ValueError, match=r"c.jsonl:2: .*AIRSTRIKE"):
        load_case2021(path)


def test_snippets_of_ours_load_as_records_of_every_subtask_their_label_is_in(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "w-1", "text": "Police held two men.", "label": "ARREST"}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "w-2", "text": "Ministers met.", "label": "DIPLO"}) + "\n")
    records = load_case2021(tmp_path)  # a directory: every file in it
    assert [(r.id, r.label, r.subtasks) for r in records] == [("w-1", "ARREST", (1, 2, 3)), ("w-2", "DIPLO", (3,))]
    # the target is set on CASE, so a score on our snippets claims none
    shown = CaseResult("rules", records, ["ARREST", "DIPLO"], ["", ""]).format()
    assert "not on snippets of ours" in shown and "[ok]" not in shown
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "w-3", "text": "x", "label": "DIPLOMACY"}) + "\n")
    with pytest.raises(ValueError, match=r"b.jsonl:1: .*DIPLOMACY"):
        load_case2021(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no \\*.jsonl"):
        load_case2021(tmp_path / "empty")


# --------------------------------------------------------------------------- PLOVER GSR scoring


def test_span_prf_exact_and_overlap():
    gold = [[(0, 5), (10, 15)], [(3, 8)]]
    pred = [[(0, 5), (11, 15)], []]
    exact = span_prf(gold, pred)
    assert (exact.n_pred, exact.n_gold, exact.tp_gold) == (2, 3, 1)
    relaxed = span_prf(gold, pred, relaxed=True)
    assert relaxed.tp_gold == 2 and relaxed.precision == 1.0 and relaxed.recall == pytest.approx(2 / 3)
    # one prediction overlapping two gold spans matches one of them
    assert span_prf([[(0, 3), (4, 8)]], [[(0, 8)]], relaxed=True).tp_gold == 1


def test_plover_scores_and_sentences_coded_twice():
    recs = [GsrRecord("1", "", "AGREE", ((0, 3),), ()), GsrRecord("2", "", "ASSAULT", (), ((5, 9),), dead=3,
                                                                  group="g"),
            GsrRecord("3", "", "COERCE", (), (), group="g")]
    preds = [GsrPrediction("AGREE", [(0, 3)], []), GsrPrediction("COERCE", [], [(5, 9)], dead=3),
             GsrPrediction("COERCE", [], [])]
    s = score_plover_gsr(recs, preds)
    assert s.types.accuracy == pytest.approx(2 / 3)
    assert s.actors.f1 == 1.0 and s.targets.f1 == 1.0
    assert s.dead.accuracy == 1.0
    assert s.sentences.n == 2 and s.sentences.correct == 2  # COERCE is one of the pair's two types
    assert s.twice_coded_differently == 1


def test_gsr_codes_the_main_act_among_events_and_statements():
    from frontlines.evaluate.plover_gsr import coding_from_reading, plover_type
    from frontlines.model import Document, Reading

    text = "Rebels accused the army of shelling the town."
    reading = Reading(document=Document(text=text))
    shelling = _event("ASSAULT", "Attack", 26)
    shelling.clause_depth = 1
    accusation = _event("ACCUSE", None, 7)
    accusation.clause_depth = 0
    accusation.actor_spans = [Span(0, 6, "Rebels")]
    accusation.target_spans = [Span(15, 23, "the army")]
    reading.events.append(shelling)
    reading.statements.append(accusation)
    coding = coding_from_reading(reading)
    assert coding.event_type == "ACCUSE"
    assert coding.actors == [(0, 6)] and coding.targets == [(15, 23)]
    # an intention is coded by what it promises (PLOVER's AGREE and THREATEN)
    assert plover_type(_event("AID", None, 0, status="expected")) == "AGREE"
    assert plover_type(_event("COERCE", None, 0, status="planned")) == "THREATEN"
    assert plover_type(_event("COERCE", None, 0, status="asserted")) == "COERCE"
    assert coding_from_reading(Reading(document=Document(text="Nothing."))).event_type is None


def test_load_plover_gsr_trims_and_merges_reciprocal_spans(tmp_path):
    text = "Kandor and Veyra agreed to talks."
    spans = [{"role": "reciprocal", "begin": 0, "end": 7, "text": "Kandor "},
             {"role": "actor", "begin": 11, "end": 16, "text": "Veyra"},
             {"role": "event", "begin": 17, "end": 23, "text": "agreed"}]
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({"id": "plover_gsr:x", "text": text,
                                "gold": {"event_type": "AGREE", "spans": spans}}) + "\n")
    (rec,) = load_plover_gsr(path)
    assert rec.actors == ((0, 6), (11, 16)) and rec.recipients == ((0, 6),)


# --------------------------------------------------------------------------- the classifier

TRAIN = [
    ("Warplanes bombed the market in the north, killing four.", "AIR_STRIKE"),
    ("An air strike hit a school near the border.", "AIR_STRIKE"),
    ("Jets carried out air raids on the rebel-held town.", "AIR_STRIKE"),
    ("Drones struck a convoy on the highway at dawn.", "AIR_STRIKE"),
    ("Hundreds of teachers marched peacefully through the capital demanding pay.", "PEACE_PROTEST"),
    ("Students held a peaceful rally outside parliament.", "PEACE_PROTEST"),
    ("Farmers protested peacefully against the new tax in the square.", "PEACE_PROTEST"),
    ("Residents staged a sit-in to demand clean water.", "PEACE_PROTEST"),
    ("Heavy rain caused floods that swept away dozens of homes.", "NATURAL_DISASTER"),
    ("An earthquake struck the mountain region overnight.", "NATURAL_DISASTER"),
    ("The river burst its banks and flooded three villages.", "NATURAL_DISASTER"),
    ("A cyclone made landfall, flattening crops along the coast.", "NATURAL_DISASTER"),
]


@pytest.fixture(scope="module")
def tiny_model():
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")
    from frontlines.evaluate.training import fit

    texts, labels = [t for t, _ in TRAIN], [lab for _, lab in TRAIN]
    feats = [["rule=AIR_STRIKE"] if lab == "AIR_STRIKE" else ["events=0"] for lab in labels]
    return fit(texts, labels, feats, FeatureConfig(word_ngrams=2, char_ngrams=(3, 5), use_rules=True),
               C=1.0, meta={"train_digests": []})


def test_words_fold_digits_and_case():
    assert words("Killed 12 in Al-Bab’s market") == ["killed", "00", "in", "al", "bab's", "market"]


def test_classifier_predicts_a_sentence_of_ours(tiny_model):
    (label, prob), *rest = tiny_model.classify("Fighter jets struck the village with air strikes.", ["rule=AIR_STRIKE"])
    assert label == "AIR_STRIKE"
    assert prob > max(p for _, p in rest)
    assert sum(p for _, p in tiny_model.classify("anything")) == pytest.approx(1.0)
    assert tiny_model.classify("Thousands rallied peacefully to protest", ["events=0"])[0][0] == "PEACE_PROTEST"


def test_choose_picks_among_candidates(tiny_model):
    text = "Fighter jets struck the village with air strikes."
    choice = tiny_model.choose(text, ["Peaceful protest", "Air/drone strike"], ["rule=AIR_STRIKE"])
    assert choice.label == "Air/drone strike" and choice.top_label == "AIR_STRIKE"
    only = tiny_model.choose(text, ["Peaceful protest"], ["rule=AIR_STRIKE"])
    assert only.label == "Peaceful protest" and only.prob < only.top_prob
    assert tiny_model.choose(text, []) is None


def _in_sentence(event: EventMention, sentence: str) -> EventMention:
    from dataclasses import replace

    return replace(event, sentence=Span(0, len(sentence), sentence))


def test_competing_sub_types():
    from frontlines.reading.classify import competing

    assert competing("Attack")[0] == "Attack" and "Armed clash" in competing("Attack")
    assert "Government regains territory" in competing("Armed clash")
    assert competing("Air/drone strike") == ()  # the weapon the trigger names stands
    assert competing(None) == ()


def test_refine_mentions_lets_the_model_decide_the_main_event(tiny_model):
    from frontlines.reading.classify import refine_mentions

    strike = "Fighter jets struck the village with air strikes."
    attack = _in_sentence(_event("ASSAULT", "Attack", 0), strike)
    expected = _in_sentence(_event("ASSAULT", None, 10, status="expected"), strike)
    (a, e) = refine_mentions(tiny_model, [attack, expected], SECTORS)
    assert a.acled_sub_event_type == "Air/drone strike" and a.acled_event_type == "Explosions/Remote violence"
    assert a.rule.endswith("+model:case2021") and attack.acled_sub_event_type == "Attack"  # pure
    assert e == expected  # what ACLED does not code stays uncoded
    flood = _in_sentence(_event("ASSAULT", "Attack", 0), "Floods swept away homes after heavy rain.")
    assert refine_mentions(tiny_model, [flood], SECTORS)[0].acled_sub_event_type == "Attack"
    assert refine_mentions(tiny_model, [flood], SECTORS, uncode=True)[0].acled_sub_event_type is None
    # not the main event, and no competing sub-type: the rules' choice stands
    second = _in_sentence(_event("ASSAULT", "Remote explosive/landmine/IED", 30), strike)
    assert refine_mentions(tiny_model, [attack, second], SECTORS)[1] == second


def test_save_load_round_trip(tiny_model, tmp_path):
    from dataclasses import replace

    model = replace(tiny_model, temperature=3.0, meta={"name": "tiny", "train_digests": []})
    path = model.save(tmp_path / "m.npz")
    back = SnippetClassifier.load(path)
    assert back.labels == model.labels and back.terms == model.terms and back.config == model.config
    assert back.temperature == 3.0 and back.name == "tiny"
    for text, _ in TRAIN[:4] + [("A quiet day in the city.", "")]:
        a, b = model.probabilities(text, ["events=0"]), back.probabilities(text, ["events=0"])
        # weights are stored as int8: probabilities move a little, the ranking does not
        assert np.allclose(a, b, atol=1e-2) and a.argmax() == b.argmax()
    # the file keeps no text: no training sentence is in it, whole
    raw = json.dumps([*back.terms, back.meta])
    assert not any(t.lower() in raw for t, _ in TRAIN)


def test_seen_count_tells_training_texts(tmp_path):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")
    from frontlines.evaluate.training import fit
    from frontlines.reading.classify import text_digest

    texts = [t for t, _ in TRAIN]
    model = fit(texts, [lab for _, lab in TRAIN], None, FeatureConfig(use_rules=False),
                meta={"train_digests": [text_digest(t) for t in texts]})
    assert model.seen_count(texts) == len(texts)
    assert model.seen_count(["  " + texts[0].upper()]) == 1  # case and spacing do not hide a text
    assert model.seen_count(["A text the model never saw."]) == 0


def test_load_rejects_what_is_not_a_model(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="bad.npz"):
        SnippetClassifier.load(bad)
    with pytest.raises(FileNotFoundError, match="frontlines train case2021"):
        SnippetClassifier.load(tmp_path / "absent.npz")


def test_stratified_folds_deal_every_label_across_folds():
    pytest.importorskip("scipy", reason="training needs scikit-learn (the train extra)")
    from frontlines.evaluate.training import stratified_folds

    labels = ["A"] * 10 + ["B"] * 5 + ["C"] * 2
    folds = stratified_folds(labels, 5, seed=0)
    for lab in "AB":
        assert sorted(f for f, x in zip(folds, labels) if x == lab) == sorted(list(range(5)) * (labels.count(lab) // 5))
    assert len({f for f, x in zip(folds, labels) if x == "C"}) == 2


# --------------------------------------------------------------------------- the shipped model, with the reader


def test_shipped_model_on_sentences_of_ours(read):
    from frontlines.reading.classify import load_default, reading_features

    model = load_default()
    assert set(model.labels) == set(CASE_CODES)
    cases = [
        ("Government warplanes carried out air strikes on the village of Tel Samir, killing five civilians.",
         "AIR_STRIKE"),
        ("A suicide bomber blew himself up at a checkpoint outside the city, killing three soldiers.", "SUIC_BOMB"),
        ("Thousands of people marched peacefully through the capital on Friday to demand fair elections.",
         "PEACE_PROTEST"),
    ]
    for text, want in cases:
        feats = reading_features(read(text))
        assert model.classify(text, feats)[0][0] == want, text


# --------------------------------------------------------------------------- CLI and the dev data


def test_cli_case2021_writes_predictions(tmp_path):
    from frontlines.cli import main

    data = tmp_path / "c.jsonl"
    data.write_text("\n".join([
        _case_line(1, "Government warplanes carried out air strikes on the village, killing five.", "AIR_STRIKE"),
        _case_line(2, "Police arrested four men in the market on Monday.", "ARREST"),
        _case_line(3, "The minister spoke about the weather.", "DIPLO"),
    ]) + "\n")
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["evaluate", "case2021", "--data", str(data), "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    assert "weighted F1" in result.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["case2021:t1", "case2021:t2", "case2021:t3"]
    assert rows[0]["label"] == "AIR_STRIKE" and all(r["label"] in CASE_CODES for r in rows)


def _dev_subset(shared_dir: Path, name: str, n: int, tmp_path: Path) -> Path:
    lines = (shared_dir / "eval" / "dev" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / f"{name}.jsonl"  # a temporary copy of a few records, never kept in the repo
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.shared
def test_case2021_dev_scores(shared_dir, reader, tmp_path):
    from frontlines.evaluate.case2021 import evaluate_case2021

    path = _dev_subset(shared_dir, "case2021", 40, tmp_path)
    rules = evaluate_case2021(path, reader=reader)
    assert len(rules.predicted) == 40 and set(rules.predicted) <= set(CASE_CODES)
    assert 0.0 < rules.score(3).weighted_f1 < 1.0
    model = evaluate_case2021(path, method="model", reader=reader)
    # the shipped model was trained on dev: the scorer must say so
    assert any("training fit" in n for n in model.notes)


@pytest.mark.shared
def test_plover_gsr_dev_scores(shared_dir, reader, tmp_path):
    from frontlines.evaluate.plover_gsr import evaluate_plover_gsr

    path = _dev_subset(shared_dir, "plover_gsr", 30, tmp_path)
    result = evaluate_plover_gsr(path, reader=reader)
    rows = result.prediction_records()
    assert len(rows) == 30 and set(rows[0]) == {"id", "event_type", "actors", "targets"}
    text = {r.id: r.text for r in result.records}
    for row in rows:
        for span in row["actors"] + row["targets"]:
            assert text[row["id"]][span["begin"]:span["end"]] == span["text"]
    assert result.score.types.n == 30


# --------------------------------------------------------------------------- how a protest was met


def _roles(reader, text: str) -> list[str]:
    from frontlines.model import Document
    from frontlines.reading.classify import reading_features

    return [f for f in reading_features(reader.read(Document(text=text))) if f.startswith(("role=", "protest+cue:"))]


@pytest.mark.parametrize("text, role", [
    ("Hundreds of nurses marched through the capital on Tuesday to demand higher pay.", "PEACE_PROTEST"),
    ("Riot police fired tear gas to disperse a march by teachers in the capital on Tuesday.", "PROTEST_WITH_INTER"),
    ("Police arrested twenty students during a sit-in outside the university on Monday.", "PROTEST_WITH_INTER"),
    ("Soldiers opened fire on demonstrators in the northern town on Friday, killing three of them.",
     "FORCE_AGAINST_PROTEST"),
    ("Protesters hurled stones at the police and set a bank on fire during a rally on Sunday.", "VIOL_DEMONSTR"),
    ("A mob beat two men to death in the market on Sunday.", "MOB_VIOL"),
    # the killing is what they protest, not how they were met
    ("Students rallied outside the ministry on Monday to protest against the killing of a classmate by the police.",
     "PEACE_PROTEST"),
])
def test_protest_role_features(reader, text, role):
    assert "role=" + role in _roles(reader, text)


def test_no_protest_role_without_a_crowd(reader):
    assert _roles(reader, "Gunmen attacked a police station in the north on Friday.") == []


def test_protest_features_read_a_sentence_with_document_offsets():
    from frontlines.reading.classify import protest_features

    sentence = "Crowds rallied against the arrests of two editors."
    offset = 500  # the sentence's place in a longer document
    def ev(plover, mode, word):
        start = offset + sentence.index(word)
        span = Span(start, start + len(word), word)
        return EventMention(id=f"ev-{start}", plover=plover, mode=mode, acled_event_type=None,
                            acled_sub_event_type=None, actors=[], targets=[], place=None, date=DateRef(),
                            status="asserted", reported_by=[], fatalities=None, evidence=[span], rule="t",
                            trigger=span, sentence=Span(offset, offset + len(sentence), sentence))
    events = [ev("PROTEST", "demo", "rallied"), ev("COERCE", "arrest", "arrests")]
    assert protest_features(events, sentence, SECTORS) == ["role=PEACE_PROTEST"]
