"""Word vectors for the snippet classifier: every word embedded on its own by a sentence encoder.

A sentence encoder costs 100 ms or more a snippet on this machine; a table of word vectors costs a
lookup. Each word of a vocabulary is embedded alone by all-mpnet-base-v2, and a text becomes
the mean of its words' vectors, each weighted by its rarity (smooth inverse frequency,
``a / (a + p(word))`` with English word frequencies from the wordfreq package): "the" and
"of" say little, "shelling" and "evacuated" much. Words that mean alike get vectors alike, so
the classifier can use a word no training snippet had.

A word alone is a poor sentence ("fire" with no context), so where a corpus of context is given
(``context_sentences``: news text with no labels, none of it scored) a word's vector is also
read in use: the encoder's own vector for the word inside each sentence that has it (the mean
of its word pieces' output states, the vectors mpnet averages into a sentence embedding),
averaged over the sentences, and blended with the word-alone vector as if that were
``CONTEXT_PRIOR`` more sentences. A text's mean then comes closer to what the encoder would
make of the text.

The classifier is linear, so a fitted model folds the table into one score per label and word
(``SnippetClassifier.word_scores``): predicting needs neither the encoder nor the table, only
NumPy. Building the table is training work: it needs the embeddings extra and ``make mpnet``.
The vectors are cached under ``cache_dir()/encoders``, so a retrain embeds only new words, and
the sums over a context corpus are cached by the corpus's digest.
"""
from __future__ import annotations

import hashlib
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

import numpy as np

from frontlines.reading.classify import text_digest, word_spans, words
from frontlines.reading.encoders import EncoderMissing, cache_dir, embed, load_encoder

# The most frequent English words (wordfreq's list) that the table holds besides the encoder's own
# whole words and the training words: news words no snippet had ("besieging", "blockaded",
# "pummeled" rank 40,000-57,000).
COMMON_WORDS = 60_000
# Smooth inverse frequency's constant (Arora et al. 2017): a word of frequency 1e-3 ("people",
# "said") weighs half as much as a rare one; "the" (5e-2) a fiftieth.
SIF_A = 1e-3

# How many sentences the word-alone vector counts for beside a word's sentences of context: a
# word seen once in context moves a third of the way, one seen 20 times almost all of it.
CONTEXT_PRIOR = 2.0
# Sentences of context shorter than this say little of their words; longer ones are lists or
# run-together pages (the encoder reads at most 256 word pieces of each anyway).
CONTEXT_WORDS = (5, 80)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\[])")

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


def build_table(texts: Iterable[str], encoder: str = "mpnet", progress: Optional[Progress] = None,
                context: Sequence[str] = ()) -> WordTable:
    """The table for the encoder's whole words, the common English words and every word of
    ``texts``; with ``context`` (sentences, ``context_sentences``), each word that occurs there
    is read in context too (the module's docstring)."""
    vocabulary = sorted(set(encoder_vocabulary(encoder)).union(common_words(), *(words(t) for t in texts)))
    vectors = cached_vectors(vocabulary, encoder, progress)
    if context:
        sums, counts = context_sums(context, encoder, progress)
        vectors = blend_context(vocabulary, vectors, sums, counts)
    return WordTable(tuple(vocabulary), vectors, rarity_weights(vocabulary))


