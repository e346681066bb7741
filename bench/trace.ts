/**
 * bench:trace: the tracing engine against SQLite, PostgreSQL and DuckDB on the synthetic province (fixed seed),
 * side by side in one run. Every peer's result sets are checked against the engine's (a peer that computes less is
 * no peer). Prints one JSON object as its last line and writes it to bench/results/trace.json.
 *   npm run bench:trace -- [--persons 1000000] [--seed 42] [--reps 3] [--engine-reps 15] [--peers sqlite,postgres,duckdb] [--pg-url URL] [--no-outbreak]
 *     [--quarantined 0.05]
 * (--no-outbreak: movement and feeds only; the simulation is much faster at 10 million residents. --quarantined: the
 * share of residents given a 14-day centralized quarantine for the engine's extra timing with isolation intervals.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { DAY } from '../src/domain/time.ts';
import { PLACE_CATEGORIES } from '../src/domain/vocab.ts';
import { readDivisions } from '../src/services/divisions.ts';
import { placeKindsOf, simulateToColumns } from '../src/synth/province.ts';
import { Random } from '../src/synth/random.ts';
import { IsolationTable, type IsolationInterval } from '../src/tracing/isolation.ts';
import { ParallelTracer } from '../src/tracing/parallel.ts';
import { PresenceIndex } from '../src/tracing/presenceIndex.ts';
import { COMPANION, compileRules, GENERAL } from '../src/tracing/rules.ts';
import { Tracer } from '../src/tracing/tracer.ts';
import { duckdbPeer, postgresPeer, sqlitePeer, writeCsv, type Peer, type PlaceRow } from './peers/peers.ts';
import { closeSql, companionsSql, KIND_CLOSE, KIND_COMPANION, KIND_GENERAL, secondarySql, type CaseSpec } from './peers/sql.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const persons = Number(opt('persons', '1000000'));
const seed = Number(opt('seed', '42'));
const peerNames = opt('peers', 'sqlite,postgres,duckdb').split(',').filter(Boolean);
const outbreak = !args.includes('--no-outbreak');
const pgUrl = opt('pg-url', process.env.CORDON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const round = (x: number) => Math.round(x * 100) / 100;
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };

const edition = loadEdition('ed8-delta-2021');
const rules = compileRules(edition);
const communities = (await readDivisions()).filter((r) => r.level === 'community').map((r) => r.code);
log(`simulating ${persons} persons, seed ${seed}`);
// Only the records, the places' kinds and the start are kept: the simulated world (a name and an identity number per
// resident, hundreds of MB of JavaScript objects) would otherwise stay on the heap, and every garbage collection
// during the timings would mark it.
const sim = (() => {
  const s = simulateToColumns({ persons, days: 14, seed, communities, cellSizeMeters: edition.companion.cellSizeMeters, outbreak });
  return { columns: s.columns, kinds: placeKindsOf(s.world), start: s.start };
})();
/** Collects garbage before a timed phase when the process allows it (`--expose-gc`, as `npm run bench:trace` runs). */
const collect = () => (globalThis as { gc?: () => void }).gc?.();
const cols = sim.columns;
log(`${cols.length} presence records (${(cols.length / persons).toFixed(1)} per person)`);

// The engine: build the index, time the queries.
const t0 = performance.now();
const index = PresenceIndex.build(cols);
const buildMs = performance.now() - t0;
const kinds = sim.kinds;
const P = kinds.category.length;
const tracer = new Tracer(index, kinds, rules);

const rnd = new Random(seed);
const cases: CaseSpec[] = Array.from({ length: 1000 }, () => {
  const from = sim.start + 3 * DAY, to = sim.start + 10 * DAY;
  return { person: 1 + rnd.int(persons), from, to, confirmedAt: to, isolatedBy: to + edition.closeContact.transferWithinHours * 3600 };
});
const input = (k: CaseSpec) => ({ personId: k.person, from: k.from, to: k.to, confirmedAt: k.confirmedAt });
const time = (fn: () => void) => { const s = performance.now(); fn(); return performance.now() - s; };
const sameSets = (a: number[], b: number[]) => { const x = [...new Set(a)].sort((m, n) => m - n), y = [...b].sort((m, n) => m - n); return x.length === y.length && x.every((v, i) => v === y[i]); };
/**
 * Every workload runs several times and the median is reported (these machines are noisy): a peer's workloads REPS
 * times, the engine's own ENGINE_REPS times (its runs take milliseconds, where a burst of noise weighs more, and
 * more of them cost nothing).
 */
