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

/** Loads the demo if the store has none; returns whether it loaded it. */
export async function loadDemo(p: LoadDemoProps): Promise<boolean> {
  if ((await p.store.meta.get('demo_loaded')) === '1' || p.persons === 0) return false;
  const outDir = path.join(p.dataDir, 'demo-feeds');
  const communities = [...(await p.store.regions.codes(['community']))].sort();
  const days = 14;
  const startDate = formatTime(p.ctx.clock.now() - days * DAY).slice(0, 10);
  generateProvince({
    persons: p.persons, days, seed: p.seed ?? DEMO_SEED, startDate, communities, cellSizeMeters: p.edition.companion.cellSizeMeters, outDir,
    onStep: (s) => p.onStep?.(s),
  });
  await importManifest({
    ctx: p.ctx, store: p.store, edition: p.edition, dir: outDir, idHashKey: p.idHashKey, onFile: (r) => p.onStep?.(path.relative(outDir, r.file), r), onProgress: p.onProgress,
  });
  await p.store.meta.set('demo_loaded', '1');
  return true;
}
