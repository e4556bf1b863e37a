"""User place files: the neighbourhoods, roads, facilities and crossings a gazetteer lacks.

A place file is a CSV with a header row. Columns (order free, extra columns ignored):

    name        preferred name, unique in the file                       (required)
    kind        neighbourhood, road, facility, crossing, village, town,
                city, district, governorate, country, …                   (required)
    lat, lon    WGS84 decimal degrees; both empty when unknown            (required, may be empty)
    alt_names   other spellings, separated by "|" (or "aliases")          (optional)
    parent      name of the containing place: a row of the same file,
                or a place the gazetteer knows                            (optional)
    country     ISO 3166-1 alpha-2                                        (optional)
    source      where the coordinates come from                           (optional)
    wkt         POINT, LINESTRING, MULTILINESTRING or POLYGON, lon lat    (optional)
    geonames_id the GeoNames id when the row is a GeoNames place          (optional)

A row without coordinates resolves to its parent's point with ACLED geo_precision 2;
the parent is looked up in the same file first, then in the other files, then in the
gazetteer. A row with a WKT line and no lat/lon gets a point on the line, half-way
along it, and the candidate keeps the WKT.
"""
from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from ..model import Place
from .index import Candidate, Gazetteer, rank
from .normalize import fold_light, normalize_name

REQUIRED_COLUMNS = ("name", "kind", "lat", "lon")
OPTIONAL_COLUMNS = ("alt_names", "parent", "country", "source", "wkt", "geonames_id")
# Other headers people write for the same columns.
COLUMN_SYNONYMS = {"aliases": "alt_names", "alternate_names": "alt_names", "alt_name": "alt_names",
                   "latitude": "lat", "longitude": "lon", "lng": "lon"}
# ACLED geo_precision of a row that has its own point, by kind; any other kind is 1.
KIND_PRECISION = {
    "district": 2, "admin2": 2, "county": 2,
    "governorate": 3, "province": 3, "state": 3, "region": 3, "admin1": 3, "country": 3, "continent": 3,
}
FALLBACK_PRECISION = 2  # a point borrowed from the containing place

PathLike = Union[str, Path]


@dataclass(frozen=True)
class UserPlace:
    """One row of a place file, checked."""

    name: str
    alt_names: tuple[str, ...]
    kind: str
    parent: Optional[str]
    country: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    wkt: Optional[str]
    source: Optional[str]
    geonames_id: Optional[int]
    file: Path
    line: int

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.line}"


# -- WKT ----------------------------------------------------------------------------

_WKT = re.compile(r"^\s*(POINT|LINESTRING|MULTILINESTRING|POLYGON)\s*(\(.*\))\s*$", re.IGNORECASE | re.DOTALL)


def _parts(body: str) -> list[list[tuple[float, float]]]:
    """The coordinate lists in a WKT body: "(1 2, 3 4)" or "((1 2, 3 4), (5 6, 7 8))"."""
    inner = body.strip()[1:-1].strip()
    groups = re.findall(r"\(([^()]*)\)", inner) if inner.startswith("(") else [inner]
    parts = []
    for group in groups:
        points = []
        for pair in group.split(","):
            numbers = pair.split()
            try:
                lon, lat = (float(n) for n in numbers) if len(numbers) == 2 else (math.nan, math.nan)
            except ValueError:
                lon = lat = math.nan
            if math.isnan(lon) or math.isnan(lat):
                raise ValueError(f"bad coordinate pair {pair.strip()!r} in wkt (expected 'lon lat')")
            _check_point(lat, lon)
            points.append((lon, lat))
        parts.append(points)
    return parts


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _halfway(line: list[tuple[float, float]]) -> tuple[float, float]:
    """The point half-way along a line, as (lat, lon): it lies on the road itself."""
    lengths = [_km(a, b) for a, b in zip(line, line[1:])]
    target, walked = sum(lengths) / 2, 0.0
    for (a, b), seg in zip(zip(line, line[1:]), lengths):
        if walked + seg >= target and seg > 0:
            t = (target - walked) / seg
            return a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0])
        walked += seg
    return line[0][1], line[0][0]


