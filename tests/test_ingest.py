"""Ingest: idempotence, bad inputs and bad documents do not stop the batch, progress."""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date

import pytest

from frontlines.ingest import (
    IngestReport, LazyReader, ReaderLoadError, count_inputs, ingest, read_paths,
)
from frontlines.model import DateRef, Document, EventMention, Reading, Span
from frontlines.store import Store
from readings_factory import write_corpus

_TRIGGER = re.compile(r"[^.;\n]*\b(shelled|struck|attacked|fired)\b[^.;\n]*")


class FakeReader:
    """One ASSAULT per clause with a violent verb; raises on documents saying BOOM."""

    version = "fake-1"

    def __init__(self) -> None:
        self.read_docs: list[str] = []

    def read(self, document: Document) -> Reading:
        if "BOOM" in document.text:
            raise RuntimeError("the reader\nexploded")
        self.read_docs.append(document.id)
        reading = Reading(document=document)
        for n, m in enumerate(_TRIGGER.finditer(document.text), 1):
            span = Span(m.start(), m.end(), m.group(0))
            reading.events.append(EventMention(
                id=f"ev-{document.id}-{n}", plover="ASSAULT", mode=None, acled_event_type=None,
                acled_sub_event_type=None, actors=[], targets=[], place=None,
                date=DateRef(document.published, "day" if document.published else None),
                status="asserted", reported_by=[], fatalities=None, evidence=[span],
                rule="fake"))
        if "DUPLICATE-IDS" in document.text and reading.events:
            reading.events.append(reading.events[0])  # the store must refuse this document
        return reading

    def read_many(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Reading]:
        for doc in documents:
            yield self.read(doc)


@pytest.fixture
def store(tmp_path):
    st = Store.open(tmp_path / "ingest.db")
    yield st
    st.close()


def test_ingest_twice_stores_nothing_new(tmp_path, store):
    write_corpus(tmp_path / "corpus", 12)
    reader = FakeReader()
    first = ingest([tmp_path / "corpus"], store, reader, progress=False)
    assert (first.read, first.stored, first.skipped_existing, first.errors) == (12, 12, 0, 0)
    assert first.events == store.counts()["event_mentions"] > 0
    before = store.counts()
    second = ingest([tmp_path / "corpus"], store, reader, progress=False)
    assert (second.read, second.stored, second.skipped_existing, second.errors) == (12, 0, 12, 0)
    assert second.events == 0
    assert store.counts() == before
    assert len(reader.read_docs) == 12  # already-stored documents are not even read again


def test_same_text_twice_in_one_run_is_stored_once(tmp_path, store):
    (tmp_path / "a.txt").write_text("Title\n\nRebels shelled Homs on Monday.\n")
    (tmp_path / "b.txt").write_text("Title\n\nRebels shelled Homs on Monday.\n")
    report = ingest([tmp_path / "a.txt", tmp_path / "b.txt"], store, FakeReader(),
                    progress=False)
    assert (report.stored, report.skipped_existing) == (1, 1)


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path, store):
    write_corpus(tmp_path / "c", 3)
    (tmp_path / "c" / "empty.txt").write_text("")
    (tmp_path / "c" / "binary.txt").write_bytes(bytes(range(256)) * 20)
    errors: list[object] = []
    report = ingest([tmp_path / "c", tmp_path / "missing.txt"], store, FakeReader(),
                    progress=False, on_error=errors.append)
    assert report.stored == 3
    assert report.errors == len(errors) == 3
    lines = [str(e) for e in errors]
    assert all("\n" not in line for line in lines)
    assert any("empty.txt" in line for line in lines)
    assert any("binary.txt" in line for line in lines)
    assert any("missing.txt" in line for line in lines)
    assert store.counts()["documents"] == 3


def test_a_document_the_reader_or_store_refuses_does_not_stop_the_batch(tmp_path, store):
    paths = write_corpus(tmp_path / "c", 5)
    (tmp_path / "c" / "report-00001.txt").write_text("Title\n\nBOOM. Rebels shelled Hama.\n")
    (tmp_path / "c" / "report-00003.txt").write_text("T\n\nDUPLICATE-IDS. Troops shelled Homs.\n")
    errors: list[object] = []
    report = ingest([tmp_path / "c"], store, FakeReader(), progress=False,
                    on_error=errors.append, batch_size=2)
    assert report.stored == 3 and report.errors == 2
    by_origin = {e.origin: str(e) for e in errors}
    assert "could not read" in by_origin[str(paths[1])] and "exploded" in by_origin[str(paths[1])]
    assert "could not store" in by_origin[str(paths[3])]
    assert all("\n" not in s for s in by_origin.values())
    # Nothing half-stored from the refused document.
    stored = store.document_ids()
    assert len(stored) == 3
    assert store.counts()["readings"] == 3


def test_published_and_outlet_are_passed_to_sources(tmp_path, store):
    (tmp_path / "a.txt").write_text("A title\n\nRegime forces shelled Daraa.\n")
    ingest([tmp_path / "a.txt"], store, FakeReader(), published=date(2016, 8, 3),
           outlet="Wire", progress=False)
    (row,) = store.events()
    assert row["published"] == "2016-08-03" and row["outlet"] == "Wire"
    assert row["date"] == "2016-08-03"


