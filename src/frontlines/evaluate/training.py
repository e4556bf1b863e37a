"""Train the snippet classifier (reading/classify.py) and measure it by cross-validation.

Needs scikit-learn (the ``train`` extra: ``pip install -e '.[train]'``); predicting does not.
Every number this module reports is cross-validated: vocabulary, IDF and weights are fitted on
the training folds only, and each snippet is scored by a model that never saw it. The
Reader's rule features come from hand-written rules, not from this data, so they are computed
once for all folds.
"""
from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import numpy as np

from frontlines.evaluate.case2021 import (CaseRecord, jsonl_files, load_case2021, load_jsonl, read_snippets,
                                          score_case2021, written_record)
from frontlines.knowledge.event_labels import SUBTASK_LABELS
from frontlines.reading.classify import (
    DEFAULT_MODEL, FeatureConfig, SnippetClassifier, reading_features, text_digest, text_terms, words,
)
from frontlines.reading.word_vectors import WordTable

DEFAULT_C = 1.0
MIN_DF = 2  # a term must occur in two training snippets: no n-gram of a single snippet is kept
# A written snippet sharing more than this share of its word 4-grams with one dev text is a
# rewrite of it, not our own report (ours share at most 17.1%).
MAX_DEV_OVERLAP = 0.5


def _sklearn() -> Any:
    try:
        from sklearn.svm import LinearSVC
    except ImportError as exc:  # the train extra is optional
        raise RuntimeError("training needs scikit-learn: pip install -e '.[train]'") from exc
    return LinearSVC


def fit(texts: Sequence[str], labels: Sequence[str], rule_features: Optional[Sequence[Sequence[str]]] = None,
        config: FeatureConfig = FeatureConfig(), C: float = DEFAULT_C, min_df: int = MIN_DF,
        temperature: float = 1.0, meta: Optional[dict[str, Any]] = None,
        embeddings: Optional[np.ndarray] = None, word_table: Optional[WordTable] = None) -> SnippetClassifier:
    """Fit vocabulary, IDF and a linear SVM (one-vs-rest) on these texts.

    A linear SVM beat logistic regression by 0.03-0.05 weighted F1 in cross-validation here;
    its scores become probabilities by a softmax at ``temperature`` (``calibrate``).
    ``embeddings``: one row per text (``encoders.embed``), needed when ``config.embeddings``;
    ``word_table`` (``word_vectors.build_table``), needed when ``config.word_vectors``: the
    model keeps the table folded into word scores, not the vectors."""
    from scipy.sparse import csr_matrix, hstack

    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if len(set(labels)) < 2:
        raise ValueError("training needs at least two labels")
    if config.use_rules and rule_features is None:
        raise ValueError("config.use_rules needs the rule features of every text")
    if config.embeddings and (embeddings is None or len(embeddings) != len(texts)):
        raise ValueError("config.embeddings needs one embedding per text")
    if config.word_vectors and word_table is None:
        raise ValueError("config.word_vectors needs a word table (word_vectors.build_table)")
    feats = [list(f) for f in rule_features] if rule_features is not None else [[] for _ in texts]
    docs: list[set[str]] = []
    for text, rf in zip(texts, feats):
        terms = set(text_terms(text, config))
        if config.use_rules:
            terms |= {"r:" + f for f in rf}
        docs.append(terms)
    df = Counter(t for d in docs for t in d)
    # Rule features are few and come from the rules, not the data: keep every one seen.
    vocab = sorted(t for t, n in df.items() if n >= min_df or t.startswith("r:"))
    n = len(texts)
    idf = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab])
    label_set = tuple(sorted(set(labels)))
    blank = SnippetClassifier(label_set, tuple(vocab), idf, np.zeros((len(label_set), len(vocab)), np.float32),
                              np.zeros(len(label_set)), replace(config, word_vectors=False))  # for .vector() alone
    rows, cols, vals = [], [], []
    for i, (text, rf) in enumerate(zip(texts, feats)):
        idx, val = blank.vector(text, rf)
        rows += [i] * len(idx)
        cols += idx.tolist()
        vals += val.tolist()
    X = csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)))
    dense = [np.asarray(embeddings) * config.embed_weight] if config.embeddings else []
    if config.word_vectors and word_table is not None:
        dense.append(word_table.means(texts) * config.word_weight)
    if dense:
        X = hstack([X] + [csr_matrix(d) for d in dense]).tocsr()
    y = np.array([label_set.index(lab) for lab in labels])
    svm = _sklearn()(C=C, random_state=0, max_iter=5000)  # fixed seed: the same file from the same data
    svm.fit(X, y)
    coef, intercept = np.asarray(svm.coef_, np.float32), np.asarray(svm.intercept_, np.float64)
    if len(label_set) == 2:  # one score s for the second label: scores (-s/2, s/2) rank the same
        coef, intercept = np.vstack([-coef[0], coef[0]]) / 2, np.array([-intercept[0], intercept[0]]) / 2
    end = len(vocab) + (dense[0].shape[1] if config.embeddings else 0)
    embed_coef = coef[:, len(vocab):end] if config.embeddings else None
    word_terms, word_weights, word_scores = (), None, None
    if config.word_vectors and word_table is not None:
        # score = coef · mean(weights × vectors) = Σ weight × (coef · vector) / Σ weight: one
        # number per label and word, so the model needs no vectors to predict.
        word_terms, word_weights = word_table.words, word_table.weights
        word_scores = (coef[:, end:].astype(np.float64) @ word_table.vectors.T) * word_weights[None, :]
    return SnippetClassifier(label_set, tuple(vocab), idf, coef[:, :len(vocab)], intercept, config, dict(meta or {}),
                             temperature=temperature, embed_coef=embed_coef, word_terms=word_terms,
                             word_weights=word_weights, word_scores=word_scores)