def blend_context(vocabulary: Sequence[str], alone: np.ndarray, sums: dict[str, np.ndarray],
                  counts: dict[str, int], prior: float = CONTEXT_PRIOR) -> np.ndarray:
    """Unit vectors: each word's mean vector in context (unit length) weighed by its count,
    plus its word-alone vector weighed by ``prior``; words with no context keep their own."""
    out = alone.copy()
    for i, w in enumerate(vocabulary):
        n = counts.get(w, 0)
        if n:
            in_context = sums[w] / np.linalg.norm(sums[w])
            mixed = n * in_context + prior * alone[i]
            out[i] = mixed / np.linalg.norm(mixed)
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of a text of news, by end punctuation before a capital (good enough to read a
    word in its sentence), kept when they have ``CONTEXT_WORDS`` words."""
    flat = " ".join(text.split())
    lo, hi = CONTEXT_WORDS
    return [s for s in (p.strip() for p in _SENTENCE_END.split(flat)) if lo <= len(s.split()) <= hi]


def context_sentences(paths: Sequence[Path], exclude: Iterable[str] = ()) -> list[str]:
    """The distinct sentences of the texts in these files: JSON Lines with a ``"text"`` field,
    plain ``.txt`` files, or directories of both. Texts whose ``text_digest`` is in ``exclude``
    (the data a model is scored on) are left out whole."""
    skip = set(exclude)
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in {".jsonl", ".txt"})
            if not found:
                raise FileNotFoundError(f"{path}: no .jsonl or .txt files of context")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or directory of context")
    from frontlines.evaluate.case2021 import load_jsonl  # training work: the evaluation's reader of files

    texts: list[str] = []
    for f in files:
        if f.suffix == ".jsonl":
            texts += [t for t in load_jsonl(f, _text_of, "text") if isinstance(t, str)]
        else:
            texts.append(f.read_text(encoding="utf-8"))
    sentences = (s for t in texts if text_digest(t) not in skip for s in split_sentences(t))
    return list(dict.fromkeys(sentences))


def _text_of(record: Any) -> Any:
    if not isinstance(record, dict):
        raise TypeError("not a JSON object")
    return record.get("text")


def _context_file(sentences: Sequence[str], encoder: str) -> Path:
    digest = hashlib.sha256("\n".join(sentences).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "encoders" / f"{encoder}-context-{digest}.npz"


def context_sums(sentences: Sequence[str], encoder: str = "mpnet",
                 progress: Optional[Progress] = None) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Per word (``words`` of the classifier), the sum of its in-context vectors over the
    sentences and how many it was summed over; cached by the sentences' digest. Sums add, so a
    cache of other sentences is brought up to date by reading only the sentences it lacks (and
    taking off those it has in excess): a new file of text costs its own sentences, not the
    whole corpus again."""
    path = _context_file(sentences, encoder)
    cached = _load_context(path)
    if cached is not None:
        return cached
    wanted = list(dict.fromkeys(sentences))
    base = _nearest_context(wanted, encoder)
    if base is None:
        sums, counts = _sum_in_context(wanted, encoder, progress)
    else:
        sums, counts, held, origin = base
        have = set(held)
        added = [t for t in wanted if t not in have]
        dropped = sorted(have - set(wanted))
        if progress:
            progress(f"reading words in context: {len(added)} new and {len(dropped)} dropped sentences, "
                     f"{len(have) - len(dropped)} from {origin.name}")
        for sign, part in ((1, added), (-1, dropped)):
            if part:
                _merge_sums(sums, counts, *_sum_in_context(part, encoder, progress), sign=sign)
    keys = sorted(sums)
    _save_cache(path, words=np.array(keys), sums=np.array([sums[w] for w in keys], dtype=np.float32),
                counts=np.array([counts[w] for w in keys]),
                sentences=np.frombuffer("\n".join(wanted).encode("utf-8"), dtype=np.uint8))
    return sums, counts


def _load_context(path: Path) -> Optional[tuple[dict[str, np.ndarray], dict[str, int]]]:
    """(sums, counts) of a context cache; None when it is absent or damaged (a damaged cache is
    rebuilt, not trusted)."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            keys = [str(w) for w in z["words"]]
            return dict(zip(keys, z["sums"].astype(np.float64))), dict(zip(keys, (int(c) for c in z["counts"])))
    except (OSError, KeyError, ValueError):
        return None


def _cached_sentences(path: Path) -> Optional[list[str]]:
    """The sentences a context cache was read from, without loading its sums; None for a cache
    written before caches kept them, or a damaged one."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if "sentences" not in z.files:
                return None
            text = z["sentences"].tobytes().decode("utf-8")
    except (OSError, KeyError, ValueError, UnicodeDecodeError):
        return None
    return text.split("\n") if text else []


