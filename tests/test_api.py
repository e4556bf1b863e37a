"""The HTTP API against a real `frontlines serve` on 127.0.0.1, over a database built by
ingesting the sample corpus with the real reader; plus read-only opening and `serve`'s
option checks."""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from api_support import corpus_db, get, serving
from frontlines.cli import main
from frontlines.store import Store, StoreError
from frontlines.store.map_queries import open_readonly
from readings_factory import aleppo_reading

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return corpus_db(tmp_path_factory)


@pytest.fixture(scope="module")
def base(db) -> str:
    with serving(db) as url:
        yield url


def ok(url: str):
    status, body, _ = get(url)
    assert status == 200, f"{url}: {status} {body}"
    return body


def all_events(base: str, query: str = "") -> list[dict]:
    page = ok(f"{base}/api/events?limit=5000{query}")
    assert page["next"] is None
    return page["events"]


# -- events ----------------------------------------------------------------------------------


def test_events_are_the_stored_fused_events_with_their_sources(base, db):
    with sqlite3.connect(db) as conn:
        fused = conn.execute("select count(*), max(n_sources) from events").fetchone()
        mentions = conn.execute("select count(*) from event_mentions").fetchone()[0]
    page = ok(f"{base}/api/events")
    assert page["unit"] == "event"
    assert page["total"] == fused[0] > 0
    assert fused[0] < mentions  # the corpus reports some occurrences more than once
    assert max(e["sources"] for e in page["events"]) == fused[1] > 1
    summary = ok(f"{base}/api/summary")
    assert summary["events"] == fused[0] and summary["mentions"] == mentions


def test_paging_walks_every_event_once(base):
    everything = [e["id"] for e in all_events(base)]
    seen, url = [], f"{base}/api/events?limit=7"
    while url:
        page = ok(url)
        assert len(page["events"]) <= 7
        seen += [e["id"] for e in page["events"]]
        url = base + page["next"] if page["next"] else None
    assert seen == everything
    assert len(set(seen)) == len(seen)


def test_date_range_keeps_events_whose_reported_dates_meet_it(base):
    rows = all_events(base, "&since=2016-07-25&until=2016-07-31")
    assert rows
    everything = all_events(base)
    assert len(rows) < len(everything)
    for e in rows:
        lo, hi = e["date_low"] or e["date"], e["date_high"] or e["date"]
        assert lo <= "2016-07-31" and hi >= "2016-07-25", e


def test_type_status_and_min_sources_filters(base):
    assault = all_events(base, "&type=assault")
    assert assault and {e["plover"] for e in assault} == {"ASSAULT"}
    both = all_events(base, "&type=ASSAULT,COERCE")
    assert len(both) == len(assault) + len(all_events(base, "&type=COERCE"))
    claimed = all_events(base, "&status=claimed")
    assert claimed and {e["status"] for e in claimed} == {"claimed"}
    multi = all_events(base, "&min_sources=2")
    assert multi and all(e["sources"] >= 2 for e in multi)
    assert len(multi) < len(all_events(base))


def test_bbox_keeps_located_events_inside_it(base):
    box = (37.0, 36.1, 37.3, 36.3)  # Aleppo and its edges
    rows = all_events(base, "&bbox=" + ",".join(map(str, box)))
    assert rows and len(rows) < len(all_events(base))
    for e in rows:
        assert box[0] <= e["lon"] <= box[2] and box[1] <= e["lat"] <= box[3]


def test_actor_filter_matches_id_or_name(base):
    by_id = all_events(base, "&actor=SYR_MIL")
    assert by_id
    name = ok(f"{base}/api/summary")["actors"]
    syr = next(a for a in name if a["id"] == "SYR_MIL")
    by_name = all_events(base, "&actor=" + quote(syr["name"].upper()))
    assert [e["id"] for e in by_name] == [e["id"] for e in by_id]
    for e in by_id:
        detail = ok(f"{base}/api/events/{e['id']}")
        assert any("SYR_MIL" in m["actors"] + m["targets"] for m in detail["mentions"])


def test_geojson_has_a_point_per_located_event(base):
    status, body, ctype = get(f"{base}/api/events?format=geojson&limit=5000")
    assert status == 200 and ctype.startswith("application/geo+json")
    assert body["type"] == "FeatureCollection"
    located = [e for e in all_events(base) if e["lat"] is not None]
    assert len(body["features"]) == len(located)
    assert body["left_out"] == body["total"] - len(located)
    f = body["features"][0]
    assert f["geometry"]["type"] == "Point"
    e = next(x for x in located if x["id"] == f["id"])
    assert f["geometry"]["coordinates"] == [e["lon"], e["lat"]]


