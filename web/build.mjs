// Builds the map page into src/frontlines/web/static/, from web/src and node_modules only:
// the page's own files, MapLibre GL, Swagger UI (for /docs) and the basemap (world-atlas
// TopoJSON turned into GeoJSON here, so the browser needs no converter). Nothing is fetched.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature, mesh } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "frontlines", "web", "static");
const modules = join(here, "node_modules");

rmSync(out, { recursive: true, force: true });
for (const dir of ["vendor", "vendor/swagger", "basemap"]) mkdirSync(join(out, dir), { recursive: true });

// The page itself.
for (const name of readdirSync(join(here, "src"))) copyFileSync(join(here, "src", name), join(out, name));

// A library file, without its source-map comment: the map file is not shipped, and a
// browser with dev tools open would ask the server for it.
function vendor(from, to) {
  const text = readFileSync(join(modules, from), "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n")
    .replace(/\/\*# sourceMappingURL=[^*]+\*\/\s*$/, "\n");
  writeFileSync(join(out, to), text);
}
vendor("maplibre-gl/dist/maplibre-gl.mjs", "vendor/maplibre-gl.mjs");
vendor("maplibre-gl/dist/maplibre-gl-worker.mjs", "vendor/maplibre-gl-worker.mjs");
vendor("maplibre-gl/dist/maplibre-gl.css", "vendor/maplibre-gl.css");
vendor("swagger-ui-dist/swagger-ui-bundle.js", "vendor/swagger/swagger-ui-bundle.js");
vendor("swagger-ui-dist/swagger-ui.css", "vendor/swagger/swagger-ui.css");

// Basemap: country shapes at 1:50m, coordinates rounded to ~100 m (plenty at city zoom,
// and a third of the size).
const round = (x) => Math.round(x * 1000) / 1000;
function roundCoords(c) {
  return typeof c[0] === "number" ? [round(c[0]), round(c[1])] : c.map(roundCoords);
}
const topo = JSON.parse(readFileSync(join(modules, "world-atlas", "countries-50m.json"), "utf8"));
const countries = feature(topo, topo.objects.countries);
for (const f of countries.features) {
  f.geometry.coordinates = roundCoords(f.geometry.coordinates);
  f.properties = { name: f.properties.name, id: f.id };
}
writeFileSync(join(out, "basemap", "countries.geojson"), JSON.stringify(countries));
// Borders drawn once each (a shared edge would otherwise be stroked twice).
const borders = mesh(topo, topo.objects.countries, (a, b) => a !== b);
borders.coordinates = roundCoords(borders.coordinates);
writeFileSync(join(out, "basemap", "borders.geojson"),
  JSON.stringify({ type: "Feature", properties: {}, geometry: borders }));

const version = (name) => JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
writeFileSync(join(out, "NOTICE.txt"), [
  "Files in vendor/ and basemap/ come from npm packages, unchanged but for removed source-map comments:",
  `- vendor/maplibre-gl*: maplibre-gl ${version("maplibre-gl")}, BSD-3-Clause (MapLibre contributors)`,
  `- vendor/swagger/: swagger-ui-dist ${version("swagger-ui-dist")}, Apache-2.0 (SmartBear Software)`,
  `- basemap/: world-atlas ${version("world-atlas")} (ISC, Mike Bostock), made from Natural Earth (public domain),`,
  `  converted with topojson-client ${version("topojson-client")} (ISC)`,
  "",
].join("\n"));
console.log(`built ${out}`);
