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
    wkt         POINT, LINESTRING, MULTILINESTRING, POLYGON or
                MULTIPOLYGON, lon lat                                     (optional)
    geonames_id the GeoNames id when the row is a GeoNames place          (optional)

A row without coordinates resolves to its parent's point with ACLED geo_precision 2;
the parent is looked up in the same file first, then in the other files, then in the
gazetteer. A row with a WKT line and no lat/lon gets a point on the line, half-way
along it, and the candidate keeps the WKT.

A place file may also be GeoJSON (a FeatureCollection, ``.geojson``/``.json`` or text that
starts with "{"): each feature's properties give name, kind, alt_names (a list or a "|"
string), parent, country, source and geonames_id; its geometry (Point, LineString,
MultiLineString, Polygon, MultiPolygon, or null for a place with no point of its own) is
kept as WKT. A GeoJSON place's ``line`` is its feature number (1-based).
"""
from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

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

_WKT = re.compile(r"^\s*(POINT|LINESTRING|MULTILINESTRING|MULTIPOLYGON|POLYGON)\s*(\(.*\))\s*$",
                  re.IGNORECASE | re.DOTALL)
# The GeoJSON geometry type of each WKT kind.
GEOMETRY_TYPES = {"POINT": "Point", "LINESTRING": "LineString", "MULTILINESTRING": "MultiLineString",
                  "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon"}


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


def _top_groups(body: str) -> list[str]:
    """The parenthesised groups at the top level of a WKT body: a MULTIPOLYGON's polygons."""
    inner = body.strip()[1:-1]
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "(":
            depth += 1
            if depth == 1:
                start = i
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced parentheses in wkt")
            if depth == 0:
                groups.append(inner[start:i + 1])
        elif depth == 0 and not (ch.isspace() or ch == ","):
            raise ValueError(f"unexpected {ch!r} between the polygons of a MULTIPOLYGON")
    if depth != 0 or not groups:
        raise ValueError("a MULTIPOLYGON needs ((lon lat, …)) groups with balanced parentheses")
    return groups


def polygons(wkt: str) -> list[list[list[tuple[float, float]]]]:
    """A checked POLYGON or MULTIPOLYGON as polygons of rings of (lon, lat)."""
    m = _WKT.match(wkt)
    if not m or m.group(1).upper() not in ("POLYGON", "MULTIPOLYGON"):
        raise ValueError("not a POLYGON or MULTIPOLYGON")
    if m.group(1).upper() == "POLYGON":
        return [_parts(m.group(2))]
    groups = _top_groups(m.group(2))
    if not all(g[1:].lstrip().startswith("(") for g in groups):
        raise ValueError("a MULTIPOLYGON is a list of polygons: (((lon lat, …)), ((…)))")
    return [_parts(group) for group in groups]


