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


class BoxType(click.ParamType):
    """WEST,SOUTH,EAST,NORTH in degrees (map_queries.BBox)."""

    name = "WEST,SOUTH,EAST,NORTH"

    def convert(self, value: Any, param: Optional[click.Parameter],
                ctx: Optional[click.Context]) -> Any:
        from frontlines.store.map_queries import BBox

        if isinstance(value, BBox):
            return value
        try:
            return BBox.parse(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


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
    help="A place file (CSV or GeoJSON) to use beside the gazetteer and the places "
         "imported into the database; repeatable.")
classifier_option = click.option(
    "--classifier", default=None, metavar="default|mpnet|FILE",
    help="After the rules, let a snippet classifier revise the events' ACLED sub-event types "
         "(opt-in; `mpnet` needs `make mpnet`).")
stored_places_option = click.option(
    "--stored-places/--no-stored-places", "use_stored", default=True, show_default=True,
    help="Also use the places imported into the database (`frontlines places import`).")


def _print_error(err: object) -> None:
    click.echo(str(err), err=True)


def _open_store(db: str, *, create: bool) -> Any:
    from frontlines.store import Store, StoreError

    try:
        return Store.open(db, create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _reader(places: Sequence[Path], stored: Sequence[Any] = (), classifier: Optional[str] = None) -> Any:
    from frontlines.ingest import LazyReader

    def load() -> Any:
        from frontlines.reading.pipeline import Reader

        return Reader.load(places=tuple(places), stored_places=tuple(stored), classifier=classifier)

    return LazyReader(load)


def _stored_places(db: str, *, explicit: bool) -> list[Any]:
    """The places imported into ``db``, for read: none when the default database is absent
    (reading needs no database), an error when a --db given on purpose is missing."""
    from frontlines.store import StoreError
    from frontlines.store.map_queries import open_readonly
    from frontlines.store.store import _url_for

    _url, path = _url_for(db)
    if path is not None and not path.exists() and not explicit:
        return []
    try:
        store = open_readonly(db)  # read writes nothing, not even a schema upgrade
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        return store.user_place_rows()
    finally:
        store.close()


def _say_stored(rows: Sequence[Any], db: str) -> None:
    if rows:
        click.echo(f"using {len(rows)} place{'' if len(rows) == 1 else 's'} imported into {db}",
                   err=True)


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
@click.option("--db", "db", default=DEFAULT_DB, show_default=True, metavar="PATH|URL",
              help="Use the places imported into this database (nothing is stored; the "
                   "default database is skipped when it does not exist).")
@stored_places_option
@classifier_option
@click.option("--text", "with_text", is_flag=True, help="Add the document text as \"text\".")
def read(files: tuple[str, ...], published: Optional[date], outlet: Optional[str],
         places: tuple[Path, ...], db: str, use_stored: bool, classifier: Optional[str], with_text: bool) -> None:
    """Read documents without storing them: one JSON object per document (JSON Lines).

    FILE may be a text, HTML, feed or JSON Lines file, a directory, or - for stdin.
    The places imported into --db (`frontlines places import`) are used beside --places.
    """
    from frontlines.ingest import ReaderLoadError, read_paths

    explicit = click.get_current_context().get_parameter_source("db") \
        != click.core.ParameterSource.DEFAULT
    stored = _stored_places(db, explicit=explicit) if use_stored else []
    _say_stored(stored, db)

    failed = []

    def on_error(err: object) -> None:
        failed.append(err)
        _print_error(err)

    try:
        for reading in read_paths(files, _reader(places, stored, classifier), published=published, outlet=outlet,
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
@stored_places_option
@classifier_option
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: for more than a handful of inputs).")
def ingest(paths: tuple[str, ...], db: str, published: Optional[date], outlet: Optional[str],
           places: tuple[Path, ...], use_stored: bool, classifier: Optional[str], progress: Optional[bool]) -> None:
    """Read documents and store them with their readings.

    Documents already stored are skipped, so running it again stores nothing new, and
    an interrupted ingest is completed by running the same command again. The places
    imported into the database (`frontlines places import`) are used beside --places.
    """
    from frontlines.ingest import ReaderLoadError, ingest as run_ingest

    store = _open_store(db, create=True)
    stored = store.user_place_rows() if use_stored else []
    _say_stored(stored, db)
    try:
        report = run_ingest(paths, store, _reader(places, stored, classifier), published=published, outlet=outlet,
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


FUSED_COLUMNS = (  # header, max width: one row per occurrence, with its sources
    ("id", 16), ("date", 13), ("type", 22), ("actors → targets", 40), ("place", 22),
    ("status", 10), ("dead", 7), ("src", 3), ("docs", 4),
)


def _fused_cells(row: dict[str, Any]) -> list[str]:
    cells = _table_cells(row)
    low, high = row.get("fatalities_low"), row.get("fatalities_high")
    if low is not None and high is not None and low != high:
        cells[-1] = f"{low}–{high}"  # the spread of reported tolls, never one picked silently
    return cells + [str(row["sources"]), str(row["documents"])]


def format_table(rows: list[dict[str, Any]], columns: Sequence[tuple[str, int]] = TABLE_COLUMNS,
                 cell_fn: Any = None) -> str:
    """A fixed-width table; each column as wide as its widest cell, up to a cap."""
    cells = [(cell_fn or _table_cells)(r) for r in rows]
    widths = []
    for i, (header, cap) in enumerate(columns):
        widest = max([len(header)] + [len(c[i]) for c in cells])
        widths.append(min(widest, cap))
    lines = ["  ".join(h.ljust(w) for (h, _), w in zip(columns, widths)).rstrip(),
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
@click.option("--bbox", type=BoxType(),
              help="Only events placed inside this box, in degrees (GeoJSON's order; WEST > EAST "
                   "crosses 180°), e.g. 36.9,36.0,37.4,36.4; goes with --near too.")
@click.option("--limit", type=COUNT, help="At most this many events.")
@click.option("--min-sources", type=COUNT, default=None,
              help="Only events told by at least N sources (outlets).")
@click.option("--mentions", "as_mentions", is_flag=True,
              help="List every event mention (one per report) instead of fused events.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "geojson"]),
              default="table", show_default=True)
def events(db: str, since: Optional[date], until: Optional[date], types: tuple[str, ...],
           actor: Optional[str], near: Any, within_km: Optional[float], bbox: Any, limit: Optional[int],
           min_sources: Optional[int], as_mentions: bool, fmt: str) -> None:
    """List events (one per occurrence, with its sources and documents), oldest first."""
    if within_km is not None and near is None:
        raise click.UsageError("--within-km needs --near PLACE or --near LAT,LON")
    if since and until and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}")
    if as_mentions and min_sources is not None:
        raise click.UsageError("--min-sources counts the sources of fused events: "
                               "it does not go with --mentions")
    store = _open_store(db, create=False)
    try:
        point = _resolve_near(near) if near is not None else None
        query = store.events if as_mentions else store.fused_events
        extra = {} if as_mentions else {"min_sources": min_sources}
        rows = query(since=since, until=until, type=list(types) or None, actor=actor,
                     near=point[:2] if point else None, within_km=within_km, limit=limit,
                     bbox=bbox, **extra)
        stale = None if as_mentions else _fusion_warning(store, db)
    finally:
        store.close()
    if stale:
        click.echo(stale, err=True)
    if point is not None:
        radius = 25.0 if within_km is None else within_km
        click.echo(f"within {radius:g} km of {point[2]} ({point[0]:.4f}, {point[1]:.4f})",
                   err=True)
    if bbox is not None:
        click.echo(f"inside the box west {bbox.west:g}, south {bbox.south:g}, east {bbox.east:g}, "
                   f"north {bbox.north:g}", err=True)
    if fmt == "table":
        if rows:
            click.echo(format_table(rows) if as_mentions
                       else format_table(rows, FUSED_COLUMNS, _fused_cells))
        noun = "event mention" if as_mentions else "event"
        click.echo(f"{len(rows)} {noun}{'' if len(rows) == 1 else 's'}", err=True)
        return
    from frontlines.export import EVENT_FORMATS, FUSED_EVENT_FORMATS

    result = (EVENT_FORMATS if as_mentions else FUSED_EVENT_FORMATS)[fmt](rows, sys.stdout)
    if result.left_out:
        click.echo(f"{result.left_out} event{'' if result.left_out == 1 else 's'} without "
                   f"coordinates left out of the GeoJSON", err=True)


STATEMENT_COLUMNS = (  # header, max width: one row per statement, dated by its document
    ("id", 22), ("published", 10), ("type", 18), ("actors → targets", 40), ("status", 10),
    ("evidence", 60),
)


def _statement_cells(row: dict[str, Any]) -> list[str]:
    kind = row["plover"] + (f"/{row['mode']}" if row.get("mode") else "")
    who = _who(row["actor_names"]) + " → " + _who(row["target_names"])
    return [row["id"], row["published"] or "?", kind, who, row["status"],
            row["evidence_text"] or ""]


@main.command()
@db_option
@click.option("--since", type=ISO_DATE,
              help="Statements of documents published on or after this date (YYYY-MM-DD).")
@click.option("--until", type=ISO_DATE,
              help="Statements of documents published on or before this date (YYYY-MM-DD).")
@click.option("--type", "types", multiple=True, type=PloverType(),
              help="PLOVER type (ACCUSE, REQUEST, REJECT, THREATEN …); repeatable.")
@click.option("--actor", help="Actor id or name, as actor or target (case-insensitive).")
@click.option("--limit", type=COUNT, help="At most this many statements.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "geojson"]),
              default="table", show_default=True,
              help="geojson is refused: statements have no place.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
def statements(db: str, since: Optional[date], until: Optional[date], types: tuple[str, ...],
               actor: Optional[str], limit: Optional[int], fmt: str, as_json: bool) -> None:
    """List statements (who condemned, accused, demanded, threatened … whom), dated by their
    document, oldest first."""
    from frontlines.export import statement_writer

    if since and until and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}")
    if as_json and fmt not in ("table", "json"):
        raise click.UsageError(f"--json and --format {fmt} ask for two formats")
    fmt = "json" if as_json else fmt
    try:
        write = None if fmt == "table" else statement_writer(fmt)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    store = _open_store(db, create=False)
    try:
        rows = store.statements(actor=actor, type=list(types) or None, since=since,
                                until=until, limit=limit)
    finally:
        store.close()
    if write is None:
        if rows:
            click.echo(format_table(rows, STATEMENT_COLUMNS, _statement_cells))
        click.echo(f"{len(rows)} statement{'' if len(rows) == 1 else 's'}", err=True)
        return
    write(rows, sys.stdout)


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


def _who_did_what(e: dict[str, Any], field: Any) -> None:
    kind = e["plover"] + (f" / {e['mode']}" if e.get("mode") else "")
    acled = " / ".join(x for x in (e["acled_event_type"], e["acled_sub_event_type"]) if x)
    field("type", kind + (f"   (ACLED: {acled})" if acled else ""))
    field("actors", _named(e["actors"], e["actor_names"]))
    field("targets", _named(e["targets"], e["target_names"]))


def format_event(e: dict[str, Any], *, tty: bool = False) -> str:
    """The `show` page of one event."""
    lines = [f"event {e['id']}"]

    def field(label: str, value: str) -> None:
        lines.append(f"  {label:<11}{value}")

    _who_did_what(e, field)
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
    """Print one event with every report of it, each with its evidence sentence and its
    source; or, given a mention id, that one report. A unique id prefix works."""
    from frontlines.store import AmbiguousId

    store = _open_store(db, create=False)
    try:
        fused = store.fused_event(event_id)
        found = None if fused is not None else store.event(event_id)
        part_of = store.event_of_mention(found["id"]) if found is not None else None
    except AmbiguousId as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    tty = sys.stdout.isatty()
    if fused is not None:
        click.echo(format_fused_event(fused, tty=tty))
        return
    if found is None:
        raise click.ClickException(f"no event {event_id!r} in {db}")
    click.echo(format_event(found, tty=tty))
    if part_of:
        click.echo(f"  {'event':<11}{part_of} (every report of this occurrence: "
                   f"frontlines show {part_of})")


def _fusion_warning(store: Any, db: str) -> Optional[str]:
    """A line saying that the fused events lag behind the stored mentions, if they do."""
    from frontlines.fuse import FUSION_VERSION

    status = store.fusion_status()
    if status["unfused_mentions"]:
        return (f"{status['unfused_mentions']} event mentions are not fused yet: "
                f"run `frontlines fuse --db {db}`")
    if status["events"] and status["fusion_version"] != FUSION_VERSION:
        return (f"the events were fused by other rules (version {status['fusion_version']}): "
                f"run `frontlines fuse --db {db}`")
    return None


def _dead(row: dict[str, Any]) -> str:
    best, low, high = row.get("fatalities"), row.get("fatalities_low"), row.get("fatalities_high")
    if best is None:
        return "—"
    if low == high:
        return str(best)
    return f"{best} (ACLED best: the lowest credible figure; reports say {low} to {high})"


def _value_text(value: Any) -> str:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def format_fused_event(e: dict[str, Any], *, tty: bool = False) -> str:
    """The `show` page of a fused event: what the reports agree on, where they disagree,
    then every report with its evidence."""
    n = len(e["reports"])
    lines = [f"event {e['id']}   {n} report{'' if n == 1 else 's'} from {e['sources']} "
             f"source{'' if e['sources'] == 1 else 's'} in {e['documents']} "
             f"document{'' if e['documents'] == 1 else 's'}"
             + (f"; first {e['first_reported']}, latest {e['last_reported']}"
                if e.get("first_reported") else "")]

    def field(label: str, value: str) -> None:
        lines.append(f"  {label:<11}{value}")

    _who_did_what(e, field)
    where = "—"
    if e["place"]:
        where = e["place"] + (f" ({e['place_kind']})" if e.get("place_kind") else "")
        if e["lat"] is not None and e["lon"] is not None:
            where += f"  {e['lat']:.4f}, {e['lon']:.4f}"
        if e.get("geo_precision") is not None:
            where += f"  precision {e['geo_precision']}"
    field("place", where)
    when = "unknown"
    if e["date"]:
        when = e["date"] + (f" ({e['date_precision']})" if e.get("date_precision") else "")
        if e.get("date_low") and e.get("date_high") and e["date_low"] != e["date_high"]:
            when += f"   reports span {e['date_low']} … {e['date_high']}"
    field("date", when)
    field("status", e["status"])
    field("fatalities", _dead(e))
    if e.get("outlets"):
        field("outlets", "; ".join(e["outlets"]))
    for i, d in enumerate(e.get("disagreements") or []):
        told = " / ".join(
            f"{_value_text(v['value'])} ({', '.join(v['outlets']) or str(len(v['documents'])) + ' doc'})"
            for v in d["values"])
        field("disagree" if i == 0 else "", f"{d['field']}: {told}")
    for k, r in enumerate(e["reports"], 1):
        lines.append("")
        doc = f"“{r['title']}”" if r.get("title") else "(untitled)"
        if r.get("outlet"):
            doc += f", {r['outlet']}"
        if r.get("published"):
            doc += f", published {r['published']}"
        lines.append(f"  [{k}] {doc}")
        said = [r["status"]]
        if r.get("date"):
            said.append(r["date"] + (f' "{r["date_expression"]}"' if r.get("date_expression")
                                     else " (the publication date)"))
        if r.get("place"):
            said.append(r["place"])
        if r.get("fatalities") is not None:
            said.append(f"{r['fatalities']} dead")
        lines.append(f"      {r['id']}: " + ", ".join(said))
        marked = _mark(r["sentence"]["text"], r["marks"], tty)
        lines.append("      " + marked if tty else textwrap.fill(
            marked, width=88, initial_indent="      ", subsequent_indent="      "))
        if r.get("url"):
            lines.append(f"      {r['url']}")
    return "\n".join(lines)


@main.command("fuse")
@db_option
def fuse_command(db: str) -> None:
    """Fuse every stored event mention into events again, from scratch (ingest keeps them
    up to date by itself; run this after changing the rules, or on an old database)."""
    from frontlines.fuse import Fuser

    store = _open_store(db, create=False)
    try:
        report = Fuser().refuse(store)
    finally:
        store.close()
    click.echo(report.summary())



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
    lines.append(f"statements      {c.get('statements', 0)}")
    for kind, n in summ.get("statements_by_type", {}).items():
        lines.append(f"  {kind:<14}{n}")
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


@gazetteer.command("fit-ranker")
@click.option("--data", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with lgl.jsonl, trnews.jsonl, gwn.jsonl and geovirus.jsonl (../shared/eval/dev).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the weights (default: the package's gazetteer/data/ranker.json).")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True)
def gazetteer_fit_ranker(data: Path, out: Optional[Path], folds: int) -> None:
    """Fit the candidate ranker on the geoparsing dev sets; print cross-validated accuracy."""
    from frontlines.evaluate import geoparsing as geo
    from frontlines.gazetteer.ranker import Ranker

    nlp, _stage, gaz = geo.load_system()
    from frontlines.reading.places import PlaceStage

    hand = PlaceStage(nlp, gaz, None, ranker=Ranker(None))  # features from the hand order only
    collected, ids = {}, {}
    for dataset in geo.DATASETS:
        try:
            records = geo.load_records(data, dataset)
        except (FileNotFoundError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"reading {dataset} ({len(records)} records)", err=True)
        collected[dataset] = geo.ranker_groups(records, nlp, hand)
        ids[dataset] = [r["id"] for r in records]
    weights, report = geo.fit_ranker(collected, ids, folds=folds)
    ranker = Ranker(weights, {"fitted_on": sorted(collected), "report": report,
                              "command": "frontlines gazetteer fit-ranker --data ../shared/eval/dev"})
    ranker.save(out)
    click.echo(json.dumps(report, indent=1))
    click.echo(f"weights written to {out or 'gazetteer/data/ranker.json'}", err=True)


# -- user places kept in the database ------------------------------------------------------


@main.group()
def places() -> None:
    """Your own places (neighbourhoods, roads, facilities, crossings), kept in the database.

    `read` and `ingest` use the places imported into their --db beside any --places file.
    """


def _check_places(store: Any, rows: list[Any], origin: str, replace: bool,
                  errors: list[str]) -> None:
    """Add to ``errors`` what the stored places would break on after the import: a parent
    that is nowhere (files, database, gazetteer), or a loop of parents."""
    from frontlines.gazetteer.index import Gazetteer
    from frontlines.gazetteer.userplaces import UserPlaces
    from frontlines.store.user_places import planned

    with Gazetteer.open() as gaz:
        UserPlaces(planned(store.engine, rows, origin, replace=replace), gaz, errors=errors)


@places.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--replace", is_flag=True,
              help="Also remove the stored places of this file that are no longer in it.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; write nothing.")
def places_import(file: Path, db: str, replace: bool, dry_run: bool) -> None:
    """Import a place file (CSV or GeoJSON) into the database.

    Every row is checked first; if any is bad, each problem is printed and nothing is
    written. Importing the same file again adds nothing: changed rows are updated, the
    others are counted as unchanged. A place is known by its file's name and its own name.
    """
    from frontlines.gazetteer.userplaces import check_place_file

    rows, errors = check_place_file(file)
    origin = file.name
    if dry_run:  # nothing written, not even a new database or table
        store = _open_store(db, create=False) if _exists(db) else _open_store(":memory:", create=True)
    else:
        store = _open_store(db, create=True)
    try:
        if not errors:
            _check_places(store, rows, origin, replace, errors)
        if errors:
            for message in errors:
                _print_error(message)
            n = len(errors)
            raise click.ClickException(f"{file}: nothing imported: {n} problem{'' if n == 1 else 's'}")
        result = store.import_user_places(rows, origin, replace=replace, dry_run=dry_run)
    finally:
        store.close()
    click.echo(result.summary())
    for label, names in (("added", result.added), ("updated", result.updated),
                         ("removed", result.removed)):
        if names and label != "added":
            shown = ", ".join(names[:10]) + (f" … ({len(names) - 10} more)" if len(names) > 10 else "")
            click.echo(f"  {label}: {shown}")


def _exists(db: str) -> bool:
    from frontlines.store.store import _url_for

    _url, path = _url_for(db)
    return path is None or path.exists()


@places.command("list")
@db_option
@click.option("--kind", help="Only places of this kind (neighbourhood, road …).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of the places.")
def places_list(db: str, kind: Optional[str], as_json: bool) -> None:
    """List the imported places, by file and line. A point "← X" is borrowed from parent X."""
    from frontlines.export.places import PLACE_COLUMNS, place_cells, public_fields

    store = _open_store(db, create=False)
    try:
        rows = store.user_places(kind=kind)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([public_fields(r) for r in rows], indent=2, ensure_ascii=False))
    elif rows:
        click.echo(format_table(rows, PLACE_COLUMNS, place_cells))
    n = len(rows)
    click.echo(f"{n} place{'' if n == 1 else 's'}"
               + ("" if n or kind else " (import some with `frontlines places import FILE`)"), err=True)


@places.command("show")
@click.argument("name")
@db_option
def places_show(name: str, db: str) -> None:
    """Show an imported place by name or alias (case and accents do not matter).

    Gives its kind, point and precision, what it resolves to when it has no point of its
    own, its parents, aliases, geometry, source and the file it came from.
    """
    from frontlines.export.places import format_user_place
    from frontlines.gazetteer.index import Gazetteer
    from frontlines.gazetteer.userplaces import UserPlaces, rows_named
    from frontlines.store.user_places import to_user_place

    store = _open_store(db, create=False)
    try:
        records = store.user_places()
    finally:
        store.close()
    rows = [to_user_place(r) for r in records]
    found = rows_named(rows, name)
    if not found:
        raise click.ClickException(f"no imported place called {name!r} in {db} "
                                   f"(`frontlines places list` shows them)")
    with Gazetteer.open() as gaz:
        errors: list[str] = []
        user = UserPlaces(rows, gaz, errors=errors)
        by_row = dict(zip(rows, records))
        pages = [format_user_place(by_row[row], user, row) for row in found]
    click.echo("\n\n".join(pages))


@places.command("remove")
@click.argument("name")
@db_option
@click.option("--origin", help="The file name the place was imported from, when several files have it.")
def places_remove(name: str, db: str, origin: Optional[str]) -> None:
    """Remove an imported place by name or alias.

    Refused when another stored place has no point of its own and would lose the parent
    it borrows its point from.
    """
    from frontlines.gazetteer.index import Gazetteer
    from frontlines.gazetteer.userplaces import UserPlaces, rows_named
    from frontlines.store.user_places import to_user_place

    store = _open_store(db, create=False)
    try:
        records = store.user_places()
        rows = [to_user_place(r) for r in records]
        found = [r for r in rows_named(rows, name) if origin is None or r.file.name == origin]
        if not found:
            raise click.ClickException(f"no imported place called {name!r}"
                                       + (f" from {origin}" if origin else "") + f" in {db}")
        exact = [r for r in found if r.name.casefold() == name.strip().casefold()]
        if len(found) > 1 and len(exact) == 1:
            found = exact  # the place of that name, not those that have it as an alias
        if len(found) > 1:
            where = ", ".join(f"{r.name} ({r.file.name}:{r.line})" for r in found)
            raise click.ClickException(f"{name!r} matches {len(found)} places: {where}; "
                                       f"say which with --origin FILE or the exact name")
        (row,) = found
        before: list[str] = []
        after: list[str] = []
        with Gazetteer.open() as gaz:
            UserPlaces(rows, gaz, errors=before)
            UserPlaces([r for r in rows if r is not row], gaz, errors=after)
        broken = [m for m in after if m not in before]  # only what this removal would break
        if broken:
            for message in broken:
                _print_error(message)
            raise click.ClickException(f"{row.name!r} not removed: other places need it")
        record = next(rec for rec, r in zip(records, rows) if r is row)
        store.remove_user_places([record["id"]])
    finally:
        store.close()
    click.echo(f"removed {row.name} ({row.file.name}:{row.line})")


@main.group()
def evaluate() -> None:
    """Score the reader against public datasets."""


@evaluate.command("seed")
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Directory with article.txt and gold.json.")
@click.option("--places", "places", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="User place file(s) to read with (CSV).")
@classifier_option
@click.option("--verbose", is_flag=True, help="Also list wrong fields and unmatched items.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_seed(data_dir: Path, places: tuple[Path, ...], classifier: Optional[str], verbose: bool,
                  as_json: bool) -> None:
    """Precision, recall and F1 on the seed article, and per-field accuracy."""
    from frontlines.evaluate import seed
    from frontlines.reading.pipeline import Reader

    try:
        score = seed.evaluate_seed(data_dir, Reader.load(places=list(places), classifier=classifier))
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_result(score, as_json, verbose)


@evaluate.command("reports")
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Directory of NAME.txt reports, each with a hand-coded NAME.json.")
@classifier_option
@click.option("--verbose", is_flag=True, help="Also list wrong fields and unmatched items per report.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_reports(data_dir: Path, classifier: Optional[str], verbose: bool, as_json: bool) -> None:
    """Event precision and recall over a folder of hand-coded reports (ours: tests/fixtures/reports)."""
    from frontlines.evaluate.reports import evaluate_reports as run
    from frontlines.reading.pipeline import Reader

    try:
        score = run(data_dir, Reader.load(classifier=classifier) if classifier else None)
    except (FileNotFoundError, ValueError, KeyError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_result(score, as_json, verbose)


def _evaluate_geoparsing(dataset: str, data: Path, predictions: Optional[Path],
                         rescore: Optional[Path], verbose: bool, as_json: bool) -> None:
    from frontlines.evaluate import geoparsing as geo

    try:
        records = geo.load_records(data, dataset)
        if rescore is not None:
            from frontlines.gazetteer.index import Gazetteer

            score = geo.rescore(records, dataset, rescore, Gazetteer.open())
        else:
            nlp, stage, gaz = geo.load_system()
            score = geo.evaluate_geoparsing(records, dataset, nlp, stage, gaz, predictions=predictions)
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_result(score, as_json, verbose)


def _geoparsing_command(dataset: str) -> None:
    @evaluate.command(dataset)
    @click.option("--data", required=True, type=click.Path(exists=True, path_type=Path),
                  help=f"{dataset}.jsonl, or the folder holding it (../shared/eval/dev).")
    @click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Write one JSON object per record (id, toponyms, gold_spans) to this file.")
    @click.option("--rescore", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  default=None, help="Score a predictions file instead of running the reader.")
    @click.option("--verbose", is_flag=True, help="Also list the most frequent missing and misranked names.")
    @click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
    def command(data: Path, predictions: Optional[Path], rescore: Optional[Path], verbose: bool,
                as_json: bool) -> None:
        _evaluate_geoparsing(dataset, data, predictions, rescore, verbose, as_json)

    command.__doc__ = (f"Geoparsing on {dataset}: resolution on gold spans (acc@161, AUC, mean/median "
                       f"km, exact GeoNames id, coverage ceiling), then detection P/R/F1 and end-to-end "
                       f"resolution.")


for _dataset in ("lgl", "trnews", "gwn", "geovirus"):
    _geoparsing_command(_dataset)


@evaluate.command("case2021")
@click.option("--data", required=True, type=click.Path(exists=True, path_type=Path),
              help="case2021.jsonl (../shared/eval/dev/case2021.jsonl), or snippets of ours "
                   "({id, text, label} JSON Lines, or a directory of them, e.g. examples/heldout).")
@click.option("--subtask", type=click.Choice(["1", "2", "3"]), default="3", show_default=True,
              help="The headline subtask: 1 = 25 ACLED classes, 2 = +crime and disasters, 3 = +DIPLO, ATTRIB.")
@click.option("--method", type=click.Choice(["rules", "model"]), default="rules", show_default=True,
              help="rules: the Reader's main event mapped to a code; model: the shipped snippet classifier.")
@click.option("--model", "model_name", default=None, metavar="FILE|mpnet",
              help="With --method model: a model file other than the shipped default, or `mpnet` for the "
                   "shipped mpnet model (needs the embeddings extra and `make mpnet`).")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write one {\"id\", \"label\"} JSON object per record to this file.")
@click.option("--verbose", is_flag=True, help="Also list every wrong prediction and why it was made.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_case2021(data: Path, subtask: str, method: str, model_name: Optional[str],
                      predictions: Optional[Path], verbose: bool, as_json: bool) -> None:
    """CASE 2021 Task 2 snippet classes: weighted, micro and macro F1 for subtasks 1-3."""
    from frontlines.evaluate.case2021 import evaluate_case2021 as run
    from frontlines.reading.classify import model_file

    if model_name is not None and method != "model":
        raise click.UsageError("--model goes with --method model")
    try:
        result = run(data, subtask=int(subtask), method=method,
                     model_path=model_file(model_name) if model_name else None)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    if predictions is not None:
        _write_jsonl(predictions, result.predictions())
    _print_result(result, as_json, verbose)


@evaluate.command("plover_gsr")
@click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="plover_gsr.jsonl (../shared/eval/dev/plover_gsr.jsonl).")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write one {\"id\", \"event_type\", \"actors\", \"targets\"} JSON object per record.")
@click.option("--verbose", is_flag=True, help="Also list every wrong event type.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_plover_gsr(data: Path, predictions: Optional[Path], verbose: bool, as_json: bool) -> None:
    """PLOVER gold-standard sentences: type accuracy and macro F1, actor and recipient span F1."""
    from frontlines.evaluate.plover_gsr import evaluate_plover_gsr as run

    try:
        result = run(data)
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if predictions is not None:
        _write_jsonl(predictions, result.prediction_records())
    _print_result(result, as_json, verbose)


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    click.echo(f"{len(rows)} predictions written to {path}", err=True)


@main.group()
def train() -> None:
    """Train the models the reader can consult (needs the train extra: scikit-learn)."""


@train.command("case2021")
@click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="case2021.jsonl to train on (../shared/eval/dev/case2021.jsonl).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Model file (default: the shipped src/frontlines/knowledge/data/case2021_classifier.npz).")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds (stratified by label).")
@click.option("--repeats", type=click.IntRange(1, 10), default=1, show_default=True,
              help="Cross-validation repeats with other fold seeds.")
@click.option("--no-cv", is_flag=True, help="Skip cross-validation (then the model keeps temperature 1).")
@click.option("--no-rules", is_flag=True, help="Text features only: no Reader events as features.")
@click.option("--encoder", type=click.Choice(["minilm", "mpnet"]), default=None,
              help="Add sentence embeddings from this encoder (needs the embeddings extra; mpnet also "
                   "`make mpnet`). mpnet's default --out is the shipped case2021_mpnet.npz.")
@click.option("--C", "c", type=PositiveNumber(float, "a positive number", "C"), default=None,
              help="SVM regularisation (default 1).")
@click.option("--word-vectors", is_flag=True,
              help="Add the mean of the words' all-mpnet-base-v2 vectors, each word embedded alone "
                   "(training needs `make mpnet`; the model file needs only NumPy). The shipped "
                   "default model has them.")
@click.option("--written", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Snippets we wrote (JSON Lines {id, text, label}, or a directory of them, e.g. "
                   "examples/training): trained on in every fold, never scored. Repeatable.")
@click.option("--context", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Unlabelled news text (JSON Lines with a text field, .txt files, or a directory of "
                   "them, e.g. ../shared/eval/dev): the word vectors read each word in its sentences "
                   "there too. Texts of --data are skipped. Needs --word-vectors. Repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def train_case2021(data: Path, out: Optional[Path], folds: int, repeats: int, no_cv: bool, no_rules: bool,
                   encoder: Optional[str], c: Optional[float], word_vectors: bool, written: tuple[Path, ...],
                   context: tuple[Path, ...], as_json: bool) -> None:
    """Train the snippet classifier on CASE 2021 and print its cross-validated scores."""
    from frontlines.reading.classify import DEFAULT_MODEL, MPNET_MODEL, FeatureConfig

    if encoder == "minilm" and out is None:
        raise click.UsageError("--encoder minilm makes a model nothing ships: give --out")
    default_out = MPNET_MODEL if encoder == "mpnet" else DEFAULT_MODEL
    config = FeatureConfig(use_rules=not no_rules, embeddings=encoder is not None, encoder=encoder or "minilm",
                           word_vectors=word_vectors)
    try:
        from frontlines.evaluate.training import DEFAULT_C, train_case2021 as run

        report = run(data, out or default_out, config=config, C=c or DEFAULT_C, folds=folds, repeats=repeats,
                     cv=not no_cv, written=written, context=context, progress=lambda msg: click.echo(msg, err=True))
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_result(report, as_json)


@evaluate.command("fusion")
@click.option("--data", "data_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Directory with GOLD.json and the documents (corpus/), e.g. examples.")
@click.option("--places", "places", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Place file(s) to read with (default: DIR/places/*.csv).")
@click.option("--seed", type=int, default=None,
              help="Ingest the documents in a random order drawn with this seed.")
@click.option("--gold-mentions", is_flag=True,
              help="Fuse the gold's own mentions (a perfect reading): the rules alone.")
@click.option("--verbose", is_flag=True, help="Also list every occurrence and mixed event.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_fusion(data_dir: Path, places: tuple[Path, ...], seed: Optional[int],
                    gold_mentions: bool, verbose: bool, as_json: bool) -> None:
    """B-cubed and pairwise precision/recall of event fusion against a gold (docs/fusion.md)."""
    from frontlines.evaluate import fusion

    try:
        if gold_mentions:
            score = fusion.evaluate_gold_mentions(data_dir, places=list(places))
        else:
            score = fusion.evaluate_fusion(data_dir, places=list(places), seed=seed)
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
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="With --api: build the synthetic store here and keep it; "
                                 "if it is there, time it again without building.")
@click.option("--full-fusion", is_flag=True,
              help="With --api: fuse the synthetic store with full fusion (about half an hour "
                   "for 100,000 mentions here) instead of one event per mention.")
@click.option("--fusion", "fusion", is_flag=True,
              help="Instead: time and peak memory of fusing synthetic mentions (no PATH).")
@click.option("--mentions", "n_mentions", type=COUNT, default=200_000, show_default=True,
              help="With --fusion: the largest size; a quarter and a half of it are run too.")
@classifier_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench(paths: tuple[Path, ...], min_docs: int, batch_size: int, api: bool, n_events: int,
          n_requests: int, store_path: Optional[Path], full_fusion: bool, fusion: bool,
          n_mentions: int, classifier: Optional[str], as_json: bool) -> None:
    """Throughput and memory of reading, against bare spaCy on the same texts.

    With --api: p50/p95 latency of the map's queries (bbox + dates, type, one event …),
    in process and through a real server on 127.0.0.1, over a synthetic store.
    With --fusion: fusion time and peak memory at a quarter, half and all of --mentions
    synthetic mentions, each in a fresh process, to show how it grows.
    """
    if fusion:
        if paths or api:
            raise click.UsageError("--fusion makes its own synthetic mentions: give no PATH "
                                   "and no --api")
        from frontlines.bench_fusion import run_fusion_bench

        sizes = sorted({max(1, n_mentions // 4), max(1, n_mentions // 2), n_mentions})
        _print_result(run_fusion_bench(sizes, progress=sys.stderr.isatty()), as_json)
        return
    if api:
        if paths:
            raise click.UsageError("--api builds its own synthetic store: give no PATH")
        from frontlines.api.bench import run_api_bench

        _print_result(run_api_bench(n_events=n_events, n_requests=n_requests,
                                    progress=sys.stderr.isatty(), db_path=store_path,
                                    full_fusion=full_fusion), as_json)
        return
    if not paths:
        raise click.UsageError("give the PATH... of a corpus to read (or --api)")
    from frontlines import bench as bench_mod

    try:
        result = bench_mod.run_bench(list(paths), min_docs=min_docs, batch_size=batch_size,
                                     progress=sys.stderr.isatty(), classifier=classifier)
    except (ValueError, FileNotFoundError) as exc:
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
              help="A place file (CSV or GeoJSON) whose places the map draws (roads as lines) "
                   "beside those imported into the database; repeatable.")
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


# -- control, sieges and humanitarian figures ----------------------------------------------


FIGURE_KINDS = ("trapped_population", "population", "displaced", "displaced_share", "refugees", "deaths",
                "deaths_total", "injured", "missing", "evacuated", "aid_delivered", "supply_exhaustion",
                "conflict_duration")


@main.command()
@click.argument("place")
@db_option
@click.option("--at", "at", type=ISO_DATE, default=None,
              help="The day to describe (YYYY-MM-DD); default: everything stored.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def situation(place: str, db: str, at: Optional[date], fmt: str) -> None:
    """Who holds PLACE and its access routes, since when; its siege; its latest figures."""
    from frontlines.export.situation import actor_ids, format_situation
    from frontlines.situation import situation as build
    from frontlines.store.situation_queries import actor_names

    store = _open_store(db, create=False)
    try:
        sit = build(store, place, at)
        names = actor_names(store, actor_ids(sit))
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(sit.to_dict(), indent=2, ensure_ascii=False, default=str))
        return
    click.echo(format_situation(sit, names))


@main.command()
@db_option
@click.option("--place", help="Only claims about this place (\"eastern Aleppo\" = \"east Aleppo\").")
@click.option("--since", type=ISO_DATE, help="Changes (claims with --reports) dated on or after this day (YYYY-MM-DD).")
@click.option("--until", type=ISO_DATE, help="Changes (claims with --reports) dated on or before this day (YYYY-MM-DD).")
@click.option("--min-sources", type=COUNT, default=None, help="Only changes told by this many sources or more.")
@click.option("--reports", "--claims", "as_reports", is_flag=True,
              help="One row per stored claim (every report) instead of one per change of control.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def control(db: str, place: Optional[str], since: Optional[date], until: Optional[date],
            min_sources: Optional[int], as_reports: bool, fmt: str) -> None:
    """List the changes of control (who took, holds, lost or besieges a place), oldest first:
    the claims of one change from several reports fused, with their sources and disagreements."""
    from frontlines.export.claims import changes_csv, changes_table, control_csv, control_table, rows_json
    from frontlines.store.situation_queries import control_claims

    if since and until and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}")
    if as_reports and min_sources is not None:
        raise click.UsageError("--min-sources counts the sources of a change; it does not apply to --reports")
    store = _open_store(db, create=False)
    try:
        if as_reports:
            rows = control_claims(store, place=place, since=since, until=until)
        else:
            rows = control_claims(store, place=place)  # fused whole, then filtered by date
    finally:
        store.close()
    if as_reports:
        {"table": control_table, "json": rows_json, "csv": control_csv}[fmt](rows, sys.stdout)
        click.echo(f"{len(rows)} control claim{'' if len(rows) == 1 else 's'}", err=True)
        return
    from frontlines.fuse_claims import control_changes, within

    changes = [c.to_dict() for c in control_changes(rows)
               if within(c.date, since, until) and c.n_sources >= (min_sources or 0)]
    {"table": changes_table, "json": rows_json, "csv": changes_csv}[fmt](changes, sys.stdout)
    n_claims = sum(c["n_claims"] for c in changes)
    click.echo(f"{len(changes)} change{'' if len(changes) == 1 else 's'} of control "
               f"from {n_claims} claim{'' if n_claims == 1 else 's'}", err=True)


@main.command()
@db_option
@click.option("--place", help="Only figures about this place.")
@click.option("--kind", type=click.Choice(FIGURE_KINDS), help="Only figures of this kind.")
@click.option("--since", type=ISO_DATE, help="Figures as of this day or later (YYYY-MM-DD).")
@click.option("--min-sources", type=COUNT, default=None, help="Only figures told by this many sources or more.")
@click.option("--reports", "as_reports", is_flag=True,
              help="One row per stored report of a figure instead of one per fused figure.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "hxl"]), default="table",
              show_default=True, help="hxl: CSV with a row of HXL hashtags under the header.")
def figures(db: str, place: Optional[str], kind: Optional[str], since: Optional[date],
            min_sources: Optional[int], as_reports: bool, fmt: str) -> None:
    """List the humanitarian figures (trapped, displaced, killed, evacuated, forecasts …): one
    figure told by several reports is one row with its sources and its range low–high."""
    from frontlines.export.claims import (
        figures_csv, figures_table, fused_figures_csv, fused_figures_hxl, fused_figures_table, rows_json,
    )
    from frontlines.export.hxl import figures_hxl
    from frontlines.store.situation_queries import indicators

    if as_reports and min_sources is not None:
        raise click.UsageError("--min-sources counts the sources of a figure; it does not apply to --reports")
    store = _open_store(db, create=False)
    try:
        rows = indicators(store, place=place, kind=kind, since=since if as_reports else None)
    finally:
        store.close()
    if as_reports:
        {"table": figures_table, "json": rows_json, "csv": figures_csv, "hxl": figures_hxl}[fmt](rows, sys.stdout)
        click.echo(f"{len(rows)} figure report{'' if len(rows) == 1 else 's'}", err=True)
        return
    from frontlines.fuse_claims import fused_figures, within

    figs = [f.to_dict() for f in fused_figures(rows)
            if within(f.as_of, since, None) and f.n_sources >= (min_sources or 0)]
    {"table": fused_figures_table, "json": rows_json, "csv": fused_figures_csv,
     "hxl": fused_figures_hxl}[fmt](figs, sys.stdout)
    n = sum(f["n_reports"] for f in figs)
    click.echo(f"{len(figs)} figure{'' if len(figs) == 1 else 's'} from {n} report{'' if n == 1 else 's'}",
               err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
