/**
 * Generates the demo province (the synthetic province at demo size) under the data folder and imports its feeds
 * through the same pipeline as any agency's, once: a store that has it already is left alone. Its fortnight ends at
 * the start of today (the server's clock), so the demo is live: its cases are recent, their contacts are in
 * quarantine, their communities are risk areas and their chains are active.
 */
import path from 'node:path';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import { DAY, formatTime } from '../domain/time.ts';
import type { Ctx } from '../platform/context.ts';
import type { Store } from '../storage/store.ts';
import { generateProvince } from '../synth/province.ts';
import type { ImportResult } from './import/importFile.ts';
import { importManifest } from './importManifest.ts';

/** The demo's seed: chosen (by scanning seeds 1-40) so the Zhangjiajie show seeds a visible cluster at 20,000 residents. */
export const DEMO_SEED = 18;

export interface LoadDemoProps {
  ctx: Ctx;
  store: Store;
  edition: ProtocolEdition;
  dataDir: string;
  idHashKey: string;
  persons: number;
  seed?: number;
  /** Reports each step (generating, then each file imported) for a progress display. */
  onStep?: (step: string, detail?: ImportResult) => void;
  /** Progress within each imported file. */
  onProgress?: (file: string, bytes: number, size: number) => void;
}

/**
 * Opens the demo's quarantine sites once: a designated hotel in each county, of 200 single rooms with 20 staff (a
 * demo store loaded before sites existed gets them at its next start). Returns how many were opened.
 */
export async function openDemoSites(store: Store, now: number): Promise<number> {
  if ((await store.meta.get('demo_sites')) === '1') return 0;
  const counties = await store.regions.namesAt('county');
  await store.transaction(async (tx) => {
    for (const [code, name] of [...counties].sort(([a], [b]) => a.localeCompare(b))) {
      if (await tx.quarantine.siteByName(code, `${name}集中隔离酒店`)) continue;
      await tx.quarantine.insertSite({ name: `${name}集中隔离酒店`, kind: 'designated_hotel', placeId: null, regionCode: code, address: null, rooms: 200, personsPerRoom: 1, staff: 20, openedAt: now, closedAt: null });
    }
    await tx.meta.set('demo_sites', '1');
  });
  return counties.size;
}

/** Loads the demo if the store has none (and its quarantine sites, `openDemoSites`); returns whether it loaded the demo. */
export async function loadDemo(p: LoadDemoProps): Promise<boolean> {
  if (p.persons === 0) return false;
  await openDemoSites(p.store, p.ctx.clock.now());
  if ((await p.store.meta.get('demo_loaded')) === '1') return false;
  const outDir = path.join(p.dataDir, 'demo-feeds');
  const communities = [...(await p.store.regions.codes(['community']))].sort();
  // Init made the same number of grids under every community (CORDON_GRIDS_PER_COMMUNITY): residents go into those.
  const gridsPerCommunity = communities.length > 0 ? Math.floor((await p.store.regions.codes(['grid'])).size / communities.length) : 0;
  const days = 14;
  const startDate = formatTime(p.ctx.clock.now() - days * DAY).slice(0, 10);
  generateProvince({
    persons: p.persons, days, seed: p.seed ?? DEMO_SEED, startDate, communities, cellSizeMeters: p.edition.companion.cellSizeMeters, outDir, gridsPerCommunity,
    onStep: (s) => p.onStep?.(s),
  });
  await importManifest({
    ctx: p.ctx, store: p.store, edition: p.edition, dir: outDir, idHashKey: p.idHashKey, onFile: (r) => p.onStep?.(path.relative(outDir, r.file), r), onProgress: p.onProgress,
  });
  await p.store.meta.set('demo_loaded', '1');
  return true;
}