def calibrate(scored: Sequence[tuple[np.ndarray, Optional[int]]]) -> float:
    """The softmax temperature that makes held-out scores the most likely (least log loss).

    ``scored``: per held-out item, the model's raw label scores and the gold label's index
    (None when that fold's model had no such label: it counts at a floor probability)."""
    grid = np.exp(np.linspace(np.log(0.3), np.log(100.0), 80))
    best_t, best_loss = 1.0, float("inf")
    for t in grid:
        loss = 0.0
        for scores, gold in scored:
            z = t * scores
            z = z - z.max()
            logp = z - np.log(np.exp(z).sum())
            loss -= logp[gold] if gold is not None else np.log(1e-6)
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


@dataclass
class CVResult:
    """Cross-validated predictions (each from a model that did not see the record) and scores."""

    folds: int
    repeats: int
    config: FeatureConfig
    C: float
    fold_weighted_f1: list[float]  # subtask 3, one per fold and repeat
    predicted: list[list[str]]  # one list of predictions per repeat
    records: list[CaseRecord]
    temperature: float = 1.0  # calibrated on the held-out scores
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def subtask(self, k: int) -> tuple[float, float]:
        """Mean and spread over repeats of the pooled weighted F1 of subtask k."""
        vals = [score_case2021(self.records, pred, k).weighted_f1 for pred in self.predicted]
        return statistics.fmean(vals), (statistics.stdev(vals) if len(vals) > 1 else 0.0)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"folds": self.folds, "repeats": self.repeats, "C": self.C,
                               "config": {**self.config.__dict__}, "temperature": round(self.temperature, 3),
                               "seconds": round(self.seconds, 1)}
        for k in SUBTASK_LABELS:
            scores = [score_case2021(self.records, pred, k) for pred in self.predicted]
            out[f"subtask{k}"] = {
                "weighted_f1": round(statistics.fmean(s.weighted_f1 for s in scores), 4),
                "micro_f1": round(statistics.fmean(s.micro_f1 for s in scores), 4),
                "macro_f1": round(statistics.fmean(s.macro_f1 for s in scores), 4),
                "accuracy": round(statistics.fmean(s.accuracy for s in scores), 4),
            }
        out["fold_weighted_f1_subtask3"] = [round(x, 4) for x in self.fold_weighted_f1]
        return out

    def format(self) -> str:
        cfg = self.config
        lines = [f"cross-validation: {self.folds} folds x {self.repeats} repeats, C={self.C:g}, word 1-{cfg.word_ngrams}"
                 f"-grams, char {cfg.char_ngrams[0]}-{cfg.char_ngrams[1]}-grams, rule features "
                 f"{'on (weight %g)' % cfg.rule_weight if cfg.use_rules else 'off'}"
                 + (f", {cfg.encoder} embeddings (weight {cfg.embed_weight:g})" if cfg.embeddings else "")
                 + (f", {cfg.word_encoder} word vectors (weight {cfg.word_weight:g})" if cfg.word_vectors else "")
                 + f" ({self.seconds:.0f} s)",
                 f"{'subtask':<9}{'weighted F1':>13}{'± (repeats)':>13}{'micro F1':>10}{'macro F1':>10}"]
        d = self.to_dict()
        for k in SUBTASK_LABELS:
            mean, sd = self.subtask(k)
            lines.append(f"{k:<9}{mean:>13.3f}{sd:>13.3f}{d[f'subtask{k}']['micro_f1']:>10.3f}"
                         f"{d[f'subtask{k}']['macro_f1']:>10.3f}")
        spread = self.fold_weighted_f1
        lines.append(f"subtask 3 weighted F1 per fold: min {min(spread):.3f}, max {max(spread):.3f}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def stratified_folds(labels: Sequence[str], folds: int, seed: int) -> list[int]:
    """A fold number per item: each label's items dealt round-robin after a seeded shuffle."""
    rng = np.random.default_rng(seed)
    fold_of = [0] * len(labels)
    by_label: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        by_label.setdefault(lab, []).append(i)
    offset = 0
    for lab in sorted(by_label):
        items = by_label[lab]
        rng.shuffle(items)
        for j, i in enumerate(items):
            fold_of[i] = (offset + j) % folds
        offset += len(items)  # so small labels do not all start in fold 0
    return fold_of


@dataclass
class WrittenSnippets:
    """Labelled snippets we wrote ourselves (examples/training/): every fold trains on all of
    them and none is ever scored, so the cross-validated figures stay figures on the data."""

    records: list[CaseRecord]
    rule_features: Optional[list[list[str]]] = None  # when the model uses rule features
    embeddings: Optional[np.ndarray] = None  # when it uses an encoder

    def __len__(self) -> int:
        return len(self.records)


def load_written(paths: Sequence[Path]) -> list[CaseRecord]:
    """The snippets of these JSON Lines files (``{"id", "text", "label"}``), or of every
    ``*.jsonl`` in a directory among them; a repeated id or text is an error."""
    records = [r for path in paths for f in jsonl_files(path, "written snippets")
               for r in load_jsonl(f, written_record, "written snippet")]
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for r in records:
        if r.id in seen_ids or text_digest(r.text) in seen_texts:
            raise ValueError(f"written snippet {r.id}: its id or text occurs twice")
        seen_ids.add(r.id)
        seen_texts.add(text_digest(r.text))
    return records


def dev_overlap(written: Sequence[CaseRecord], records: Sequence[CaseRecord]) -> tuple[float, str]:
    """The largest share of a written snippet's word 4-grams found in one record's text, and
    that snippet's id (0.0 and "" when none shares any). A repeated text shares all of them;
    a text under four words counts as one gram, itself."""
    def grams(text: str) -> set[tuple[str, ...]]:
        ws = words(text)
        return {tuple(ws[i:i + 4]) for i in range(len(ws) - 3)} if len(ws) >= 4 else {tuple(ws)} if ws else set()

    dev = [grams(r.text) for r in records]
    best = (0.0, "")
    for r in written:
        mine = grams(r.text)
        if mine:
            best = max(best, (max((len(mine & d) / len(mine) for d in dev), default=0.0), r.id))
    return best


def cross_validate(records: Sequence[CaseRecord], rule_features: Optional[Sequence[Sequence[str]]],
                   config: FeatureConfig = FeatureConfig(), C: float = DEFAULT_C, folds: int = 5,
                   repeats: int = 1, seed: int = 0, embeddings: Optional[np.ndarray] = None,
                   written: Optional[WrittenSnippets] = None, word_table: Optional[WordTable] = None) -> CVResult:
    """Each record scored by a model fitted on the other folds (plus all ``written`` snippets)."""
    if folds < 2:
        raise ValueError(f"folds should be at least 2, not {folds}")
    start = time.perf_counter()
    texts = [r.text for r in records]
    labels = [r.label for r in records]
    fold_scores: list[float] = []
    all_pred: list[list[str]] = []
    scored: list[tuple[np.ndarray, Optional[int]]] = []
    if written and rule_features is not None and written.rule_features is None:
        raise ValueError("the written snippets need rule features as the records have them")
    if written and embeddings is not None and written.embeddings is None:
        raise ValueError("the written snippets need embeddings as the records have them")
    w_texts = [r.text for r in written.records] if written else []
    w_labels = [r.label for r in written.records] if written else []
    for rep in range(repeats):
        fold_of = stratified_folds(labels, folds, seed + rep)
        pred = [""] * len(records)
        for k in range(folds):
            train = [i for i in range(len(records)) if fold_of[i] != k]
            test = [i for i in range(len(records)) if fold_of[i] == k]
            train_feats = [list(rule_features[i]) for i in train] if rule_features is not None else None
            train_emb = embeddings[train] if embeddings is not None else None
            if written:
                if train_feats is not None:
                    train_feats += written.rule_features  # type: ignore[operator]  # checked above
                if train_emb is not None:
                    train_emb = np.vstack([train_emb, written.embeddings])
            model = fit([texts[i] for i in train] + w_texts, [labels[i] for i in train] + w_labels,
                        train_feats, config, C, embeddings=train_emb, word_table=word_table)
            for i in test:
                scores = model.scores(texts[i], rule_features[i] if rule_features is not None else (),
                                      embeddings[i] if embeddings is not None else None)
                pred[i] = model.labels[int(np.argmax(scores))]
                scored.append((scores, model.labels.index(labels[i]) if labels[i] in model.labels else None))
            fold_scores.append(score_case2021([records[i] for i in test], [pred[i] for i in test], 3).weighted_f1)
        all_pred.append(pred)
    return CVResult(folds, repeats, config, C, fold_scores, all_pred, list(records),
                    temperature=calibrate(scored), seconds=time.perf_counter() - start)


def rule_features_of(records: Sequence[CaseRecord], reader: Any = None) -> list[list[str]]:
    """The Reader's event features of every record's text (the text only: no id, no date)."""
    if reader is None:
        from frontlines.reading.pipeline import Reader

        reader = Reader.load()
    return [reading_features(r) for r in read_snippets([x.text for x in records], reader)]


@dataclass
class TrainReport:
    path: Path
    n: int
    terms: int
    size_bytes: int
    cv: Optional[CVResult]

    def to_dict(self) -> dict[str, Any]:
        return {"model": str(self.path), "records": self.n, "terms": self.terms, "bytes": self.size_bytes,
                "cv": self.cv.to_dict() if self.cv else None}

    def format(self) -> str:
        lines = [f"trained on {self.n} snippets: {self.terms} terms, {self.size_bytes / 1024:.0f} KiB -> {self.path}"]
        if self.cv is not None:
            lines += ["", self.cv.format()]
        return "\n".join(lines)


def train_case2021(data: Path, out: Path = DEFAULT_MODEL, config: FeatureConfig = FeatureConfig(),
                   C: float = DEFAULT_C, folds: int = 5, repeats: int = 1, cv: bool = True,
                   reader: Any = None, written: Sequence[Path] = (), context: Sequence[Path] = (),
                   progress: Optional[Callable[[str], None]] = None) -> TrainReport:
    """Cross-validate (unless ``cv`` is False), then fit on every record and save the model.

    ``written``: files or directories of snippets we wrote (``load_written``); they join every
    training fold and the final fit, and are never scored. ``context``: files or directories of
    unlabelled text in which the word vectors read each word in use (``word_vectors``; needs
    ``config.word_vectors``); a text of ``data`` among them is left out, so that no scored
    snippet shapes its own words. ``progress`` hears of the long steps."""
    if context and not config.word_vectors:
        raise ValueError("a context corpus is read for the word vectors: it needs word vectors too")
    records = load_case2021(data)
    extra = load_written(written) if written else []
    overlap, closest = dev_overlap(extra, records)
    if overlap > MAX_DEV_OVERLAP:
        raise ValueError(f"written snippet {closest} shares {overlap:.0%} of its word 4-grams with a text of "
                         f"{Path(data).name}: a rewrite of the data it is scored on, not a report of ours")
    feats = rule_features_of(records + extra, reader) if config.use_rules else None
    emb, embed_ms = None, None
    if config.embeddings:
        from frontlines.reading.encoders import embed

        embed([records[0].text], config.encoder)  # load the encoder before timing
        start = time.perf_counter()
        emb = embed([r.text for r in records + extra], config.encoder)
        embed_ms = 1000 * (time.perf_counter() - start) / (len(records) + len(extra))
    table = None
    if config.word_vectors:
        from frontlines.reading.word_vectors import build_table, context_sentences

        sentences = context_sentences(context, exclude={text_digest(r.text) for r in records}) if context else []
        if context and not sentences:
            raise ValueError("the context files hold no sentence to read words in")
        # The vocabulary holds every record's words, scored ones too: which words exist is not
        # a label, and the encoder's own vocabulary covers most of them anyway.
        table = build_table([r.text for r in records + extra], config.word_encoder, progress, sentences)
    n = len(records)
    snippets = WrittenSnippets(extra, feats[n:] if feats is not None else None,
                               emb[n:] if emb is not None else None) if extra else None
    result = cross_validate(records, feats[:n] if feats is not None else None, config, C, folds, repeats,
                            embeddings=emb[:n] if emb is not None else None, written=snippets,
                            word_table=table) if cv else None
    sources = [str(p) for p in written]
    meta: dict[str, Any] = {
        "name": "case2021 dev, TF-IDF + linear SVM" + (" + rule features" if config.use_rules else "")
                + (f" + {config.encoder} embeddings" if config.embeddings else "")
                + (f" + {config.word_encoder} word vectors" if config.word_vectors else ""),
        "trained_on": f"{Path(data).name} ({len(records)} records)"
                      + (f" + {len(extra)} written snippets ({', '.join(sources)})" if extra else ""),
        "C": C, "min_df": MIN_DF,
        "command": f"frontlines train case2021 --data {data} --out {out}"
                   + (f" --encoder {config.encoder}" if config.embeddings else "")
                   + (" --word-vectors" if config.word_vectors else "")
                   + "".join(f" --written {p}" for p in sources)
                   + "".join(f" --context {p}" for p in context),
        "train_digests": sorted(text_digest(r.text) for r in records),
    }
    if result is not None:
        meta["cv"] = {k: v for k, v in result.to_dict().items() if k != "seconds"}  # same data, same file
        if extra:
            result.notes.append(f"every fold also trained on {len(extra)} written snippets (never scored); "
                                f"the closest shares {overlap:.0%} of its word 4-grams with a dev text")
        if table is not None:
            result.notes.append(f"word vectors: {len(table.words)} words, each embedded alone by {config.word_encoder}"
                                + (f", read in context in {len(sentences)} sentences of {len(context)} "
                                   f"source(s) with no scored text" if sentences else ""))
        if embed_ms is not None:
            result.notes.append(f"embedding took {embed_ms:.0f} ms a snippet (batches of 32, one thread)")
    temperature = result.temperature if result is not None else 1.0
    everything = records + extra
    model = fit([r.text for r in everything], [r.label for r in everything], feats, config, C,
                temperature=temperature, meta=meta, embeddings=emb, word_table=table)
    path = model.save(out)
    return TrainReport(path, len(everything), len(model.terms), path.stat().st_size, result)


__all__ = ["CVResult", "DEFAULT_C", "MAX_DEV_OVERLAP", "MIN_DF", "TrainReport", "WrittenSnippets", "calibrate",
           "cross_validate", "dev_overlap", "fit", "load_written", "rule_features_of", "stratified_folds", "train_case2021"]
