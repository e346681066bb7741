/**
 * bench:chains: all chains of an outbreak of 10,000 cases with 1,000,000 traced contacts, computed from storage
 * (SQLite file), and one newly confirmed case added to chains kept in memory. Fixed seed: each case after the first
 * hundred was a close contact of an earlier case (4-7 days earlier) with probability 0.7, otherwise its source is
 * unknown; every case has 100 contacts, met at one of 1,000 restaurants (one per case); every case has a venue scan a
 * day for the 14 days before its onset at a random one of them (the shared places the chains look for, 140,000
 * presence records). Prints one JSON object as its last line and writes bench/results/chains.json.
 *   npm run bench:chains -- [--cases 10000] [--contacts-per-case 100] [--seed 42]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChains, ChainState } from '../src/domain/chains/chains.ts';
import { inferInfectors } from '../src/domain/chains/infector.ts';
import type { Evidence } from '../src/domain/model/index.ts';
import { addCaseToChains, chainsOf } from '../src/services/chains.ts';
import { openStore } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';
import { edition, seedPersons } from './codes/world.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const nCases = Number(opt('cases', '10000'));
const perCase = Number(opt('contacts-per-case', '100'));
const seed = Number(opt('seed', '42'));
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const DAY = 86400, T0 = 1_627_776_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-chains-'));
const store = await openStore({ sqliteFile: path.join(dir, 'cordon.db') });
const rnd = new Random(seed);
// Persons: the cases (ids 1..nCases) and a pool of other residents who are only contacts.
const pool = nCases * 20;
log(`inserting ${nCases + pool} persons`);
await seedPersons(store, nCases + pool);
const PLACES = 1000;
await store.places.insertMany(Array.from({ length: PLACES }, (_, i) => ({ code: `P${i + 1}`, name: `餐馆${i + 1}`, category: 'restaurant' as const, regionCode: '430102', lng: null, lat: null, status: 'open' as const, vehicleSetting: null })));
// Cases in onset order over 60 days; infector of case k drawn among cases 4-7 days earlier.
const onset = Array.from({ length: nCases }, (_, k) => T0 + Math.floor((k / nCases) * 60 * DAY));
const infectorOf: (number | null)[] = onset.map((t, k) => {
  if (k < 100 || rnd.next() > 0.7) return null;
  const lo = onset.findIndex((x) => x >= t - 7 * DAY), hi = onset.findIndex((x) => x > t - 4 * DAY);
  return hi > lo ? lo + rnd.int(hi - lo) : null;
});
const cases = onset.map((t, k) => ({
  caseNo: `HN-${k + 1}`, personId: k + 1, kind: 'confirmed' as const, onsetAt: t, sampledAt: t + DAY, confirmedAt: t + 2 * DAY, isolatedAt: t + 2 * DAY,
  severity: 'mild' as const, hospitalPlaceId: null, outcome: 'in_treatment' as const, detectedBy: null,
}));
for (let i = 0; i < cases.length; i += 5000) await store.cases.insertMany(cases.slice(i, i + 5000));
const placeOf = onset.map(() => 1 + rnd.int(PLACES));
const ev = (t: number, placeId: number): Evidence[] => [{ setting: 'dining_entertainment', rule: 'r', placeId, overlapStart: t, overlapEnd: t + 3600, minutes: 60, seatDistance: null, sources: ['venue_scan'] }];
log(`inserting ${nCases * 14} presence records`);
const scans = onset.flatMap((t, k) => Array.from({ length: 14 }, (_, d) => {
  const start = t - (d + 1) * DAY + 12 * 3600;
  return { personId: k + 1, placeId: 1 + rnd.int(PLACES), start, end: start + 3600, source: 'venue_scan' as const, seat: null, carriage: null };
}));
for (let i = 0; i < scans.length; i += 20_000) await store.presence.insertMany(scans.slice(i, i + 20_000));
log(`inserting ${nCases * perCase} contacts`);
let batch = [];
let total = 0;
for (let k = 0; k < nCases; k++) {
  const infectees = new Set(infectorOf.flatMap((inf, j) => (inf === k ? [j + 1] : [])));
  const people = new Set<number>(infectees);
  while (people.size < perCase) people.add(nCases + 1 + rnd.int(pool));
  for (const p of people) batch.push({ personId: p, kind: 'close' as const, indexCaseId: k + 1, viaContactId: null, firstExposure: onset[k], lastExposure: onset[k] + 3600, evidence: ev(onset[k], placeOf[k]), status: 'identified' as const, identifiedAt: onset[k] + 2 * DAY + 3600 });
  if (batch.length >= 20_000) { total += await store.cases.insertContacts(batch); batch = []; }
}
total += await store.cases.insertContacts(batch);
await store.maintain();
log(`${total} contacts stored; timing`);

const now = T0 + 70 * DAY;
// Warm-up once, then the median of 3.
await chainsOf(store, edition, now);
const times: number[] = [];
let v = await chainsOf(store, edition, now);
for (let r = 0; r < 3; r++) { const t = performance.now(); v = await chainsOf(store, edition, now); times.push(performance.now() - t); }
const fullMs = times.sort((a, b) => a - b)[1]; log("runs", times.map(Math.round));
// The in-memory part alone (inference and building), from the same inputs.
const inputs = { cases: cases.map((c, k) => ({ id: k + 1, onset: c.onsetAt })), exposures: (await store.chains.caseContacts()).map((r) => ({ infector: r.indexCaseId, infectee: r.infecteeCaseId, setting: 'dining_entertainment' as const, minutes: 60 })), edition };
const t1 = performance.now();
const inf = inferInfectors(inputs);
buildChains(cases.map((c, k) => ({ id: k + 1, caseNo: c.caseNo, onset: c.onsetAt, confirmedAt: c.confirmedAt, knownContactSince: null, contacts: perCase })), inf, [], { now, followUpDays: 14, recentDays: 7, fewContactsThreshold: 5 });
const memoryMs = performance.now() - t1;
// Sanity check, not a validation: the planted links are found, but for those where a random scan put a likelier case
// beside the infectee (the scans make a few shared places by chance).
const planted = infectorOf.filter((x) => x !== null).length;
const found = v.inferences.filter((x) => x.infector !== null && x.infector === (infectorOf[x.caseId - 1] ?? -2) + 1).length;
if (found < 0.9 * planted) throw new Error(`found ${found} of ${planted} planted links`);

// Incremental: 100 new cases, each a contact of an existing case, added one at a time.
const state = ChainState.from(v.chains);
const incr: number[] = [];
for (let i = 0; i < 100; i++) {
  const infector = 1 + rnd.int(nCases), person = nCases + 1 + rnd.int(pool);
  const t = onset[infector - 1] + 5 * DAY;
  await store.cases.insertContacts([{ personId: person, kind: 'close', indexCaseId: infector, viaContactId: null, firstExposure: onset[infector - 1], lastExposure: onset[infector - 1] + 3600, evidence: ev(onset[infector - 1], placeOf[infector - 1]), status: 'identified', identifiedAt: onset[infector - 1] + 2 * DAY }]);
  await store.cases.insertMany([{ ...cases[0], caseNo: `NEW-${i}`, personId: person, onsetAt: t, sampledAt: t + DAY, confirmedAt: t + 2 * DAY, isolatedAt: t + 2 * DAY }]);
  const id = (await store.cases.byCaseNo(`NEW-${i}`))!.id;
  const s = performance.now();
  const r = await addCaseToChains(store, edition, state, id);
  incr.push(performance.now() - s);
  if (r.infector === null) throw new Error(`new case ${id} found no infector`);
}
incr.sort((a, b) => a - b);
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
const round = (x: number) => Math.round(x * 100) / 100;
const result = {
  cases: nCases, contacts: total, seed, clusters: v.indicators.clusters, source_unknown: v.indicators.sourceUnknown,
  links: planted, planted_links_found: found, events: v.events.length,
  all_chains_from_storage_ms: round(fullMs), all_chains_in_memory_ms: round(memoryMs),
  add_one_case_p50_ms: round(incr[49]), add_one_case_p99_ms: round(incr[98]), add_one_case_max_ms: round(incr[99]),
  machine: { cpus: os.availableParallelism(), node: process.version },
};
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results/chains.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
