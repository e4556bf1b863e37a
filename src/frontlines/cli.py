"""The command line: parse and check the options, call the library, print.

Heavy modules (spaCy, the gazetteer, trafilatura) are imported inside the commands, so
`frontlines --help` and a mistyped option answer at once.
"""
from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Optional

import click

DEFAULT_DB = "frontlines.db"


# -- typed options: each fails with a message naming the expected form ------------------


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Optional[click.Parameter],
                ctx: Optional[click.Context]) -> date:
        if isinstance(value, date):
            return value
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
                raise ValueError
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"should be YYYY-MM-DD, not {value!r}", param, ctx)


class PositiveNumber(click.ParamType):
    def __init__(self, kind: type, what: str, metavar: str) -> None:
        self.kind, self.what, self.name = kind, what, metavar

    def convert(self, value: Any, param: Optional[click.Parameter],
                ctx: Optional[click.Context]) -> Any:
        try:
            number = self.kind(value)
            if number <= 0:
                raise ValueError
            return number
        except (TypeError, ValueError):
            self.fail(f"should be {self.what}, not {value!r}", param, ctx)


class NearPlace(click.ParamType):
    """A place name (resolved later with the gazetteer) or LAT,LON."""

    name = "PLACE|LAT,LON"
    _LATLON = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*")

    def convert(self, value: Any, param: Optional[click.Parameter],
                ctx: Optional[click.Context]) -> Any:
        if isinstance(value, tuple):
            return value
        text = str(value).strip()
        m = self._LATLON.fullmatch(text)
        if m:
            lat, lon = float(m.group(1)), float(m.group(2))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.fail(f"should be a place name or LAT,LON with -90 ≤ LAT ≤ 90 and "
                          f"-180 ≤ LON ≤ 180, not {value!r}", param, ctx)
            return (lat, lon, f"{lat},{lon}")
        if not text:
            self.fail("should be a place name or LAT,LON", param, ctx)
        return text


class PloverType(click.ParamType):
    name = "PLOVER"

    def convert(self, value: Any, param: Optional[click.Parameter],
                ctx: Optional[click.Context]) -> str:
        from frontlines.knowledge.ontology import PLOVER_TYPES

        upper = str(value).strip().upper()
        if upper not in PLOVER_TYPES:
            self.fail(f"should be a PLOVER type ({', '.join(PLOVER_TYPES)}), not {value!r}",
                      param, ctx)
        return upper


ISO_DATE = IsoDate()
KM = PositiveNumber(float, "a positive number of kilometres", "KM")
COUNT = PositiveNumber(int, "a positive whole number", "N")

db_option = click.option(
    "--db", "db", default=DEFAULT_DB, show_default=True, metavar="PATH|URL",
    help="SQLite file, or an SQLAlchemy URL (postgresql://…).")
published_option = click.option(
    "--published", type=ISO_DATE, default=None,
    help="Publication date for inputs that carry none (YYYY-MM-DD).")
outlet_option = click.option("--outlet", default=None, help="Outlet for inputs that name none.")
places_option = click.option(
    "--places", "places", multiple=True, type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path),
    help="A place file (CSV) to use beside the gazetteer; repeatable.")


def _print_error(err: object) -> None:
    click.echo(str(err), err=True)


def _open_store(db: str, *, create: bool) -> Any:
    from frontlines.store import Store, StoreError

    try:
        return Store.open(db, create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _reader(places: Sequence[Path]) -> Any:
    from frontlines.ingest import LazyReader

    def load() -> Any:
        from frontlines.reading.pipeline import Reader

        return Reader.load(places=tuple(places))

    return LazyReader(load)


def _stdin() -> Any:
    # Bytes, so the sources decide the encoding the same way as for files.
    return getattr(sys.stdin, "buffer", sys.stdin)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="frontlines")
def main() -> None:
    """Read conflict news offline; keep sourced, geocoded events."""


