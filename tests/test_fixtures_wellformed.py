"""The hand-written gold is well formed: the fixture reports about other wars
(tests/fixtures/reports) and the sample corpus (examples/corpus) with its gold (examples/GOLD.json).

These tests check the data, not the system: every JSON file parses, every evidence string
is an exact substring of its report, every actor id is defined in the knowledge actor files,
and the codes (PLOVER types and modes, ACLED pairs, statuses, dates) are valid. They use
the standard library only, so a broken reader cannot hide a broken fixture.
"""
from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
CORPUS = ROOT / "examples" / "corpus"
ACTOR_FILES = sorted((ROOT / "src" / "frontlines" / "knowledge" / "data").glob("actors*.toml"))

# PLOVER's 16 types and the modes the seed gold allows (PLOVER manual, as in
# ../shared/eval/seed/check_gold.py).
PLOVER = {
    "AGREE": set(), "CONSULT": {"visit", "third-party", "multilateral", "phone"}, "SUPPORT": set(),
    "CONCEDE": set(), "COOPERATE": set(), "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"}, "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms", "explosives",
                "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control", "unconventional"},
}
ACLED = {
    "Battles": {"Government regains territory", "Non-state actor overtakes territory", "Armed clash"},
    "Protests": {"Excessive force against protesters", "Protest with intervention", "Peaceful protest"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
STATUSES = {"asserted", "claimed", "confirmed", "denied", "expected", "planned", "hypothetical", "negated"}
CHANGES = {"captured", "held", "lost", "divided", "besieged", "lifted"}  # the seed's, plus "lifted"
PRECISIONS = {"day", "week", "month", "year", None}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LEAD_FILES = "actors_syria.toml / actors_generic.toml"


# ---------------------------------------------------------------- the actor files
def _actor_rows() -> list[tuple[str, dict]]:
    rows = []
    for path in ACTOR_FILES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rows += [(path.name, row) for row in data.get("actor", [])]
    return rows


ACTOR_ROWS = _actor_rows()
ACTOR_IDS = {row["id"] for _, row in ACTOR_ROWS}


def test_actor_files_are_well_formed():
    assert ACTOR_FILES, "no src/frontlines/knowledge/data/actors*.toml"
    problems, where = [], {}
    for name, row in ACTOR_ROWS:
        ident = row.get("id", "?")
        for key in ("id", "name", "aliases", "sector"):
            if key not in row:
                problems.append(f"{name}: {ident} has no {key}")
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", ident):
            problems.append(f"{name}: id {ident!r} is not UPPER_SNAKE")
        if ident in where:
            problems.append(f"{name}: id {ident} is already defined in {where[ident]}")
        where[ident] = name
        country = row.get("country")
        if country is not None and not re.fullmatch(r"[A-Z]{3}", country):
            problems.append(f"{name}: {ident} country {country!r} is not ISO-3 / UNO / NGO / IMG")
        parent = row.get("part_of")
        if parent and parent not in ACTOR_IDS:
            problems.append(f"{name}: {ident} part_of {parent} is not defined in any actor file")
    assert not problems, "\n".join(problems)


def test_no_alias_names_two_actors():
    owners: dict[str, set[str]] = defaultdict(set)
    files: dict[str, set[str]] = defaultdict(set)
    for name, row in ACTOR_ROWS:
        for alias in row.get("aliases", []):
            owners[alias.casefold()].add(row["id"])
            files[alias.casefold()].add(name)
    clashes = [f"{alias!r}: {sorted(ids)} ({', '.join(sorted(files[alias]))})"
               for alias, ids in sorted(owners.items()) if len(ids) > 1]
    assert not clashes, "aliases that name more than one actor:\n" + "\n".join(clashes)


# ---------------------------------------------------------------- shared checks
def _check_date(where: str, d, problems: list[str]) -> None:
    if d is None:
        return
    if not isinstance(d, dict) or "value" not in d or "precision" not in d:
        problems.append(f"{where}: a date must be {{value, precision[, expression]}}, got {d!r}")
        return
    value, precision = d["value"], d["precision"]
    if precision not in PRECISIONS:
        problems.append(f"{where}: bad precision {precision!r}")
    if value is None:
        if precision is not None:
            problems.append(f"{where}: precision without a value")
        return
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: bad date {value!r}")
        return
    if precision == "week" and day.weekday() != 0:
        problems.append(f"{where}: week value {value} is not a Monday")
    if precision == "month" and day.day != 1:
        problems.append(f"{where}: month value {value} is not the 1st")
    if precision == "year" and (day.month, day.day) != (1, 1):
        problems.append(f"{where}: year value {value} is not 1 January")
    expression = (d.get("expression") or "").lower()
    named = [i for i, weekday in enumerate(WEEKDAYS) if re.search(rf"\b{weekday}\b", expression)]
    if named and precision == "day" and day.weekday() not in named:  # "on Friday and Saturday": either
        problems.append(f"{where}: {value} is not a {' or '.join(WEEKDAYS[i].title() for i in named)}"
                        f" ({d.get('expression')!r})")


def _check_event_codes(where: str, e: dict, problems: list[str]) -> None:
    plover, mode = e.get("plover"), e.get("mode")
    if plover not in PLOVER:
        problems.append(f"{where}: {plover!r} is not one of PLOVER's 16 types")
    elif mode is not None and mode not in PLOVER[plover]:
        problems.append(f"{where}: mode {mode!r} is not a {plover} mode")
    kind, sub = e.get("acled_event_type"), e.get("acled_sub_event_type")
    if (kind is None) != (sub is None) or (kind is not None and sub not in ACLED.get(kind, ())):
        problems.append(f"{where}: bad ACLED pair {kind!r} / {sub!r}")
    if e.get("status") not in STATUSES:
        problems.append(f"{where}: bad status {e.get('status')!r}")
    fatalities = e.get("fatalities")
    if fatalities is not None and (not isinstance(fatalities, int) or fatalities < 0):
        problems.append(f"{where}: fatalities must be a whole number or null, got {fatalities!r}")


def _ids_in(x: dict) -> set[str]:
    ids = set()
    for key in ("actors", "targets", "reported_by", "recipients"):
        ids.update(x.get(key) or [])
    for key in ("controller", "counterpart", "speaker"):
        if x.get(key):
            ids.add(x[key])
    return ids


def _missing_ids_message(missing: dict[str, set[str]]) -> str:
    lines = [f"{len(missing)} actor id(s) used in gold are not defined in any "
             f"src/frontlines/knowledge/data/actors*.toml (Syria and generic ids belong in {LEAD_FILES}):"]
    for ident, users in sorted(missing.items()):
        lines.append(f"  {ident}: used by {', '.join(sorted(users))}")
    return "\n".join(lines)


# ---------------------------------------------------------------- fixture reports about other wars
FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))