def _ring_area(ring: list[tuple[float, float]]) -> float:
    # Shoelace in degrees: enough to tell a MULTIPOLYGON's main part from its islets.
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))) / 2


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
    part of a multi-line), or the mean of a polygon's outer ring (of the largest polygon of a
    multi-polygon). Raises ValueError."""
    m = _WKT.match(wkt)
    if not m:
        raise ValueError("wkt must be POINT, LINESTRING, MULTILINESTRING, POLYGON or MULTIPOLYGON "
                         "with (lon lat) pairs")
    kind = m.group(1).upper()
    if kind == "MULTIPOLYGON":
        outers = []
        for rings in polygons(wkt):
            _check_ring(rings[0])
            outers.append(rings[0])
        vertices = max(outers, key=_ring_area)[:-1]
        return sum(p[1] for p in vertices) / len(vertices), sum(p[0] for p in vertices) / len(vertices)
    parts = _parts(m.group(2))
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
    _check_ring(ring)
    vertices = ring[:-1]
    return sum(p[1] for p in vertices) / len(vertices), sum(p[0] for p in vertices) / len(vertices)


def geometry_type(wkt: Optional[str]) -> Optional[str]:
    """The GeoJSON type name of a WKT geometry ("LineString"), None without one."""
    m = _WKT.match(wkt) if wkt else None
    return GEOMETRY_TYPES[m.group(1).upper()] if m else None


def _check_ring(ring: list[tuple[float, float]]) -> None:
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise ValueError("a POLYGON ring needs at least four points and must close on its first")


def _check_point(lat: float, lon: float) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"coordinates {lat},{lon} are out of range (lat -90..90, lon -180..180)")


# -- reading files ----------------------------------------------------------------------


def _keep_unique(row: "UserPlace", where: str, what: str, seen: dict[str, str],
                 rows: list["UserPlace"], errors: list[str]) -> None:
    """Keep ``row`` unless its name came earlier in the file (names are unique in a file);
    ``what`` says where it is ("on line 4", "in feature 2") for the error of a later twin."""
    key = row.name.casefold()
    if key in seen:
        errors.append(f"{where}: duplicate name {row.name!r} (first {seen[key]})")
        return
    seen[key] = what
    rows.append(row)


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
    """Read and check one place file (CSV or GeoJSON). Raises ValueError naming the file
    and the line (CSV) or feature (GeoJSON) of the first problem."""
    rows, errors = check_place_file(path)
    if errors:
        raise ValueError(errors[0])
    return rows


def check_place_file(path: PathLike) -> tuple[list[UserPlace], list[str]]:
    """Read one place file and check every row: (the good rows, one message per problem).

    A problem with the file as a whole (unreadable, empty, no header, not GeoJSON) is the
    only message and no row comes back; otherwise every bad row gets its own message, so
    an import can report them all at once.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        return [], [f"{path}: not UTF-8 text ({e.reason} at byte {e.start})"]
    except OSError as e:
        return [], [f"{path}: cannot read the place file ({e.strerror})"]
    errors: list[str] = []
    if path.suffix.casefold() in (".geojson", ".json") or text.lstrip().startswith("{"):
        rows = _read_geojson(text, path, errors)
    else:
        rows = _read_csv(text, path, errors)
    return rows, errors


def _read_csv(text: str, path: Path, errors: list[str]) -> list[UserPlace]:
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [h.strip().casefold() for h in next(reader)]
        header = [COLUMN_SYNONYMS.get(h, h) if COLUMN_SYNONYMS.get(h) not in header else h for h in header]
    except StopIteration:
        errors.append(f"{path}: the place file is empty; it needs a header row")
        return []
    except csv.Error as e:
        errors.append(f"{path}:1: bad CSV header ({e})")
        return []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        errors.append(
            f"{path}: missing required column {missing[0]!r}"
            + (f" (and {', '.join(map(repr, missing[1:]))})" if missing[1:] else "")
            + f"; a place file needs the columns {', '.join(REQUIRED_COLUMNS)}"
        )
        return []
    rows: list[UserPlace] = []
    seen: dict[str, str] = {}
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as e:  # the reader cannot go on after this
            errors.append(f"{path}:{line}: bad CSV ({e})")
            break
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) != len(header):
            errors.append(f"{path}:{line}: expected {len(header)} fields as in the header, found {len(values)}")
            continue
        try:
            row = _parse_row(dict(zip(header, values)), path, line)
        except ValueError as e:
            errors.append(f"{path}:{line}: {e}")
            continue
        _keep_unique(row, f"{path}:{line}", f"on line {line}", seen, rows, errors)
    return rows