def test_reader_version_is_recorded(tmp_path, store):
    write_corpus(tmp_path / "c", 1)
    ingest([tmp_path / "c"], store, FakeReader(), progress=False)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("select reader_version from readings").scalar() == "fake-1"


def test_progress_bar_only_for_more_than_a_handful(tmp_path, store, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    write_corpus(tmp_path / "few", 3)
    ingest([tmp_path / "few"], store, FakeReader())
    assert "doc" not in capsys.readouterr().err
    write_corpus(tmp_path / "many", 8, start=100)
    ingest([tmp_path / "many"], store, FakeReader())
    err = capsys.readouterr().err
    assert "ingest" in err and "8/8" in err


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, store, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    write_corpus(tmp_path / "many", 8)
    ingest([tmp_path / "many"], store, FakeReader())
    assert "8/8" not in capsys.readouterr().err
    write_corpus(tmp_path / "more", 8, start=20)
    ingest([tmp_path / "more"], store, FakeReader(), progress=True)  # unless asked for
    assert "8/8" in capsys.readouterr().err


def test_count_inputs(tmp_path):
    write_corpus(tmp_path / "c", 4)
    (tmp_path / "c" / ".hidden.txt").write_text("x")
    (tmp_path / "c" / "image.png").write_bytes(b"x")
    assert count_inputs([tmp_path / "c"]) == (4, True)
    (tmp_path / "c" / "dump.jsonl").write_text("{}\n")
    assert count_inputs([tmp_path / "c", "-"]) == (6, False)


def test_lazy_reader_is_not_loaded_when_nothing_is_new(tmp_path, store):
    write_corpus(tmp_path / "c", 2)
    ingest([tmp_path / "c"], store, FakeReader(), progress=False)
    loads: list[int] = []

    def load() -> FakeReader:
        loads.append(1)
        return FakeReader()

    report = ingest([tmp_path / "c"], store, LazyReader(load), progress=False)
    assert report.skipped_existing == 2 and loads == []
    write_corpus(tmp_path / "c", 1, start=50)
    report = ingest([tmp_path / "c"], store, LazyReader(load), progress=False)
    assert report.stored == 1 and loads == [1]
    with store.engine.connect() as conn:
        versions = set(conn.exec_driver_sql("select reader_version from readings").scalars())
    assert versions == {"fake-1"}


def test_read_paths_yields_readings_in_order(tmp_path):
    paths = write_corpus(tmp_path / "c", 4)
    errors: list[object] = []
    readings = list(read_paths([*paths[:2], tmp_path / "nope.txt", *paths[2:]], FakeReader(),
                               on_error=errors.append, batch_size=3))
    assert [r.document.origin for r in readings] == [str(p) for p in paths]
    assert len(errors) == 1


def test_read_paths_reports_a_document_the_reader_fails_on(tmp_path):
    paths = write_corpus(tmp_path / "c", 3)
    paths[1].write_text("Title\n\nBOOM.\n")
    errors: list[object] = []
    readings = list(read_paths(paths, FakeReader(), on_error=errors.append))
    assert [r.document.origin for r in readings] == [str(paths[0]), str(paths[2])]
    assert len(errors) == 1 and "could not read" in str(errors[0])


def test_a_reader_that_cannot_load_stops_the_run_with_one_message(tmp_path, store):
    write_corpus(tmp_path / "c", 3)

    def load() -> FakeReader:
        raise RuntimeError("spaCy model 'x' is not installed")

    errors: list[object] = []
    with pytest.raises(ReaderLoadError, match="could not load the reader: spaCy model"):
        ingest([tmp_path / "c"], store, LazyReader(load), progress=False,
               on_error=errors.append)
    assert errors == []  # not one "could not read" per document
    assert store.counts()["documents"] == 0


def test_report_summary_line():
    line = IngestReport(read=5, stored=3, skipped_existing=1, errors=1, events=7).summary()
    assert line == "stored 3 documents, 7 events; 1 already stored; 1 error"
    line = IngestReport(stored=1, events=1, errors=2, seconds=2.04).summary()
    assert line == "stored 1 document, 1 event; 0 already stored; 2 errors (2.0 s)"


# -- with the real reader -------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_reader():
    from frontlines.gazetteer.build import ensure_index
    from frontlines.reading.pipeline import Reader

    ensure_index()
    return Reader.load()


@pytest.mark.slow
def test_ingest_with_the_real_reader(tmp_path, real_reader):
    write_corpus(tmp_path / "c", 8)
    with Store.open(tmp_path / "real.db") as st:
        report = ingest([tmp_path / "c"], st, real_reader, published=date(2016, 8, 1),
                        progress=False)
        assert report.stored == 8 and report.errors == 0
        rows = st.events()
        assert report.events == len(rows) > 0
        assert "ASSAULT" in {r["plover"] for r in rows}  # every report tells of shelling
        for r in rows:  # evidence offsets point into the stored text
            doc = st.document(r["document_id"])
            assert doc["text"][r["evidence_start"]:r["evidence_end"]] == r["evidence_text"]
        located = [r for r in rows if r["lat"] is not None]
        assert located, "the generated towns are real places: some events must be located"
        again = ingest([tmp_path / "c"], st, real_reader, progress=False)
        assert again.stored == 0 and again.skipped_existing == 8
