"""Shared fixtures: the real reader is loaded once per test session (a few seconds)."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from frontlines.model import Document

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FRONTLINES_SHARED", REPO.parent / "shared"))
EXAMPLE_PLACES = REPO / "examples" / "places" / "aleppo_2016.csv"


@pytest.fixture(scope="session")
def reader():
    from frontlines.reading.pipeline import Reader

    return Reader.load()


@pytest.fixture(scope="session")
def read(reader):
    """read(text, published="YYYY-MM-DD", outlet=None) -> Reading, with the session reader."""

    def _read(text: str, published: str = "2020-06-15", outlet: str | None = "Test Wire"):
        return reader.read(Document(text=text, published=date.fromisoformat(published),
                                    published_basis="given", outlet=outlet))

    return _read


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not found: the evaluation data lives in ../shared beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def ingested_corpus(tmp_path_factory) -> str:
    """The sample corpus ingested once a session by `frontlines ingest` (api_support.corpus_db),
    for the tests that only read it through the CLI or the API."""
    from api_support import corpus_db

    return str(corpus_db(tmp_path_factory))
