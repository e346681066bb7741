import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashIdNumber } from '../domain/identity.ts';
import { SettableClock } from '../platform/clock.ts';
import { systemCtx } from '../platform/context.ts';
import { loadEdition } from '../domain/protocol/editions.ts';
import { readDivisions } from '../services/divisions.ts';
import { importManifest } from '../services/importManifest.ts';
import { initRegions } from '../services/initRegions.ts';
import { TracingEngine } from '../services/tracing/engine.ts';
import { findContacts } from '../services/tracing/traceCase.ts';
import { openStore } from '../storage/store.ts';
import { HOUSEHOLD_SIZE_SHARES } from './hunan.ts';
import { GATE_REGISTRATION_RATE, SCAN_RATE, SCANNER_SHARE } from './params.ts';
import { generateProvince } from './province.ts';

const hashDir = (dir: string) => {
  const h = createHash('sha256');
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  for (const f of walk(dir).sort()) h.update(path.relative(dir, f)).update(fs.readFileSync(f));
  return h.digest('hex');
};

describe('synthetic province', () => {
  let communities: string[];
  let tmp: string;
  const visits: { person: number; place: number; start: number; end: number }[] = [];
  let gen: ReturnType<typeof generateProvince>;

  beforeAll(async () => {
    communities = (await readDivisions()).filter((r) => r.level === 'community').map((r) => r.code);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-synth-'));
    gen = generateProvince({ persons: 20000, days: 14, seed: 18, communities, cellSizeMeters: 800, outDir: path.join(tmp, 'a'), onVisit: (person, place, start, end) => visits.push({ person, place, start, end }) });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is deterministic: the same seed and options give byte-identical files; another seed does not', () => {
    const opts = { persons: 3000, days: 5, communities, cellSizeMeters: 800 };
    generateProvince({ ...opts, seed: 7, outDir: path.join(tmp, 'x') });
    generateProvince({ ...opts, seed: 7, outDir: path.join(tmp, 'y') });
    generateProvince({ ...opts, seed: 8, outDir: path.join(tmp, 'z') });
    expect(hashDir(path.join(tmp, 'x'))).toBe(hashDir(path.join(tmp, 'y')));
    expect(hashDir(path.join(tmp, 'x'))).not.toBe(hashDir(path.join(tmp, 'z')));
  });

  it('puts households into the grids init made (CORDON_GRIDS_PER_COMMUNITY), two-digit codes, or none; the rest of the world unchanged', () => {
    const opts = { persons: 3000, days: 5, communities, cellSizeMeters: 800, seed: 7 };
    const gridsOf = (dir: string) => {
      const [header, ...lines] = fs.readFileSync(path.join(dir, 'community/persons.csv'), 'utf8').trim().split('\n');
      const cols = header.split(',');
      return lines.map((l) => { const f = l.split(','); return { community: f[cols.indexOf('community_code')], grid: f[cols.indexOf('grid_code')] }; });
    };
    const others = (dir: string) => {
      const h = createHash('sha256');
      const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
      for (const f of walk(dir).sort()) if (!f.endsWith('persons.csv')) h.update(path.relative(dir, f)).update(fs.readFileSync(f));
      return h.digest('hex');
    };
    const runs = new Map([0, 1, 4, 12].map((n) => {
      const dir = path.join(tmp, `grids-${n}`);
      generateProvince({ ...opts, gridsPerCommunity: n, outDir: dir });
      return [n, dir] as const;
    }));
    expect(gridsOf(runs.get(0)!).every((p) => p.grid === '')).toBe(true);
    expect(new Set(gridsOf(runs.get(1)!).map((p) => p.grid.slice(p.community.length)))).toEqual(new Set(['01']));
    expect(new Set(gridsOf(runs.get(4)!).map((p) => p.grid.slice(p.community.length)))).toEqual(new Set(['01', '02', '03', '04']));
    const twelve = gridsOf(runs.get(12)!);
    expect(twelve.every((p) => p.grid.startsWith(p.community) && /^(0[1-9]|1[0-2])$/.test(p.grid.slice(p.community.length)))).toBe(true);
    expect(twelve.some((p) => Number(p.grid.slice(p.community.length)) > 9)).toBe(true);
    // The default is four grids, and the number of grids changes nothing but the persons' grid codes.
    generateProvince({ ...opts, outDir: path.join(tmp, 'grids-default') });
    expect(hashDir(path.join(tmp, 'grids-default'))).toBe(hashDir(runs.get(4)!));
    expect(new Set([...runs.values()].map(others)).size).toBe(1);
  });

  it('gives every place a distinct code, including the index case\'s flight from outside Hunan', () => {
    const codes = gen.world.places.code;
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.some((c) => c.startsWith('TRIP-HN3201'))).toBe(true);
  });

  it('spreads residents over the 14 cities by census and keeps household sizes within tolerance', () => {
    const w = gen.world;
    const changsha = [...w.community].filter((c) => w.communities[c].startsWith('4301')).length / w.persons;
    expect(changsha).toBeCloseTo(10_047_914 / 66_444_864, 2);
    const sizes = new Map<number, number>();
    for (let i = 0; i < w.persons; i++) sizes.set(w.household[i], (sizes.get(w.household[i]) ?? 0) + 1);
    const shares = [1, 2, 3, 4].map((k) => [...sizes.values()].filter((s) => s === k).length / sizes.size);
    shares.forEach((s, k) => expect(Math.abs(s - HOUSEHOLD_SIZE_SHARES[k])).toBeLessThan(0.03));
  });

  it('produces about ten feed records per resident per fortnight, with scan and gate rates as stated', () => {
    const m = gen.manifest;
    const presence = m.files.filter((f) => f.kind === 'presence').reduce((s, f) => s + f.rows, 0);
    const perPersonDay = presence / m.persons / m.days;
    expect(perPersonDay).toBeGreaterThan(0.6);
    expect(perPersonDay).toBeLessThan(1.0);
    const scans = m.files.find((f) => f.path.endsWith('venue_scans.csv'))!.rows;
    expect(scans / gen.result.venueVisits).toBeCloseTo(SCANNER_SHARE * SCAN_RATE, 1);
    const gates = m.files.find((f) => f.path.endsWith('gate_registrations.csv'))!.rows;
    expect(gates / (m.persons * m.days)).toBeLessThan(GATE_REGISTRATION_RATE);
  });

  it('records for every infection a true infector who was there with the infectee and infectious at the time', () => {
    const infections = gen.result.infections;
    expect(infections.length).toBeGreaterThan(5);
    const byPerson = new Map(infections.map((x) => [x.person, x]));
    const w = gen.world;
    for (const x of infections) {
      if (x.infector === null) { expect(x.setting).toBe('imported'); continue; }
      const src = byPerson.get(x.infector)!;
      expect(src.infectiousFrom).toBeLessThanOrEqual(x.at);
      expect(src.at).toBeLessThan(x.at);
      if (x.setting === 'household') { expect(w.household[x.person]).toBe(w.household[x.infector]); continue; }
      const at = (p: number) => visits.some((v) => v.person === p && v.place === x.place && v.start <= x.at && v.end >= x.at);
      expect(at(x.person) && at(x.infector), `infection of ${x.person} by ${x.infector} at ${x.place}`).toBe(true);
    }
  });

  it('round-trips through cordon import with nothing rejected, and its cases have traceable contacts', async () => {
    const store = await openStore({ sqliteFile: ':memory:' });
    await initRegions({ store, gridsPerCommunity: 4 });
    const key = 'synth-key-0123456789';
    const edition = loadEdition('ed8-delta-2021');
    // The server's clock after the simulated fortnight: every feed time is plausible.
    const ctx = systemCtx(new SettableClock(gen.start + (gen.manifest.days + 1) * 86400), 'test');
    const results = await importManifest({ ctx, store, edition, dir: path.join(tmp, 'a'), idHashKey: key });
    for (const r of results) expect(r.rows - r.inserted, r.file).toBeLessThanOrEqual(r.rows * 0.001);
    const totals = await store.stats.totals();
    expect(totals.persons).toBe(20000);
    expect(totals.cases).toBe(gen.manifest.confirmedCases);
    const engine = await TracingEngine.load({ store, edition });
    const counts = [];
    for (const c of await store.cases.all()) counts.push((await findContacts(engine, c, edition)).found.close.length);
    expect(counts.length).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeGreaterThan(0);
    // The ground truth is apart from the feeds, and names persons only by ID number.
    const truth = fs.readFileSync(path.join(tmp, 'a', gen.manifest.groundTruth), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(truth).toHaveLength(gen.result.infections.length);
    const known = await store.persons.idsByHash(truth.map((t) => hashIdNumber(t.id_number, key)));
    expect(known.size).toBe(truth.length);
    expect(gen.manifest.files.map((f) => f.path)).not.toContain(gen.manifest.groundTruth);
    await store.close();
  }, 180_000); // a fortnight of a small province imported and traced: about 28 s alone, over 60 s on a loaded machine
});