const REPS = Number(opt('reps', '3'));
const ENGINE_REPS = Number(opt('engine-reps', '15'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const repeat = (fn: () => void) => median(Array.from({ length: ENGINE_REPS }, () => time(fn)));
async function repeatAsync(fn: () => Promise<void>, reps = REPS): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) { const s = performance.now(); await fn(); times.push(performance.now() - s); }
  return median(times);
}

/** Warm-up (JIT, caches) before any timing, the same 20 queries for the engine and every peer. */
const WARMUP = cases.slice(200, 220);
collect();
for (const k of WARMUP) tracer.secondary(input(k), tracer.close(input(k)), () => k.isolatedBy);
const single = cases.slice(0, 200).map((k) => time(() => tracer.close(input(k))));
const engineSets = { close: [] as number[][], secondary: [] as number[][], companion: [] as number[][] };
for (const k of cases.slice(0, 100)) {
  const close = tracer.close(input(k));
  engineSets.close.push([...close.personIds()]);
  engineSets.secondary.push([...tracer.secondary(input(k), close, () => k.isolatedBy).personIds()]);
  engineSets.companion.push([...tracer.companions(input(k)).personIds()]);
}
const close100 = repeat(() => { for (const k of cases.slice(0, 100)) tracer.close(input(k)); });
const close1000 = repeat(() => { for (const k of cases) tracer.close(input(k)); });
const engineCloseSecondary100 = () => { for (const k of cases.slice(0, 100)) tracer.secondary(input(k), tracer.close(input(k)), () => k.isolatedBy); };
const closeSecondary100 = repeat(engineCloseSecondary100);
const companions100 = repeat(() => { for (const k of cases.slice(0, 100)) tracer.companions(input(k)); });
// The same workload with isolation intervals (the peers know none, so this is timed apart and the table removed after):
// every case isolated from the end of its window, and a share of residents in a 14-day quarantine starting at random
// in the fortnight, so the queries meet isolated persons and clip their overlaps.
const quarantined = Number(opt('quarantined', '0.05'));
const intervals: IsolationInterval[] = cases.map((k) => ({ personId: k.person, start: k.to, end: null }));
for (let q = 0, n = Math.round(persons * quarantined); q < n; q++) {
  const start = sim.start + rnd.int(14 * DAY);
  intervals.push({ personId: 1 + rnd.int(persons), start, end: start + 14 * DAY });
}
tracer.setIsolation(IsolationTable.from(intervals));
const isolatedSets = cases.slice(0, 100).map((k) => { const close = tracer.close(input(k)); return [close.count, tracer.secondary(input(k), close, () => k.isolatedBy).count]; });
const closeSecondary100Isolated = repeat(engineCloseSecondary100);
tracer.setIsolation(IsolationTable.EMPTY);
// The same 100 cases on every core: the index in shared memory, one worker per extra core (started before timing).
collect();
const threads = os.availableParallelism();
const parallel = await ParallelTracer.start(index, kinds, edition, threads);
const batch = cases.slice(0, 100).map((k) => ({ input: input(k), isolatedBy: k.isolatedBy }));
// The worker is a fresh isolate: it gets the warm-up queries and then the batch itself twice (the first run checks the
// results), as the calling thread ran them before its own timings.
await parallel.batch(WARMUP.map((k) => ({ input: input(k), isolatedBy: k.isolatedBy })), 'close+secondary');
const parallelSets = await parallel.batch(batch, 'close+secondary');
await parallel.batch(batch, 'close+secondary');
const parallelEqual = parallelSets.every(([, sec], i) => sameSets([...sec.personIds()], engineSets.secondary[i]));
const closeSecondary100Parallel = await repeatAsync(async () => { await parallel.batch(batch, 'close+secondary'); }, ENGINE_REPS);
await parallel.stop();
const mean = (xs: number[][]) => round(xs.reduce((s, x) => s + x.length, 0) / xs.length);
const engine = {
  build_ms: round(buildMs), close_1_p50_ms: round(pct(single, 50)), close_1_p99_ms: round(pct(single, 99)), close_100_ms: round(close100),
  close_1000_ms: round(close1000), close_secondary_100_ms: round(closeSecondary100), companions_100_ms: round(companions100),
  bytes_per_record: round(index.bytes / index.length),
  close_secondary_100_isolated_ms: round(closeSecondary100Isolated), isolated_persons: intervals.length,
  per_case_isolated: { close: round(isolatedSets.reduce((s, x) => s + x[0], 0) / 100), secondary: round(isolatedSets.reduce((s, x) => s + x[1], 0) / 100) },
  close_secondary_100_parallel_ms: round(closeSecondary100Parallel), threads, parallel_results_equal: parallelEqual,
};
log('engine', engine, 'per case: close', mean(engineSets.close), 'secondary', mean(engineSets.secondary), 'companions', mean(engineSets.companion));