def test_there_are_enough_fixture_reports():
    assert len(FIXTURE_NAMES) >= 12, FIXTURE_NAMES
    for name in FIXTURE_NAMES:
        assert (FIXTURES / f"{name}.txt").is_file(), f"{name}.json has no {name}.txt"
    for txt in FIXTURES.glob("*.txt"):
        assert (FIXTURES / f"{txt.stem}.json").is_file(), f"{txt.name} has no gold .json"


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_is_well_formed(name):
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    gold = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    lines = text.split("\n")
    assert lines[0].strip() and lines[1] == "", f"{name}.txt: first line is the title, then a blank line"
    assert 100 <= len(text.split()) <= 320, f"{name}.txt: {len(text.split())} words"
    dt.date.fromisoformat(gold["published"])
    problems: list[str] = []
    for key in ("events", "non_events", "control", "indicators"):
        if not isinstance(gold.get(key), list):
            problems.append(f"{name}: {key} must be a list")
    for i, e in enumerate(gold.get("events", []), 1):
        where = f"{name} event {i}"
        for key in ("plover", "mode", "acled_event_type", "acled_sub_event_type", "actors", "targets",
                    "place", "date", "status", "fatalities", "evidence"):
            if key not in e:
                problems.append(f"{where}: no {key}")
        _check_event_codes(where, e, problems)
        _check_date(where, e.get("date"), problems)
    for section in ("control", "indicators"):
        for i, x in enumerate(gold.get(section, []), 1):
            where = f"{name} {section} {i}"
            if x.get("status") not in STATUSES:
                problems.append(f"{where}: bad status {x.get('status')!r}")
            if section == "control" and x.get("change") not in CHANGES:
                problems.append(f"{where}: bad change {x.get('change')!r}")
            for key in ("date", "as_of", "projected_date"):
                _check_date(f"{where} {key}", x.get(key), problems)
    for section in ("events", "non_events", "control", "indicators"):
        for i, x in enumerate(gold.get(section, []), 1):
            evidence = x.get("evidence")
            if not isinstance(evidence, str) or not evidence:
                problems.append(f"{name} {section} {i}: evidence must be a non-empty string")
            elif evidence not in text:
                problems.append(f"{name} {section} {i}: evidence is not in the report: {evidence!r}")
    assert not problems, "\n".join(problems)


