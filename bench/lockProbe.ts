/**
 * A process beside an import on the same SQLite file, doing what a server does: a timer every 10 ms (how long the
 * event loop was held is the longest gap between its ticks, less 10 ms), a read every 50 ms and a write every 100 ms
 * (a lease renewed), each timed. Run by `bench:import -- --beside` as a child, once with Cordon's driver (`cordon`:
 * waits for the lock in sleeps) and once with a plain connection in SQLite's own 5 s busy wait (`busy-wait`), until
 * it is sent SIGTERM; then it prints one JSON line: the longest stall and read (ms), writes done and refused busy,
 * and the longest write (ms). The `cordon` probe also holds a server's tracing engine and catches up every second
 * (reads what the import stored once it commits and folds it into the index), printing `ingested N` when it took
 * records in; its stalls then include that work, which comes after the import.
 *   node --import tsx bench/lockProbe.ts FILE cordon|busy-wait
 */
import Database from 'better-sqlite3';
import { loadEdition } from '../src/domain/protocol/editions.ts';
import { TracingEngine } from '../src/services/tracing/engine.ts';
import { openSqlite } from '../src/storage/sqlite/driver.ts';
import { openStore } from '../src/storage/store.ts';

const [file, mode] = process.argv.slice(2);
const stats = { mode, maxStallMs: 0, reads: 0, maxReadMs: 0, writes: 0, writesBusy: 0, maxWriteMs: 0, p99WriteMs: 0, ingested: 0, maxCatchUpMs: 0 };
const writeMs: number[] = [];

type Probe = { read: () => Promise<unknown>; write: () => Promise<unknown> };
let probe: Probe;
let catchUp: (() => Promise<void>) | undefined;
if (mode === 'cordon') {
  const db = openSqlite(file);
  const lease = db.lease('bench-probe', 60);
  probe = { read: () => db.get('SELECT COUNT(*) AS n FROM regions'), write: () => lease.hold() };
  const store = await openStore({ sqliteFile: file });
  const engine = await TracingEngine.load({ store, edition: loadEdition('ed8-delta-2021') });
  catchUp = async () => {
    const t = performance.now();
    const added = await engine.ingestNew();
    await engine.tracer();
    if (added === 0) return;
    stats.ingested += added;
    stats.maxCatchUpMs = Math.max(stats.maxCatchUpMs, performance.now() - t);
    process.stdout.write(`ingested ${stats.ingested}\n`);
  };
} else {
  const raw = new Database(file, { timeout: 5000 });
  raw.pragma('journal_mode = WAL');
  const read = raw.prepare('SELECT COUNT(*) AS n FROM regions');
  const write = raw.prepare(`INSERT INTO leases (name, holder, expires_at) VALUES ('bench-probe-raw', 'probe', 0)
    ON CONFLICT (name) DO UPDATE SET expires_at = leases.expires_at + 1`);
  probe = { read: async () => read.get(), write: async () => write.run() };
}

const timed = async (what: () => Promise<unknown>): Promise<{ ms: number; busy: boolean }> => {
  const t = performance.now();
  try {
    await what();
    return { ms: performance.now() - t, busy: false };
  } catch (e) {
    if (!String((e as { code?: string }).code).startsWith('SQLITE_BUSY')) throw e;
    return { ms: performance.now() - t, busy: true };
  }
};

let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  stats.maxStallMs = Math.max(stats.maxStallMs, now - last - 10);
  last = now;
}, 10);
let stopped = false;
const reads = (async () => {
  while (!stopped) {
    const r = await timed(probe.read);
    stats.reads++;
    stats.maxReadMs = Math.max(stats.maxReadMs, r.ms);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
})();
const writes = (async () => {
  while (!stopped) {
    const w = await timed(probe.write);
    if (w.busy) stats.writesBusy++;
    else stats.writes++;
    stats.maxWriteMs = Math.max(stats.maxWriteMs, w.ms);
    writeMs.push(w.ms);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();
const catchUps = (async () => {
  while (!stopped && catchUp) {
    try {
      await catchUp();
    } catch (e) {
      if (!String((e as { code?: string }).code).startsWith('SQLITE_BUSY')) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
})();
process.on('SIGTERM', async () => {
  stopped = true;
  clearInterval(ticker);
  await Promise.all([reads, writes, catchUps]);
  const round = (x: number) => Math.round(x);
  writeMs.sort((a, b) => a - b);
  stats.p99WriteMs = writeMs[Math.min(writeMs.length - 1, Math.floor(writeMs.length * 0.99))] ?? 0;
  console.log(JSON.stringify({ ...stats, maxStallMs: round(stats.maxStallMs), maxReadMs: round(stats.maxReadMs), maxWriteMs: round(stats.maxWriteMs), p99WriteMs: round(stats.p99WriteMs), maxCatchUpMs: round(stats.maxCatchUpMs) }));
  process.exit(0);
});
process.stdout.write('ready\n');
