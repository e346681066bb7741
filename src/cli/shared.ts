/**
 * What every `cordon` command shares: output (data to stdout, banners and progress to stderr, so `cordon codes keys
 * > keys.json` writes clean JSON), the command's context (who: the OS user and the command; the machine's clock),
 * and opening the configured store with its services, refusing to create an empty database where nobody asked for one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { openServices, type Services } from '../app/container.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Case } from '../domain/model/index.ts';
import { loadEdition } from '../domain/protocol/editions.ts';
import { systemClock } from '../platform/clock.ts';
import type { Ctx } from '../platform/context.ts';
import { initRegions } from '../services/initRegions.ts';
import { RedisUsedTokens } from '../services/codes/usedTokens.ts';
import { idHashKey } from '../services/secrets.ts';
import { MAX_ID } from '../storage/db.ts';
import { openStore, storeLocation, type Store } from '../storage/store.ts';

/** Data for the user: stdout. */
export const say = (line: string): void => { process.stdout.write(`${line}\n`); };
/** Banners, progress and notes: stderr (never mixed into data). */
export const note = (line: string): void => { process.stderr.write(`${line}\n`); };

/** An error the CLI reports as a plain message with exit code 1. */
export class CliError extends Error {}

/** A numeric id as typed, when it is one a store can hold (undefined for anything else, such as a case number). */
export const idOf = (ref: string): number | undefined => (/^\d{1,10}$/.test(ref) && Number(ref) <= MAX_ID ? Number(ref) : undefined);

/** The case a command names: by its case number, or by its numeric id. */
export async function caseByRef(s: Pick<Services, 'store'>, ref: string): Promise<Case> {
  const id = idOf(ref);
  const c = (await s.store.cases.byCaseNo(ref)) ?? (id === undefined ? undefined : await s.store.cases.get(id));
  if (!c) throw new CliError(`no case ${ref}`);
  return c;
}

/** Reads `--reason`: why a change is made, kept with it; blank is refused. */
export const reasonArg = (v: string): string => {
  if (!v.trim()) throw new InvalidArgumentError('--reason: say why (the reason is kept with the change)');
  return v.trim();
};

/** The context of a command: the OS user running `cordon <command>`, on the machine's clock. */
export function cliCtx(command: string): Ctx {
  let user = 'unknown';
  try { user = os.userInfo().username; } catch { /* no passwd entry (containers): keep unknown */ }
  return { actor: { kind: 'cli', name: `${user} (cordon ${command})` }, clock: systemClock };
}

/** The SQLite file the configuration names (undefined on PostgreSQL). */
const sqliteFileOf = (config: Config) => (config.databaseUrl ? undefined : path.join(config.dataDir, 'cordon.sqlite'));

/**
 * Opens the configured store, saying on stderr which one. `create`: a missing embedded database may be created (init,
 * start, generate); otherwise a missing one is created only where CORDON_DATA_DIR points, and refused with a clear
 * message under the default ./data of whatever folder the command runs in (a typo'd folder must not start an empty
 * province). Divisions and grids are loaded when missing.
 */
export async function openConfigured(config: Config, opts: { create?: boolean; announce?: boolean } = {}): Promise<Store> {
  const file = sqliteFileOf(config);
  // Only the commands that make a database (init, start, generate) create one: any other finding none names the
  // folder, so a mistyped CORDON_DATA_DIR or a wrong working folder never leaves a new empty database behind.
  if (file && !fs.existsSync(file) && !opts.create) {
    throw new CliError(`no Cordon database at ${file}: run \`cordon init\` (or \`npm start\`) to create it${config.dataDirConfigured ? ', or correct CORDON_DATA_DIR' : ' in the folder that should hold it, or set CORDON_DATA_DIR to your data folder'}`);
  }
  if (file && !fs.existsSync(file)) note(`creating a new database at ${file}`);
  const store = await openStore(storeLocation(config));
  const counts = await initRegions({ store, gridsPerCommunity: config.gridsPerCommunity });
  if (opts.announce !== false) {
    note(`storage: ${store.engine}${file ? ` (${file})` : ''}; regions: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  }
  return store;
}

/**
 * The services over an open store, with the installation's secret and the data folder's tracing snapshot. A server
 * (`server: true`) claims verified tokens in Redis when CORDON_REDIS_URL is set.
 */
export async function servicesFor(config: Config, store: Store, opts: { server?: boolean } = {}): Promise<Services> {
  const usedTokens = opts.server && config.redisUrl ? await RedisUsedTokens.connect(config.redisUrl, idHashKey(config)) : undefined;
  if (usedTokens) note('verified tokens are claimed in Redis (CORDON_REDIS_URL)');
  return openServices({
    store, edition: loadEdition(config.protocolEdition), codeSecret: idHashKey(config), snapshotFile: path.join(config.dataDir, 'presence-index.bin'), onInfo: note, usedTokens,
    onEventError: (ev, handler, err) => note(`event ${ev.id} (${ev.kind}) failed in ${handler}: ${(err as Error).message}`),
  });
}

/** Runs `fn` with the configured store and services, closing the store afterwards. */
export async function withServices<T>(fn: (s: Services, config: Config) => Promise<T>, opts: { create?: boolean; announce?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const store = await openConfigured(config, opts);
  try {
    return await fn(await servicesFor(config, store), config);
  } finally {
    await store.close();
  }
}

/** Handles the events a command wrote (tracing, codes ...) in this process, saying what was done. */
export async function settle(s: Services): Promise<void> {
  const r = await s.events.settle();
  if (r.handled || r.failed) note(`events handled: ${r.handled}${r.failed ? `, failed: ${r.failed} (see cordon events)` : ''}`);
}