# -- read and ingest ---------------------------------------------------------------------


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@published_option
@outlet_option
@places_option
@click.option("--text", "with_text", is_flag=True, help="Add the document text as \"text\".")
def read(files: tuple[str, ...], published: Optional[date], outlet: Optional[str],
         places: tuple[Path, ...], with_text: bool) -> None:
    """Read documents without storing them: one JSON object per document (JSON Lines).

    FILE may be a text, HTML, feed or JSON Lines file, a directory, or - for stdin.
    """
    from frontlines.ingest import ReaderLoadError, read_paths

    failed = []

    def on_error(err: object) -> None:
        failed.append(err)
        _print_error(err)

    try:
        for reading in read_paths(files, _reader(places), published=published, outlet=outlet,
                                  on_error=on_error, stdin=_stdin()):
            record = reading.to_dict()
            if with_text:
                record["text"] = reading.document.text
            click.echo(json.dumps(record, ensure_ascii=False))
    except ReaderLoadError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@published_option
@outlet_option
@places_option
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: for more than a handful of inputs).")
def ingest(paths: tuple[str, ...], db: str, published: Optional[date], outlet: Optional[str],
           places: tuple[Path, ...], progress: Optional[bool]) -> None:
    """Read documents and store them with their readings.

    Documents already stored are skipped, so running it again stores nothing new, and
    an interrupted ingest is completed by running the same command again.
    """
    from frontlines.ingest import ReaderLoadError, ingest as run_ingest

    store = _open_store(db, create=True)
    try:
        report = run_ingest(paths, store, _reader(places), published=published, outlet=outlet,
                            progress=progress, on_error=_print_error, stdin=_stdin())
    except ReaderLoadError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo("interrupted: every document stored so far is complete; "
                   "run the same command again to finish", err=True)
        sys.exit(130)
    finally:
        store.close()
    click.echo(report.summary())
    sys.exit(1 if report.errors else 0)


# -- querying ----------------------------------------------------------------------------


def _resolve_near(value: Any) -> tuple[float, float, str]:
    """(lat, lon, label) for --near: given as LAT,LON, or the gazetteer's best candidate."""
    if isinstance(value, tuple):
        return value
    from frontlines.gazetteer.index import Gazetteer, rank

    with Gazetteer.open() as gazetteer:
        ranked = rank(gazetteer.lookup(value))
    located = [c.place for c in ranked if not c.is_demonym
               and c.place.lat is not None and c.place.lon is not None]
    if not located:
        raise click.BadParameter(f"no place called {value!r} in the gazetteer; "
                                 f"give LAT,LON instead", param_hint="'--near'")
    best = located[0]
    label = ", ".join(x for x in (best.name, best.admin1, best.country) if x)
    return best.lat, best.lon, label


def _cut(text: Optional[str], width: int) -> str:
    text = "" if text is None else " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _who(names: list[str]) -> str:
    return "; ".join(names) if names else "—"


TABLE_COLUMNS = (  # header, max width
    ("id", 22), ("date", 13), ("type", 22), ("actors → targets", 44), ("place", 22),
    ("status", 12), ("dead", 5),
)


def _short_date(value: Optional[str], precision: Optional[str]) -> str:
    # The stored value is the first day of the period; show only what is known.
    if not value:
        return "?"
    if precision == "year":
        return value[:4]
    if precision == "month":
        return value[:7]
    if precision == "week":
        return "wk " + value
    return value


def _table_cells(row: dict[str, Any]) -> list[str]:
    kind = row["plover"] + (f"/{row['mode']}" if row.get("mode") else "")
    who = _who(row["actor_names"]) + " → " + _who(row["target_names"])
    dead = "" if row["fatalities"] is None else str(row["fatalities"])
    return [row["id"], _short_date(row["date"], row["date_precision"]), kind, who,
            row["place"] or "", row["status"], dead]


