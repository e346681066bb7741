/**
 * An agency's feed as a NATS JetStream stream, with the machine's NATS server (CI runs one at 127.0.0.1:4222):
 * batches published to the installation's stream are written by a `cordon worker`, acknowledged after commit; a worker
 * killed with kill -9 in the middle of the stream loses and duplicates nothing once a worker runs again; messages
 * that are not batches go to the dead-letter stream with their reason, and the stream goes on.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/api/main.ts';
import { ensureFeedStreams, feedStreamNames } from '../../src/services/import/feedStream.ts';
import { idNumber } from '../fixtures.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin/cordon.mjs');
const NATS_URL = process.env.CORDON_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const natsUp = await connect({ servers: NATS_URL, timeout: 1000, maxReconnectAttempts: 0 }).then(async (nc) => { await nc.close(); return true; }, () => false);
if (!natsUp) console.warn(`NATS suites: SKIPPED (no NATS answers at ${NATS_URL})`);

const BATCHES = 30, ROWS = 100, PERSONS = 40, CELLS = 4;
const T0 = Date.UTC(2026, 10, 20) / 1000; // within the retention, before now

describe.skipIf(!natsUp)('feed streams on NATS JetStream, written by a worker', () => {
  let dataDir = '';
  let nc: NatsConnection | undefined;
  const workers: ChildProcessWithoutNullStreams[] = [];
  const env = () => ({ ...process.env, CORDON_DATA_DIR: dataDir, CORDON_DATABASE_URL: '', CORDON_GRIDS_PER_COMMUNITY: '1', LOG_LEVEL: 'info', CORDON_TRACE_CATCHUP_SECONDS: '0', CORDON_NATS_URL: NATS_URL, CORDON_REDIS_URL: '' });
  const cordon = async (...args: string[]) => (await run('node', [BIN, ...args], { env: env(), cwd: ROOT })).stdout;
  const worker = () => {
    const child = spawn('node', [BIN, 'worker'], { env: env(), cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    workers.push(child);
    return { child, imported: () => (out.match(/"msg":"feed batch imported"/g) ?? []).length, out: () => out };
  };
  const db = () => new Database(path.join(dataDir, 'cordon.sqlite'), { readonly: true, fileMustExist: true });
  const count = (sql: string) => { const d = db(); try { return (d.prepare(sql).get() as { n: number }).n; } finally { d.close(); } };
  const until = async (what: string, ok: () => boolean, ms = 120_000, detail = () => '') => {
    for (const t0 = Date.now(); !ok();) {
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}: ${detail().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-stream-'));
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      if (w.exitCode !== null || w.signalCode !== null) continue;
      const exited = new Promise((r) => w.once('exit', r));
      w.kill('SIGTERM');
      await exited;
    }
    if (nc) {
      // The installation's streams go with it.
      const secret = fs.readFileSync(path.join(dataDir, 'id-hash.key'), 'utf8').trim();
      const names = feedStreamNames(secret);
      const jsm = await jetstreamManager(nc);
      for (const s of [names.stream, names.deadStream, names.devicesStream]) await jsm.streams.delete(s).catch(() => undefined);
      await nc.close();
      nc = undefined;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes every batch once though its worker is killed with kill -9 mid-stream, and parks what is not a batch with its reason', async () => {
    await cordon('init');
    const file = (name: string, lines: string[]) => { const f = path.join(dataDir, name); fs.writeFileSync(f, lines.join('\n')); return f; };
    await cordon('import', 'persons', file('persons.csv', ['id_number,name,community_code', ...Array.from({ length: PERSONS }, (_, i) => `${idNumber(i + 1)},居民${i + 1},430102001001`)]));
    await cordon('import', 'places', file('places.csv', ['code,name,category,region_code', ...Array.from({ length: CELLS }, (_, i) => `CELL-${i},基站${i},telecom_cell,430102`)]));
    await cordon('api-keys', 'issue', '--role', 'agency_feed', '--name', 'hunan-telecoms', '--region', '43', '--agency', '湖南电信', '--agency-kind', 'telecoms');
    // The installation's secret (made on init in the data folder) names its streams.
    const names = feedStreamNames(fs.readFileSync(path.join(dataDir, 'id-hash.key'), 'utf8').trim());

    // The agency publishes its batches (and two messages that are not batches Cordon takes) before any worker runs.
    nc = await connect({ servers: NATS_URL });
    await ensureFeedStreams(nc, fs.readFileSync(path.join(dataDir, 'id-hash.key'), 'utf8').trim());
    const js = jetstream(nc);
    const csv = (b: number) => ['id_number,place_code,start,end,source', ...Array.from({ length: ROWS }, (_, j) => {
      const k = b * ROWS + j, start = T0 + k * 60;
      return `${idNumber((k % PERSONS) + 1)},CELL-${k % CELLS},${new Date(start * 1000).toISOString()},${new Date((start + 1800) * 1000).toISOString()},telecom_stay`;
    })].join('\n');
    const h = () => { const x = natsHeaders(); x.set('Content-Type', 'text/csv'); return x; };
    for (let b = 0; b < BATCHES; b++) {
      if (b === 10) await js.publish(names.subject('no-such-key', 'presence'), csv(b), { headers: h() });
      if (b === 20) await js.publish(names.subject('hunan-telecoms', 'presence'), `${csv(b)}\n${idNumber(1)},CELL-0,not a time,2026-11-20T00:00:00Z,telecom_stay`, { headers: h() });
      await js.publish(names.subject('hunan-telecoms', 'presence'), csv(b), { headers: h() });
    }

    const first = worker();
    await until('a third of the batches', () => first.imported() >= BATCHES / 3, 120_000, first.out);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const before = count('SELECT COUNT(*) AS n FROM feed_batches');
    expect(before).toBeGreaterThanOrEqual(BATCHES / 3);
    expect(before).toBeLessThan(BATCHES + 1);

    const second = worker();
    await until('every batch', () => count('SELECT COUNT(*) AS n FROM feed_batches') === BATCHES + 1, 240_000, second.out);
    // Every row once: the batches' rows are all distinct, and none is there twice.
    expect(count('SELECT COUNT(*) AS n FROM presence')).toBe(BATCHES * ROWS);
    expect(count("SELECT COUNT(*) AS n FROM feed_batches WHERE outcome = 'imported'")).toBe(BATCHES);
    expect(count("SELECT COUNT(*) AS n FROM feed_batches WHERE outcome = 'rejected'")).toBe(1);
    expect(second.out()).not.toContain('"level":50');

    // The two messages that are not batches, each with its reason, in the dead-letter stream.
    const jsm = await jetstreamManager(nc);
    const dead = await (async () => {
      for (let i = 0; i < 100; i++) {
        const info = await jsm.streams.info(names.deadStream);
        if (info.state.messages >= 2) return info.state.messages;
        await new Promise((r) => setTimeout(r, 100));
      }
      return (await jsm.streams.info(names.deadStream)).state.messages;
    })();
    expect(dead).toBe(2);
    const reasons = await Promise.all([1, 2].map(async (seq) => (await jsm.streams.getMessage(names.deadStream, { seq }))!.header.get('Cordon-Reason')));
    expect(reasons.sort()).toEqual([expect.stringMatching(/^no feed key named no-such-key in use$/), expect.stringMatching(/^rejected: 1 problem\(s\), first line 102 start: /)].sort());
  }, 600_000);

  it('publishes the signing key ring for checkpoint devices when a worker starts, and again within seconds of a rotation by the CLI', async () => {
    await cordon('init');
    const secret = fs.readFileSync(path.join(dataDir, 'id-hash.key'), 'utf8').trim();
    const names = feedStreamNames(secret);
    nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    const last = async () => {
      const m = await jsm.streams.getMessage(names.devicesStream, { last_by_subj: names.keysSubject }).catch(() => null);
      return m ? (m.json() as { keys: { kid: string; publicKey: string; notAfter: number | null }[] }).keys : null;
    };
    const kids = async () => (JSON.parse(await cordon('codes', 'keys')) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const w = worker();
    await until('the key ring on the stream', () => w.out().includes('key ring published'), 120_000, w.out);
    const first = await last();
    expect(first?.map((k) => k.kid)).toEqual(await kids());
    expect(first?.[0].publicKey.length).toBeGreaterThan(20);
    const rotated = /new signing key: (\S+)/.exec(await cordon('codes', 'rotate'))![1];
    let after = first;
    for (let i = 0; i < 100 && after?.length === first?.length; i++) { await new Promise((r) => setTimeout(r, 200)); after = await last(); }
    expect(after?.map((k) => k.kid)).toEqual([...first!.map((k) => k.kid), rotated]);
    // The key it replaces is retired: devices learn when its tokens stop being valid.
    expect(after?.[0].notAfter).toEqual(expect.any(Number));
    // One message kept per subject: a device connecting now reads the ring as it is.
    expect((await jsm.streams.info(names.devicesStream)).state.messages).toBe(1);
  }, 300_000);
});
