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

    monkeypatch.setattr(word_vectors, "build_table", lambda texts, encoder, progress=None, context=(): TABLE)
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


def _write_train(tmp_path):
    data = tmp_path / "dev.jsonl"
    data.write_text("".join(json.dumps({"id": f"case2021:t{i}", "text": t, "gold": {"label": lab}}) + "\n"
                            for i, (t, lab) in enumerate(TRAIN)), encoding="utf-8")
    return data


def test_cli_reads_words_in_context_but_never_in_the_scored_texts(monkeypatch, tmp_path):
    from frontlines.cli import main

    seen: list[list[str]] = []

    def fake_build(texts, encoder, progress=None, context=()):
        seen.append(list(context))
        return TABLE

    monkeypatch.setattr(word_vectors, "build_table", fake_build)
    data = _write_train(tmp_path)
    news = tmp_path / "news"
    news.mkdir()
    (news / "wire.txt").write_text("Rebels shelled the airport road at dawn on Monday. Quiet by noon.",
                                   encoding="utf-8")
    args = ["train", "case2021", "--data", str(data), "--no-rules", "--folds", "2", "--out", str(tmp_path / "m.npz")]
    refused = CliRunner().invoke(main, args + ["--context", str(news)])
    assert refused.exit_code != 0 and "word vectors" in refused.output
    result = CliRunner().invoke(main, args + ["--word-vectors", "--context", str(news), "--context", str(data)])
    assert result.exit_code == 0, result.output
    # The short sentence is dropped; the training file's own texts are skipped whole.
    assert seen == [["Rebels shelled the airport road at dawn on Monday."]]
    assert f"--context {news}" in SnippetClassifier.load(tmp_path / "m.npz").meta["command"]


