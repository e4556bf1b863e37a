"""Word vectors in the snippet classifier (reading/word_vectors.py): a table of words, each with a
vector and a rarity weight, folded into one score per label and word when a model is fitted.

The tables here are small and made by hand, so no encoder is needed; the shipped default model
is checked on sentences of ours."""
from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
from click.testing import CliRunner

from frontlines.reading import word_vectors
from frontlines.reading.classify import DEFAULT_MODEL, FeatureConfig, SnippetClassifier
from frontlines.reading.word_vectors import WordTable

pytest.importorskip("sklearn", reason="training needs scikit-learn (the train extra)")

from frontlines.evaluate.training import fit  # noqa: E402  (after the skip: sklearn is an extra)

# Two directions of meaning: force (x) and protest (y). "shelled" and "chanted" are in the table
# but in no training text below.
TABLE = WordTable(
    words=("bombed", "strafed", "shelled", "marched", "rallied", "chanted", "the", "town"),
    vectors=np.array([[1.0, 0.0], [0.9, 0.1], [0.95, 0.05], [0.0, 1.0], [0.1, 0.9], [0.05, 0.95],
                      [0.5, 0.5], [0.5, 0.5]]),
    weights=np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.02, 0.5]),
)
TRAIN = [("Jets bombed the town.", "AIR_STRIKE"), ("Planes strafed the town.", "AIR_STRIKE"),
         ("Aircraft bombed a bridge.", "AIR_STRIKE"), ("Crowds marched in the town.", "PEACE_PROTEST"),
         ("Students rallied in the town.", "PEACE_PROTEST"), ("Nurses marched to parliament.", "PEACE_PROTEST")]
# Word n-grams only, no rules: what the test texts share with training is then the word block's doing.
WORDS_ONLY = FeatureConfig(use_rules=False, char_ngrams=(0, 0), word_ngrams=1, word_vectors=True)


def _fit(config: FeatureConfig = WORDS_ONLY) -> SnippetClassifier:
    return fit([t for t, _ in TRAIN], [lab for _, lab in TRAIN], None, config, min_df=1, word_table=TABLE)


def test_a_text_is_the_rarity_weighted_mean_of_its_known_words():
    mean = TABLE.mean("The town was shelled by unknown guns.")  # the, town, shelled; the rest unknown
    expected = (0.02 * TABLE.vectors[6] + 0.5 * TABLE.vectors[7] + 1.0 * TABLE.vectors[2]) / 1.52
    assert np.allclose(mean, expected)
    assert np.array_equal(TABLE.mean("Nothing here is known."), np.zeros(2))
    assert TABLE.means(["bombed", "marched"]).shape == (2, 2)


def test_the_fitted_model_folds_the_table_into_word_scores():
    model = _fit()
    assert model.word_terms == TABLE.words and model.word_scores.shape == (2, len(TABLE.words))
    # the folded block equals the block computed from the vectors
    text = "The town was shelled."
    direct = model.word_block(text)
    rows = [TABLE.index[w] for w in ("the", "town", "shelled")]
    by_hand = WORDS_ONLY.word_weight * model.word_scores[:, rows].sum(axis=1) / TABLE.weights[rows].sum()
    assert np.allclose(direct, by_hand)
    assert np.array_equal(model.word_block("Nothing here is known."), np.zeros(2))


def test_a_word_no_training_text_had_is_read_through_its_vector():
    model = _fit()
    assert model.classify("Artillery shelled it.")[0][0] == "AIR_STRIKE"
    assert model.classify("Thousands chanted outside.")[0][0] == "PEACE_PROTEST"
    # without the table these texts share no term with training: the scores are the intercepts alone
    plain = fit([t for t, _ in TRAIN], [lab for _, lab in TRAIN], None,
                FeatureConfig(use_rules=False, char_ngrams=(0, 0), word_ngrams=1), min_df=1)
    assert np.allclose(plain.scores("Artillery shelled it."), plain.intercept)


def test_word_vectors_survive_save_and_load(tmp_path):
    model = _fit()
    back = SnippetClassifier.load(model.save(tmp_path / "w.npz"))
    assert back.config == model.config and back.word_terms == model.word_terms
    for text in ("Artillery shelled it.", "Thousands chanted outside.", "Jets bombed the town."):
        # int8 word scores: within a hundredth of the largest score
        assert np.allclose(back.scores(text), model.scores(text), atol=0.01 * np.abs(model.word_scores).max() * 3)
        assert back.classify(text)[0][0] == model.classify(text)[0][0]


def test_a_model_without_its_word_arrays_is_refused():
    with pytest.raises(ValueError, match="word vectors"):
        SnippetClassifier(("A", "B"), ("w:x",), np.ones(1), np.zeros((2, 1)), np.zeros(2), WORDS_ONLY)
    with pytest.raises(ValueError, match="word table"):
        fit([t for t, _ in TRAIN], [lab for _, lab in TRAIN], None, WORDS_ONLY, min_df=1)


def test_vectors_are_cached_and_only_new_words_embedded(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTLINES_CACHE", str(tmp_path))
    asked: list[list[str]] = []

    def fake_embed(texts, encoder):
        asked.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts])

    monkeypatch.setattr(word_vectors, "_embed_all_cores", fake_embed)
    first = word_vectors.cached_vectors(["bombed", "town"], "mpnet")
    second = word_vectors.cached_vectors(["town", "shelled", "bombed"], "mpnet")
    assert asked == [["bombed", "town"], ["shelled"]]
    assert np.array_equal(second[[2, 0]], first) and second[1].tolist() == [7.0, 1.0]
    # a damaged cache is rebuilt, not trusted
    (tmp_path / "encoders" / "mpnet-words.npz").write_bytes(b"not a zip")
    word_vectors.cached_vectors(["town"], "mpnet")
    assert asked[-1] == ["town"]


@pytest.mark.skipif(importlib.util.find_spec("wordfreq") is None, reason="wordfreq is not installed (the embeddings extra)")
def test_common_words_weigh_less_than_rare_ones():
    the, said, shelling = word_vectors.rarity_weights(["the", "said", "shelling"])
    assert the < 0.05 < said < 0.9 < shelling <= 1.0


def test_cli_trains_with_word_vectors(monkeypatch, tmp_path):
    from frontlines.cli import main

    monkeypatch.setattr(word_vectors, "build_table", lambda texts, encoder, progress=None: TABLE)
    data = tmp_path / "dev.jsonl"
    data.write_text("".join(json.dumps({"id": f"case2021:t{i}", "text": t, "gold": {"label": lab}}) + "\n"
                            for i, (t, lab) in enumerate(TRAIN)), encoding="utf-8")
    out = tmp_path / "m.npz"
    result = CliRunner().invoke(main, ["train", "case2021", "--data", str(data), "--no-rules", "--folds", "2",
                                       "--word-vectors", "--out", str(out)])
    assert result.exit_code == 0, result.output
    model = SnippetClassifier.load(out)
    assert model.config.word_vectors and model.word_terms == TABLE.words
    assert "--word-vectors" in model.meta["command"] and "mpnet word vectors" in model.meta["name"]


def test_the_shipped_default_model_reads_sentences_of_ours():
    model = SnippetClassifier.load(DEFAULT_MODEL)
    assert model.config.word_vectors and len(model.word_terms) > 20_000
    texts = ["Government warplanes bombed the market of the rebel-held town at noon, killing nine people.",
             "Thousands of nurses marched peacefully through the capital to demand unpaid wages."]
    assert [model.classify(t)[0][0] for t in texts] == ["AIR_STRIKE", "PEACE_PROTEST"]
