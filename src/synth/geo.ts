/**
 * Points inside Hunan's real county boundaries (geo/hunan-counties.json, GCJ-02, simplified), for placing
 * communities and venues where they are. Division codes and polygons do not fully agree, and that is handled here,
 * not papered over: 祁阳 became a city in 2021 (431121 -> 431181) and the boundary data has the old code; the
 * statistical functional zones (7x) have no polygon of their own, so their points fall inside their city.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Random } from './random.ts';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../geo/hunan-counties.json');

/** Division codes whose polygon is published under an older code. */
export const POLYGON_ALIASES: Record<string, string> = { '431181': '431121' };

type Ring = [number, number][];
interface Shape { rings: Ring[]; bbox: [number, number, number, number]; centroid: [number, number] }

function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export class CountyShapes {
  private readonly shapes = new Map<string, Shape>();

  constructor() {
    const geo = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { features: { properties: { code: string; centroid?: [number, number]; center: [number, number] }; geometry: { coordinates: Ring[][] } }[] };
    for (const f of geo.features) {
      const rings = f.geometry.coordinates.flat();
      const xs = rings.flat().map((p) => p[0]), ys = rings.flat().map((p) => p[1]);
      this.shapes.set(f.properties.code, {
        rings, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], centroid: f.properties.centroid ?? f.properties.center,
      });
    }
  }

  /** The shapes a county's points are drawn from: its own polygon, its alias's, or (no polygon) its city's counties. */
  private shapesFor(county: string): Shape[] {
    const own = this.shapes.get(POLYGON_ALIASES[county] ?? county);
    if (own) return [own];
    return [...this.shapes.entries()].filter(([code]) => code.startsWith(county.slice(0, 4))).map(([, s]) => s);
  }

  /** Whether the county (or its fallback) has a polygon to draw from. */
  has(county: string): boolean {
    return this.shapesFor(county).length > 0;
  }

  /** A uniformly random point inside the county's polygon (rejection sampling in its bounding box). */
  randomPoint(county: string, rnd: Random): [number, number] {
    const shapes = this.shapesFor(county);
    if (shapes.length === 0) throw new RangeError(`no boundary for county ${county}`);
    const s = shapes[rnd.int(shapes.length)];
    const [x0, y0, x1, y1] = s.bbox;
    for (let tries = 0; tries < 1000; tries++) {
      const x = x0 + rnd.next() * (x1 - x0), y = y0 + rnd.next() * (y1 - y0);
      let inside = false;
      for (const ring of s.rings) if (inRing(x, y, ring)) inside = !inside;
      if (inside) return [x, y];
    }
    return s.centroid;
  }
}