def format_table(rows: list[dict[str, Any]]) -> str:
    """A fixed-width table; each column as wide as its widest cell, up to a cap."""
    cells = [_table_cells(r) for r in rows]
    widths = []
    for i, (header, cap) in enumerate(TABLE_COLUMNS):
        widest = max([len(header)] + [len(c[i]) for c in cells])
        widths.append(min(widest, cap))
    lines = ["  ".join(h.ljust(w) for (h, _), w in zip(TABLE_COLUMNS, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for c in cells:
        lines.append("  ".join(_cut(v, w).ljust(w) for v, w in zip(c, widths)).rstrip())
    return "\n".join(lines)


@main.command()
@db_option
@click.option("--since", type=ISO_DATE, help="Events on or after this date (YYYY-MM-DD).")
@click.option("--until", type=ISO_DATE, help="Events on or before this date (YYYY-MM-DD).")
@click.option("--type", "types", multiple=True, type=PloverType(),
              help="PLOVER event type (ASSAULT, COERCE, PROTEST …); repeatable.")
@click.option("--actor", help="Actor id or name, as actor or target (case-insensitive).")
@click.option("--near", type=NearPlace(), help="A place name from the gazetteer, or LAT,LON.")
@click.option("--within-km", type=KM, help="Radius for --near (default 25).")
@click.option("--limit", type=COUNT, help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "geojson"]),
              default="table", show_default=True)
def events(db: str, since: Optional[date], until: Optional[date], types: tuple[str, ...],
           actor: Optional[str], near: Any, within_km: Optional[float], limit: Optional[int],
           fmt: str) -> None:
    """List stored events, oldest first."""
    if within_km is not None and near is None:
        raise click.UsageError("--within-km needs --near PLACE or --near LAT,LON")
    if since and until and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}")
    store = _open_store(db, create=False)
    try:
        point = _resolve_near(near) if near is not None else None
        rows = store.events(since=since, until=until, type=list(types) or None, actor=actor,
                            near=point[:2] if point else None, within_km=within_km,
                            limit=limit)
    finally:
        store.close()
    if point is not None:
        radius = 25.0 if within_km is None else within_km
        click.echo(f"within {radius:g} km of {point[2]} ({point[0]:.4f}, {point[1]:.4f})",
                   err=True)
    if fmt == "table":
        if rows:
            click.echo(format_table(rows))
        click.echo(f"{len(rows)} event{'' if len(rows) == 1 else 's'}", err=True)
        return
    from frontlines.export import EVENT_FORMATS

    result = EVENT_FORMATS[fmt](rows, sys.stdout)
    if result.left_out:
        click.echo(f"{result.left_out} event{'' if result.left_out == 1 else 's'} without "
                   f"coordinates left out of the GeoJSON", err=True)


def _mark(text: str, marks: list[list[int]], tty: bool) -> str:
    out, at = [], 0
    for start, end in sorted(marks):
        if start < at:  # overlapping spans: mark the union once
            start = at
        if end <= start:
            continue
        out.append(text[at:start])
        span = text[start:end]
        out.append(click.style(span, bold=True, underline=True) if tty else f"[[{span}]]")
        at = end
    out.append(text[at:])
    return "".join(out)


def _named(ids: list[str], names: list[str]) -> str:
    if not ids:
        return "—"
    return "; ".join(name if name == aid else f"{name} ({aid})" for aid, name in zip(ids, names))