def _nearest_context(wanted: Sequence[str], encoder: str) -> Optional[tuple]:
    """The cached context that differs from ``wanted`` by the fewest sentences, if updating it
    reads fewer sentences than starting afresh: (sums, counts, its sentences, its file)."""
    target = set(wanted)
    best, best_cost = None, len(wanted)
    for path in sorted((cache_dir() / "encoders").glob(f"{encoder}-context-*.npz")):
        if path.name.endswith(".tmp.npz"):
            continue  # a cache being written
        held = _cached_sentences(path)
        if held is None:
            continue
        have = set(held)
        cost = len(target - have) + len(have - target)
        if cost < best_cost:
            best, best_cost = (held, path), cost
    if best is None:
        return None
    loaded = _load_context(best[1])
    return None if loaded is None else (*loaded, *best)


def _merge_sums(sums: dict[str, np.ndarray], counts: dict[str, int], more: dict[str, np.ndarray],
                more_counts: dict[str, int], sign: int = 1) -> None:
    """Add (sign 1) or take off (sign -1) one set of sentences' sums; a word read nowhere goes."""
    for w, v in more.items():
        counts[w] = counts.get(w, 0) + sign * more_counts[w]
        sums[w] = sums[w] + sign * v if w in sums else sign * v
        if counts[w] <= 0:
            del counts[w], sums[w]


def _save_cache(path: Path, **arrays: np.ndarray) -> None:
    # Written beside and renamed: a killed run leaves the old cache, not half a new one.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)


def _sum_in_context(sentences: Sequence[str], encoder: str,
                    progress: Optional[Progress]) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    import torch

    model = load_encoder(encoder)
    transformer, tokenizer = model[0].auto_model, model.tokenizer
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))  # batches of like length pad less
    with _all_cores():
        for b in range(0, len(order), 32):
            if progress and b % 3200 == 0:
                progress(f"reading words in context: {b} of {len(sentences)} sentences")
            batch = [sentences[i] for i in order[b:b + 32]]
            enc = tokenizer(batch, padding=True, truncation=True, max_length=256, return_offsets_mapping=True,
                            return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()
            with torch.no_grad():
                states = transformer(**enc).last_hidden_state.numpy()
            for j, sentence in enumerate(batch):
                _add_words(sentence, offsets[j], states[j], sums, counts)
    return sums, counts


def _add_words(sentence: str, offsets: np.ndarray, states: np.ndarray,
               sums: dict[str, np.ndarray], counts: dict[str, int]) -> None:
    """Add each word's vector in this sentence: the mean of the states of its word pieces (the
    pieces whose characters lie inside the word; padding and special tokens have none)."""
    starts, ends = offsets[:, 0], offsets[:, 1]
    for a, z, word in word_spans(sentence):
        pieces = np.flatnonzero((ends > starts) & (starts >= a) & (ends <= z))
        if not len(pieces):
            continue
        vector = states[pieces].mean(axis=0).astype(np.float64)
        sums[word] = sums[word] + vector if word in sums else vector
        counts[word] = counts.get(word, 0) + 1


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
        ordered = sorted(known)
        _save_cache(path, words=np.array(ordered), vectors=np.array([known[w] for w in ordered]))
    return np.array([known[w] for w in vocabulary], dtype=np.float64)


@contextmanager
def _all_cores() -> Iterator[None]:
    # load_encoder keeps torch to one thread (one reader per core); a one-off table may use all.
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _embed_all_cores(texts: Sequence[str], encoder: str) -> np.ndarray:
    load_encoder(encoder)
    with _all_cores():
        return embed(texts, encoder, batch_size=256)


__all__ = ["COMMON_WORDS", "CONTEXT_PRIOR", "CONTEXT_WORDS", "SIF_A", "WordTable", "blend_context", "build_table",
           "cached_vectors", "common_words", "context_sentences", "context_sums", "encoder_vocabulary", "rarity_weights",
           "split_sentences"]
