/**
 * Derives the boundary files Cordon ships (geo/hunan-cities.json, geo/hunan-counties.json) from the public DataV
 * GeoAtlas boundaries in ../shared/data/hunan/geojson: rings simplified with Douglas-Peucker (tolerance in degrees)
 * and coordinates rounded, so the map is light and the raw files stay out of the project.
 * Usage: npx tsx scripts/derive-geo.ts [--data ../shared/data/hunan/geojson] [--tolerance 0.004]
 */
import fs from 'node:fs';
import path from 'node:path';

type Ring = [number, number][];
interface Feature { type: 'Feature'; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const dataDir = path.resolve(opt('--data', '../shared/data/hunan/geojson'));
const tolerance = Number(opt('--tolerance', '0.004'));

function perpendicular(p: [number, number], a: [number, number], b: [number, number]): number {
  const [x, y] = p, [x1, y1] = a, [x2, y2] = b;
  const dx = x2 - x1, dy = y2 - y1;
  const len = Math.hypot(dx, dy);
  return len === 0 ? Math.hypot(x - x1, y - y1) : Math.abs(dy * x - dx * y + x2 * y1 - y2 * x1) / len;
}

function simplify(points: Ring, tol: number): Ring {
  if (points.length < 3) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [s, e] = stack.pop()!;
    let max = 0, idx = -1;
    for (let i = s + 1; i < e; i++) {
      const d = perpendicular(points[i], points[s], points[e]);
      if (d > max) { max = d; idx = i; }
    }
    if (max > tol && idx > 0) { keep[idx] = 1; stack.push([s, idx], [idx, e]); }
  }
  return points.filter((_, i) => keep[i]);
}

const round = (r: Ring): Ring => r.map(([x, y]) => [Math.round(x * 1e4) / 1e4, Math.round(y * 1e4) / 1e4]);

function simplifyGeometry(g: Feature['geometry']): Feature['geometry'] {
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Ring[][];
  const out = polys
    .map((poly) => poly.map((ring) => round(simplify(ring, tolerance))).filter((ring) => ring.length >= 4))
    .filter((poly) => poly.length > 0);
  return { type: 'MultiPolygon', coordinates: out };
}

function derive(features: Feature[], codeDigits: number): Feature[] {
  return features.map((f) => {
    const adcode = String(f.properties.adcode);
    return {
      type: 'Feature',
      properties: { code: adcode.slice(0, codeDigits), adcode: Number(adcode), name: f.properties.name, center: f.properties.center, centroid: f.properties.centroid },
      geometry: simplifyGeometry(f.geometry),
    };
  });
}

const provenance = {
  source: 'DataV GeoAtlas boundaries as republished in lyhmyd1211/GeoMapData_CN (branch V3 @ 69f924a); coordinates are GCJ-02',
  derivation: `Douglas-Peucker tolerance ${tolerance} degrees, coordinates rounded to 1e-4 degrees, by scripts/derive-geo.ts`,
};

const cities = JSON.parse(fs.readFileSync(path.join(dataDir, 'hunan_cities_430000.json'), 'utf8')) as { features: Feature[] };
const counties: Feature[] = [];
for (const f of fs.readdirSync(path.join(dataDir, 'citys')).sort()) {
  counties.push(...(JSON.parse(fs.readFileSync(path.join(dataDir, 'citys', f), 'utf8')) as { features: Feature[] }).features);
}
fs.mkdirSync('geo', { recursive: true });
for (const [file, feats, digits] of [['geo/hunan-cities.json', cities.features, 4], ['geo/hunan-counties.json', counties, 6]] as const) {
  const out = { type: 'FeatureCollection', provenance, features: derive(feats, digits) };
  fs.writeFileSync(file, JSON.stringify(out));
  console.log(`${file}: ${out.features.length} features, ${fs.statSync(file).size} bytes`);
}
