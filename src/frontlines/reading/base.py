"""What every reading stage is: a callable with a name and a declared output.

A stage reads the spaCy ``Doc`` and what earlier stages put on the ``Reading``,
and adds its own findings. It never touches the store, so a batch can be read in
any process.
"""
from __future__ import annotations

from typing import Protocol

from spacy.tokens import Doc

from frontlines.model import Reading


class Stage(Protocol):
    name: str
    assigns: tuple[str, ...]  # the Reading fields this stage fills

    def __call__(self, doc: Doc, reading: Reading) -> None: ...
