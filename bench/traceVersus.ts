/**
 * bench:trace-versus: this tree's index build and close + secondary contacts of 100 cases against another checkout's
 * (the tree before a change, say), alternated in one process over the same simulated records and cases as
 * bench:trace (1,000,000 residents, seed 42), so each pair of timings is made seconds apart on this noisy machine.
 * Also times this tree with isolation intervals (every case isolated from its window's end, 5 % of residents in a
 * 14-day quarantine). Prints one JSON object.
 *   npm run bench:trace-versus -- --other /path/to/checkout [--persons 1000000] [--builds 5] [--reps 15]
 * (The other checkout needs its node_modules, or a link to these.)
 */
import path from 'node:path';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { DAY } from '../src/domain/time.ts';
import { readDivisions } from '../src/services/divisions.ts';
import { placeKindsOf, simulateToColumns } from '../src/synth/province.ts';
import { Random } from '../src/synth/random.ts';
import type { PresenceColumns } from '../src/tracing/columns.ts';
import { IsolationTable, type IsolationInterval } from '../src/tracing/isolation.ts';
import { PresenceIndex } from '../src/tracing/presenceIndex.ts';
import { compileRules } from '../src/tracing/rules.ts';
import { Tracer, type PlaceKinds, type TraceInput } from '../src/tracing/tracer.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const other = path.resolve(opt('other', ''));
const persons = Number(opt('persons', '1000000')), seed = 42, BUILDS = Number(opt('builds', '5')), REPS = Number(opt('reps', '15'));

/** The other tree's index and tracer, as far as this benchmark uses them. */
interface Set { count: number }
interface OtherTracer { close(c: TraceInput): Set; secondary(c: TraceInput, close: Set, isolatedBy: () => number): Set }
const theirs = {
  index: (await import(path.join(other, 'src/tracing/presenceIndex.ts'))).PresenceIndex as { build(cols: PresenceColumns): { length: number; bytes: number } },
  rules: (await import(path.join(other, 'src/tracing/rules.ts'))).compileRules as (e: unknown) => unknown,
  Tracer: (await import(path.join(other, 'src/tracing/tracer.ts'))).Tracer as new (index: unknown, places: PlaceKinds, rules: unknown) => OtherTracer,
};

const edition = loadEdition('ed8-delta-2021');
const communities = (await readDivisions()).filter((r) => r.level === 'community').map((r) => r.code);
const sim = (() => {
  const s = simulateToColumns({ persons, days: 14, seed, communities, cellSizeMeters: edition.companion.cellSizeMeters, outbreak: true });
  return { cols: s.columns, kinds: placeKindsOf(s.world), start: s.start };
})();
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tenths = (xs: number[]) => xs.map((x) => Math.round(x * 10) / 10);

const builds = { other: [] as number[], this: [] as number[] };
let otherIndex: { length: number; bytes: number } | undefined, index: PresenceIndex | undefined;
for (let r = 0; r < BUILDS; r++) {
  otherIndex = index = undefined;
  gc(); let t = performance.now(); otherIndex = theirs.index.build(sim.cols); builds.other.push(performance.now() - t);
  gc(); t = performance.now(); index = PresenceIndex.build(sim.cols); builds.this.push(performance.now() - t);
}

// bench:trace's cases: the same random draws in the same order.
const rnd = new Random(seed);
const cases = Array.from({ length: 1000 }, () => {
  const from = sim.start + 3 * DAY, to = sim.start + 10 * DAY;
  return { input: { personId: 1 + rnd.int(persons), from, to, confirmedAt: to }, isolatedBy: to + edition.closeContact.transferWithinHours * 3600 };
});
const intervals: IsolationInterval[] = cases.map((k) => ({ personId: k.input.personId, start: k.input.to, end: null }));
for (let q = 0; q < persons * 0.05; q++) {
  const start = sim.start + rnd.int(14 * DAY);
  intervals.push({ personId: 1 + rnd.int(persons), start, end: start + 14 * DAY });
}
const tracers: Record<'other' | 'this' | 'isolated', OtherTracer> = {
  other: new theirs.Tracer(otherIndex, sim.kinds, theirs.rules(edition)),
  this: new Tracer(index!, sim.kinds, compileRules(edition)),
  isolated: new Tracer(index!, sim.kinds, compileRules(edition), IsolationTable.from(intervals)),
};
const run = (tr: OtherTracer, list: typeof cases) => {
  const s = performance.now();
  for (const k of list) tr.secondary(k.input, tr.close(k.input), () => k.isolatedBy);
  return performance.now() - s;
};
for (const tr of Object.values(tracers)) run(tr, cases.slice(200, 220));
const sameCounts = cases.slice(0, 100).every((k) => {
  const a = tracers.other.close(k.input), b = tracers.this.close(k.input);
  return a.count === b.count && tracers.other.secondary(k.input, a, () => k.isolatedBy).count === tracers.this.secondary(k.input, b, () => k.isolatedBy).count;
});
const times = { other: [] as number[], this: [] as number[], isolated: [] as number[] };
gc();
for (let r = 0; r < REPS; r++) for (const name of ['other', 'this', 'isolated'] as const) times[name].push(run(tracers[name], cases.slice(0, 100)));
console.log(JSON.stringify({
  other, persons, records: sim.cols.length, records_this: index!.length, records_other: otherIndex!.length,
  bytes_per_record_this: index!.bytes / index!.length, bytes_per_record_other: otherIndex!.bytes / otherIndex!.length, same_counts_without_isolation: sameCounts,
  build_ms: { median_other: Math.round(median(builds.other)), median_this: Math.round(median(builds.this)), other: tenths(builds.other), this: tenths(builds.this) },
  close_secondary_100_ms: {
    median_other: +median(times.other).toFixed(2), median_this: +median(times.this).toFixed(2), median_this_isolated: +median(times.isolated).toFixed(2),
    median_ratio_this_other: +median(times.this.map((x, i) => x / times.other[i])).toFixed(3),
    other: tenths(times.other), this: tenths(times.this), isolated: tenths(times.isolated),
  },
}));
