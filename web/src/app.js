// The map page: events from /api/events on an offline basemap, a date-range slider, filters,
// a list beside the map, and the evidence of an event on click. Everything it loads comes
// from this server; the style has no glyphs or sprites, so labels are HTML.
import * as maplibregl from "./vendor/maplibre-gl.mjs";

const PAGE_LIMIT = 5000; // the API's largest page: dots in one view
const LIST_PAGE = 100; // events listed at a time, with their evidence
const TYPE_COLOURS = {
  ASSAULT: "#c92a2a", COERCE: "#e8590c", THREATEN: "#f08c00", MOBILIZE: "#862e9c",
  PROTEST: "#0b7285", SANCTION: "#5f3dc4", REJECT: "#a61e4d", ACCUSE: "#d6336c",
  REQUEST: "#1971c2", RETREAT: "#1c7ed6", AID: "#2b8a3e", AGREE: "#364fc7",
  CONCEDE: "#495057", CONSULT: "#0ca678", COOPERATE: "#5c940d", SUPPORT: "#087f5b",
};
const OTHER_COLOUR = "#6c757d";
const CONTROL_COLOURS = ["#1864ab", "#c2255c", "#2f9e44", "#e67700", "#5f3dc4"];
const PLACE_KINDS = ["neighbourhood", "road", "facility", "crossing", "village", "town", "city"];
const LABEL_KINDS = ["city", "town", "crossing"];

const $ = (sel) => document.querySelector(sel);
const state = { days: [], from: 0, to: 0, type: "", actor: "", status: "", dots: [], rows: [],
                next: null, total: 0, selected: null, summary: null };
let fetchController = null;

// -- small helpers -------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false)
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function api(path, params = {}, signal) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) url.searchParams.set(k, v);
  const resp = await fetch(url, { signal });
  const body = await resp.json();
  if (!resp.ok) throw new Error(body.error || `${resp.status} ${resp.statusText}`);
  return body;
}

const colour = (type) => TYPE_COLOURS[type] || OTHER_COLOUR;
const swatch = (type) => el("span", { class: "swatch", style: `background:${colour(type)}`, "aria-hidden": "true" });
const kindOf = (e) => e.plover + (e.mode ? ` / ${e.mode}` : "");
const who = (names) => (names && names.length ? names.join("; ") : "—");

function shortDate(value, precision) {
  if (!value) return "undated";
  if (precision === "year") return value.slice(0, 4);
  if (precision === "month") return value.slice(0, 7);
  if (precision === "week") return `week of ${value}`;
  return value;
}

function isoDay(d) { return d.toISOString().slice(0, 10); }

function daysBetween(lo, hi) {
  const out = [];
  for (let d = new Date(lo + "T00:00:00Z"); isoDay(d) <= hi; d.setUTCDate(d.getUTCDate() + 1)) out.push(isoDay(d));
  return out;
}

