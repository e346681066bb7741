/**
 * Validates the tracing engine on real contact networks (SocioPatterns: a French high school, thiers13, and a
 * hospital ward, LH10; face-to-face proximity every 20 s). Each row "t i j" is turned into presence of i and j at
 * the place of their pair during [t, t + 20 s), consecutive rows merged into one interval (an episode). Then, for
 * every person taken as a case over the whole period, the engine's close contacts (an episode of at least M minutes)
 * and secondary contacts (through each close contact, from its first exposure to the end) must equal a brute-force
 * count over the raw rows. The data is not in the project: pass its folder.
 *   npm run validate:sociopatterns -- --data ../shared/data/sociopatterns
 * Prints a JSON object as its last line; exits 1 on any difference.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import type { ProtocolEdition } from '../src/domain/protocol/schema.ts';
import { PLACE_CATEGORIES } from '../src/domain/vocab.ts';
import { NO_SEAT, PresenceColumns } from '../src/tracing/columns.ts';
import { PresenceIndex } from '../src/tracing/presenceIndex.ts';
import { compileRules } from '../src/tracing/rules.ts';
import { Tracer } from '../src/tracing/tracer.ts';

const STEP = 20;

/** Raw rows "t i j" of a tij file. */
export function readTij(file: string): [number, number, number][] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number]);
}

/** Contact episodes per pair: consecutive 20-s rows merged. Key "a-b" with a < b. */
export function episodes(rows: [number, number, number][]): Map<string, [number, number][]> {
  const byPair = new Map<string, number[]>();
  for (const [t, i, j] of rows) {
    const key = i < j ? `${i}-${j}` : `${j}-${i}`;
    (byPair.get(key) ?? byPair.set(key, []).get(key)!).push(t);
  }
  const out = new Map<string, [number, number][]>();
  for (const [key, ts] of byPair) {
    ts.sort((a, b) => a - b);
    const eps: [number, number][] = [];
    for (const t of ts) {
      const last = eps[eps.length - 1];
      if (last && t <= last[1]) last[1] = Math.max(last[1], t + STEP);
      else eps.push([t, t + STEP]);
    }
    out.set(key, eps);
  }
  return out;
}

/** An edition whose shared-place setting needs `minutes` of overlap (the validation's threshold). */
function editionWith(minutes: number): ProtocolEdition {
  const e = loadEdition('ed8-delta-2021');
  return { ...e, closeContact: { ...e.closeContact, minOverlapMinutes: { ...e.closeContact.minOverlapMinutes, dining_entertainment: minutes } } };
}

export interface DatasetResult { dataset: string; rows: number; persons: number; episodes: number; thresholds: { minutes: number; close_pairs: number; secondary_pairs: number; equal: boolean }[] }

export function validate(name: string, rows: [number, number, number][]): DatasetResult {
  const eps = episodes(rows);
  const persons = [...new Set(rows.flatMap(([, i, j]) => [i, j]))].sort((a, b) => a - b);
  const pairPlace = new Map([...eps.keys()].map((k, n) => [k, n + 1]));
  const cols = new PresenceColumns();
  for (const [key, list] of eps) {
    const [a, b] = key.split('-').map(Number);
    for (const [s, e] of list) { cols.push(a, pairPlace.get(key)!, s, e, 0, NO_SEAT); cols.push(b, pairPlace.get(key)!, s, e, 0, NO_SEAT); }
  }
  const index = PresenceIndex.build(cols);
  const category = new Uint8Array(pairPlace.size + 1).fill(PLACE_CATEGORIES.indexOf('restaurant'));
  const kinds = { category, vehicle: new Uint8Array(pairPlace.size + 1).fill(255) };
  const from = rows[0][0] - 1, to = rows[rows.length - 1][0] + STEP + 1;
  // Brute force over the raw rows' episodes: partners of p with an episode of >= m minutes overlapping [f, t).
  const partners = new Map<number, { other: number; s: number; e: number }[]>();
  for (const [key, list] of eps) {
    const [a, b] = key.split('-').map(Number);
    for (const [s, e] of list) {
      (partners.get(a) ?? partners.set(a, []).get(a)!).push({ other: b, s, e });
      (partners.get(b) ?? partners.set(b, []).get(b)!).push({ other: a, s, e });
    }
  }
  const brute = (p: number, f: number, t: number, min: number) => {
    const out = new Map<number, number>();
    for (const x of partners.get(p) ?? []) {
      const os = Math.max(x.s, f), oe = Math.min(x.e, t);
      if (oe - os >= Math.max(min, 1)) out.set(x.other, Math.min(out.get(x.other) ?? Infinity, os));
    }
    return out;
  };
  const thresholds = [0, 1, 5, 15].map((minutes) => {
    const tracer = new Tracer(index, kinds, compileRules(editionWith(minutes)));
    let closePairs = 0, secondaryPairs = 0, equal = true;
    for (const p of persons) {
      const c = { personId: p, from, to, confirmedAt: to };
      const close = tracer.close(c);
      const expected = brute(p, from, to, minutes * 60);
      const got = close.found();
      if (got.length !== expected.size || got.some((f) => expected.get(f.personId) !== f.firstExposure)) equal = false;
      closePairs += got.length;
      const secondary = tracer.secondary(c, close, () => to);
      const exp2 = new Set<number>();
      for (const [k, first] of expected) for (const o of brute(k, first, to, minutes * 60).keys()) if (o !== p && !expected.has(o)) exp2.add(o);
      const ids = secondary.personIds();
      if (ids.length !== exp2.size || [...ids].some((x) => !exp2.has(x))) equal = false;
      secondaryPairs += ids.length;
    }
    return { minutes, close_pairs: closePairs, secondary_pairs: secondaryPairs, equal };
  });
  return { dataset: name, rows: rows.length, persons: persons.length, episodes: [...eps.values()].reduce((s, l) => s + l.length, 0), thresholds };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('validate-sociopatterns.ts')) {
  const i = process.argv.indexOf('--data');
  const dir = path.resolve(i >= 0 ? process.argv[i + 1] : '../shared/data/sociopatterns');
  if (!fs.existsSync(dir)) {
    console.error(`no data at ${dir}: pass --data <folder with thiers13__tij_thiers13.dat and hospital__tij_hospital.dat>`);
    process.exit(2);
  }
  const results = [['thiers13', 'thiers13__tij_thiers13.dat'], ['hospital', 'hospital__tij_hospital.dat']].map(([name, file]) => {
    const t0 = performance.now();
    const r = validate(name, readTij(path.join(dir, file)));
    console.error(`${name}: ${r.rows} rows, ${r.persons} persons, ${r.episodes} episodes, ${(performance.now() - t0).toFixed(0)} ms`, r.thresholds);
    return r;
  });
  const ok = results.every((r) => r.thresholds.every((t) => t.equal));
  console.log(JSON.stringify({ datasets: results, all_equal: ok }));
  process.exit(ok ? 0 : 1);
}
