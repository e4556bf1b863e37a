"""The read-only HTTP API and the map page, in one FastAPI app.

Every answer is read from the store through a read-only connection; nothing here writes.
The page and the API docs load only files this server serves: no tiles, CDN or web fonts.
"""
from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, AsyncIterator, Literal, Optional
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from frontlines.api import params as p
from frontlines.api.userplaces import user_places_geojson
from frontlines.export.geojson import event_feature
from frontlines.store import AmbiguousId, StoreError
from frontlines.store.map_queries import (
    BRIEF_FIELDS, SOURCES_BASIS, EventFilter, MapQueries, open_readonly,
)

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
MAX_LIMIT = 5000
GEOJSON = "application/geo+json"

API_DESCRIPTION = """\
Read-only access to a frontlines store: events (one row per stored event mention) with
filters and paging, one event with every report of it and its evidence, places with their
control timeline, sieges, humanitarian figures, statements (who accused, demanded or
threatened whom, by the document's date), and documents with their text.

Events are the store's fused events (one per occurrence, `unit: "event"`) when it has
them, else its event mentions (`unit: "mention"`, one source each). Bad parameters get a
400 answer whose `error` names the parameter and the expected form."""


class Json(JSONResponse):
    """JSON of plain rows, written straight out: returning it skips FastAPI's walk through
    every value (``jsonable_encoder``), a third of the time of a 500-event page."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str,
                          separators=(",", ":")).encode("utf-8")


class ApiError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, "status": status, **extra}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        name = ".".join(loc) or "request"
        given = err.get("input")
        msg = str(err.get("msg", "is not valid")).rstrip(".")
        msg = msg[0].lower() + msg[1:] if msg else msg
        msg = msg.removeprefix("input ")  # "limit: should be …" reads better
        parts.append(f"{name}: {msg}" + (f", not {given!r}" if isinstance(given, str) else ""))
    return "; ".join(parts)


async def _no_unknown_parameters(request: Request) -> None:
    """A misspelt parameter (``tpye=ASSAULT``) would otherwise be ignored silently."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.url.path.startswith("/api/"):
        return  # the page and the docs may be opened with any query string
    known = {f.alias for f in dependant.query_params}
    for sub in dependant.dependencies:
        known |= {f.alias for f in sub.query_params}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ApiError(400, f"unknown parameter{'s' if len(unknown) > 1 else ''} "
                            f"{', '.join(map(repr, unknown))}; this endpoint takes "
                            f"{', '.join(sorted(known)) or 'none'}")


# -- shared parameter sets ------------------------------------------------------------------

BBoxQ = Annotated[Optional[str], Query(
    description="west,south,east,north in degrees (west > east crosses the antimeridian)",
    examples=["36.9,36.0,37.4,36.4"])]
SinceQ = Annotated[Optional[str], Query(description="on or after this date, YYYY-MM-DD")]
UntilQ = Annotated[Optional[str], Query(description="on or before this date, YYYY-MM-DD")]
TypeQ = Annotated[Optional[list[str]], Query(
    description="PLOVER type(s): repeat the parameter or separate with commas")]
ActorQ = Annotated[Optional[str], Query(
    description="actor id or name (case-insensitive), as actor or target")]
RoleQ = Annotated[Optional[str], Query(description="with actor: actor | target | reported_by")]
StatusQ = Annotated[Optional[list[str]], Query(
    description="status(es): asserted, claimed, confirmed, denied, expected, planned, "
                "hypothetical, negated")]
MinSourcesQ = Annotated[int, Query(ge=1, description=(
    "at least this many sources: distinct outlets of a fused event; a store without fused "
    "events counts one source per mention"))]
PlaceQ = Annotated[Optional[str], Query(description="a place id: GeoNames id or place name")]
LimitQ = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")]
OffsetQ = Annotated[int, Query(ge=0, description="rows to skip (paging)")]


def _event_filter(bbox: BBoxQ = None, since: SinceQ = None, until: UntilQ = None,
                  type: TypeQ = None, actor: ActorQ = None, role: RoleQ = None,
                  status: StatusQ = None, min_sources: MinSourcesQ = 1,
                  place: PlaceQ = None) -> EventFilter:
    lo, hi = p.date_range(since, until)
    return EventFilter(bbox=p.bbox(bbox), since=lo, until=hi, types=p.plover_types(type),
                       actor=actor.strip() if actor and actor.strip() else None,
                       role=p.role(role, actor), status=p.statuses(status),
                       min_sources=min_sources, place=place or None)


