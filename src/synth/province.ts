/**
 * Generates the synthetic province: the world, two weeks (by default) of movement and feeds, the outbreak and its
 * ground truth. `generateProvince` writes the agencies' files (and the ground truth apart from them);
 * `simulateToColumns` keeps the feeds in memory as presence columns, ids as an import in file order would assign
 * them (persons and places numbered from 1 in the order written), for benchmarks.
 */
import { PLACE_CATEGORIES } from '../domain/vocab.ts';
import { parseTime } from '../domain/time.ts';
import { encodeSeat, PresenceColumns } from '../tracing/columns.ts';
import type { PlaceKinds } from '../tracing/tracer.ts';
import { CsvSink, type Manifest } from './feeds.ts';
import { VACCINATED_ONE, VACCINATED_TWO } from './params.ts';
import { Random } from './random.ts';
import { simulate, type Infection, type SimResult, type Sink } from './simulate.ts';
import { buildWorld, type World } from './world.ts';

export interface ProvinceOptions {
  persons: number;
  days: number;
  seed: number;
  /** First day (local date). Default 2021-07-20, two days before the Zhangjiajie theatre show. */
  startDate?: string;
  /** Community codes of the real division tree to house residents in. */
  communities: string[];
  cellSizeMeters: number;
  /** Simulate the outbreak (default true). */
  outbreak?: boolean;
  /** Index cases seeding the outbreak (default 1; see SimOptions). */
  indexCases?: number;
  /** Grids under each community in the store the feeds go to (default 4; 0: residents are in no grid). */
  gridsPerCommunity?: number;
  onStep?: (step: string) => void;
}

function setup(o: ProvinceOptions) {
  const start = parseTime(o.startDate ?? '2021-07-20')!;
  o.onStep?.(`building the world: ${o.persons} residents`);
  const world = buildWorld({ persons: o.persons, seed: o.seed, communities: o.communities, categories: PLACE_CATEGORIES, gridsPerCommunity: o.gridsPerCommunity });
  return { start, world };
}

/** Doses given by the end of the simulated days: [person, dose, vaccine, time] (a second dose due later is not a fact yet). */
function vaccinations(world: World, seed: number, start: number, end: number): [number, number, string, number][] {
  const rnd = new Random(seed ^ 0x0acc);
  const out: [number, number, string, number][] = [];
  const vaccines = ['Sinovac CoronaVac', 'Sinopharm BBIBP', 'CanSino Ad5'];
  for (let i = 0; i < world.persons; i++) {
    if (world.age[i] < 18 || !rnd.chance(VACCINATED_ONE)) continue;
    const v = vaccines[rnd.int(vaccines.length)];
    const first = start - (30 + rnd.int(120)) * 86400;
    out.push([i, 1, v, first]);
    const second = first + (21 + rnd.int(30)) * 86400;
    if (rnd.chance(VACCINATED_TWO / VACCINATED_ONE) && second <= end) out.push([i, 2, v, second]);
  }
  return out;
}

/** Writes the province's feeds, ground truth and manifest under `outDir`. */
export function generateProvince(o: ProvinceOptions & { outDir: string; onVisit?: Sink['visit'] }): { manifest: Manifest; world: World; result: SimResult; start: number } {
  const { start, world } = setup(o);
  const sink = new CsvSink(o.outDir, world);
  if (o.onVisit) sink.visit = o.onVisit;
  o.onStep?.(`simulating ${o.days} days`);
  const result = simulate({ world, days: o.days, start, seed: o.seed, cellSizeMeters: o.cellSizeMeters, outbreak: o.outbreak ?? true, indexCases: o.indexCases }, sink);
  o.onStep?.('writing registries');
  const manifest = sink.finish({ seed: o.seed, days: o.days, start, end: start + o.days * 86400, infections: result.infections, vaccinations: vaccinations(world, o.seed, start, start + o.days * 86400) });
  return { manifest, world, result, start };
}

/** Collects feed records as presence columns (ids from 1 in generation order), for benchmarks. */
class ColumnsSink implements Sink {
  readonly columns: PresenceColumns;
  visit?: Sink['visit'];
  constructor(capacity: number) { this.columns = new PresenceColumns(capacity); }
  presence(_file: string, person: number, place: number, start: number, end: number, source: number, seat: string | null, carriage: string | null): void {
    this.columns.push(person + 1, place + 1, start, end, source, encodeSeat(seat, carriage));
  }
  infection(_inf: Infection): void {}
  sample(): void {}
}

/** Simulates the province in memory: the feeds' presence records as columns, and the world and infections; `onVisit` sees every true visit. */
export function simulateToColumns(o: ProvinceOptions & { onVisit?: Sink['visit'] }): { columns: PresenceColumns; world: World; result: SimResult; start: number } {
  const { start, world } = setup(o);
  const sink = new ColumnsSink(o.persons * 11);
  if (o.onVisit) sink.visit = o.onVisit;
  o.onStep?.(`simulating ${o.days} days`);
  const result = simulate({ world, days: o.days, start, seed: o.seed, cellSizeMeters: o.cellSizeMeters, outbreak: o.outbreak ?? true, indexCases: o.indexCases }, sink);
  return { columns: sink.columns, world, result, start };
}

/** Category and vehicle setting of every place of the world, by the ids an import in file order assigns (from 1). */
export function placeKindsOf(world: World): PlaceKinds {
  const n = world.places.n + 1;
  const kinds: PlaceKinds = { category: new Uint8Array(n), vehicle: new Uint8Array(n).fill(255) };
  for (let p = 0; p < world.places.n; p++) {
    kinds.category[p + 1] = world.places.category[p];
    kinds.vehicle[p + 1] = world.places.vehicle[p];
  }
  return kinds;
}
