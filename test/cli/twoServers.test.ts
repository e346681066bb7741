/**
 * Two server processes on one store, as a deployment behind a load balancer runs them (one SQLite file; one
 * PostgreSQL database): a resident's token passes once whichever server sees it first; a code changed through one
 * server is what the other verifies against at once; a signing key rotated by the CLI is used by both within seconds.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/api/main.ts';
import { formatTime, nowSeconds } from '../../src/domain/time.ts';
import { TEST_ENGINES } from '../engines.ts';
import { idNumber } from '../fixtures.ts';
import { REDIS_URL, redisUp } from '../redis.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin/cordon.mjs');
const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Server { child: ChildProcessWithoutNullStreams; url: string; out: () => string }

/** Each engine with the claims in the database, and SQLite with them in Redis (the machine's, when it answers). */
const VARIANTS: [string, boolean][] = [...TEST_ENGINES.map((e) => [e, false] as [string, boolean]), ...(redisUp ? [['sqlite', true] as [string, boolean]] : [])];

describe.each(VARIANTS)('two server processes on one store [%s, claims in Redis: %s]', (engine, redis) => {
  let dataDir: string, databaseUrl = '', dropDatabase = async () => undefined as void;
  const servers: Server[] = [];
  const env = () => ({
    ...process.env, CORDON_DATA_DIR: dataDir, CORDON_DATABASE_URL: databaseUrl, CORDON_GRIDS_PER_COMMUNITY: '1', LOG_LEVEL: 'info', CORDON_TRACE_CATCHUP_SECONDS: '0',
    CORDON_REDIS_URL: redis ? REDIS_URL : '',
  });
  const cordon = async (...args: string[]) => (await run('node', [BIN, ...args], { env: env(), cwd: ROOT })).stdout;
  const start = () => new Promise<Server>((resolve, reject) => {
    const child = spawn('node', [BIN, 'serve'], { env: { ...env(), PORT: '0', HOST: '127.0.0.1' }, cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/\S+?)\/? /.exec(out);
      if (m) resolve({ child, url: m[1], out: () => out });
    });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out.slice(-2000)}`)));
    servers.push({ child, url: '', out: () => out });
  });

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-two-'));
    if (engine === 'postgres') {
      const name = `cordon_two_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      databaseUrl = PG_URL.replace(/\/[^/]*$/, `/${name}`);
      dropDatabase = async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      };
    }
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      if (s.child.exitCode !== null) continue;
      const exited = new Promise((r) => s.child.once('exit', r));
      s.child.kill('SIGTERM');
      await exited;
    }
    await dropDatabase();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes a token once across both, verifies against a code changed through the other, and both sign with a key the CLI rotated', async () => {
    await cordon('init');
    const persons = path.join(dataDir, 'persons.csv');
    fs.writeFileSync(persons, `id_number,name,community_code,phone\n${idNumber(1)},周建国,430102001001,13907390001\n${idNumber(2)},刘芳,430102001001,\n`);
    await cordon('import', 'persons', persons);
    const gate = (await cordon('api-keys', 'issue', '--role', 'checkpoint_staff', '--name', 'gate', '--region', '43')).trim();
    const cdc = (await cordon('api-keys', 'issue', '--role', 'cdc_investigator', '--name', 'cdc', '--region', '43')).trim();
    const ops = (await cordon('api-keys', 'issue', '--role', 'administrator', '--name', 'ops', '--region', '43')).trim();
    // One after the other: the first makes the administrator on a store without users.
    const a = await start();
    const b = await start();
    if (redis) expect(a.out()).toContain('verified tokens are claimed in Redis');
    const call = async (s: Server, method: string, url: string, opts: { key?: string; cookie?: string; body?: object } = {}) => {
      const r = await fetch(`${s.url}${url}`, {
        method,
        headers: {
          ...(opts.body ? { 'content-type': 'application/json' } : {}), ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
          ...(opts.cookie ? { cookie: opts.cookie, 'x-cordon-csrf': '1' } : {}),
        },
        body: opts.body ? JSON.stringify(opts.body) : undefined,
      });
      return { status: r.status, cookie: r.headers.get('set-cookie'), body: (r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text()) as Record<string, unknown> };
    };

    // The resident signs in at server A with the code A sent (its log is the default sender).
    expect((await call(a, 'POST', '/api/resident/code', { body: { idNumber: idNumber(1) } })).status).toBe(202);
    let code: string | undefined;
    for (let i = 0; i < 50 && !code; i++) {
      code = /验证码是 (\d{6})/.exec(a.out())?.[1];
      if (!code) await new Promise((r) => setTimeout(r, 100));
    }
    const signedIn = await call(a, 'POST', '/api/resident/session', { body: { idNumber: idNumber(1), code: code! } });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.cookie!.split(';')[0];
    const token = async () => (await call(a, 'GET', '/api/me/code', { cookie })).body.token as string;
    const verify = async (s: Server, t: string) => (await call(s, 'POST', '/api/codes/verify', { key: gate, body: { token: t } })).body;

    // A token passes once: at B first, then A answers a replay (and B again).
    const t1 = await token();
    expect(await verify(b, t1)).toMatchObject({ verdict: 'pass', colour: 'green' });
    expect(await verify(a, t1)).toMatchObject({ verdict: 'deny', fault: 'replayed' });
    expect(await verify(b, t1)).toMatchObject({ verdict: 'deny', fault: 'replayed' });

    // A knows the resident green (a verification there); then a case is confirmed through B.
    expect(await verify(a, await token())).toMatchObject({ verdict: 'pass' });
    const issuedGreen = await token();
    const personId = (await call(a, 'GET', '/api/me', { cookie })).body.personId as number;
    const cst = (s: number) => formatTime(s).slice(0, 16);
    const now = nowSeconds();
    const confirmed = await call(b, 'POST', '/api/cases', {
      key: cdc, body: { caseNo: 'TWO-1', personId, kind: 'confirmed', onsetAt: cst(now - 2 * 86400), sampledAt: cst(now - 86400), confirmedAt: cst(now - 3600) },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(201);
    // A verifies the token issued while green against the code now: red, at once.
    expect(await verify(a, issuedGreen)).toMatchObject({ verdict: 'deny', fault: 'code_changed', colour: 'red' });

    // The CLI rotates the signing key: both servers list it, and tokens A issues then carry it.
    const rotated = /new signing key: (\S+)/.exec(await cordon('codes', 'rotate'))![1];
    const kids = async (s: Server) => ((await call(s, 'GET', '/api/codes/keys', { key: ops })).body.keys as { kid: string }[]).map((k) => k.kid);
    for (const s of [a, b]) {
      let seen: string[] = [];
      for (let i = 0; i < 40 && !seen.includes(rotated); i++) { await new Promise((r) => setTimeout(r, 250)); seen = await kids(s); }
      expect(seen).toContain(rotated);
    }
    const kidOf = (t: string) => (JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()) as { kid: string }).kid;
    expect(kidOf(await token())).toBe(rotated);
  }, 240_000); // two servers and four CLI runs, each a process start: about 26 s alone, several times that beside the rest of the suite
});