function debounce(fn, ms) {
  let t = null;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

// The sentence with the evidence spans marked; marks are [start, end] offsets into it.
function marked(text, marks) {
  const out = [];
  let at = 0;
  for (const [s0, e] of [...(marks || [])].sort((a, b) => a[0] - b[0])) {
    const s = Math.max(s0, at);
    if (e <= s) continue;
    out.push(text.slice(at, s), el("mark", {}, text.slice(s, e)));
    at = e;
  }
  out.push(text.slice(at));
  return out;
}

// -- the map -------------------------------------------------------------------------------

const map = new maplibregl.Map({
  container: "map",
  style: {
    version: 8,
    sources: {
      countries: { type: "geojson", data: "/static/basemap/countries.geojson" },
      borders: { type: "geojson", data: "/static/basemap/borders.geojson" },
      userplaces: { type: "geojson", data: "/api/userplaces" },
      control: { type: "geojson", data: { type: "FeatureCollection", features: [] } },
      events: { type: "geojson", data: { type: "FeatureCollection", features: [] }, promoteId: "id" },
    },
    layers: [
      { id: "sea", type: "background", paint: { "background-color": "#cddbe4" } },
      { id: "land", type: "fill", source: "countries", paint: { "fill-color": "#f3f0e8" } },
      { id: "borders", type: "line", source: "borders", paint: { "line-color": "#8a8f94", "line-width": 1, "line-dasharray": [3, 2] } },
      { id: "user-areas", type: "fill", source: "userplaces", filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": "#868e96", "fill-opacity": 0.15 } },
      { id: "user-roads", type: "line", source: "userplaces",
        filter: ["in", ["geometry-type"], ["literal", ["LineString", "MultiLineString"]]],
        paint: { "line-color": "#5c5f66", "line-width": ["interpolate", ["linear"], ["zoom"], 8, 1.5, 14, 5] } },
      { id: "user-points", type: "circle", source: "userplaces",
        filter: ["all", ["==", ["geometry-type"], "Point"], ["in", ["get", "kind"], ["literal", PLACE_KINDS]]],
        paint: { "circle-radius": ["match", ["get", "kind"], ["city", "town"], 4, 3], "circle-color": "#ffffff",
                 "circle-stroke-color": ["match", ["get", "kind"], "road", "#5c5f66", "#868e96"], "circle-stroke-width": 1.5 } },
      { id: "control", type: "circle", source: "control",
        paint: { "circle-radius": 16, "circle-color": ["get", "colour"], "circle-opacity": 0.12,
                 "circle-stroke-color": ["get", "colour"], "circle-stroke-width": 2 } },
      { id: "events", type: "circle", source: "events",
        paint: {
          "circle-color": ["match", ["get", "plover"], ...Object.entries(TYPE_COLOURS).flat(), OTHER_COLOUR],
          "circle-radius": ["interpolate", ["linear"], ["zoom"], 5, ["+", 3, ["*", 2, ["sqrt", ["get", "sources"]]]],
                            12, ["+", 5, ["*", 3, ["sqrt", ["get", "sources"]]]]],
          "circle-stroke-color": "#ffffff", "circle-stroke-width": 1, "circle-opacity": 0.85,
        } },
      { id: "events-selected", type: "circle", source: "events", filter: ["==", ["get", "id"], ""],
        paint: { "circle-radius": 13, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#d9480f", "circle-stroke-width": 3 } },
    ],
  },
  center: [37.16, 36.2],
  zoom: 9,
  attributionControl: { compact: true, customAttribution: "Country shapes: Natural Earth via world-atlas" },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
map.addControl(new maplibregl.ScaleControl(), "bottom-right");
const mapLoaded = new Promise((resolve) => map.on("load", resolve));

// Events stacked on one point (a town's centre) open a chooser instead of one at random.
map.on("click", "events", (e) => {
  const seen = new Set();
  const features = e.features.filter((f) => !seen.has(f.properties.id) && seen.add(f.properties.id));
  if (features.length === 1) { select(features[0].properties.id); return; }
  const list = el("ul", { class: "chooser" }, features.slice(0, 60).map((f) => el("li", {},
    el("button", { type: "button", onclick: () => { popup.remove(); select(f.properties.id); } },
      swatch(f.properties.plover), " ", shortDate(f.properties.date, f.properties.date_precision), " · ",
      f.properties.plover, " · ", f.properties.place || ""))));
  const popup = new maplibregl.Popup({ maxWidth: "24em" }).setLngLat(e.lngLat)
    .setDOMContent(el("div", {}, el("strong", {}, `${features.length} events here`), list)).addTo(map);
  popup.getElement().querySelector("button")?.focus();
});
map.on("mouseenter", "events", () => { map.getCanvas().style.cursor = "pointer"; });
map.on("mouseleave", "events", () => { map.getCanvas().style.cursor = ""; });

async function addPlaceLabels() {
  const places = await api("/api/userplaces");
  for (const f of places.features) {
    if (f.geometry.type !== "Point" || !LABEL_KINDS.includes(f.properties.kind)) continue;
    const label = el("div", { class: `place-label ${f.properties.kind}`, "aria-hidden": "true" }, f.properties.name);
    new maplibregl.Marker({ element: label, anchor: "left" }).setLngLat(f.geometry.coordinates).addTo(map);
  }
}

// -- filters, slider, histogram ---------------------------------------------------------------

function filterParams() {
  return { type: state.type, actor: state.actor, status: state.status };
}

function rangeParams() {
  return { since: state.days[state.from], until: state.days[state.to] };
}

function showRange() {
  $("#from-out").value = state.days[state.from] || "—";
  $("#to-out").value = state.days[state.to] || "—";
  $("#from").setAttribute("aria-valuetext", state.days[state.from] || "");
  $("#to").setAttribute("aria-valuetext", state.days[state.to] || "");
  for (const rect of document.querySelectorAll("#histogram rect")) {
    const i = Number(rect.dataset.i);
    rect.classList.toggle("in", i >= state.from && i <= state.to);
  }
}

async function drawHistogram() {
  const { days } = await api("/api/timeline", filterParams());
  const svg = $("#histogram");
  svg.replaceChildren();
  const n = state.days.length || 1;
  const counts = new Map(days.map((d) => [d.date, d.events]));
  const max = Math.max(1, ...days.map((d) => d.events));
  svg.setAttribute("viewBox", `0 0 ${n} 40`);
  state.days.forEach((day, i) => {
    const c = counts.get(day) || 0;
    if (!c) return;
    const h = Math.max(2, (c / max) * 40);
    const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    svg.append(rect);
    for (const [k, v] of Object.entries({ x: i + 0.1, y: 40 - h, width: 0.8, height: h })) rect.setAttribute(k, v);
    rect.dataset.i = i;
    const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = `${day}: ${c} event${c === 1 ? "" : "s"}`;
    rect.append(title);
  });
  showRange();
}

function setUpSlider() {
  const from = $("#from"), to = $("#to");
  for (const input of [from, to]) { input.max = Math.max(0, state.days.length - 1); }
  from.value = state.from; to.value = state.to;
  const reload = debounce(() => loadEvents(), 150);
  from.addEventListener("input", () => {
    state.from = Number(from.value);
    if (state.from > state.to) { state.to = state.from; to.value = state.to; }
    showRange(); reload();
  });
  to.addEventListener("input", () => {
    state.to = Number(to.value);
    if (state.to < state.from) { state.from = state.to; from.value = state.from; }
    showRange(); reload();
  });
  showRange();
}

function setUpFilters(summary) {
  const type = $("#type"), actor = $("#actor"), status = $("#status");
  for (const t of summary.types) type.append(el("option", { value: t.type }, `${t.type} (${t.events})`));
  for (const a of summary.actors) actor.append(el("option", { value: a.id }, `${a.name} (${a.reports} reports)`));
  for (const s of summary.statuses) status.append(el("option", { value: s.status }, `${s.status} (${s.events})`));
  const changed = () => {
    state.type = type.value; state.actor = actor.value; state.status = status.value;
    drawHistogram(); loadEvents();
  };
  for (const s of [type, actor, status]) s.addEventListener("change", changed);
}

// -- events: fetch, map, list ---------------------------------------------------------------

// The dots come as brief rows (a few fields, cheap for thousands); the list as full rows
// with their evidence, a page at a time.
async function loadEvents() {
  fetchController?.abort();
  fetchController = new AbortController();
  document.body.dataset.state = "loading";
  const params = { ...filterParams(), ...rangeParams() };
  try {
    const [dots, page] = await Promise.all([
      api("/api/events", { ...params, fields: "brief", limit: PAGE_LIMIT }, fetchController.signal),
      api("/api/events", { ...params, limit: LIST_PAGE }, fetchController.signal),
      loadSieges().catch((err) => console.error(err)), // the panel is not worth failing the page for
    ]);
    state.dots = dots.events;
    state.total = dots.total;
    state.rows = page.events;
    state.next = page.next;
    await render();
  } catch (err) {
    if (err.name === "AbortError") return;
    $("#count").textContent = `Could not load events: ${err.message}`;
    document.body.dataset.state = "error";
  }
}

async function loadMore() {
  if (!state.next) return;
  const page = await api(state.next);
  state.rows = state.rows.concat(page.events);
  state.next = page.next;
  renderList();
}

async function render() {
  const located = state.dots.filter((r) => r.lat !== null && r.lon !== null);
  const features = located.map((r) => ({
    type: "Feature", geometry: { type: "Point", coordinates: [r.lon, r.lat] },
    properties: { id: r.id, plover: r.plover, date: r.date, date_precision: r.date_precision,
                  sources: r.sources || 1, place: r.place },
  }));
  map.getSource("events").setData({ type: "FeatureCollection", features });
  markStacks(located);
  const count = $("#count");
  count.dataset.total = state.total;
  count.dataset.shown = located.length;
  const unlocated = state.dots.length - located.length;
  count.textContent = `${state.total} event${state.total === 1 ? "" : "s"} in range · ${located.length} on the map`
    + (unlocated ? ` · ${unlocated} without coordinates` : "")
    + (state.total > state.dots.length ? ` · the map shows the first ${state.dots.length}: narrow the dates` : "");
  renderList();
  await idle();
  document.body.dataset.state = "ready";
}

// Several events on one point (a town's centre) look like one dot: a badge gives the count.
let stackMarkers = [];
function markStacks(located) {
  for (const m of stackMarkers) m.remove();
  const stacks = new Map();
  for (const r of located) {
    const key = `${r.lon},${r.lat}`;
    stacks.set(key, (stacks.get(key) || 0) + 1);
  }
  stackMarkers = [...stacks].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]).slice(0, 300)
    .map(([key, n]) => new maplibregl.Marker({
      element: el("div", { class: "stack", "aria-hidden": "true" }, String(n)), anchor: "bottom-left", offset: [4, -4],
    }).setLngLat(key.split(",").map(Number)).addTo(map));
}

// Resolves once the map has drawn what it was given (or after 3 s, so the page never hangs).
function idle() {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(done, 3000);
    map.once("idle", done);
    map.triggerRepaint();
  });
}

function renderList() {
  const list = $("#list");
  list.replaceChildren(...state.rows.map((r) => el("li", {},
    el("button", { type: "button", class: "event-button", "data-id": r.id,
                   "aria-current": state.selected === r.id ? "true" : null,
                   onclick: () => select(r.id) },
      el("span", { class: "line1" }, swatch(r.plover), el("span", { class: "kind" }, kindOf(r)),
        el("span", {}, shortDate(r.date, r.date_precision)), el("span", {}, r.place || "no place"),
        r.sources > 1 ? el("span", {}, `${r.sources} sources`) : null,
        r.lat === null ? el("span", {}, "(not on the map)") : null),
      el("span", { class: "snippet" }, r.evidence_text || "")))));
  if (state.next) list.append(el("li", {}, el("button", { type: "button", class: "back more", onclick: loadMore },
    `Show ${LIST_PAGE} more (${state.rows.length} of ${state.total} listed)`)));
  const undated = state.summary ? state.summary.undated_events : 0;
  $("#events-h").textContent = `Events (${state.total})`;
  $("#list-note").textContent = undated
    ? `${undated} undated event${undated === 1 ? " is" : "s are"} outside the timeline.` : "";
}

// -- evidence ------------------------------------------------------------------------------

function showDetail(...content) {
  const detail = $("#detail");
  detail.replaceChildren(
    el("button", { type: "button", class: "back", onclick: closeDetail }, "← Back to the list (Esc)"),
    ...content.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  detail.hidden = false;
  $("#browse").hidden = true;
  $("#side").scrollTop = 0;
  detail.focus();
}

function closeDetail() {
  $("#detail").hidden = true;
  $("#browse").hidden = false;
  map.setFilter("events-selected", ["==", ["get", "id"], ""]);
  const id = state.selected;
  state.selected = null;
  renderList();
  const button = id && document.querySelector(`.event-button[data-id="${CSS.escape(id)}"]`);
  if (button) button.focus();
}

function report(m, { main = false } = {}) {
  const published = m.published ? `published ${m.published}` : "publication date unknown";
  return el("div", { class: "report" },
    el("blockquote", { class: "evidence" }, marked(m.sentence.text, m.marks)),
    el("p", { class: "source" },
      el("strong", {}, m.outlet || "unknown outlet"), " · ",
      m.title ? `“${m.title}” · ` : "", published, " · event dated ", shortDate(m.date, m.date_precision), " · ",
      el("span", { class: `status ${m.status}` }, m.status), " · ",
      el("a", { href: `/api/documents/${m.document_id}`,
                onclick: (ev) => { ev.preventDefault(); openDocument(m.document_id, m.evidence, m.id); } },
        main ? "Read the document" : "document")));
}

async function select(id) {
  state.selected = id;
  map.setFilter("events-selected", ["==", ["get", "id"], id]);
  let ev;
  try { ev = await api(`/api/events/${encodeURIComponent(id)}`); }
  catch (err) { showDetail(el("p", {}, `Could not load ${id}: ${err.message}`)); return; }
  const [first, ...others] = ev.mentions;
  const where = ev.place ? `${ev.place}${ev.place_kind ? ` (${ev.place_kind})` : ""}` : "—";
  const acled = [ev.acled_event_type, ev.acled_sub_event_type].filter(Boolean).join(" / ");
  const fused = ev.unit === "event";
  const span = fused && ev.date_low && ev.date_high && ev.date_low !== ev.date_high
    ? ` (reports span ${ev.date_low} … ${ev.date_high})` : "";
  const dateNote = fused ? span
    : ev.date_expression ? ` (“${ev.date_expression}”)` : " (from the publication date)";
  const dead = fused && ev.fatalities_low !== null && ev.fatalities_high !== null && ev.fatalities_low !== ev.fatalities_high
    ? `${ev.fatalities ?? "—"} (reports give ${ev.fatalities_low}–${ev.fatalities_high})` : (ev.fatalities ?? "—");
  const sources = fused ? `${ev.sources} source${ev.sources === 1 ? "" : "s"} · ${ev.mentions.length} report${ev.mentions.length === 1 ? "" : "s"} in ${ev.documents} document${ev.documents === 1 ? "" : "s"}` : "1 (not fused)";
  showDetail(
    el("h2", {}, swatch(ev.plover), " ", kindOf(ev), " — ", shortDate(ev.date, ev.date_precision)),
    el("dl", { class: "facts" },
      el("dt", {}, "actors"), el("dd", {}, who(ev.actor_names)),
      el("dt", {}, "targets"), el("dd", {}, who(ev.target_names)),
      el("dt", {}, "place"), el("dd", {}, ev.place_id
        ? el("button", { type: "button", class: "linkish", onclick: () => openPlace(ev.place_id) }, where)
        : where, ev.lat === null ? " (no coordinates)" : ""),
      el("dt", {}, "date"), el("dd", {}, shortDate(ev.date, ev.date_precision), dateNote),
      el("dt", {}, "status"), el("dd", {}, el("span", { class: `status ${ev.status}` }, ev.status),
        ev.reported_by_names && ev.reported_by_names.length ? ` — reported by ${ev.reported_by_names.join("; ")}` : ""),
      el("dt", {}, "fatalities"), el("dd", {}, dead, ev.injured != null ? ` (injured ${ev.injured})` : ""),
      el("dt", {}, "sources"), el("dd", {}, sources),
      acled ? [el("dt", {}, "ACLED"), el("dd", {}, acled)] : null,
      fused && ev.disagreements && ev.disagreements.length
        ? [el("dt", {}, "reports differ"), el("dd", {}, ev.disagreements.map((d) => `${d.field}: `
          + (d.values || []).map((v) => `${[].concat(v.value).join(", ")} (${(v.outlets || []).join(", ") || "?"})`).join(" vs ")).join("; "))]
        : null),
    el("h3", {}, "Evidence"),
    report(first, { main: true }),
    el("h3", {}, `Other reports of the same event (${others.length})`),
    others.length ? others.map((m) => report(m)) : el("p", { class: "muted" }, "No other report in the store."),
    el("p", { class: "muted small" }, fused ? "Reports grouped by fusion (frontlines.fuse)." : `Grouped as ${ev.same_event_basis}.`),
    el("details", {}, el("summary", {}, "Why this event?"),
      ev.mentions.map((m) => el("p", {}, el("code", {}, m.id), ": ", el("code", {}, m.rule || "—"))),
      el("p", {}, "Event id: ", el("code", {}, ev.id))),
  );
  if (ev.lat !== null && ev.lon !== null && !map.getBounds().contains([ev.lon, ev.lat]))
    map.easeTo({ center: [ev.lon, ev.lat] });
}

async function openDocument(docId, evidence, eventId) {
  let doc;
  try { doc = await api(`/api/documents/${encodeURIComponent(docId)}`); }
  catch (err) { showDetail(el("p", {}, `Could not load the document: ${err.message}`)); return; }
  const text = doc.text;
  const spans = (evidence || []).map((s) => [s.start, s.end]);
  showDetail(
    el("button", { type: "button", class: "back", onclick: () => select(eventId) }, "← Back to the event"),
    el("h2", {}, doc.title || "(untitled)"),
    el("p", { class: "source" }, doc.outlet || "unknown outlet", " · ",
      doc.published ? `published ${doc.published} (${doc.published_basis})` : "publication date unknown",
      doc.url ? [" · original: ", el("span", {}, doc.url)] : null, " · id ", doc.id),
    el("div", { class: "doc-text" }, marked(text, spans)));
  $("#detail mark")?.scrollIntoView({ block: "center" });
}

async function openPlace(placeId) {
  let place;
  try { place = await api(`/api/places/${encodeURIComponent(placeId)}`); }
  catch (err) { showDetail(el("p", {}, `Could not load the place: ${err.message}`)); return; }
  showDetail(
    el("h2", {}, place.name, place.kind ? ` (${place.kind})` : ""),
    el("p", { class: "muted" }, `${place.events.count} events (${place.events.first || "?"} … ${place.events.last || "?"}), `
      + `${place.mentions} mentions.`),
    el("h3", {}, "Control"),
    place.control.length ? el("ul", {}, place.control.map((c) => el("li", {},
      `${c.date || "undated"}: ${c.controller_name || c.controller || "?"} ${c.change}`,
      c.counterpart ? ` (from ${c.counterpart_name || c.counterpart})` : "", " — ",
      el("span", { class: `status ${c.status}` }, c.status), " · ", c.outlet || "",
      c.evidence[0] ? el("blockquote", { class: "evidence" }, c.evidence[0].text) : null)))
      : el("p", { class: "muted" }, "No control claim about this place in the store."),
    el("h3", {}, "Figures"),
    place.figures.length ? el("ul", {}, place.figures.map((f) => el("li", {},
      `${f.as_of || "undated"}: ${f.kind} ${f.hedge ? f.hedge + " " : ""}${f.value ?? ""} ${f.unit || ""}`,
      f.projected_date ? ` → by ${f.projected_date}` : "", " · ", f.outlet || "")))
      : el("p", { class: "muted" }, "No figures for this place in the store."));
}

// -- sieges and control ---------------------------------------------------------------------

function populationChart(series) {
  const pts = series.filter((f) => f.as_of && f.value !== null);
  if (!pts.length) return el("p", { class: "muted" }, "No trapped-population figure in the store yet.");
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const t = pts.map((f) => Date.parse(f.as_of));
  const t0 = Math.min(...t), t1 = Math.max(...t, t0 + 86400000);
  const vmax = Math.max(...pts.map((f) => f.value));
  const x = (v) => 30 + ((v - t0) / (t1 - t0)) * 260, y = (v) => 80 - (v / vmax) * 65;
  svg.setAttribute("viewBox", "0 0 300 90");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Trapped population: " + pts.map((f) => `${f.as_of} ${f.value}`).join(", "));
  const add = (tag, attrs, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text) n.textContent = text;
    svg.append(n);
  };
  add("line", { class: "axis", x1: 30, y1: 80, x2: 290, y2: 80 });
  add("polyline", { class: "line", points: pts.map((f, i) => `${x(t[i])},${y(f.value)}`).join(" ") });
  pts.forEach((f, i) => add("circle", { class: "dot", cx: x(t[i]), cy: y(f.value), r: 3 }));
  add("text", { x: 0, y: 14 }, vmax.toLocaleString("en"));
  add("text", { x: 30, y: 90 }, pts[0].as_of);
  add("text", { x: 230, y: 90 }, pts[pts.length - 1].as_of);
  return svg;
}

// A siege period in words: "besieged 2016-07-17 → lifted 2016-08-06 (contested)".
function periodText(p) {
  const from = p.start ? `besieged ${p.start}` : "besieged (start not reported)";
  if (!p.end) return `${from} → still on`;
  return `${from} → lifted ${p.end}` + (p.status === "contested" ? " (contested)" : "");
}

const SIEGE_STATE = { besieged: "besieged", lifted: "lifted", contested: "lifted, contested", none: "no siege" };

// The sieges as of the slider's last day: the state of each, its periods and figures.
async function loadSieges() {
  const at = state.days[state.to];
  const { sieges } = await api("/api/sieges", { at });
  if (at !== state.days[state.to]) return; // the slider moved on meanwhile
  const box = $("#sieges");
  box.hidden = sieges.length === 0;
  if (!sieges.length) return;
  $("#sieges-h").textContent = `Sieges as of ${at || "the latest report"} (${sieges.length})`;
  const source = (x) => el("li", {}, `${x.date || "undated"} · ${x.outlet || "unknown outlet"} · `,
    el("span", { class: `status ${x.status}` }, x.status), x.evidence ? ` — “${x.evidence}”` : "");
  const forecast = (f) => el("li", {},
    `${f.kind.replaceAll("_", " ")}: ${f.hedge ? f.hedge + " " : ""}${f.value ?? ""} ${f.unit || ""} from ${f.as_of || "?"}`
    + ` → by ${f.projected_date} (${f.status}; ${f.outlet || "?"})`);
  const evacuation = (f) => el("li", {},
    `${f.as_of || "?"}: ${f.hedge ? f.hedge + " " : ""}${f.value ?? "?"} ${f.unit || ""} left (${f.outlet || "?"})`);
  $("#siege-list").replaceChildren(...sieges.map((s, i) => el("details", { class: "siege", open: i === 0 },
    el("summary", {}, el("strong", {}, s.place), ` · ${SIEGE_STATE[s.status] || s.status}`,
      s.status === "besieged" && s.start ? ` since ${s.start}` : s.end ? ` on ${s.end}` : ""),
    el("p", { class: "muted" },
      s.besieger_name ? `besieged by ${s.besieger_name}` : "besieger not named",
      s.besieged_name ? `, holding out: ${s.besieged_name}` : "",
      ` · ${s.reports} reports in ${s.documents} documents (${s.first_report || "?"} … ${s.latest_report || "?"})`),
    el("ol", { class: "periods" }, s.periods.map((p) => el("li", {}, periodText(p),
      p.lifted_by.length || p.contested_by.length ? el("details", {}, el("summary", {}, "who says so"),
        p.lifted_by.length ? [el("strong", {}, "lifted:"), el("ul", {}, p.lifted_by.map(source))] : null,
        p.contested_by.length ? [el("strong", {}, "denied by:"), el("ul", {}, p.contested_by.map(source))] : null)
        : null))),
    populationChart(s.population),
    s.forecasts.length ? [el("strong", {}, "Forecasts"), el("ul", {}, s.forecasts.map(forecast))]
      : el("p", { class: "muted" }, "No forecast in the store."),
    s.evacuations.length ? [el("strong", {}, "Evacuations"), el("ul", {}, s.evacuations.map(evacuation))] : null,
    el("details", {}, el("summary", {}, `Siege reports (${s.siege_reports.length})`),
      el("ul", {}, s.siege_reports.map((r) => el("li", {},
        el("button", { type: "button", class: "linkish", onclick: () => select(r.id) },
          `${r.date || "undated"} · ${r.outlet || "?"}`), ` — ${r.evidence_text || ""}`)))),
    s.lat !== null ? el("button", { type: "button", class: "back",
                                    onclick: () => map.flyTo({ center: [s.lon, s.lat], zoom: 11 }) }, "Show on the map") : null)),
    el("p", { class: "muted small" }, `Sieges here are ${sieges[0].basis}.`));
}

async function loadControl() {
  const { control } = await api("/api/control");
  const latest = new Map();
  for (const c of control) if (c.lat !== null && c.lon !== null && c.controller) latest.set(c.place_id, c);
  const colours = new Map();
  const features = [...latest.values()].map((c) => {
    if (!colours.has(c.controller)) colours.set(c.controller, CONTROL_COLOURS[colours.size % CONTROL_COLOURS.length]);
    return { type: "Feature", geometry: { type: "Point", coordinates: [c.lon, c.lat] },
             properties: { colour: colours.get(c.controller), controller: c.controller_name || c.controller } };
  });
  map.getSource("control").setData({ type: "FeatureCollection", features });
  return colours;
}

function drawLegend(types, controlColours) {
  const rows = types.map((t) => el("div", {}, swatch(t.type), t.type));
  if (controlColours.size) {
    rows.push(el("div", {}, el("strong", {}, "Control (latest claim)")));
    for (const [who_, c] of controlColours) rows.push(el("div", {},
      el("span", { class: "swatch", style: `background:transparent;border:2px solid ${c}` }), who_));
  }
  rows.push(el("div", { class: "muted" }, "Dot size: sources"));
  $("#legend").replaceChildren(...rows);
}

// Frame the bulk of the events, not the outliers (a statement made in Moscow): the events
// within 60 km of the median point, or all of them when that leaves too few.
function frame(rows) {
  const pts = rows.filter((r) => r.lat !== null && r.lon !== null);
  if (!pts.length) return;
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
  const lat0 = median(pts.map((r) => r.lat)), lon0 = median(pts.map((r) => r.lon));
  const km = (r) => Math.hypot(r.lat - lat0, (r.lon - lon0) * Math.cos((lat0 * Math.PI) / 180)) * 111.2;
  const near = pts.filter((r) => km(r) <= 60);
  const use = near.length >= pts.length / 2 ? near : pts;
  const lats = use.map((r) => r.lat), lons = use.map((r) => r.lon);
  const bounds = [[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]];
  map.fitBounds(bounds, { padding: 80, maxZoom: 12, duration: 0 });
}

// -- start ---------------------------------------------------------------------------------

async function start() {
  const summary = await api("/api/summary");
  state.summary = summary;
  $("#store-info").textContent = `${summary.documents} documents · ${summary.events} events`;
  const [lo, hi] = summary.date_range;
  state.days = lo ? daysBetween(lo, hi) : [];
  state.to = Math.max(0, state.days.length - 1);
  // A large store opens on its last month; a small one on everything.
  state.from = summary.events > PAGE_LIMIT ? Math.max(0, state.to - 30) : 0;
  setUpFilters(summary);
  setUpSlider();
  await mapLoaded;
  const [, controlColours] = await Promise.all([drawHistogram(), loadControl(), addPlaceLabels()]);
  drawLegend(summary.types, controlColours);
  await loadEvents();
  frame(state.dots);
  await idle();
  document.body.dataset.state = "ready";
}

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && !$("#detail").hidden) closeDetail();
});

window.frontlines = {
  map, state, select,
  // The event dots drawn now, one per event (a point can be cut by tile edges).
  renderedDots: () => new Set(map.queryRenderedFeatures({ layers: ["events"] }).map((f) => f.properties.id)).size,
};

start().catch((err) => {
  $("#count").textContent = `Could not start: ${err.message}`;
  document.body.dataset.state = "error";
  console.error(err);
});