def format_event(e: dict[str, Any], *, tty: bool = False) -> str:
    """The `show` page of one event."""
    lines = [f"event {e['id']}"]

    def field(label: str, value: str) -> None:
        lines.append(f"  {label:<11}{value}")

    kind = e["plover"] + (f" / {e['mode']}" if e.get("mode") else "")
    acled = " / ".join(x for x in (e["acled_event_type"], e["acled_sub_event_type"]) if x)
    field("type", kind + (f"   (ACLED: {acled})" if acled else ""))
    field("actors", _named(e["actors"], e["actor_names"]))
    field("targets", _named(e["targets"], e["target_names"]))
    if e["place"]:
        where = e["place"] + (f" ({e['place_kind']})" if e.get("place_kind") else "")
        if e["lat"] is not None and e["lon"] is not None:
            where += f"  {e['lat']:.4f}, {e['lon']:.4f}"
        else:
            where += "  (no coordinates)"
        if e.get("geo_precision") is not None:
            where += f"  precision {e['geo_precision']}"
        if e.get("geonames_id"):
            where += f"  geonames {e['geonames_id']}"
        field("place", where)
    else:
        field("place", "—")
    if e["date"]:
        when = e["date"] + (f" ({e['date_precision']})" if e.get("date_precision") else "")
        if e.get("date_expression"):
            when += f'  from "{e["date_expression"]}"'
    else:
        when = "unknown"
    field("date", when)
    status = e["status"]
    if e["reported_by"]:
        status += ", reported by " + _named(e["reported_by"], e["reported_by_names"])
    field("status", status)
    dead = "—" if e["fatalities"] is None else str(e["fatalities"])
    if e.get("injured") is not None:
        dead += f"  (injured {e['injured']})"
    field("fatalities", dead)
    sentence = e["sentence"]["text"]
    marked = _mark(sentence, e["marks"], tty)
    wrapped = marked if tty else textwrap.fill(marked, width=88, initial_indent="",
                                               subsequent_indent=" " * 13)
    field("evidence", wrapped)
    outside = [x["text"] for x in e["evidence"]
               if not (x["start"] < e["sentence"]["end"] and x["end"] > e["sentence"]["start"])]
    for text in outside:
        field("", f"also: “{_cut(text, 120)}”")
    doc = f"“{e['title']}”" if e.get("title") else "(untitled)"
    if e.get("outlet"):
        doc += f", {e['outlet']}"
    if e.get("published"):
        doc += f", published {e['published']}"
        if e.get("published_basis") and e["published_basis"] != "metadata":
            doc += f" ({e['published_basis']})"
    field("document", doc)
    if e.get("url"):
        field("", e["url"])
    field("", f"document id {e['document_id']}")
    field("rule", e["rule"])
    return "\n".join(lines)


@main.command()
@click.argument("event_id")
@db_option
def show(event_id: str, db: str) -> None:
    """Print one event with its evidence sentence and its source. A unique id prefix works."""
    from frontlines.store import AmbiguousId

    store = _open_store(db, create=False)
    try:
        found = store.event(event_id)
    except AmbiguousId as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    if found is None:
        raise click.ClickException(f"no event {event_id!r} in {db}")
    click.echo(format_event(found, tty=sys.stdout.isatty()))


def format_summary(summ: dict[str, Any]) -> str:
    c = summ["counts"]
    lines = [f"documents       {c['documents']}",
             f"events          {c['event_mentions']} "
             f"({summ['located_events']} located, {summ['undated_events']} undated)"]
    for kind, n in summ["events_by_type"].items():
        lines.append(f"  {kind:<14}{n}")
    lo, hi = summ["date_range"]
    lines.append(f"dates           {lo} … {hi}" if lo else "dates           —")
    top = ", ".join(f"{name} ({n})" for name, n in summ["event_places"])
    lines.append(f"places          {summ['distinct_places']} distinct places mentioned")
    if top:
        lines.append(f"  most events   {top}")
    lines.append(f"control claims  {c['control_claims']}")
    lines.append(f"indicators      {c['indicators']}")
    lines.append(f"actors          {c['actors']}")
    return "\n".join(lines)


@main.command()
@db_option
def summary(db: str) -> None:
    """Counts: documents, events by type, places, date range."""
    store = _open_store(db, create=False)
    try:
        summ = store.summary()
    finally:
        store.close()
    click.echo(format_summary(summ))


# -- tools: thin wrappers over other packages ----------------------------------------------


@main.group()
def gazetteer() -> None:
    """The offline place index."""


@gazetteer.command("build")
@click.option("--path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where the index lives (default: $FRONTLINES_GAZETTEER or the user cache).")
@click.option("--force", is_flag=True, help="Rebuild even if a current index is there.")
def gazetteer_build(path: Optional[Path], force: bool) -> None:
    """Build the offline place index (about a minute, once; reused while it is current)."""
    from frontlines.gazetteer.build import build_index, default_index_path, index_is_valid

    target = path or default_index_path()
    if not force and index_is_valid(target):
        click.echo(f"gazetteer index is current: {target} (--force rebuilds it)")
        return
    built = build_index(target, progress=True)
    click.echo(f"gazetteer index: {built}")


@main.group()
def evaluate() -> None:
    """Score the reader against public datasets."""