def test_brief_rows_are_the_same_events_with_only_the_dot_fields(base):
    query = "&since=2016-07-20&until=2016-08-10&type=ASSAULT"
    full = all_events(base, query)
    brief = all_events(base, query + "&fields=brief")
    assert [e["id"] for e in brief] == [e["id"] for e in full]
    assert set(brief[0]) == {"id", "plover", "mode", "status", "date", "date_precision",
                             "place", "lat", "lon", "sources"}
    for b, f in zip(brief, full):
        assert {k: f[k] for k in b} == b
    status, geo, _ = get(f"{base}/api/events?fields=brief&format=geojson&limit=5000{query}")
    assert status == 200 and len(geo["features"]) == sum(e["lat"] is not None for e in brief)


def test_timeline_counts_events_per_day(base):
    days = ok(f"{base}/api/timeline?type=ASSAULT")["days"]
    dated = [e for e in all_events(base, "&type=ASSAULT") if e["date"]]
    assert sum(d["events"] for d in days) == len(dated)


# -- one event, its evidence, its document ----------------------------------------------------


def test_an_event_has_every_report_with_its_evidence_sentence(base):
    multi = all_events(base, "&min_sources=2")[0]
    event = ok(f"{base}/api/events/{multi['id']}")
    assert event["id"] == multi["id"] and event["unit"] == "event"
    assert len(event["mentions"]) == multi["mentions"] >= 2
    assert len({m["outlet"] for m in event["mentions"]}) >= 2
    for m in event["mentions"]:
        doc = ok(base + m["document_url"])
        sentence = m["sentence"]
        assert doc["text"][sentence["start"]:sentence["end"]] == sentence["text"]
        assert m["marks"], m
        for start, end in m["marks"]:
            marked = sentence["text"][start:end]
            assert marked and marked in " ".join(e["text"] for e in m["evidence"])
        assert m["outlet"] == doc["outlet"] and m["published"] == doc["published"]


def test_asking_for_a_report_gives_its_event_with_that_report_first(base):
    multi = all_events(base, "&min_sources=2")[0]
    last = ok(f"{base}/api/events/{multi['id']}")["mentions"][-1]["id"]
    via = ok(f"{base}/api/events/{last}")
    assert via["id"] == multi["id"]
    assert via["mentions"][0]["id"] == last


def test_a_document_has_its_text_and_the_spans_read_from_it(base):
    event = ok(f"{base}/api/events/{all_events(base)[0]['id']}")
    doc = ok(base + event["mentions"][0]["document_url"])
    assert doc["text"] and doc["title"]
    assert doc["events"]
    for ev in doc["events"]:
        for span in ev["evidence"]:
            assert doc["text"][span["start"]:span["end"]] == span["text"]


# -- places, sieges, figures, control -----------------------------------------------------------


def test_a_place_has_its_events_and_control_timeline(base):
    aleppo = ok(f"{base}/api/places/170063")
    assert aleppo["name"] == "Aleppo" and aleppo["geonames_id"] == 170063
    assert aleppo["events"]["count"] > 0 and aleppo["mentions"] > 0
    assert isinstance(aleppo["control"], list)
    dates = [c["date"] for c in aleppo["control"] if c["date"]]
    assert dates == sorted(dates)
    assert ok(f"{base}/api/places/aleppo")["name"] == "Aleppo"  # by name, any case
    listed = ok(f"{base}/api/places")["places"]
    assert any(p["id"] == "170063" for p in listed)


def test_control_claims_each_carry_their_source(base):
    for claim in ok(f"{base}/api/control")["control"]:
        assert claim["document_id"] and claim["change"]
        assert "outlet" in claim and "evidence" in claim


def test_sieges_find_aleppo_with_its_reports(base):
    sieges = ok(f"{base}/api/sieges")["sieges"]
    aleppo = [s for s in sieges if "Aleppo" in s["place"]]
    assert aleppo, sieges
    s = aleppo[0]
    assert s["siege_reports"] and s["documents"] >= 2
    assert s["first_report"] <= s["latest_report"]
    for key in ("population", "forecasts", "evacuations", "besiegers"):
        assert isinstance(s[key], list)
    for f in s["forecasts"]:
        assert f["projected_date"]