def representative_point(wkt: str) -> tuple[float, float]:
    """(lat, lon) for a WKT geometry: the point itself, half-way along a line (the longest
    part of a multi-line), or the mean of a polygon's outer ring. Raises ValueError."""
    m = _WKT.match(wkt)
    if not m:
        raise ValueError("wkt must be POINT, LINESTRING, MULTILINESTRING or POLYGON with (lon lat) pairs")
    kind, parts = m.group(1).upper(), _parts(m.group(2))
    if kind == "POINT":
        if len(parts) != 1 or len(parts[0]) != 1:
            raise ValueError("a POINT has exactly one coordinate pair")
        lon, lat = parts[0][0]
        return lat, lon
    if kind in ("LINESTRING", "MULTILINESTRING"):
        if any(len(p) < 2 for p in parts) or (kind == "LINESTRING" and len(parts) != 1):
            raise ValueError(f"a {kind} needs at least two points per line")
        return _halfway(max(parts, key=lambda p: sum(_km(a, b) for a, b in zip(p, p[1:]))))
    ring = parts[0]
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise ValueError("a POLYGON ring needs at least four points and must close on its first")
    vertices = ring[:-1]
    return sum(p[1] for p in vertices) / len(vertices), sum(p[0] for p in vertices) / len(vertices)


def _check_point(lat: float, lon: float) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"coordinates {lat},{lon} are out of range (lat -90..90, lon -180..180)")


# -- reading files ----------------------------------------------------------------------


