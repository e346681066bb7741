/**
 * Services on a fresh store of one engine, on a settable clock: what service tests start from. `feed` imports CSV
 * lines as a feed file through the real pipeline (and handles what it causes, as the CLI does).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openServices, type Services } from '../src/app/container.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import type { ProtocolEdition } from '../src/domain/protocol/schema.ts';
import type { ImportKind } from '../src/domain/vocab.ts';
import { SettableClock } from '../src/platform/clock.ts';
import type { Ctx } from '../src/platform/context.ts';
import { importFile, type ImportResult } from '../src/services/import/importFile.ts';
import type { Engine } from '../src/storage/db.ts';
import { freshStore } from './engines.ts';

export const TEST_KEY = 'test-key-0123456789';

export interface TestServices {
  s: Services;
  clock: SettableClock;
  /** A context acting as an API caller on the test's clock. */
  ctx: Ctx;
  /** Imports `lines` as a CSV file of `kind` and handles the events it wrote. */
  feed(kind: ImportKind, lines: string[], name?: string): Promise<ImportResult>;
  close(): Promise<void>;
}

/** Opens services on a fresh store with the clock at `now` (epoch seconds) and the edition given (ed8-delta-2021). */
export async function testServices(engine: Engine, now: number, opts: { edition?: ProtocolEdition } = {}): Promise<TestServices> {
  const fresh = await freshStore(engine);
  const clock = new SettableClock(now);
  const edition = opts.edition ?? loadEdition('ed8-delta-2021');
  const s = await openServices({ store: fresh.store, edition, clock, codeSecret: 'test-secret' });
  const ctx: Ctx = { actor: { kind: 'api', name: 'test' }, clock };
  // The feed files' folder, made at the first feed (most tests feed nothing) and removed by close.
  let dir: string | undefined;
  let n = 0;
  return {
    s, clock, ctx,
    async feed(kind, lines, name) {
      dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-feed-'));
      const file = path.join(dir, name ?? `${kind}-${++n}.csv`);
      fs.writeFileSync(file, lines.join('\n'));
      const r = await importFile({ ctx, store: s.store, edition, kind, file, idHashKey: TEST_KEY });
      await s.events.settle();
      return r;
    },
    async close() {
      await s.events.stop();
      await fresh.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment for a child process of a test: this one's, plus `extra`. */
export const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, ...extra });