def test_control_changes_fuse_the_claims_of_several_outlets(base):
    claims = ok(f"{base}/api/control")["control"]
    changes = ok(f"{base}/api/control/changes")["changes"]
    assert 0 < len(changes) < len(claims)  # some change is told more than once
    assert sum(c["n_claims"] for c in changes) == len(claims)  # every claim, once
    told_twice = ok(f"{base}/api/control/changes?min_sources=2")["changes"]
    assert told_twice and all(c["n_sources"] >= 2 for c in told_twice)
    for c in told_twice:
        assert len(c["claims"]) == c["n_claims"] and c["first_reported"] <= c["last_reported"]


def test_fused_figures_keep_the_range_and_every_report(base):
    per_report = ok(f"{base}/api/figures?limit=1000")["total"]
    page = ok(f"{base}/api/figures/fused?limit=1000")
    assert 0 < page["total"] <= per_report
    assert sum(f["n_reports"] for f in page["figures"]) == per_report
    for f in page["figures"]:
        if f["value_low"] is not None:
            assert f["value_low"] <= f["value_best"] <= f["value_high"]


def test_figures_page(base):
    page = ok(f"{base}/api/figures?limit=3")
    assert page["total"] >= len(page["figures"])
    for f in page["figures"]:
        assert f["kind"] and "evidence" in f


def test_user_places_are_geojson_from_the_place_file(base):
    status, body, ctype = get(f"{base}/api/userplaces")
    assert status == 200 and ctype.startswith("application/geo+json")
    names = {f["properties"]["name"] for f in body["features"]}
    assert {"Sheikh Maqsoud", "Castello road", "Aleppo"} <= names
    assert "al-Rashideen" not in names  # no point of its own: left out, not put on the centre
    assert body["left_out"] > 0


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, status, words", [
    ("/api/events?since=2016-13-01", 400, "since: should be a date as YYYY-MM-DD"),
    ("/api/events?until=yesterday", 400, "until: should be a date as YYYY-MM-DD"),
    ("/api/events?since=2016-08-01&until=2016-07-01", 400, "is after until"),
    ("/api/events?bbox=1,2,3", 400, "bbox: should be west,south,east,north"),
    ("/api/events?bbox=37,36.5,37.3,36.1", 400, "south (36.5) is above north (36.1)"),
    ("/api/events?bbox=200,0,201,1", 400, "longitudes must lie in -180..180"),
    ("/api/events?type=BOMBING", 400, "type: should be a PLOVER type"),
    ("/api/events?status=rumoured", 400, "status: should be one of asserted"),
    ("/api/events?limit=0", 400, "limit: should be greater than or equal to 1"),
    ("/api/events?limit=100000", 400, "limit: should be less than or equal to 5000"),
    ("/api/events?offset=-1", 400, "offset:"),
    ("/api/events?limit=many", 400, "limit: should be a valid integer"),
    ("/api/events?min_sources=0", 400, "min_sources:"),
    ("/api/events?format=xml", 400, "format: should be 'json' or 'geojson'"),
    ("/api/events?fields=some", 400, "fields: should be 'full' or 'brief'"),
    ("/api/events?role=target", 400, "role: needs actor"),
    ("/api/events?actor=SYR_MIL&role=boss", 400, "role: should be one of actor"),
    ("/api/events?tpye=ASSAULT", 400, "unknown parameter 'tpye'"),
    ("/api/figures?since=01/08/2016", 400, "since: should be a date"),
    ("/api/figures/fused?since=yesterday", 400, "since: should be a date"),
    ("/api/control/changes?min_sources=0", 400, "min_sources:"),
    ("/api/events/ev-", 400, "matches"),
    ("/api/events/no-such-event", 404, "no event 'no-such-event'"),
    ("/api/places/nowhere-at-all", 404, "no place 'nowhere-at-all'"),
    ("/api/documents/0000", 404, "no document '0000'"),
    ("/api/nothing", 404, "no such endpoint"),
])
def test_bad_requests_get_a_clear_message(base, path, status, words):
    got, body, ctype = get(base + path)
    assert got == status, body
    assert ctype.startswith("application/json")
    assert words in body["error"], body["error"]


def test_the_docs_page_and_its_spec_are_served_locally(base):
    status, html, _ = get(base + "/docs")
    assert status == 200
    assert "/static/vendor/swagger/swagger-ui-bundle.js" in html
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html
    for asset in ("/static/vendor/swagger/swagger-ui-bundle.js",
                  "/static/vendor/swagger/swagger-ui.css", "/static/favicon.svg"):
        assert get(base + asset)[0] == 200, asset
    spec = ok(base + "/openapi.json")
    assert {"/api/events", "/api/events/{event_id}", "/api/places/{place_id}", "/api/sieges",
            "/api/figures", "/api/documents/{document_id}"} <= set(spec["paths"])


