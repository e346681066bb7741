import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../domain/protocol/editions.ts';
import { PLACE_CATEGORIES, VEHICLE_SETTINGS } from '../domain/vocab.ts';
import { Random } from '../synth/random.ts';
import { encodeSeat, PresenceColumns } from './columns.ts';
import { IsolationTable, type IsolationInterval } from './isolation.ts';
import { ParallelTracer, runBatch, type BatchCase } from './parallel.ts';
import { PresenceIndex } from './presenceIndex.ts';
import { compileRules } from './rules.ts';
import { Tracer, type PlaceKinds } from './tracer.ts';

describe('ParallelTracer', () => {
  const edition = loadEdition('ed8-delta-2021');
  const rnd = new Random(11);
  const T0 = 1_627_000_000;
  const cats = ['residence', 'office', 'restaurant', 'telecom_cell', 'vehicle', 'ktv'] as const;
  const places = 400;
  const kinds: PlaceKinds = { category: new Uint8Array(places), vehicle: new Uint8Array(places).fill(255) };
  for (let p = 0; p < places; p++) {
    const c = cats[p % cats.length];
    kinds.category[p] = PLACE_CATEGORIES.indexOf(c);
    if (c === 'vehicle') kinds.vehicle[p] = rnd.int(VEHICLE_SETTINGS.length);
  }
  const cols = new PresenceColumns();
  for (let i = 0; i < 60_000; i++) {
    const s = T0 + rnd.int(10 * 86400);
    cols.push(1 + rnd.int(3000), rnd.int(places), s, s + 600 + rnd.int(6 * 3600), rnd.int(9), rnd.chance(0.3) ? encodeSeat(String(1 + rnd.int(30)), String(1 + rnd.int(3))) : encodeSeat(null, null));
  }
  const index = PresenceIndex.build(cols);
  const cases: BatchCase[] = Array.from({ length: 25 }, () => ({
    input: { personId: 1 + rnd.int(3000), from: T0 + 86400, to: T0 + 6 * 86400, confirmedAt: T0 + 6 * 86400 }, isolatedBy: T0 + 7 * 86400,
    coResidents: [1 + rnd.int(3000), 1 + rnd.int(3000)],
  }));
  /** A tenth of the persons isolated for a while (some twice, some open-ended). */
  const intervals = (seed: number): IsolationInterval[] => {
    const r = new Random(seed);
    return Array.from({ length: 400 }, () => {
      const start = T0 + r.int(10 * 86400);
      return { personId: 1 + r.int(3000), start, end: r.chance(0.3) ? null : start + r.int(3 * 86400) };
    });
  };
  const isolation = IsolationTable.from(intervals(5));

  // Started in the test rather than a hook, so that coverage per test (mutation testing) sees the start.
  it('returns for a batch exactly what one tracer returns, evidence included, with the same isolation table', async () => {
    const parallel = await ParallelTracer.start(index, kinds, edition, 2, isolation);
    expect(parallel.lastTaken).toEqual([]); // no batch yet
    try {
      await check(parallel);
    } finally {
      await parallel.stop();
    }
  });

  /** The OS threads of this process (Linux: /proc/self/status); a worker thread is one of them. */
  const osThreads = () => Number(/^Threads:\s+(\d+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]);
  it.skipIf(!fs.existsSync('/proc/self/status'))('runs threads - 1 worker threads while started, and none after stop()', async () => {
    // Each worker is at least one OS thread (its TypeScript loader may add one more).
    await fs.promises.stat('.'); // libuv's own thread pool starts on first use: started here, it does not count below
    const before = osThreads();
    const parallel = await ParallelTracer.start(index, kinds, edition, 3, isolation);
    try {
      expect(osThreads()).toBeGreaterThanOrEqual(before + 2);
    } finally {
      await parallel.stop();
    }
    expect(osThreads()).toBe(before);
  });

  /** Every case has its sets (a worker's share included), equal to one tracer's. */
  const expectSame = (got: { found(): unknown }[][], want: { found(): unknown }[][]) => {
    expect(got).toHaveLength(want.length);
    for (let i = 0; i < want.length; i++) {
      expect(got[i]).toHaveLength(want[i].length);
      want[i].forEach((set, k) => expect(got[i][k].found()).toEqual(set.found()));
    }
  };

  async function check(parallel: ParallelTracer): Promise<void> {
    const sequential = runBatch(new Tracer(index, kinds, compileRules(edition), isolation), cases, 'close+secondary');
    expect(sequential.some(([close]) => close.count > 0)).toBe(true);
    // Until the worker has taken a share (it may start after this thread has taken every case of a small batch).
    let got = await parallel.batch(cases, 'close+secondary');
    for (let tries = 0; parallel.lastTaken[1] === 0 && tries < 50; tries++) got = await parallel.batch(cases, 'close+secondary');
    expect(parallel.lastTaken).toHaveLength(2);
    expect(parallel.lastTaken[1]).toBeGreaterThan(0);
    expect(parallel.lastTaken[0] + parallel.lastTaken[1]).toBe(cases.length);
    expectSame(got, sequential);
    expectSame(await parallel.batch(cases, 'close'), sequential.map(([close]) => [close]));
    const companions = await parallel.batch(cases, 'companions');
    expect(companions.map(([s]) => [...s.personIds()])).toEqual(runBatch(new Tracer(index, kinds, compileRules(edition), isolation), cases, 'companions').map(([s]) => [...s.personIds()]));
    // The isolation table matters here (without it the answer differs), and replacing it reaches every thread.
    const plain = runBatch(new Tracer(index, kinds, compileRules(edition)), cases, 'close+secondary');
    expect(plain.map((sets) => sets.map((x) => x.found()))).not.toEqual(sequential.map((sets) => sets.map((x) => x.found())));
    const other = IsolationTable.from(intervals(6));
    await parallel.setIsolation(other);
    const expected = runBatch(new Tracer(index, kinds, compileRules(edition), other), cases, 'close+secondary');
    expectSame(await parallel.batch(cases, 'close+secondary'), expected);
  }
});