def _coords(value: Any) -> tuple[float, float]:
    """One GeoJSON position [lon, lat(, altitude)] as (lon, lat), checked."""
    if (not isinstance(value, list) or len(value) not in (2, 3)
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise ValueError(f"bad position {json.dumps(value)[:40]} (expected [lon, lat])")
    lon, lat = float(value[0]), float(value[1])
    _check_point(lat, lon)
    return lon, lat


def _positions(value: Any, depth: int) -> Any:
    # depth 1: a list of positions; 2: a list of those; 3: a list of lists of those.
    if not isinstance(value, list) or not value:
        raise ValueError("empty or malformed coordinates")
    if depth == 1:
        return [_coords(v) for v in value]
    return [_positions(v, depth - 1) for v in value]


def _wkt_list(points: list[tuple[float, float]]) -> str:
    return "(" + ", ".join(f"{lon!r} {lat!r}" for lon, lat in points) + ")"


def geojson_to_wkt(geometry: dict[str, Any]) -> str:
    """The WKT of a GeoJSON Point, LineString, MultiLineString, Polygon or MultiPolygon.
    Raises ValueError saying what is wrong."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Point":
        lon, lat = _coords(coords)
        return f"POINT ({lon!r} {lat!r})"
    if kind == "LineString":
        return "LINESTRING " + _wkt_list(_positions(coords, 1))
    if kind == "MultiLineString":
        return "MULTILINESTRING (" + ", ".join(_wkt_list(p) for p in _positions(coords, 2)) + ")"
    if kind == "Polygon":
        return "POLYGON (" + ", ".join(_wkt_list(r) for r in _positions(coords, 2)) + ")"
    if kind == "MultiPolygon":
        return "MULTIPOLYGON (" + ", ".join(
            "(" + ", ".join(_wkt_list(r) for r in poly) + ")" for poly in _positions(coords, 3)) + ")"
    raise ValueError(f"geometry type {kind!r} is not one of Point, LineString, MultiLineString, "
                     f"Polygon, MultiPolygon (or null)")


def _text(props: dict[str, Any], key: str) -> str:
    value = props.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"property {key!r} should be text, not {json.dumps(value)[:40]}")
    return str(value)


def _feature_row(feature: Any, path: Path, number: int) -> UserPlace:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValueError("not a GeoJSON Feature")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise ValueError("properties should be an object")
    alt = props.get("alt_names", props.get("aliases"))
    if isinstance(alt, list):
        if not all(isinstance(a, str) for a in alt):
            raise ValueError("alt_names should be a list of names or a \"|\"-separated string")
        alt = "|".join(alt)
    elif alt is not None and not isinstance(alt, str):
        raise ValueError("alt_names should be a list of names or a \"|\"-separated string")
    values = {key: _text(props, key) for key in ("name", "kind", "parent", "country", "source")}
    gid = props.get("geonames_id")
    values["geonames_id"] = "" if gid is None else str(gid)
    values["alt_names"] = alt or ""
    values["lat"] = values["lon"] = ""
    geometry = feature.get("geometry")
    values["wkt"] = ""
    if geometry is not None:
        if not isinstance(geometry, dict):
            raise ValueError("geometry should be an object or null")
        wkt = geojson_to_wkt(geometry)
        if geometry["type"] == "Point":  # a point is kept as lat/lon, like a CSV row's
            lat, lon = representative_point(wkt)
            values["lat"], values["lon"] = repr(lat), repr(lon)
        else:
            values["wkt"] = wkt
    return _parse_row(values, path, number)


def _read_geojson(text: str, path: Path, errors: list[str]) -> list[UserPlace]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        errors.append(f"{path}: not valid JSON ({e.msg} at line {e.lineno} column {e.colno})")
        return []
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        errors.append(f"{path}: a GeoJSON place file must be a FeatureCollection with a \"features\" list")
        return []
    rows: list[UserPlace] = []
    seen: dict[str, str] = {}
    for number, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        label = f"feature {number}"
        if isinstance(props, dict) and isinstance(props.get("name"), str) and props["name"].strip():
            label += f" ({props['name'].strip()!r})"
        try:
            row = _feature_row(feature, path, number)
        except ValueError as e:
            errors.append(f"{path}: {label}: {e}")
            continue
        _keep_unique(row, f"{path}: {label}", f"in feature {number}", seen, rows, errors)
    return rows


def rows_named(rows: Iterable[UserPlace], name: str) -> list[UserPlace]:
    """The rows whose name or an alias is ``name``: the same spelling up to case, diacritics,
    articles and punctuation, else (for four letters or more) the same folded form, as
    ``UserPlaces.lookup`` matches. No resolution, so no gazetteer is needed."""
    light = normalize_name(name, fold=False)
    if not light:
        return []
    rows = list(rows)
    keys = [[normalize_name(n, fold=False) for n in (r.name, *r.alt_names)] for r in rows]
    exact = [r for r, ks in zip(rows, keys) if light in ks]
    if exact or len(light) < 4:
        return exact
    folded = fold_light(light)
    return [r for r, ks in zip(rows, keys) if any(k and fold_light(k) == folded for k in ks)]


# -- the collection ---------------------------------------------------------------------------


class UserPlaces:
    """The places of one or more user files, resolved and indexed by name."""

    def __init__(self, rows: Iterable[UserPlace], gazetteer: Optional[Gazetteer] = None,
                 errors: Optional[list[str]] = None) -> None:
        """Resolve ``rows``. A row whose point cannot be found (parent missing, loop) raises
        ValueError; with an ``errors`` list, its message is appended instead (once) and the
        row is left out, so a caller can report every such row at once."""
        self.rows = list(rows)
        self.gazetteer = gazetteer
        self._by_file_name: dict[tuple[Path, str], UserPlace] = {}
        self._by_name: dict[str, list[UserPlace]] = {}
        for row in self.rows:
            self._by_file_name.setdefault((row.file, row.name.casefold()), row)
            self._by_name.setdefault(row.name.casefold(), []).append(row)
        self._resolved: dict[UserPlace, Candidate] = {}
        failed: set[UserPlace] = set()
        for row in self.rows:  # resolve eagerly, so a broken parent chain fails at load time
            try:
                self._resolve(row, ())
            except ValueError as e:
                if errors is None:
                    raise
                if str(e) not in errors:
                    errors.append(str(e))
                failed.add(row)
        if failed:
            self.rows = [r for r in self.rows if r not in failed]
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
    def load(cls, paths: Union[PathLike, Iterable[PathLike]], gazetteer: Optional[Gazetteer] = None,
             stored: Iterable[UserPlace] = ()) -> "UserPlaces":
        """Read place files (a path or several) and add ``stored`` places (those imported
        into a database). A stored place whose origin has the name of one of the files is
        left out: the file given now is the newer copy. Raises ValueError naming the file
        and line."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        rows: list[UserPlace] = []
        given: set[str] = set()
        for path in paths:
            rows.extend(read_place_file(path))
            given.add(Path(path).name)
        return cls([r for r in stored if r.file.name not in given] + rows, gazetteer)

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

    def rows_named(self, name: str) -> list[UserPlace]:
        """The rows whose name or alias is ``name`` (the same matching as ``lookup``)."""
        light = normalize_name(name, fold=False)
        entries = self._light.get(light) if light else None
        if entries is None and light and len(light) >= 4:
            entries = self._folded.get(fold_light(light))
        return list(dict.fromkeys(self.rows[i] for i, _ in entries or []))

    def candidate(self, row: UserPlace) -> Candidate:
        return self._resolved[row]

    def chain(self, row: UserPlace) -> list[tuple[str, Optional[UserPlace], Optional[Candidate]]]:
        """The parents of ``row``, nearest first: (name, its user row or None, the gazetteer
        place it was taken as, or None). The chain ends at the first parent that is not a
        user row, or at a repeat."""
        out: list[tuple[str, Optional[UserPlace], Optional[Candidate]]] = []
        seen = {row}
        while row.parent is not None:
            parent = self._parent_row(row)
            if parent is None or parent in seen:
                found = None
                if parent is None and self.gazetteer is not None:
                    context = {row.country} if row.country else set()
                    found = next((c for c in rank(self.gazetteer.lookup(row.parent), context)
                                  if not c.is_demonym and c.place.lat is not None), None)
                out.append((row.parent, parent, found))
                break
            out.append((row.parent, parent, None))
            seen.add(parent)
            row = parent
        return out

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


__all__ = ["UserPlace", "UserPlaces", "check_place_file", "geojson_to_wkt", "geometry_type", "polygons",
           "read_place_file", "representative_point", "rows_named", "REQUIRED_COLUMNS"]
