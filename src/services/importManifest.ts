/**
 * Imports a generated province (or any folder with a manifest.json naming its files and kinds) in the manifest's
 * order, each file all or nothing. The ground truth named in the manifest is never read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { Ctx } from '../platform/context.ts';
import type { Manifest } from '../synth/feeds.ts';
import type { Store } from '../storage/store.ts';
import { importFile, type ImportResult } from './import/importFile.ts';

export async function importManifest(props: {
  ctx: Ctx; store: Store; edition: ProtocolEdition; dir: string; idHashKey: string;
  onFile?: (r: ImportResult) => void;
  /** Progress within each file: its path, bytes read and its size. */
  onProgress?: (file: string, bytes: number, size: number) => void;
}): Promise<ImportResult[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(props.dir, 'manifest.json'), 'utf8')) as Manifest;
  const out: ImportResult[] = [];
  for (const f of manifest.files) {
    const file = path.join(props.dir, f.path);
    const size = fs.statSync(file).size;
    const r = await importFile({
      ctx: props.ctx, store: props.store, edition: props.edition, kind: f.kind, file, idHashKey: props.idHashKey,
      onProgress: props.onProgress ? ({ bytes }) => props.onProgress!(f.path, bytes, size) : undefined,
    });
    props.onFile?.(r);
    out.push(r);
  }
  return out;
}