def _next_url(request: Request, total: int, limit: int, offset: int) -> Optional[str]:
    if offset + limit >= total:
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    query.append(("offset", str(offset + limit)))
    return f"{request.url.path}?{urlencode(query)}"


def _page(request: Request, unit: str, total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"unit": unit, "total": total, "limit": limit, "offset": offset,
            "next": _next_url(request, total, limit, offset)}


def _with_raw(head: dict[str, Any], key: str, raw_json: str) -> bytes:
    """``head`` as a JSON object with one more member, ``key``, whose value is JSON text."""
    start = json.dumps(head, ensure_ascii=False, default=str, separators=(",", ":"))[:-1]
    sep = "," if head else ""
    return f"{start}{sep}{json.dumps(key)}:{raw_json}}}".encode("utf-8")


# -- the app --------------------------------------------------------------------------------


def create_app(db_path: str | Path, *, places: Sequence[str | Path] = (),
               static_dir: Optional[Path] = None) -> FastAPI:
    """The API and the page over the store at ``db_path``, opened read-only.

    ``places``: user place files (CSV) whose rows the map draws (roads as lines where the
    file gives a WKT line). Raises ``StoreError`` for a missing or foreign database and
    ``ValueError`` for a bad place file, before anything is served.
    """
    store = open_readonly(db_path)
    try:
        # The places imported into the store (`frontlines places import`) are drawn too.
        user_places = user_places_geojson(places, stored=store.user_place_rows())
    except ValueError:
        store.close()
        raise
    queries = MapQueries(store)
    static = static_dir or STATIC_DIR

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What is loaded by now (modules, the app, the place files) lives as long as the
        # server: frozen out of the collector's full walks, which otherwise grow with it
        # and stall an answer now and then (measured: a 500-row page's p95 CPU 85 -> 49 ms).
        gc.collect()
        gc.freeze()
        yield
        gc.unfreeze()
        store.close()

    app = FastAPI(title="frontlines", version=_version(), description=API_DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan,
                  dependencies=[Depends(_no_unknown_parameters)])
    app.state.queries = queries

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message, **exc.extra)

    @app.exception_handler(p.BadParameter)
    async def _bad_parameter(_request: Request, exc: p.BadParameter) -> JSONResponse:
        return _error(400, str(exc), parameter=exc.name)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and not request.url.path.startswith("/api/"):
            return HTMLResponse("<!doctype html><title>not found</title><p>Not found. "
                                "<a href=\"/\">The map</a> · <a href=\"/docs\">the API</a>",
                                status_code=404)
        message = ("no such endpoint; see /docs" if exc.status_code == 404 else str(exc.detail))
        return _error(exc.status_code, message)

    # -- events -----------------------------------------------------------------------------

    @app.get("/api/events", tags=["events"], summary="Events, filtered and paged",
             responses={200: {"content": {GEOJSON: {}}}})
    def events(request: Request, f: Annotated[EventFilter, Depends(_event_filter)],
               limit: LimitQ = 500, offset: OffsetQ = 0,
               format: Annotated[Literal["json", "geojson"],
                                 Query(description="json or geojson")] = "json",
               fields: Annotated[Literal["full", "brief"], Query(
                   description="full rows, or brief ones with only what a map dot needs: "
                               + ", ".join(BRIEF_FIELDS))] = "full") -> Any:
        """Events oldest first (undated last). ``format=geojson`` gives a FeatureCollection
        of Points; events without coordinates are left out of it and counted in
        ``left_out``. ``total`` counts every match; ``next`` is the next page's URL."""
        if format == "geojson":
            total, rows, unit = queries.events_page(f, limit=limit, offset=offset,
                                                    brief=fields == "brief")
            assert total is not None
            features = [x for x in (event_feature(r) for r in rows) if x is not None]
            body = {"type": "FeatureCollection", **_page(request, unit, total, limit, offset),
                    "left_out": len(rows) - len(features), "features": features}
            return Json(body, media_type=GEOJSON)
        # The rows come as JSON text already (written by SQLite): spliced in, not re-parsed.
        got = queries.events_page_json(f, limit=limit, offset=offset, brief=fields == "brief")
        head = {**_page(request, got.unit, got.total, limit, offset),
                "sources_basis": SOURCES_BASIS[got.unit]}
        return Response(_with_raw(head, "events", got.rows_json), media_type="application/json")

    @app.get("/api/events/{event_id}", tags=["events"],
             summary="One event with every report of it and its evidence")
    def event(event_id: str) -> Any:
        """The event's fields and ``mentions``: every report of it, each with its
        ``sentence``, ``marks`` (the evidence spans as offsets into the sentence), outlet,
        dates, status and document id. Takes a fused event id (``evt-…``) or a mention id
        (``ev-…``: then its event, with that report first); a unique prefix works."""
        try:
            found = queries.event_detail(event_id)
        except AmbiguousId as exc:
            raise ApiError(400, str(exc), candidates=exc.candidates) from exc
        if found is None:
            raise ApiError(404, f"no event {event_id!r}")
        for m in found["mentions"]:
            m["document_url"] = f"/api/documents/{m['document_id']}"
        return Json(found)

    @app.get("/api/timeline", tags=["events"], summary="Events per day under the filters")
    def timeline(f: Annotated[EventFilter, Depends(_event_filter)]) -> Any:
        """Counts per day for the same filters as /api/events; since/until are ignored so
        the whole time axis is returned."""
        return Json({"days": queries.timeline(f)})

    @app.get("/api/summary", tags=["events"], summary="Date range, types, actors, statuses")
    def summary() -> Any:
        return Json(queries.summary())

    # -- statements -------------------------------------------------------------------------

    @app.get("/api/statements", tags=["statements"], summary="Statements, filtered and paged")
    def statements(request: Request, since: SinceQ = None, until: UntilQ = None,
                   type: TypeQ = None, actor: ActorQ = None, role: RoleQ = None,
                   limit: LimitQ = 500, offset: OffsetQ = 0) -> Any:
        """Speech acts ("X condemned Y", "X demanded that Y …": ACCUSE, REQUEST, REJECT,
        THREATEN …) oldest first. A statement has no date or place of its own:
        ``since``/``until`` bound its document's publication date (``published``), and
        statements of undated documents come last. Each row has the actors and targets
        with their names, status, trigger, evidence span and text, sentence, and its
        document's title, outlet and url. ``total`` counts every match; ``next`` is the
        next page's URL."""
        lo, hi = p.date_range(since, until)
        who = actor.strip() if actor and actor.strip() else None
        filters: dict[str, Any] = {"actor": who, "type": p.plover_types(type) or None,
                                   "since": lo, "until": hi, "role": p.role(role, who)}
        try:
            total = store.statement_count(**filters)
            rows = store.statements(**filters, limit=limit, offset=offset)
        except StoreError as exc:  # a store from before statements, never upgraded here
            raise ApiError(409, str(exc)) from exc
        return Json({**_page(request, "statement", total, limit, offset), "statements": rows})

    # -- places, control, sieges, figures ---------------------------------------------------

    @app.get("/api/places", tags=["places"], summary="Places the readings resolved")
    def places_list() -> Any:
        return Json({"places": queries.places()})

    @app.get("/api/userplaces", tags=["places"], summary="Rows of the user place files",
             responses={200: {"content": {GEOJSON: {}}}})
    def userplaces() -> Any:
        """A FeatureCollection of the places imported into the store and of the place files
        given to ``frontlines serve --places``:
        roads with a WKT line as LineStrings, polygons as Polygons, others as Points. Rows
        without coordinates of their own are left out (they borrow their parent's point)."""
        return Response(json.dumps(user_places, ensure_ascii=False), media_type=GEOJSON)

    @app.get("/api/places/{place_id}", tags=["places"],
             summary="A place with its control timeline")
    def place(place_id: str) -> Any:
        """``place_id`` is a GeoNames id or a place name (case-insensitive). Gives what the
        readings say of the place, every control claim about it oldest first
        (contradictions kept), its figures and its events by type."""
        found = queries.place(place_id)
        if found is None:
            raise ApiError(404, f"no place {place_id!r} in the store")
        return Json(found)

    @app.get("/api/control", tags=["places"], summary="Control claims")
    def control(place: PlaceQ = None) -> Any:
        return Json({"control": queries.control_claims(place or None)})

    @app.get("/api/control/changes", tags=["places"],
             summary="Changes of control, each with every claim behind it")
    def control_changes(place: PlaceQ = None, min_sources: MinSourcesQ = 1) -> Any:
        """Control claims fused across reports: the same capture told by three outlets is
        one change with three sources. Each change keeps its claims, ``n_sources``,
        first and last report, ``disagreements`` (values and who gave them) and
        ``contested_by`` (changes of the same place and moment that say the opposite).
        Rules: docs/fusion.md, "Control changes and figures"."""
        return Json({"changes": queries.control_changes(place or None, min_sources=min_sources)})

    @app.get("/api/sieges", tags=["places"], summary="Besieged places")
    def sieges(at: Annotated[Optional[str], Query(
            description="the state as of this day, YYYY-MM-DD (default: all stored)")] = None
               ) -> Any:
        """Each besieged place with its siege periods (besieged from, broken or lifted on,
        contested by whom) as ``frontlines situation`` makes them from the control claims,
        its state as of ``at``, besiegers, the trapped population over time, forecasts
        (e.g. supplies running out) with their projected dates, evacuations, aid, and the
        siege reports. ``basis`` says how sieges are found."""
        return Json({"sieges": queries.sieges(p.iso_date("at", at))})

    @app.get("/api/figures", tags=["places"], summary="Humanitarian figures")
    def figures(request: Request,
                kind: Annotated[Optional[list[str]], Query(
                    description="figure kind(s), e.g. trapped_population")] = None,
                place: PlaceQ = None, since: SinceQ = None, until: UntilQ = None,
                status: StatusQ = None, limit: LimitQ = 500, offset: OffsetQ = 0) -> Any:
        """Figures by as-of date: value, unit, low/high, hedge, place, status, who
        reported it, evidence; forecasts carry ``projected_date``."""
        lo, hi = p.date_range(since, until)
        total, rows = queries.figures(kind=p.kinds(kind), place=place or None, since=lo,
                                      until=hi, status=p.statuses(status), limit=limit,
                                      offset=offset)
        return Json({"total": total, "limit": limit, "offset": offset,
                     "next": _next_url(request, total, limit, offset), "figures": rows})

    @app.get("/api/figures/fused", tags=["places"],
             summary="Humanitarian figures, one per estimate, with every report")
    def figures_fused(request: Request,
                      kind: Annotated[Optional[str], Query(
                          description="one figure kind, e.g. trapped_population")] = None,
                      place: PlaceQ = None, since: SinceQ = None, until: UntilQ = None,
                      min_sources: MinSourcesQ = 1, limit: LimitQ = 500,
                      offset: OffsetQ = 0) -> Any:
        """The same figure told by several outlets as one: ``value_low`` / ``value_best``
        (the lowest credible) / ``value_high``, the hedge each source used, the reports,
        ``n_sources`` and disagreements. ``/api/figures`` lists one row per report."""
        lo, hi = p.date_range(since, until)
        total, rows = queries.fused_figures(kind=kind, place=place or None, since=lo, until=hi,
                                            min_sources=min_sources, limit=limit, offset=offset)
        return Json({"total": total, "limit": limit, "offset": offset,
                     "next": _next_url(request, total, limit, offset), "figures": rows})

    # -- documents --------------------------------------------------------------------------

    @app.get("/api/documents/{document_id}", tags=["documents"],
             summary="A document with its text")
    def document(document_id: str) -> Any:
        """The document's metadata and ``text``, and the evidence spans (offsets into the
        text) of the events, control claims and figures read from it."""
        found = queries.document(document_id)
        if found is None:
            raise ApiError(404, f"no document {document_id!r}")
        return Json(found)

    @app.get("/api/health", tags=["server"], summary="Is the server up")
    def health() -> Any:
        return {"ok": True}

    # -- the page and the docs, from local files ---------------------------------------------

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="frontlines API",
            swagger_js_url="/static/vendor/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            # No validator badge: it would ask an outside server about the spec.
            swagger_ui_parameters={"validatorUrl": None})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        icon = static / "favicon.svg"
        if not icon.is_file():
            return Response(status_code=204)
        return FileResponse(icon, media_type="image/svg+xml")

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        page = static / "index.html"
        if not page.is_file():
            return HTMLResponse(
                "<!doctype html><title>frontlines</title><p>The map page is not built: run "
                "<code>make web</code> in the repository (it needs Node.js and npm). "
                "The API works without it: <a href=\"/docs\">/docs</a>.", status_code=503)
        return FileResponse(page, media_type="text/html")

    if static.is_dir():
        app.mount("/static", StaticFiles(directory=static), name="static")
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("frontlines")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"