@evaluate.command("seed")
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Directory with article.txt and gold.json.")
@click.option("--places", "places", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="User place file(s) to read with (CSV).")
@click.option("--verbose", is_flag=True, help="Also list wrong fields and unmatched items.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_seed(data_dir: Path, places: tuple[Path, ...], verbose: bool, as_json: bool) -> None:
    """Precision, recall and F1 on the seed article, and per-field accuracy."""
    from frontlines.evaluate import seed
    from frontlines.reading.pipeline import Reader

    try:
        score = seed.evaluate_seed(data_dir, Reader.load(places=list(places)))
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_result(score, as_json, verbose)


@evaluate.command("reports")
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Directory of NAME.txt reports, each with a hand-coded NAME.json.")
@click.option("--verbose", is_flag=True, help="Also list wrong fields and unmatched items per report.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_reports(data_dir: Path, verbose: bool, as_json: bool) -> None:
    """Event precision and recall over a folder of hand-coded reports (ours: tests/fixtures/reports)."""
    from frontlines.evaluate.reports import evaluate_reports as run

    try:
        score = run(data_dir)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_result(score, as_json, verbose)


def _print_result(result: Any, as_json: bool, verbose: bool = False) -> None:
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str))
    elif verbose:
        click.echo(result.format(verbose=True))
    else:
        click.echo(result.format())


@main.command()
@click.argument("paths", nargs=-1, metavar="PATH...",
                type=click.Path(exists=True, path_type=Path))
@click.option("--min-docs", type=COUNT, default=2000, show_default=True,
              help="Repeat the corpus until it holds at least this many documents.")
@click.option("--batch-size", type=COUNT, default=64, show_default=True)
@click.option("--api", "api", is_flag=True,
              help="Instead: latency of typical map queries over a synthetic store (no PATH).")
@click.option("--events", "n_events", type=COUNT, default=100_000, show_default=True,
              help="With --api: synthetic events in the store.")
@click.option("--requests", "n_requests", type=COUNT, default=200, show_default=True,
              help="With --api: timed requests per kind of query.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench(paths: tuple[Path, ...], min_docs: int, batch_size: int, api: bool, n_events: int,
          n_requests: int, as_json: bool) -> None:
    """Throughput and memory of reading, against bare spaCy on the same texts.

    With --api: p50/p95 latency of the map's queries (bbox + dates, type, one event …),
    in process and through a real server on 127.0.0.1, over a synthetic store.
    """
    if api:
        if paths:
            raise click.UsageError("--api builds its own synthetic store: give no PATH")
        from frontlines.api.bench import run_api_bench

        _print_result(run_api_bench(n_events=n_events, n_requests=n_requests,
                                    progress=sys.stderr.isatty()), as_json)
        return
    if not paths:
        raise click.UsageError("give the PATH... of a corpus to read (or --api)")
    from frontlines import bench as bench_mod

    try:
        result = bench_mod.run_bench(list(paths), min_docs=min_docs, batch_size=batch_size,
                                     progress=sys.stderr.isatty())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    _print_result(result, as_json)


# -- serving -----------------------------------------------------------------------------


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback makes the map reachable from "
                   "the network, with no authentication.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--places", "places", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A place file (CSV) whose places the map draws (roads as lines); repeatable.")
def serve(db: str, host: str, port: int, places: tuple[Path, ...]) -> None:
    """Serve the HTTP API and the map page over a store, read-only.

    The page is at http://HOST:PORT/ and the API's documentation at /docs.
    """
    import uvicorn

    from frontlines.api import create_app
    from frontlines.api.app import STATIC_DIR
    from frontlines.store import StoreError

    try:
        app = create_app(db, places=places)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"serving {db} read-only at http://{shown}:{port}/ "
               f"(API docs: http://{shown}:{port}/docs); Ctrl-C stops", err=True)
    if host not in LOOPBACK_HOSTS:
        click.echo(f"warning: bound to {host}: anyone who can reach this address can read "
                   f"the store", err=True)
    if not (STATIC_DIR / "index.html").is_file():
        click.echo("warning: the map page is not built (run `make web`); the API is served",
                   err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


if __name__ == "__main__":  # pragma: no cover
    main()
