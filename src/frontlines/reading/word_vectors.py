"""Word vectors for the snippet classifier: every word embedded on its own by a sentence encoder.

A sentence encoder costs 100 ms or more a snippet on this machine; a table of word vectors costs a
lookup. Each word of a vocabulary is embedded alone by all-mpnet-base-v2, and a text becomes
the mean of its words' vectors, each weighted by its rarity (smooth inverse frequency,
``a / (a + p(word))`` with English word frequencies from the wordfreq package): "the" and
"of" say little, "shelling" and "evacuated" much. Words that mean alike get vectors alike, so
the classifier can use a word no training snippet had.

The classifier is linear, so a fitted model folds the table into one score per label and word
(``SnippetClassifier.word_scores``): predicting needs neither the encoder nor the table, only
NumPy. Building the table is training work: it needs the embeddings extra and ``make mpnet``.
The vectors are cached under ``cache_dir()/encoders``, so a retrain embeds only new words.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

from frontlines.reading.classify import words
from frontlines.reading.encoders import EncoderMissing, cache_dir, embed, load_encoder

# The most frequent English words (wordfreq's list) that the table holds besides the encoder's own
# whole words and the training words: news words no snippet had ("besieging", "blockaded",
# "pummeled" rank 40,000-57,000).
COMMON_WORDS = 60_000
# Smooth inverse frequency's constant (Arora et al. 2017): a word of frequency 1e-3 ("people",
# "said") weighs half as much as a rare one; "the" (5e-2) a fiftieth.
SIF_A = 1e-3

Progress = Callable[[str], None]


@dataclass(frozen=True)
class WordTable:
    """Words, a unit vector for each (rows of ``vectors``), and a rarity weight for each."""

    words: tuple[str, ...]
    vectors: np.ndarray
    weights: np.ndarray
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.vectors.shape[0] != len(self.words) or self.weights.shape != (len(self.words),):
            raise ValueError(f"{len(self.words)} words but vectors {self.vectors.shape}, weights {self.weights.shape}")
        object.__setattr__(self, "index", {w: i for i, w in enumerate(self.words)})

    def mean(self, text: str) -> np.ndarray:
        """The rarity-weighted mean of the vectors of the text's words in the table (zeros when
        none is); not rescaled to unit length, so that a model can fold it into word scores."""
        rows = [self.index[w] for w in words(text) if w in self.index]
        if not rows:
            return np.zeros(self.vectors.shape[1])
        weights = self.weights[rows]
        return (self.vectors[rows] * weights[:, None]).sum(axis=0) / weights.sum()

    def means(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.mean(t) for t in texts]).reshape(len(texts), self.vectors.shape[1])


def _wordfreq() -> Any:
    try:
        import wordfreq
    except ImportError as exc:  # an optional extra, needed only to train
        raise EncoderMissing("word vectors need wordfreq: pip install -e '.[embeddings]'") from exc
    return wordfreq


def rarity_weights(vocabulary: Sequence[str], a: float = SIF_A) -> np.ndarray:
    """``a / (a + p(word))`` with p from wordfreq's English list (0 for a word it lacks)."""
    word_frequency = _wordfreq().word_frequency
    return np.array([a / (a + word_frequency(w, "en")) for w in vocabulary])


def common_words(n: int = COMMON_WORDS) -> list[str]:
    """The alphabetic words among the n most frequent in wordfreq's English list."""
    return [w for w in _wordfreq().top_n_list("en", n) if w.isalpha()]


def encoder_vocabulary(encoder: str = "mpnet") -> list[str]:
    """The whole lower-case words of the encoder's own vocabulary (no word pieces): the common
    English words a text may hold that no training snippet had."""
    vocab = load_encoder(encoder).tokenizer.get_vocab()
    return sorted(w for w in vocab if w.isalpha() and w.islower())


def build_table(texts: Iterable[str], encoder: str = "mpnet", progress: Optional[Progress] = None) -> WordTable:
    """The table for the encoder's whole words, the common English words and every word of ``texts``."""
    vocabulary = sorted(set(encoder_vocabulary(encoder)).union(common_words(), *(words(t) for t in texts)))
    vectors = cached_vectors(vocabulary, encoder, progress)
    return WordTable(tuple(vocabulary), vectors, rarity_weights(vocabulary))


def _cache_file(encoder: str) -> Path:
    return cache_dir() / "encoders" / f"{encoder}-words.npz"


def cached_vectors(vocabulary: Sequence[str], encoder: str = "mpnet", progress: Optional[Progress] = None) -> np.ndarray:
    """Each word's unit vector from the encoder, embedding only the words not cached before."""
    path = _cache_file(encoder)
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as z:
                known = dict(zip((str(w) for w in z["words"]), z["vectors"]))
        except (OSError, KeyError, ValueError):  # a damaged cache is rebuilt, not trusted
            known = {}
    missing = [w for w in vocabulary if w not in known]
    if missing:
        if progress:
            progress(f"embedding {len(missing)} words with {encoder} ({len(vocabulary) - len(missing)} cached)")
        for w, v in zip(missing, _embed_all_cores(missing, encoder)):
            known[w] = v.astype(np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed: a killed run leaves the old cache, not half a new one.
        tmp = path.with_name(path.name + ".tmp.npz")
        ordered = sorted(known)
        np.savez(tmp, words=np.array(ordered), vectors=np.array([known[w] for w in ordered]))
        os.replace(tmp, path)
    return np.array([known[w] for w in vocabulary], dtype=np.float64)


def _embed_all_cores(texts: Sequence[str], encoder: str) -> np.ndarray:
    # load_encoder keeps torch to one thread (one reader per core); a one-off table may use all.
    import torch

    load_encoder(encoder)
    before = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)
    try:
        return embed(texts, encoder, batch_size=256)
    finally:
        torch.set_num_threads(before)


__all__ = ["COMMON_WORDS", "SIF_A", "WordTable", "build_table", "cached_vectors", "common_words", "encoder_vocabulary",
           "rarity_weights"]
