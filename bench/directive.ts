/**
 * bench:directive: a province-wide directive on Hunan's real divisions (with 4 grids per community: about 150,000
 * units), decomposed into a task per unit; then every task run past its deadline and escalated (in batches of 500, the
 * server's minute timer), then the root cancelled with everything below it. Times each step on a fresh store.
 * Prints one JSON object as its last line.
 *   npm run bench:directive -- [--pg postgres://postgres@127.0.0.1:5432/test] [--grids 4]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pgLib from 'pg';
import { openServices } from '../src/app/container.ts';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { SettableClock } from '../src/platform/clock.ts';
import type { Ctx } from '../src/platform/context.ts';
import { cancelTask, escalateOverdue, issueDirective } from '../src/services/command/tasks.ts';
import { initRegions } from '../src/services/initRegions.ts';
import { openStore } from '../src/storage/store.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const pg = opt('pg', '');
const grids = Number(opt('grids', '4'));
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-directive-'));
const schema = `bench_directive_${process.pid}`;
const store = await openStore(pg ? { postgresUrl: pg, schema } : { sqliteFile: path.join(dir, 'cordon.db') });
try {
  await initRegions({ store, gridsPerCommunity: grids });
  const clock = new SettableClock(1_800_000_000);
  const s = await openServices({ store, edition: loadEdition('ed8-delta-2021'), clock, codeSecret: 'bench' });
  const ctx: Ctx = { actor: { kind: 'api', name: 'bench' }, clock };
  const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => { const t0 = performance.now(); const r = await f(); return [r, Math.round(performance.now() - t0)]; };
  const [r, issueMs] = await time(() => issueDirective(ctx, s, { kind: 'mass_testing', text: '全省第一轮全员核酸检测' }));
  log(`directive: ${r.tasks} tasks in ${issueMs} ms`);
  clock.advance(49 * 3600);
  const [escalated, escalateMs] = await time(() => escalateOverdue(ctx, store));
  log(`escalated ${escalated} in ${escalateMs} ms`);
  const root = (await store.command.tasks({ directiveId: r.directive.id, level: 'province' }, { limit: 1 })).items[0];
  const [, cancelMs] = await time(() => cancelTask(ctx, s, { userId: null, role: 'provincial_command' }, { taskId: root.id, reason: 'bench' }));
  log(`root cancelled in ${cancelMs} ms`);
  await s.events.stop();
  console.log(JSON.stringify({ engine: pg ? 'postgres' : 'sqlite', tasks: r.tasks, issue_ms: issueMs, escalated, escalate_ms: escalateMs, cancel_ms: cancelMs }));
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (pg) { const c = new pgLib.Client({ connectionString: pg }); await c.connect(); await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); await c.end(); }
}