def test_sentences_of_context_are_split_kept_by_length_and_distinct(tmp_path):
    text = ("Government forces shelled the town on Monday. Residents fled north!  Aid groups said the road "
            "was cut by noon.\nGovernment forces shelled the town on Monday.")
    assert word_vectors.split_sentences(text) == [
        "Government forces shelled the town on Monday.", "Aid groups said the road was cut by noon.",
        "Government forces shelled the town on Monday."]
    lines = [{"text": "Militias stormed the depot \u2028 before dawn and looted it."}, {"id": "no text"},
             {"text": "Government forces shelled the town on Monday."}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    (tmp_path / "c.html").write_text("<p>Not read at all, whatever it says here.</p>", encoding="utf-8")
    sentences = word_vectors.context_sentences([tmp_path])
    assert sentences == ["Militias stormed the depot before dawn and looted it.",
                         "Government forces shelled the town on Monday.", "Aid groups said the road was cut by noon."]
    from frontlines.reading.classify import text_digest

    assert word_vectors.context_sentences([tmp_path / "a.jsonl"], exclude={text_digest(lines[2]["text"])}) == \
        sentences[:1]
    (tmp_path / "bad.jsonl").write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        word_vectors.context_sentences([tmp_path / "bad.jsonl"])
    with pytest.raises(FileNotFoundError):
        word_vectors.context_sentences([tmp_path / "missing"])


def test_a_word_in_context_is_the_mean_of_its_pieces_states():
    # "Shelling resumed": pieces "shell", "ing", "resumed", and two special tokens (offsets 0, 0).
    offsets = np.array([[0, 0], [0, 5], [5, 8], [9, 16], [0, 0]])
    states = np.array([[9.0, 9.0], [1.0, 0.0], [3.0, 2.0], [0.0, 4.0], [9.0, 9.0]])
    sums: dict = {}
    counts: dict = {}
    word_vectors._add_words("Shelling resumed", offsets, states, sums, counts)
    word_vectors._add_words("Shelling resumed", offsets, states * 3, sums, counts)
    assert counts == {"shelling": 2, "resumed": 2}
    assert sums["shelling"].tolist() == [8.0, 4.0] and sums["resumed"].tolist() == [0.0, 16.0]


def test_context_moves_a_word_by_how_often_it_was_read():
    alone = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    sums = {"fire": np.array([0.0, 5.0]), "blaze": np.array([0.0, 40.0])}
    counts = {"fire": 1, "blaze": 20}
    out = word_vectors.blend_context(["fire", "blaze", "march"], alone, sums, counts, prior=2.0)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert np.allclose(out[0], np.array([2.0, 1.0]) / np.sqrt(5.0))  # one sentence against a prior of two
    assert out[1][1] > 0.99 and np.array_equal(out[2], alone[2])


def test_sums_in_context_are_cached_by_the_sentences(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTLINES_CACHE", str(tmp_path))
    calls: list[int] = []

    def fake_sum(sentences, encoder, progress):
        calls.append(len(sentences))
        return {"town": np.array([1.0, 2.0])}, {"town": 3}

    monkeypatch.setattr(word_vectors, "_sum_in_context", fake_sum)
    first = word_vectors.context_sums(["A town fell.", "B"], "mpnet")
    again = word_vectors.context_sums(["A town fell.", "B"], "mpnet")
    word_vectors.context_sums(["Another corpus."], "mpnet")
    assert calls == [2, 1]
    assert again[1] == first[1] == {"town": 3} and again[0]["town"].tolist() == [1.0, 2.0]


def test_a_cache_of_other_sentences_is_updated_by_the_difference(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTLINES_CACHE", str(tmp_path))
    read: list[list[str]] = []
    vectors = {"A town fell.": np.array([1.0, 0.0]), "B town held.": np.array([0.0, 1.0]),
               "C town burned.": np.array([2.0, 2.0]), "D town wept.": np.array([4.0, 0.0])}

    def fake_sum(sentences, encoder, progress):
        read.append(list(sentences))
        return {"town": sum(vectors[t] for t in sentences)}, {"town": len(sentences)}

    monkeypatch.setattr(word_vectors, "_sum_in_context", fake_sum)
    word_vectors.context_sums(["A town fell.", "B town held.", "C town burned."], "mpnet")
    sums, counts = word_vectors.context_sums(["B town held.", "C town burned.", "D town wept."], "mpnet")
    # only the added sentence is read, and the one no longer wanted taken off
    assert read[1:] == [["D town wept."], ["A town fell."]]
    assert counts == {"town": 3} and sums["town"].tolist() == [6.0, 3.0]
    assert word_vectors.context_sums(["B town held.", "C town burned.", "D town wept."], "mpnet")[1] == counts
    assert len(read) == 3  # and the updated sums are cached under their own sentences
    # a set of sentences far from every cache is read afresh
    fresh = ["D town one.", "E town two.", "F town three."]
    vectors.update({t: np.array([1.0, 1.0]) for t in fresh})
    word_vectors.context_sums(fresh, "mpnet")
    assert read[-1] == fresh


def test_the_shipped_default_model_reads_sentences_of_ours():
    model = SnippetClassifier.load(DEFAULT_MODEL)
    assert model.config.word_vectors and len(model.word_terms) > 20_000
    texts = ["Government warplanes bombed the market of the rebel-held town at noon, killing nine people.",
             "Thousands of nurses marched peacefully through the capital to demand unpaid wages."]
    assert [model.classify(t)[0][0] for t in texts] == ["AIR_STRIKE", "PEACE_PROTEST"]


def test_the_held_out_snippets_are_unseen_by_the_shipped_models():
    from pathlib import Path

    from frontlines.evaluate.case2021 import load_case2021
    from frontlines.evaluate.training import load_written
    from frontlines.reading.classify import MPNET_MODEL, text_digest

    examples = Path(__file__).resolve().parents[1] / "examples"
    heldout = {text_digest(r.text) for r in load_case2021(examples / "heldout")}
    trained = {text_digest(r.text) for r in load_written([examples / "training"])}
    assert len(heldout) > 500 and not heldout & trained
    for path in (DEFAULT_MODEL, MPNET_MODEL):
        command = SnippetClassifier.load(path).meta["command"]  # what the shipped file was trained and read on
        assert "examples/training" in command and "heldout" not in command, path
