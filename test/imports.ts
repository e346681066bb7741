/**
 * A fresh store per test for the import tests, with the fixture regions and a temporary folder for feed files: the
 * set-up that `src/services/import/*.test.ts` share. Call `importHarness()` inside a `describeEachEngine` body.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Engine } from '../src/storage/db.ts';
import type { Store } from '../src/storage/store.ts';
import { importFile, ImportRejectedError, type ImportProps, type ImportResult } from '../src/services/import/importFile.ts';
import { freshStore } from './engines.ts';
import { MINI_REGIONS } from './fixtures.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { parseTime } from '../src/domain/time.ts';
import { SettableClock } from '../src/platform/clock.ts';
import { systemCtx } from '../src/platform/context.ts';

/** The key the import tests hash ID numbers with. */
export const TEST_ID_HASH_KEY = 'test-key-0123456789';

export interface ImportHarness {
  /** The test's store (valid inside a test). */
  readonly store: Store;
  /** Writes a feed file into the test's folder and returns its path. */
  write(name: string, content: string | Buffer): string;
  /** A path in the test's folder (for files another library writes, such as XLSX). */
  file(name: string): string;
  /** Imports a file of a kind into the test's store. */
  run(kind: ImportProps['kind'], file: string, extra?: Partial<ImportProps>): Promise<ImportResult>;
  /** Imports a file that must be refused, and returns the refusal. */
  reject(kind: ImportProps['kind'], file: string, extra?: Partial<ImportProps>): Promise<ImportRejectedError>;
}

const EDITION = loadEdition('ed8-delta-2021');
/** Imports run as of 2021-12-31 12:00 CST on the server's clock: the feeds' 2021 times are plausible. */
const IMPORT_CTX = systemCtx(new SettableClock(parseTime('2021-12-31 12:00')!), 'test');

/** Registers a fresh store (with MINI_REGIONS) and folder before each test of the enclosing block, removed after it. */
export function importHarness(engine: Engine): ImportHarness {
  let store: Store | undefined;
  let close: (() => Promise<void>) | undefined;
  let dir = '';
  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    await store.regions.insertMany(MINI_REGIONS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-import-'));
  });
  afterEach(async () => {
    await close?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const run = (kind: ImportProps['kind'], file: string, extra: Partial<ImportProps> = {}) => importFile({ ctx: IMPORT_CTX, store: store!, edition: EDITION, kind, file, idHashKey: TEST_ID_HASH_KEY, ...extra });
  return {
    get store() { return store!; },
    file: (name) => path.join(dir, name),
    write(name, content) {
      const f = path.join(dir, name);
      fs.writeFileSync(f, content);
      return f;
    },
    run,
    async reject(kind, file, extra) {
      const e = await run(kind, file, extra).then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(ImportRejectedError);
      return e as ImportRejectedError;
    },
  };
}