// The peers: same records, same places and rules, same cases; results compared.
const placeRows: PlaceRow[] = [];
for (let p = 1; p < P; p++) {
  const cat = kinds.category[p], s = rules.settingOf[cat], v = kinds.vehicle[p];
  placeRows.push({
    id: p, kind: s === GENERAL ? KIND_GENERAL : s === COMPANION ? KIND_COMPANION : KIND_CLOSE, minOv: rules.minOverlapOf[cat],
    scope: v === 255 || PLACE_CATEGORIES[cat] !== 'vehicle' ? null : rules.vehicleScope[v], rowsEach: v === 255 ? 0 : rules.vehicleRows[v], crew: v === 255 ? 0 : rules.vehicleCrew[v],
  });
}

// The peers load the index's records: a person's overlapping or touching records at one place (one seat) merged,
// as the engine's build merges them (the answers differ otherwise wherever two short records make one long stay).
const merged = peerNames.length ? index.toColumns() : cols;
const csv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-trace-')), 'presence.csv');
const peers: Record<string, unknown> = {};
if (peerNames.some((n) => n !== 'sqlite')) { log('writing CSV for COPY loaders'); await writeCsv(merged, csv); }

for (const name of peerNames) {
  let peer: Peer;
  if (name === 'sqlite') peer = sqlitePeer();
  else if (name === 'postgres') peer = postgresPeer(pgUrl);
  else if (name === 'duckdb') peer = duckdbPeer();
  else throw new Error(`unknown peer ${name}`);
  try {
    log(`${name}: loading`);
    const { loadMs, indexMs } = await peer.load(merged, placeRows, csv);
    log(`${name}: loaded in ${round(loadMs)} ms, indexed in ${round(indexMs)} ms`);
    collect();
    const d = peer.dialect;
    const mismatches: string[] = [];
    for (const k of WARMUP) { await peer.ids(closeSql(d, k)); await peer.ids(secondarySql(d, k)); }
    const singleTimes: number[] = [];
    for (const k of cases.slice(0, 20)) { const s = performance.now(); await peer.ids(closeSql(d, k)); singleTimes.push(performance.now() - s); }
    for (const [i, k] of cases.slice(0, 100).entries()) {
      const close = await peer.ids(closeSql(d, k));
      if (!sameSets(close, engineSets.close[i])) mismatches.push(`close case ${i}: ${close.length} vs ${engineSets.close[i].length}`);
      const secondary = await peer.ids(secondarySql(d, k));
      if (!sameSets(secondary, engineSets.secondary[i])) mismatches.push(`secondary case ${i}: ${secondary.length} vs ${engineSets.secondary[i].length}`);
      const companions = await peer.ids(companionsSql(d, k, rules.companion));
      if (!sameSets(companions, engineSets.companion[i])) mismatches.push(`companions case ${i}: ${companions.length} vs ${engineSets.companion[i].length}`);
    }
    const c100 = await repeatAsync(async () => { for (const k of cases.slice(0, 100)) await peer.ids(closeSql(d, k)); });
    let c1000: number | null = null;
    if (c100 < 15_000) c1000 = await repeatAsync(async () => { for (const k of cases) await peer.ids(closeSql(d, k)); });
    // The headline workload alternates with the engine's, rep by rep: this machine's speed drifts from minute to
    // minute, so each ratio compares two runs made seconds apart.
    const peerCs: number[] = [], engineCs: number[] = [];
    for (let r = 0; r < REPS; r++) {
      engineCs.push(time(engineCloseSecondary100));
      const s = performance.now();
      for (const k of cases.slice(0, 100)) { await peer.ids(closeSql(d, k)); await peer.ids(secondarySql(d, k)); }
      peerCs.push(performance.now() - s);
    }
    const cs100 = median(peerCs);
    const comp100 = await repeatAsync(async () => { for (const k of cases.slice(0, 100)) await peer.ids(companionsSql(d, k, rules.companion)); });
    let cs100Concurrent: number | null = null;
    if (peer.concurrent) {
      const lists = [0, 1].map((h) => cases.slice(h * 50, h * 50 + 50).flatMap((k) => [closeSql(d, k), secondarySql(d, k)]));
      cs100Concurrent = await repeatAsync(async () => { await peer.concurrent!(lists); });
    }
    peers[name] = {
      load_ms: round(loadMs), index_ms: round(indexMs), close_1_p50_ms: round(pct(singleTimes, 50)), close_1_p99_ms: round(pct(singleTimes, 99)),
      close_1_sample: singleTimes.length, close_100_ms: round(c100), close_1000_ms: c1000 === null ? null : round(c1000),
      close_secondary_100_ms: round(cs100), engine_close_secondary_100_alongside_ms: round(median(engineCs)),
      ratio_alongside: round(median(peerCs.map((t, r) => t / engineCs[r]))), close_secondary_100_concurrent_ms: cs100Concurrent === null ? null : round(cs100Concurrent),
      companions_100_ms: round(comp100), results_equal: mismatches.length === 0, mismatches: mismatches.slice(0, 5),
    };
    log(name, peers[name]);
  } catch (e) {
    peers[name] = { skipped: (e as Error).message };
    log(`${name}: skipped: ${(e as Error).message}`);
  } finally {
    await peer.close().catch(() => undefined);
  }
}
fs.rmSync(path.dirname(csv), { recursive: true, force: true });

