/**
 * Process roles on PostgreSQL, as a province's deployment runs them: three `cordon serve` processes (HTTP only) and
 * two `cordon scheduler` processes on one database. The timers run in one scheduler at a time (the database's lease):
 * never in a server, never in two schedulers; when the one that holds the lease is killed with kill -9, the other
 * takes over within a lease period and the timers go on, their work done once (yesterday's bulletin kept once).
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/api/main.ts';
import { PG_URL } from '../engines.ts';
import { clearOfChinaMidnight } from '../fixtures.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin/cordon.mjs');
const LEASE_SECONDS = 3;

interface Proc { role: string; child: ChildProcessWithoutNullStreams; out: () => string }

/** The JSON log lines of a process with this message. */
const logged = (p: Proc, msg: string): { pid: number; time: number; run?: number }[] => p.out().split('\n')
  .filter((l) => l.startsWith('{') && l.includes(`"msg":"${msg}`))
  .map((l) => JSON.parse(l) as { pid: number; time: number; run?: number });

const until = async (what: string, ok: () => boolean, ms = 60_000): Promise<void> => {
  for (const t0 = Date.now(); !ok();) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(!PG_URL)('process roles on PostgreSQL: three servers, two schedulers', () => {
  let dataDir = '', databaseUrl = '', name = '';
  const procs: Proc[] = [];
  const env = () => ({
    ...process.env, CORDON_DATA_DIR: dataDir, CORDON_DATABASE_URL: databaseUrl, CORDON_GRIDS_PER_COMMUNITY: '1', LOG_LEVEL: 'info',
    CORDON_TRACE_CATCHUP_SECONDS: '0', CORDON_LEASE_SECONDS: String(LEASE_SECONDS), CORDON_HOUSEKEEPING_SECONDS: '1',
  });
  const launch = (role: string, ready: RegExp) => new Promise<Proc>((resolve, reject) => {
    const child = spawn('node', [BIN, role], { env: { ...env(), PORT: '0', HOST: '127.0.0.1' }, cwd: ROOT });
    let out = '';
    const p: Proc = { role, child, out: () => out };
    procs.push(p);
    const seen = (d: Buffer) => { out += d; if (ready.test(out)) resolve(p); };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code, signal) => reject(new Error(`${role} exited ${code ?? signal}: ${out.slice(-2000)}`)));
  });

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-roles-'));
    name = `cordon_roles_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    databaseUrl = PG_URL!.replace(/\/[^/]*$/, `/${name}`);
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
      const exited = new Promise((r) => p.child.once('exit', r));
      p.child.kill('SIGTERM');
      await exited;
    }
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every timer in one scheduler at a time, none in a server, and goes on in the other scheduler after kill -9', async () => {
    // "Yesterday's bulletin, kept once" counts one day's: not across a change of China day.
    await clearOfChinaMidnight(3);
    await run('node', [BIN, 'init'], { env: env(), cwd: ROOT });
    const servers = await Promise.all([1, 2, 3].map(() => launch('serve', /running at http/)));
    const schedulers = await Promise.all([1, 2].map(() => launch('scheduler', /scheduler \d+ is running/)));
    const taken = (p: Proc) => logged(p, 'scheduler lease taken');
    const runs = (p: Proc) => logged(p, 'housekeeping run');
    await until('a scheduler to take the lease and run', () => schedulers.some((s) => runs(s).length >= 3));
    // Another lease period: the other scheduler still waits.
    await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000));
    const [holder, other] = runs(schedulers[0]).length ? schedulers : [schedulers[1], schedulers[0]];
    expect(taken(holder)).toHaveLength(1);
    expect(taken(other)).toHaveLength(0);
    expect(runs(other)).toHaveLength(0);
    for (const s of servers) {
      expect(runs(s)).toHaveLength(0);
      expect(taken(s)).toHaveLength(0);
    }
    // One run a second, one after another (never two at once in the holder either).
    const times = runs(holder).map((r) => r.time);
    expect(times.every((t, i) => i === 0 || t - times[i - 1] >= 900)).toBe(true);

    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await until('the other scheduler to take over', () => taken(other).length === 1);
    const tookOver = taken(other)[0].time - killedAt;
    expect(tookOver).toBeLessThan(LEASE_SECONDS * 1000);
    await until('the other scheduler to run', () => runs(other).length >= 2);
    for (const s of servers) expect(runs(s)).toHaveLength(0);
    // The work both did is done once: yesterday's bulletin, kept by the first holder, is not kept again.
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      expect(Number((await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM bulletins')).rows[0].n)).toBe(1);
    } finally {
      await c.end();
    }
    console.log(`scheduler lease taken over ${tookOver} ms after kill -9 (lease ${LEASE_SECONDS} s)`);
  }, 120_000 + 3 * 60_000);
});