def test_fixture_actor_ids_are_defined():
    missing: dict[str, set[str]] = defaultdict(set)
    for name in FIXTURE_NAMES:
        gold = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        for section in ("events", "control", "indicators"):
            for x in gold.get(section, []):
                for ident in _ids_in(x) - ACTOR_IDS:
                    missing[ident].add(name)
    assert not missing, _missing_ids_message(missing)


# ---------------------------------------------------------------- the sample corpus and GOLD.json
class _Text(html.parser.HTMLParser):
    """The visible text of a page or fragment, one block per paragraph-like element."""

    SKIP = {"script", "style", "head"}
    BLOCK = {"p", "h1", "h2", "h3", "figcaption", "li", "div", "br", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _visible(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _meta(page: str, prop: str) -> str | None:
    m = re.search(rf'<meta\s+(?:property|name)="{re.escape(prop)}"\s+content="([^"]*)"', page)
    return m.group(1) if m else None


def _corpus_texts() -> dict[tuple[str, object], dict]:
    """Each corpus document by (file, line or item number): title, text, published, outlet."""
    docs: dict[tuple[str, object], dict] = {}
    for path in sorted(CORPUS.iterdir()):
        if path.name == "GOLD.json":
            continue
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            for n, line in enumerate(raw.splitlines(), 1):
                row = json.loads(line)
                assert set(row) == {"text", "title", "url", "outlet", "published"}, f"{path.name}:{n}: {sorted(row)}"
                docs[(path.name, n)] = dict(row)
        elif path.suffix == ".txt":
            title, blank, body = raw.split("\n", 2)
            assert title.strip() and blank == "", f"{path.name}: title line, then a blank line"
            m = re.match(r"([A-Z][A-Za-z ,.]+?), ([A-Z][a-z]+\.? \d{1,2}, \d{4}) [—-] ", body)
            assert m, f"{path.name}: no dateline like 'ALEPPO, July 18, 2016 — '"
            month_day_year = m.group(2).replace(".", "")
            fmt = "%B %d, %Y" if len(month_day_year.split()[0]) > 3 else "%b %d, %Y"
            published = dt.datetime.strptime(month_day_year, fmt).date().isoformat()
            docs[(path.name, None)] = {"title": title, "text": body, "published": published, "outlet": None}
        elif path.suffix == ".html":
            for prop in ("og:site_name", "article:published_time", "og:title"):
                assert _meta(raw, prop), f"{path.name}: no <meta property={prop!r}>"
            assert re.search(r"<figure[\s>].*<img\s.*<figcaption>.+</figcaption>.*</figure>", raw, re.S), \
                f"{path.name}: needs a <figure> with an <img> and a <figcaption>"
            article = re.search(r"<article[\s>].*</article>", raw, re.S)
            assert article, f"{path.name}: no <article>"
            docs[(path.name, None)] = {"title": _meta(raw, "og:title"), "text": _visible(article.group(0)),
                                       "published": _meta(raw, "article:published_time")[:10],
                                       "outlet": _meta(raw, "og:site_name")}
        elif path.suffix == ".xml":
            channel = ET.fromstring(raw).find("channel")
            outlet = channel.findtext("title")
            for n, item in enumerate(channel.findall("item"), 1):
                pub = item.findtext("pubDate")
                assert pub, f"{path.name}#{n}: no pubDate"
                published = dt.datetime.strptime(pub, "%a, %d %b %Y %H:%M:%S %z").date().isoformat()
                docs[(path.name, n)] = {"title": item.findtext("title"), "text": _visible(item.findtext("description")),
                                        "published": published, "outlet": outlet}
        else:
            pytest.fail(f"examples/corpus/{path.name}: unexpected file")
    return docs


def test_corpus_has_every_input_kind():
    docs = _corpus_texts()
    kinds = defaultdict(int)
    for (file, _), doc in docs.items():
        kinds[Path(file).suffix] += 1
        words = len(doc["text"].split())
        assert 110 <= words <= 420, f"{file}: {words} words"
    assert 14 <= len(docs) <= 20, len(docs)
    assert kinds[".html"] == 3 and kinds[".txt"] == 2 and 2 <= kinds[".xml"] <= 3 and kinds[".jsonl"] >= 8, dict(kinds)
    outlets = {doc["outlet"] for doc in docs.values() if doc["outlet"]}
    assert 4 <= len(outlets) <= 5, outlets
    dates = sorted(doc["published"] for doc in docs.values())
    assert dates[0] >= "2016-07-01" and dates[-1] <= "2016-08-31", dates


def _gold() -> dict:
    return json.loads((CORPUS.parent / "GOLD.json").read_text(encoding="utf-8"))


def test_corpus_gold_matches_its_documents():
    docs, gold = _corpus_texts(), _gold()
    problems: list[str] = []
    seen = set()
    for d in gold["documents"]:
        key = (d["file"], d.get("line", d.get("item")))
        doc = docs.get(key)
        where = f"GOLD {d['key']} ({d['file']})"
        if doc is None:
            problems.append(f"{where}: no such document")
            continue
        seen.add(key)
        if doc["title"] != d["title"]:
            problems.append(f"{where}: title {d['title']!r} != {doc['title']!r}")
        if doc["published"] != d["published"]:
            problems.append(f"{where}: published {d['published']} != {doc['published']}")
        if doc["outlet"] != d["outlet"]:
            problems.append(f"{where}: outlet {d['outlet']!r} != {doc['outlet']!r}")
        text = _norm(doc["title"] + "\n" + doc["text"]) if d["format"] != "html" else _norm(doc["text"])
        for section in ("events", "control", "indicators", "statements", "non_events"):
            for x in d[section]:
                evidence = x.get("evidence")
                if not isinstance(evidence, list) or not evidence:
                    problems.append(f"{where} {x.get('id')}: evidence must be a non-empty list")
                    continue
                for s in evidence:
                    if _norm(s) not in text:
                        problems.append(f"{where} {x['id']}: evidence not in the document: {s!r}")
        for e in d["events"]:
            _check_event_codes(f"{where} {e['id']}", e, problems)
            _check_date(f"{where} {e['id']}", e["date"], problems)
            if not re.fullmatch(r"O\d{2}", e.get("occurrence") or ""):
                problems.append(f"{where} {e['id']}: occurrence key {e.get('occurrence')!r}")
        for c in d["control"]:
            if c["change"] not in CHANGES or c["status"] not in STATUSES:
                problems.append(f"{where} {c['id']}: bad change/status {c['change']!r}/{c['status']!r}")
            _check_date(f"{where} {c['id']}", c["date"], problems)
        for i in d["indicators"]:
            if i["status"] not in STATUSES:
                problems.append(f"{where} {i['id']}: bad status {i['status']!r}")
            if i["value"] is None and i["low"] is None and i["high"] is None and i["projected_date"] is None:
                problems.append(f"{where} {i['id']}: no number and no projected date")
            _check_date(f"{where} {i['id']} as_of", i["as_of"], problems)
            _check_date(f"{where} {i['id']} projected_date", i["projected_date"], problems)
        for s in d["statements"]:
            if s["plover"] not in PLOVER or (s.get("mode") and s["mode"] not in PLOVER[s["plover"]]):
                problems.append(f"{where} {s['id']}: bad PLOVER type/mode")
    for key in set(docs) - seen:
        problems.append(f"{key[0]}{'' if key[1] is None else ':' + str(key[1])}: document has no gold")
    assert not problems, "\n".join(problems)


def test_corpus_occurrence_index_is_consistent():
    gold = _gold()
    used: dict[str, list[str]] = defaultdict(list)
    for d in gold["documents"]:
        for e in d["events"]:
            if d["key"] not in used[e["occurrence"]]:
                used[e["occurrence"]].append(d["key"])
    index = gold["occurrences"]
    assert set(index) == set(used), set(index) ^ set(used)
    for occ, entry in index.items():
        assert entry["document_keys"] == used[occ], occ
    # the fusion requirements: some occurrences are reported by several outlets
    multi = [occ for occ, keys in used.items() if len(keys) >= 3]
    assert len(multi) >= 4, multi


def test_corpus_actor_ids_are_defined():
    missing: dict[str, set[str]] = defaultdict(set)
    for d in _gold()["documents"]:
        for section in ("events", "control", "indicators", "statements"):
            for x in d[section]:
                for ident in _ids_in(x) - ACTOR_IDS:
                    missing[ident].add(d["key"])
    assert not missing, _missing_ids_message(missing)
