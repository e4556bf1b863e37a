"""Pages of /api/events as SQLite writes them (``MapQueries.events_page_json``) against the
rows built in Python (``events_page``): the same rows in the same order, the same totals,
and offset paging that walks every match once. Over the real sample corpus (fused events
with several sources, disagreements and undated events) and a synthetic store made by the
API bench's own builder."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from api_support import corpus_db
from frontlines.api.bench import build_store
from frontlines.store.map_queries import BBox, EventFilter, MapQueries, open_readonly


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    store = open_readonly(corpus_db(tmp_path_factory))
    yield MapQueries(store)
    store.close()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path: Path = tmp_path_factory.mktemp("synthetic") / "bench.db"
    build_store(path, 2000, seed=3)
    store = open_readonly(path)
    yield MapQueries(store)
    store.close()


CORPUS_FILTERS = [
    EventFilter(),
    EventFilter(since=date(2016, 7, 25), until=date(2016, 8, 7)),
    EventFilter(bbox=BBox(36.9, 36.0, 37.4, 36.4), since=date(2016, 7, 1)),
    EventFilter(types=["ASSAULT"], until=date(2016, 8, 1)),
    EventFilter(actor="SYR_MIL"),
    EventFilter(actor="Syrian Armed Forces", since=date(2016, 7, 1), until=date(2016, 9, 1)),
    EventFilter(min_sources=2),
    EventFilter(status=["claimed", "denied"]),
    EventFilter(place="Aleppo"),
]
SYNTHETIC_FILTERS = [
    EventFilter(),
    EventFilter(since=date(2015, 3, 1), until=date(2015, 4, 30)),
    EventFilter(bbox=BBox(36.0, 33.0, 39.0, 36.0), since=date(2015, 1, 1), until=date(2015, 12, 31)),
    EventFilter(types=["COERCE", "PROTEST"], since=date(2015, 6, 1), until=date(2016, 6, 1)),
    EventFilter(actor="ISIL", since=date(2015, 6, 1), until=date(2015, 9, 1)),
    EventFilter(actor="HTS", role="target"),
]


def _same_pages(queries: MapQueries, f: EventFilter) -> None:
    everything = queries.events_page(f, limit=100_000, with_total=False)[1]
    dated = sum(r["date"] is not None for r in everything)
    for brief in (False, True):
        # Pages across the end of the dated events (undated ones come after them), the
        # last row, and past the end.
        for limit, offset in [(500, 0), (7, 0), (7, 5), (7, dated - 3), (3, dated),
                              (1, len(everything) - 1), (10, len(everything)),
                              (10, len(everything) + 30)]:
            offset = max(0, offset)
            total, rows, unit = queries.events_page(f, limit=limit, offset=offset, brief=brief)
            page = queries.events_page_json(f, limit=limit, offset=offset, brief=brief)
            assert json.loads(page.rows_json) == rows, (f, brief, limit, offset)
            assert (page.total, page.unit, page.count) == (total, unit, len(rows))
            # A short page tells the total without a count: it must still be every match.
            assert total == len(everything), (f, limit, offset)
            assert [r["id"] for r in rows] == [r["id"] for r in everything[offset:offset + limit]]


@pytest.mark.parametrize("f", CORPUS_FILTERS, ids=repr)
def test_sqlite_rows_are_the_python_rows_on_the_corpus(corpus, f):
    _same_pages(corpus, f)


@pytest.mark.parametrize("f", SYNTHETIC_FILTERS, ids=repr)
def test_sqlite_rows_are_the_python_rows_on_a_synthetic_store(synthetic, f):
    _same_pages(synthetic, f)


def test_the_corpus_exercises_the_interesting_fields(corpus):
    # The comparison above means little unless rows carry lists, names and evidence.
    rows = json.loads(corpus.events_page_json(EventFilter(), limit=5000).rows_json)
    assert any(r["disagreements"] for r in rows) and any(r["sources"] > 1 for r in rows)
    assert any(r["actor_names"] and r["actor_names"] != r["actors"] for r in rows)
    assert all(r["evidence_text"] for r in rows if r["mention_ids"])
    assert any(r["place_id"] for r in rows) and any(r["fatalities"] is not None for r in rows)


@pytest.mark.parametrize("size", [1, 13, 100])
def test_offset_pages_walk_every_match_once_in_order(synthetic, size):
    f = EventFilter(since=date(2015, 2, 1), until=date(2015, 3, 15))
    everything = [r["id"] for r in synthetic.events_page(f, limit=100_000)[1]]
    walked, offset = [], 0
    while True:
        page = synthetic.events_page_json(f, limit=size, offset=offset)
        assert page.total == len(everything)
        walked += [r["id"] for r in json.loads(page.rows_json)]
        offset += size
        if offset >= page.total:
            break
    assert walked == everything and len(set(walked)) == len(walked)


def test_undated_events_come_last(synthetic, corpus):
    for queries in (synthetic, corpus):
        rows = json.loads(queries.events_page_json(EventFilter(), limit=5000).rows_json)
        dates = [r["date"] for r in rows]
        dated = [d for d in dates if d is not None]
        assert dates == dated + [None] * (len(dates) - len(dated))
        assert dated == sorted(dated)


def test_a_dated_view_is_read_from_the_map_index(synthetic):
    """The dots of a view come from the covering index alone, in page order (no sort of
    the whole date range): a plan check, not a timing."""
    import sqlalchemy as sa

    f = EventFilter(bbox=BBox(35.7, 32.5, 42.0, 37.3), since=date(2015, 3, 1),
                    until=date(2015, 3, 31))
    table, cond, cols, order = synthetic._brief_query(f, fused=True)
    q = sa.select(*cols).where(*cond).order_by(*order).limit(5000)
    with synthetic.engine.connect() as conn:
        sql = str(q.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " | ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "COVERING INDEX ix_events_map" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("which", ["corpus", "synthetic"])
def test_pages_are_ordered_by_date_first_report_and_id_with_every_event(which, request):
    queries = request.getfixturevalue(which)
    rows = queries.events_page(EventFilter(), limit=100_000)[1]
    key = [(r["date"] is None, r["date"] or "", r["first_reported"] or "", r["id"]) for r in rows]
    assert key == sorted(key)
    import sqlalchemy as sa

    from frontlines.store import schema

    with queries.engine.connect() as conn:
        stored = set(conn.execute(sa.select(schema.events.c.id)).scalars())
    assert {r["id"] for r in rows} == stored and len(rows) == len(stored)