def _parse_row(values: dict[str, str], path: Path, line: int) -> UserPlace:
    name = values["name"].strip()
    kind = values["kind"].strip().casefold()
    if not name:
        raise ValueError("name is empty")
    if not kind:
        raise ValueError("kind is empty")
    lat_s, lon_s = values["lat"].strip(), values["lon"].strip()
    if bool(lat_s) != bool(lon_s):
        raise ValueError("lat and lon must both be given or both be empty")
    lat = lon = None
    if lat_s:
        try:
            lat, lon = float(lat_s), float(lon_s)
        except ValueError:
            raise ValueError(f"lat/lon {lat_s!r},{lon_s!r} are not decimal degrees") from None
        _check_point(lat, lon)
    wkt = (values.get("wkt") or "").strip() or None
    if wkt:
        point = representative_point(wkt)
        if lat is None:
            lat, lon = point
    country = (values.get("country") or "").strip().upper() or None
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise ValueError(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
    gid_s = (values.get("geonames_id") or "").strip()
    if gid_s and not gid_s.isdigit():
        raise ValueError(f"geonames_id {gid_s!r} is not a number")
    parent = (values.get("parent") or "").strip() or None
    if lat is None and parent is None:
        raise ValueError("a row without coordinates needs a parent to borrow a point from")
    alt_names = tuple(a.strip() for a in (values.get("alt_names") or "").split("|") if a.strip())
    return UserPlace(
        name=name, alt_names=alt_names, kind=kind, parent=parent, country=country, lat=lat, lon=lon,
        wkt=wkt, source=(values.get("source") or "").strip() or None, geonames_id=int(gid_s) if gid_s else None,
        file=path, line=line,
    )


def read_place_file(path: PathLike) -> list[UserPlace]:
    """Read and check one place file. Raises ValueError naming the file (and line)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise ValueError(f"{path}: cannot read the place file ({e.strerror})") from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [h.strip().casefold() for h in next(reader)]
        header = [COLUMN_SYNONYMS.get(h, h) if COLUMN_SYNONYMS.get(h) not in header else h for h in header]
    except StopIteration:
        raise ValueError(f"{path}: the place file is empty; it needs a header row") from None
    except csv.Error as e:
        raise ValueError(f"{path}:1: bad CSV header ({e})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValueError(
            f"{path}: missing required column {missing[0]!r}"
            + (f" (and {', '.join(map(repr, missing[1:]))})" if missing[1:] else "")
            + f"; a place file needs the columns {', '.join(REQUIRED_COLUMNS)}"
        )
    rows: list[UserPlace] = []
    seen: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise ValueError(f"{path}:{line}: bad CSV ({e})") from None
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) != len(header):
            raise ValueError(f"{path}:{line}: expected {len(header)} fields as in the header, found {len(values)}")
        try:
            row = _parse_row(dict(zip(header, values)), path, line)
        except ValueError as e:
            raise ValueError(f"{path}:{line}: {e}") from None
        key = row.name.casefold()
        if key in seen:
            raise ValueError(f"{path}:{line}: duplicate name {row.name!r} (first on line {seen[key]})")
        seen[key] = line
        rows.append(row)
    return rows


# -- the collection ---------------------------------------------------------------------------


class UserPlaces:
    """The places of one or more user files, resolved and indexed by name."""

    def __init__(self, rows: Iterable[UserPlace], gazetteer: Optional[Gazetteer] = None) -> None:
        self.rows = list(rows)
        self.gazetteer = gazetteer
        self._by_file_name: dict[tuple[Path, str], UserPlace] = {}
        self._by_name: dict[str, list[UserPlace]] = {}
        for row in self.rows:
            self._by_file_name.setdefault((row.file, row.name.casefold()), row)
            self._by_name.setdefault(row.name.casefold(), []).append(row)
        self._resolved: dict[UserPlace, Candidate] = {}
        for row in self.rows:  # resolve eagerly, so a broken parent chain fails at load time
            self._resolve(row, ())
        self._light: dict[str, list[tuple[int, str]]] = {}
        self._folded: dict[str, list[tuple[int, str]]] = {}
        for i, row in enumerate(self.rows):
            for n, name in enumerate((row.name, *row.alt_names)):
                light = normalize_name(name, fold=False)
                if light:
                    entry = (i, "name" if n == 0 else "alt")
                    self._light.setdefault(light, []).append(entry)
                    self._folded.setdefault(fold_light(light), []).append(entry)

    @classmethod
    def load(cls, paths: Union[PathLike, Iterable[PathLike]], gazetteer: Optional[Gazetteer] = None) -> "UserPlaces":
        """Read place files (a path or several). Raises ValueError naming the file and line."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        rows: list[UserPlace] = []
        for path in paths:
            rows.extend(read_place_file(path))
        return cls(rows, gazetteer)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[UserPlace]:
        return iter(self.rows)

    def lookup(self, name: str) -> list[Candidate]:
        """Candidates for ``name``: exact spellings first, else transliteration variants."""
        light = normalize_name(name, fold=False)
        if not light:
            return []
        entries = self._light.get(light)
        folded = entries is None
        if folded:
            entries = self._folded.get(fold_light(light), []) if len(light) >= 4 else []
        best: dict[int, str] = {}
        for i, match in entries:
            if best.get(i) != "name":
                best[i] = match
        out = [replace(self._resolved[self.rows[i]], match="folded" if folded else m) for i, m in best.items()]
        return rank(out)

    def candidate(self, row: UserPlace) -> Candidate:
        return self._resolved[row]

    # -- resolution ------------------------------------------------------------------------

    def _parent_row(self, row: UserPlace) -> Optional[UserPlace]:
        assert row.parent is not None
        key = row.parent.casefold()
        same_file = self._by_file_name.get((row.file, key))
        if same_file is not None:
            return same_file
        others = [r for r in self._by_name.get(key, []) if r is not row]
        return others[0] if others else None

    def _resolve(self, row: UserPlace, chain: tuple[str, ...]) -> Candidate:
        done = self._resolved.get(row)
        if done is not None:
            return done
        if row.origin in chain:
            raise ValueError(f"{row.origin}: parent chain loops: {' -> '.join(chain + (row.origin,))}")
        precision = KIND_PRECISION.get(row.kind, 1)
        lat, lon = row.lat, row.lon
        if lat is None:
            lat, lon = self._parent_point(row, chain + (row.origin,))
            precision = max(precision, FALLBACK_PRECISION)
        place = Place(
            name=row.name, kind=row.kind, lat=lat, lon=lon, geonames_id=row.geonames_id,
            precision=precision, country=row.country, source=f"{row.file.name}:{row.line}",
        )
        cand = Candidate(
            place=place, population=0, feature=row.kind, source=f"user:{row.file.name}",
            parent=row.parent, geometry_wkt=row.wkt,
        )
        self._resolved[row] = cand
        return cand

    def _parent_point(self, row: UserPlace, chain: tuple[str, ...]) -> tuple[float, float]:
        parent = self._parent_row(row)
        if parent is not None:
            p = self._resolve(parent, chain).place
            if p.lat is not None and p.lon is not None:
                return p.lat, p.lon
        if self.gazetteer is not None:
            context = {row.country} if row.country else set()
            for c in rank(self.gazetteer.lookup(row.parent or ""), context):
                if not c.is_demonym and c.place.lat is not None and c.place.lon is not None:
                    return c.place.lat, c.place.lon
        where = "the place files or the gazetteer" if self.gazetteer is not None else "the place files (no gazetteer given)"
        raise ValueError(f"{row.origin}: {row.name!r} has no coordinates and its parent {row.parent!r} is not in {where}")


__all__ = ["UserPlace", "UserPlaces", "read_place_file", "representative_point", "REQUIRED_COLUMNS"]
