/**
 * A process beside an import on the same SQLite file, doing what a server does: a timer every 10 ms (how long the
 * event loop was held is the longest gap between its ticks, less 10 ms), a read every 50 ms and a write every 500 ms
 * (a lease renewed), each timed. Run by `bench:import -- --beside` as a child, once with Cordon's driver (`cordon`:
 * waits for the lock in sleeps) and once with a plain connection in SQLite's own 5 s busy wait (`busy-wait`), until
 * it is sent SIGTERM; then it prints one JSON line: the longest stall and read (ms), writes done and refused busy,
 * and the longest write (ms).
 *   node --import tsx bench/lockProbe.ts FILE cordon|busy-wait
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../src/storage/sqlite/driver.ts';

const [file, mode] = process.argv.slice(2);
const stats = { mode, maxStallMs: 0, reads: 0, maxReadMs: 0, writes: 0, writesBusy: 0, maxWriteMs: 0 };

type Probe = { read: () => Promise<unknown>; write: () => Promise<unknown> };
let probe: Probe;
if (mode === 'cordon') {
  const db = openSqlite(file);
  const lease = db.lease('bench-probe', 60);
  probe = { read: () => db.get('SELECT COUNT(*) AS n FROM regions'), write: () => lease.hold() };
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
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
})();
process.on('SIGTERM', async () => {
  stopped = true;
  clearInterval(ticker);
  await Promise.all([reads, writes]);
  const round = (x: number) => Math.round(x);
  console.log(JSON.stringify({ ...stats, maxStallMs: round(stats.maxStallMs), maxReadMs: round(stats.maxReadMs), maxWriteMs: round(stats.maxWriteMs) }));
  process.exit(0);
});
process.stdout.write('ready\n');
