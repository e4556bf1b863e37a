"""Input readers: files, directories and standard input → Documents or InputErrors.

    for item in read_inputs(["reports/", "feed.xml", "-"], published=date(2016, 7, 31)):
        if isinstance(item, InputError): print(item)   # "feed.xml#3: ..."
        else: store(item)                                  # a Document

One module per input kind (text, html, feed, jsonl); this one only finds the inputs
and picks the reader. Bad input never raises: it is yielded as an InputError and the
batch goes on.
"""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Optional, Sequence, TextIO

from ..model import Document
from .build import ReadOptions
from .errors import InputError
from .feed import read_feed
from .html import read_html
from .jsonl import read_jsonl
from .raw import DEFAULT_MAX_BYTES, Raw, read_file, read_stream
from .sniff import WALKED, Kind, kind_of_path, kind_of_text
from .text import read_text

__all__ = ["DEFAULT_MAX_BYTES", "InputError", "read_inputs"]

Reader = Callable[[Raw, ReadOptions], Iterator["Document | InputError"]]
READERS: dict[Kind, Reader] = {
    "text": read_text,
    "html": read_html,
    "feed": read_feed,
    "jsonl": read_jsonl,
}
STDIN = "-"


def read_inputs(
    paths: Sequence[str | Path],
    *,
    published: Optional[date] = None,
    outlet: Optional[str] = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Document | InputError]:
    """Read every path (a file, a directory walked recursively, or "-" for stdin).

    ``published`` is used for inputs whose metadata has no date; ``outlet`` for inputs
    whose metadata names none. Yields in input order and never raises for bad input.
    """
    options = ReadOptions(published=published, outlet=outlet)
    for given in paths:
        name = str(given)
        if name == STDIN:
            raw = read_stream(stdin if stdin is not None else sys.stdin, STDIN, max_bytes)
            yield from _read(raw, None, options)
            continue
        path = Path(given)
        if path.is_dir():
            found = False
            for member in _walk(path):
                found = True
                yield from _read(read_file(member, str(member), max_bytes), kind_of_path(member), options)
            if not found:
                yield InputError(name, "directory has no input files (.txt, .md, .html, .xml, .rss, .jsonl …)")
        elif path.exists():
            yield from _read(read_file(path, name, max_bytes), kind_of_path(path), options)
        else:
            yield InputError(name, "no such file or directory")


def _walk(root: Path) -> Iterator[Path]:
    """Input files under ``root`` in sorted order, skipping hidden files and directories.

    Only known extensions (and files with none) are read: a saved page's folder of
    images, scripts and style sheets is not news.
    """
    seen: set[tuple[int, int]] = set()

    def visit(directory: Path) -> Iterator[Path]:
        try:
            st = directory.stat()
            if (st.st_dev, st.st_ino) in seen:  # a symlink loop
                return
            seen.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_dir():
                yield from visit(path)
            elif entry.is_file() and path.suffix.lower() in WALKED:
                yield path

    yield from visit(root)


def _read(raw: Raw | InputError, kind: Optional[Kind], options: ReadOptions) -> Iterator[Document | InputError]:
    if isinstance(raw, InputError):
        yield raw
        return
    if kind is None:
        sniffed = kind_of_text(raw.text)
        if sniffed == "xml":
            yield InputError(raw.origin, "XML that is neither an RSS nor an Atom feed")
            return
        kind = sniffed
    try:
        yield from READERS[kind](raw, options)
    except Exception as e:  # a library bug on odd input must not stop the batch
        yield InputError(raw.origin, f"could not read as {kind}: {type(e).__name__}: {e}")
