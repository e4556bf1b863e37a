"""Sentence encoders (reading/encoders.py) and the classifier models that use them.

The parts that need no torch (joining split zips, model files and names, an embedding model's
save/load) always run; the shipped mpnet model runs only where `make mpnet` installed it."""
from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from frontlines.reading import encoders
from frontlines.reading.classify import MPNET_MODEL, FeatureConfig, SnippetClassifier, model_file
from frontlines.reading.encoders import EncoderMissing, unpack_parts


def _split_zip(tmp_path: Path, files: dict[str, bytes], parts: int = 3) -> list[Path]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    blob = buf.getvalue()
    size = len(blob) // parts + 1
    paths = []
    for i in range(parts):
        p = tmp_path / f"m.zip.{i + 1:03d}"
        p.write_bytes(blob[i * size:(i + 1) * size])
        paths.append(p)
    return paths


def test_unpack_parts_joins_them_in_order(tmp_path):
    weights = bytes(range(256)) * 40
    parts = _split_zip(tmp_path, {"enc/model.safetensors": weights, "enc/modules.json": b"[]"})
    target = unpack_parts(parts, tmp_path / "cache" / "enc")
    assert (target / "model.safetensors").read_bytes() == weights
    assert (target / "modules.json").read_text() == "[]"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["enc"]  # no temporary left behind
    # unpacking again replaces, never mixes
    again = unpack_parts(parts, target)
    assert again == target and (target / "model.safetensors").read_bytes() == weights


def test_unpack_parts_refuses_parts_out_of_order_or_without_a_model(tmp_path):
    parts = _split_zip(tmp_path, {"enc/model.safetensors": b"x" * 5000, "enc/vocab.txt": b"y" * 5000})
    with pytest.raises(EncoderMissing, match="did not unpack|no model"):
        unpack_parts(list(reversed(parts)), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    (tmp_path / "other").mkdir()
    no_model = _split_zip(tmp_path / "other", {"enc/vocab.txt": b"words"})
    with pytest.raises(EncoderMissing, match="no model.safetensors"):
        unpack_parts(no_model, tmp_path / "out")


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTLINES_CACHE", str(tmp_path / "fc"))
    assert encoders.cache_dir() == tmp_path / "fc"
    monkeypatch.delenv("FRONTLINES_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert encoders.cache_dir() == tmp_path / "xdg" / "frontlines"


def test_missing_parts_say_how_to_install_them(monkeypatch, tmp_path):
    monkeypatch.setattr(encoders, "MPNET_PARTS", ("no-such-frontlines-part-001",))
    with pytest.raises(EncoderMissing, match="make mpnet"):
        encoders._part_files()


def test_unknown_encoder_is_an_error():
    with pytest.raises(ValueError, match="minilm, mpnet"):
        encoders.load_encoder("bert-huge")


def test_model_names_and_files(tmp_path):
    assert model_file("mpnet") == MPNET_MODEL and MPNET_MODEL.is_file()
    assert model_file("default").is_file()
    with pytest.raises(FileNotFoundError, match="default, mpnet"):
        model_file(str(tmp_path / "none.npz"))


def test_an_embedding_model_keeps_its_encoder_and_weights(tmp_path):
    config = FeatureConfig(use_rules=False, embeddings=True, embed_weight=1.5, encoder="mpnet")
    model = SnippetClassifier(("A", "B"), ("w:bomb", "w:march"), np.ones(2), np.array([[1.0, -1.0], [-1.0, 1.0]]),
                              np.zeros(2), config, {"train_digests": []},
                              embed_coef=np.array([[0.5, 0.0, 0.0], [0.0, 0.5, 0.0]]))
    back = SnippetClassifier.load(model.save(tmp_path / "e.npz"))
    assert back.config == config and back.embed_coef.shape == (2, 3)
    # a given embedding is used as is (no encoder is loaded), and it moves the scores
    toward_b = back.scores("bomb", embedding=np.array([0.0, 1.0, 0.0]))
    plain = back.scores("bomb", embedding=np.zeros(3))
    assert plain[0] > plain[1] and toward_b[1] - toward_b[0] > plain[1] - plain[0]


def test_the_shipped_mpnet_model_says_what_it_was_trained_on():
    model = SnippetClassifier.load(MPNET_MODEL)
    assert model.config.embeddings and model.config.encoder == "mpnet"
    assert model.embed_coef is not None and model.embed_coef.shape == (len(model.labels), 768)
    assert "cv" in model.meta and model.meta["cv"]["subtask3"]["weighted_f1"] > 0


def _mpnet_installed() -> bool:
    if importlib.util.find_spec("sentence_transformers") is None:
        return False
    try:
        encoders._part_files()
    except EncoderMissing:
        return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(not _mpnet_installed(), reason="the mpnet encoder is not installed (make mpnet)")
def test_the_mpnet_model_reads_sentences_of_ours():
    model = SnippetClassifier.load(MPNET_MODEL)
    texts = ["Government warplanes bombed the market of the rebel-held town at noon, killing nine people.",
             "Thousands of nurses marched peacefully through the capital to demand unpaid wages."]
    emb = encoders.embed(texts, "mpnet")
    assert emb.shape == (2, 768) and np.allclose(np.linalg.norm(emb, axis=1), 1.0)
    labels = [model.classify(t, (), e)[0][0] for t, e in zip(texts, emb)]
    assert labels == ["AIR_STRIKE", "PEACE_PROTEST"]
    # without a given embedding the model embeds the text itself, to the same answer
    assert model.classify(texts[0])[0][0] == "AIR_STRIKE"


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed: nothing to keep out")
def test_the_reader_does_not_load_torch_even_where_it_is_installed():
    import subprocess
    import sys

    code = ("import sys\n"
            "from frontlines.reading.pipeline import load_nlp\n"
            "load_nlp()('Jets bombed the town.')\n"
            "assert 'torch' not in sys.modules, 'the reader imported torch'\n"
            "import torch\n"  # and the encoders can still have it
            "print(torch.tensor([1.0]).sum().item())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1.0"
