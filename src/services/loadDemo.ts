/**
 * Generates the demo province's feed files under the data folder and imports them through the same pipeline as any
 * agency's feed (places, persons, presence, vaccinations, cases), once: a store that has it already is left alone.
 */
import path from 'node:path';
import type { ImportKind } from '../domain/model/index.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { Store } from '../storage/store.ts';
import { generateDemo } from '../synth/demo.ts';
import { importFile, type ImportResult } from './import/importFile.ts';

/** Import order: what a row refers to is imported before it. */
export const IMPORT_ORDER: ImportKind[] = ['places', 'persons', 'presence', 'vaccinations', 'cases', 'samples'];

export interface LoadDemoProps {
  store: Store;
  edition: ProtocolEdition;
  dataDir: string;
  idHashKey: string;
  persons: number;
  seed?: number;
  /** Reports each step (generate, then each kind imported) for a progress display. */
  onStep?: (step: string, detail?: ImportResult) => void;
}

/** Loads the demo if the store has none; returns whether it loaded it. */
export async function loadDemo(p: LoadDemoProps): Promise<boolean> {
  if ((await p.store.meta.get('demo_loaded')) === '1' || p.persons === 0) return false;
  p.onStep?.('generate');
  const communities = (await p.store.regions.codes(['community']));
  const summary = await generateDemo({
    persons: p.persons, days: 14, seed: p.seed ?? 20210722, startDate: '2021-07-20', outDir: path.join(p.dataDir, 'demo-feeds'),
    cellSizeMeters: p.edition.companion.cellSizeMeters,
    communities: [...communities].sort().map((code) => ({ code, name: code, level: 'community', parentCode: code.slice(0, 9), functionalZone: false })),
  });
  for (const kind of IMPORT_ORDER) {
    const res = await importFile({ store: p.store, kind, file: summary.files[kind], idHashKey: p.idHashKey });
    p.onStep?.(kind, res);
  }
  await p.store.meta.set('demo_loaded', '1');
  return true;
}
