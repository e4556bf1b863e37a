"""The one place that runs sources → reading → store → fuse, in batches.

Documents already in the store (same content hash) are skipped before they are read,
so running an ingest twice stores nothing new, and re-running an ingest that was killed
half-way reads only what is missing. Each document is stored in its own transaction,
together with the update of the fused events it joins (``frontlines.fuse``).
A bad input, or a document the reader or the store chokes on, is reported through
``on_error`` and the batch goes on.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Optional, Protocol, Union

from frontlines.model import Document, Reading
from frontlines.store import Store

PROGRESS_MIN_INPUTS = 6  # more than a handful of inputs → a progress bar


class ReaderLike(Protocol):
    def read_many(self, documents: Iterable[Document],
                  batch_size: int = 32) -> Iterator[Reading]: ...

    def read(self, document: Document) -> Reading: ...


@dataclass(frozen=True)
class DocumentError:
    """A document that was read from its input but could not be read or stored."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


ErrorLike = Any  # frontlines.sources.InputError or DocumentError: both have origin, reason


@dataclass
class IngestReport:
    read: int = 0  # documents the inputs gave
    stored: int = 0  # documents newly stored
    skipped_existing: int = 0  # already in the store (or twice in this run)
    errors: int = 0  # bad inputs, and documents that failed to read or store
    events: int = 0  # event mentions newly stored
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: "stored N documents, M events; K already stored; E errors (T s)"."""
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        line = (f"stored {n(self.stored, 'document')}, {n(self.events, 'event')}; "
                f"{self.skipped_existing} already stored; {n(self.errors, 'error')}")
        if self.seconds:
            line += f" ({self.seconds:.1f} s)"
        return line


def reader_version(reader: object) -> str:
    explicit = getattr(reader, "version", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    try:
        return f"frontlines {version('frontlines')}"
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "frontlines (unknown version)"


def count_inputs(paths: Sequence[Union[str, Path]]) -> tuple[int, bool]:
    """How many input files ``paths`` name, and whether that is also the document count
    (False when a feed, a JSON Lines file or stdin may hold many documents)."""
    from frontlines.sources.sniff import EXTENSIONS, WALKED

    def one_doc(path: Path) -> bool:
        return EXTENSIONS.get(path.suffix.lower()) in ("text", "html")

    n, one_doc_each = 0, True
    for p in paths:
        if str(p) == "-":
            n += 1
            one_doc_each = False
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]  # as sources skip them
                for name in files:
                    if not name.startswith(".") and Path(name).suffix.lower() in WALKED:
                        n += 1
                        one_doc_each = one_doc_each and one_doc(Path(root, name))
        else:
            n += 1
            one_doc_each = one_doc_each and one_doc(path)
    return n, one_doc_each


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _progress_bar(paths: Sequence[Union[str, Path]], progress: Optional[bool]) -> Any:
    if progress is False:
        return None
    if progress is None and not _is_tty(sys.stderr):
        return None  # a log file or CI output gets the summary line, not bar redraws
    n, one_doc_each = count_inputs(paths)
    if progress is None and n < PROGRESS_MIN_INPUTS:
        return None
    from tqdm import tqdm

    return tqdm(total=n if one_doc_each else None, unit="doc", file=sys.stderr,
                dynamic_ncols=True, desc="ingest")


class ReaderLoadError(Exception):
    """The reader could not be loaded: nothing can be read, so the run stops."""


def _read_batch(reader: ReaderLike, batch: list[Document], batch_size: int,
                fail: Callable[[DocumentError], None]) -> Iterator[Reading]:
    """The readings of ``batch`` in order; a document the reader fails on is reported
    through ``fail`` and left out."""
    done = 0
    try:
        for reading in reader.read_many(batch, batch_size=batch_size):
            done += 1
            yield reading
        return
    except ReaderLoadError:
        raise
    except Exception:
        pass
    # The batch reader died on some document: read the rest one at a time, so only the
    # document that fails is reported.
    for doc in batch[done:]:
        try:
            reading = reader.read(doc)
        except ReaderLoadError:
            raise
        except Exception as exc:
            fail(DocumentError(doc.origin or doc.id, f"could not read: {_one_line(exc)}"))
            continue
        yield reading


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(
    paths: Sequence[Union[str, Path]],
    store: Store,
    reader: ReaderLike,
    *,
    published: Optional[date] = None,
    outlet: Optional[str] = None,
    progress: Optional[bool] = None,
    on_error: Optional[Callable[[ErrorLike], None]] = None,
    batch_size: int = 32,
    stdin: Any = None,
    fuse: bool = True,
) -> IngestReport:
    """Read ``paths`` and store every new document with its reading.

    ``progress``: None shows a bar on stderr, when it is a terminal, for more than a
    handful of inputs; True always; False never. ``on_error`` gets each bad input or failed document (``str()`` is one line).
    ``fuse``: update the fused events in each document's own transaction (after fusing
    from scratch first if the stored events are missing or were made by other rules).
    """
    from frontlines.sources import read_inputs  # sources load trafilatura: only when ingesting

    fuser = None
    if fuse:
        from frontlines.fuse import Fuser

        fuser = Fuser()
        fuser.ensure_current(store)
    report = IngestReport()
    started = time.perf_counter()
    version_tag: list[str] = []  # asked for only once something is stored: a lazy reader stays unloaded
    bar = _progress_bar(paths, progress)
    seen: set[str] = set()

    def fail(err: ErrorLike) -> None:
        report.errors += 1
        if on_error is not None:
            if bar is not None:
                from tqdm import tqdm

                # Lift the bar while the message is printed, so both stay readable.
                with tqdm.external_write_mode(file=sys.stderr):
                    on_error(err)
            else:
                on_error(err)
        if bar is not None:
            bar.update(1)

    def new_documents() -> Iterator[Document]:
        for item in read_inputs(paths, published=published, outlet=outlet, stdin=stdin):
            if not isinstance(item, Document):
                fail(item)
                continue
            report.read += 1
            if item.id in seen or store.has_document(item.id):
                report.skipped_existing += 1
                if bar is not None:
                    bar.update(1)
                continue
            seen.add(item.id)
            yield item

    def keep(reading: Reading) -> None:
        doc = reading.document
        try:
            if not version_tag:
                version_tag.append(reader_version(reader))
            added = store.add(reading, reader_version=version_tag[0],
                              and_then=fuser.update if fuser is not None else None)
        except Exception as exc:  # one document the store refuses must not stop the batch
            fail(DocumentError(doc.origin or doc.id, f"could not store: {_one_line(exc)}"))
            return
        if added:
            report.stored += 1
            report.events += len(reading.events)
        else:
            report.skipped_existing += 1  # stored by someone else meanwhile
        if bar is not None:
            bar.update(1)
            bar.set_postfix(stored=report.stored, errors=report.errors, refresh=False)

    try:
        for batch in _batches(new_documents(), batch_size):
            for reading in _read_batch(reader, batch, batch_size, fail):
                keep(reading)
    finally:
        if bar is not None:
            bar.close()
        report.seconds = time.perf_counter() - started
    return report


class LazyReader:
    """A reader loaded on first use: a run with nothing new to read (a re-run of an
    ingest, inputs that are all bad) does not pay the seconds spaCy takes to load."""

    def __init__(self, load: Callable[[], ReaderLike]) -> None:
        self._load = load
        self._reader: Optional[ReaderLike] = None

    @property
    def loaded(self) -> ReaderLike:
        if self._reader is None:
            try:
                self._reader = self._load()
            except Exception as exc:
                raise ReaderLoadError(f"could not load the reader: {_one_line(exc)}") from exc
        return self._reader

    @property
    def version(self) -> str:
        return reader_version(self.loaded)

    def read(self, document: Document) -> Reading:
        return self.loaded.read(document)

    def read_many(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Reading]:
        return self.loaded.read_many(documents, batch_size=batch_size)


def read_paths(
    paths: Sequence[Union[str, Path]],
    reader: ReaderLike,
    *,
    published: Optional[date] = None,
    outlet: Optional[str] = None,
    on_error: Optional[Callable[[ErrorLike], None]] = None,
    batch_size: int = 32,
    stdin: Any = None,
) -> Iterator[Reading]:
    """Read inputs without storing them: the Readings, in input order, lazily."""
    from frontlines.sources import read_inputs

    def report(err: ErrorLike) -> None:
        if on_error is not None:
            on_error(err)

    def documents() -> Iterator[Document]:
        for item in read_inputs(paths, published=published, outlet=outlet, stdin=stdin):
            if isinstance(item, Document):
                yield item
            else:
                report(item)

    for batch in _batches(documents(), batch_size):
        yield from _read_batch(reader, batch, batch_size, report)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