# -- a store without fused events, read-only opening, `serve` itself --------------------------------


def test_a_store_without_fused_events_is_served_mention_by_mention(tmp_path):
    path = tmp_path / "plain.db"
    with Store.open(path) as st:
        st.add(aleppo_reading())  # store.add alone does not fuse
    with serving(path, places=None) as url:
        page = ok(f"{url}/api/events")
        assert page["unit"] == "mention" and page["total"] > 0
        assert {e["sources"] for e in page["events"]} == {1}
        assert ok(f"{url}/api/events?min_sources=2")["total"] == 0
        event = ok(f"{url}/api/events/{page['events'][0]['id']}")
        assert event["unit"] == "mention" and event["mentions"][0]["id"] == event["id"]


def test_the_api_opens_the_store_read_only(tmp_path):
    path = tmp_path / "ro.db"
    with Store.open(path) as st:
        st.add(aleppo_reading())
    store = open_readonly(path)
    try:
        assert store.events()  # reads
        with pytest.raises(sa.exc.OperationalError, match="readonly|read-only|query_only"):
            with store.engine.begin() as conn:
                conn.execute(sa.text("insert into meta (key, value) values ('x', 'y')"))
    finally:
        store.close()
    with pytest.raises(StoreError, match="no such database"):
        open_readonly(tmp_path / "missing.db")
    (tmp_path / "other.db").write_bytes(b"")
    sqlite3.connect(tmp_path / "other.db").execute("create table t (x)").connection.commit()
    with pytest.raises(StoreError, match="not a frontlines database"):
        open_readonly(tmp_path / "other.db")


def test_serve_refuses_a_missing_database_and_a_bad_port(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such database" in result.output
    result = CliRunner().invoke(main, ["serve", "--db", "x.db", "--port", "70000"])
    assert result.exit_code == 2 and "--port" in result.output


def test_serve_binds_loopback_unless_told_otherwise():
    serve = main.commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_dates_in_answers_are_iso(base):
    e = all_events(base)[0]
    assert date.fromisoformat(e["date"])


def test_the_api_bench_runs_on_a_small_store(tmp_path):
    from frontlines.api.bench import run_api_bench

    result = run_api_bench(n_events=300, n_requests=3, db_path=tmp_path / "bench.db")
    figures = result.to_dict()
    assert figures["mentions"] == 300 and 0 < figures["events"] <= 300
    assert set(figures["http"]) == set(figures["in_process"]) == {
        "map dots", "map list", "bbox+dates", "country+month", "type+dates", "actor+dates",
        "timeline", "one event"}
    for name, t in figures["http"].items():
        assert t["requests"] == 3 and t["p50_ms"] <= t["p95_ms"] <= t["max_ms"], name
    assert figures["http"]["one event"]["mean_rows"] >= 1  # every event has a report
    assert "target p95" in result.format()
    again = run_api_bench(n_events=300, n_requests=2, db_path=tmp_path / "bench.db")
    assert again.build_seconds == 0 and again.events == result.events  # reused, not rebuilt


def test_parallel_requests_all_get_the_same_answer(base):
    from concurrent.futures import ThreadPoolExecutor

    urls = [f"{base}/api/events?limit=20&offset={i % 5}" for i in range(200)]
    with ThreadPoolExecutor(20) as pool:  # bounded: 200 requests to 127.0.0.1
        answers = list(pool.map(get, urls))
    assert {status for status, _, _ in answers} == {200}
    assert len({body["total"] for _, body, _ in answers}) == 1


def test_what_an_ingest_stores_shows_up_while_serving(tmp_path):
    import shutil
    import subprocess

    from api_support import CORPUS, FRONTLINES, PLACES

    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    files = sorted(p for p in CORPUS.iterdir() if p.suffix == ".txt")
    shutil.copy(files[0], first)
    for f in files[1:]:
        shutil.copy(f, rest)
    db = tmp_path / "live.db"

    def ingest(folder):
        done = subprocess.run([str(FRONTLINES), "ingest", str(folder), "--places", str(PLACES),
                               "--db", str(db), "--no-progress"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    ingest(first)
    with serving(db) as url:
        before = ok(f"{url}/api/summary")
        ingest(rest)  # the server keeps the database open, read-only, meanwhile
        after = ok(f"{url}/api/summary")
    assert after["documents"] == before["documents"] + len(files) - 1
    assert after["mentions"] > before["mentions"]
