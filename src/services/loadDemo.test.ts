/**
 * The demo province is live whenever it is loaded: its fortnight ends at the server's now, so the first page shows
 * red and yellow codes, published risk areas and active chains, and the cases infected at the Zhangjiajie theatre show
 * (real-name tickets record every member of its audience) form one cluster. On both engines, with a fixed clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.ts';
import { testServices, type TestServices } from '../../test/services.ts';
import { hashIdNumber } from '../domain/identity.ts';
import { parseTime } from '../domain/time.ts';
import { chainsOf } from './chains.ts';
import { publishedRiskAreas } from './control.ts';
import { initRegions } from './initRegions.ts';
import { loadDemo } from './loadDemo.ts';

const NOW = parseTime('2026-12-04 10:00')!;
const KEY = 'demo-key-0123456789';

describeEachEngine('the demo province', (engine) => {
  let ts: TestServices;
  let dir: string;
  beforeAll(async () => {
    ts = await testServices(engine, NOW);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-demo-'));
    await initRegions({ store: ts.s.store, gridsPerCommunity: 4 });
    expect(await loadDemo({ ctx: ts.ctx, store: ts.s.store, edition: ts.s.edition, dataDir: dir, idHashKey: KEY, persons: 20000 })).toBe(true);
    await ts.s.events.settle();
  }, 300_000);
  afterAll(async () => { await ts?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('ends its fortnight now: red and yellow codes, published risk areas and active chains', async () => {
    const cases = await ts.s.store.cases.standing();
    expect(cases.length).toBeGreaterThan(3);
    expect(Math.max(...cases.map((c) => c.confirmedAt))).toBeGreaterThan(NOW - 2 * 86400);
    const colours = new Map<string, number>();
    for (const c of (await ts.s.store.codes.currentOf(Array.from({ length: 20000 }, (_, i) => i + 1))).values()) colours.set(c.colour, (colours.get(c.colour) ?? 0) + 1);
    expect(colours.get('red')).toBeGreaterThan(100);
    expect(colours.get('yellow')).toBeGreaterThan(10);
    expect((await publishedRiskAreas(ts.s.store, NOW)).length).toBeGreaterThan(0);
    const v = await chainsOf(ts.s.store, ts.s.edition, NOW);
    expect(v.indicators.activeClusters).toBeGreaterThan(0);
    // A designated hotel in each county, where transfers go.
    const counties = await ts.s.store.regions.namesAt('county');
    const sites = await ts.s.store.quarantine.sites({}, { limit: 500 });
    expect(sites.total).toBe(counties.size);
    expect(sites.items.every((x) => x.kind === 'designated_hotel' && x.name === `${counties.get(x.regionCode)}集中隔离酒店`)).toBe(true);
    // Loading it again does nothing.
    expect(await loadDemo({ ctx: ts.ctx, store: ts.s.store, edition: ts.s.edition, dataDir: dir, idHashKey: KEY, persons: 20000 })).toBe(false);
    expect((await ts.s.store.quarantine.sites({}, { limit: 1 })).total).toBe(counties.size);
  });

  it('shows the theatre cluster as one cluster: every confirmed case infected at the show shares one chain', async () => {
    const truth = fs.readFileSync(path.join(dir, 'demo-feeds', 'ground-truth.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id_number: string; place_code: string | null; confirmed_at: string | null });
    const atShow = truth.filter((x) => x.place_code === 'TH-MLXX' && x.confirmed_at !== null).map((x) => hashIdNumber(x.id_number, KEY));
    expect(atShow.length).toBeGreaterThan(0);
    const persons = [...(await ts.s.store.persons.idsByHash(atShow)).values()];
    const cases = await ts.s.store.cases.standing();
    const caseOf = new Map(cases.map((c) => [c.personId, c.id]));
    const v = await chainsOf(ts.s.store, ts.s.edition, NOW);
    const chainOf = new Map(v.chains.flatMap((c, i) => c.caseIds.map((id) => [id, i])));
    const chains = new Set(persons.map((p) => chainOf.get(caseOf.get(p)!)));
    expect(chains.size).toBe(1);
    // ... the chain of the index case, who brought the virus to the show.
    const index = truth.find((x) => x.place_code === null && x.confirmed_at !== null)!;
    const indexPerson = (await ts.s.store.persons.idsByHash([hashIdNumber(index.id_number, KEY)])).values().next().value!;
    expect(chains.has(chainOf.get(caseOf.get(indexPerson)!))).toBe(true);
  });
});