type Measured = { close_secondary_100_ms: number; ratio_alongside: number; close_secondary_100_concurrent_ms: number | null; results_equal: boolean };
const measured = Object.values(peers).filter((p): p is Measured => typeof p === 'object' && p !== null && 'close_secondary_100_ms' in p);
const best = Math.min(...measured.map((p) => p.close_secondary_100_ms));
const bestPeer = measured.find((p) => p.close_secondary_100_ms === best);
const bestAnyWay = Math.min(...measured.map((p) => Math.min(p.close_secondary_100_ms, p.close_secondary_100_concurrent_ms ?? Infinity)));
const result = {
  persons, seed, outbreak, records: cols.length, reps: REPS, engine_reps: ENGINE_REPS,
  statistic: 'median of engine_reps (engine) or reps (peers; the alternating engine runs too); close_1: percentiles over single-case queries', ...engine,
  per_case: { close: mean(engineSets.close), secondary: mean(engineSets.secondary), companions: mean(engineSets.companion) },
  peers,
  /**
   * One thread each: the best peer's sequential time over the engine's single-threaded time, the median of the
   * per-rep ratios of runs made alternately (engine, peer, engine, peer, ...).
   */
  ratio_vs_best_sql: bestPeer ? bestPeer.ratio_alongside : null,
  /** The same, against the engine's time measured once before any peer ran (minutes earlier). */
  ratio_vs_best_sql_engine_first: measured.length ? round(best / closeSecondary100) : null,
  /** Both cores each: the engine's parallel batch against the best peer time, sequential or on two connections. */
  ratio_parallel_vs_best_sql: measured.length ? round(bestAnyWay / closeSecondary100Parallel) : null,
  all_peers_equal: measured.every((p) => p.results_equal) && parallelEqual,
  machine: { cpus: os.cpus().length, node: process.version },
};
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'trace.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result));
process.exit(result.all_peers_equal ? 0 : 1);
