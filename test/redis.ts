/**
 * Redis for the tests of claims in Redis: the machine's (CI runs one at 127.0.0.1:6379) or CORDON_TEST_REDIS_URL.
 * When none answers, those suites say so and are skipped: a user's machine may have no Redis. Tests that stop Redis
 * under a client start a redis-server of their own (startOwnRedis), skipped with a message where there is none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.CORDON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers at REDIS_URL (asked once, within a second). */
export const redisUp: boolean = await (async () => {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1000 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
})();
if (!redisUp) console.warn(`Redis suites: SKIPPED (no Redis answers at ${REDIS_URL})`);

/** A redis-server of a test's own, on a free port, that the test may stop and start again (same port). */
export interface OwnRedis {
  readonly url: string;
  /** Kills the server at once (SIGKILL), as a crash would; resolves when it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port (nothing kept: it saves nothing to disk). */
  start(): Promise<void>;
}

/** The machine's redis-server binary, or null (those tests are then skipped with a message). */
export const redisServerBinary: string | null = (() => {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin'])) {
    const p = `${dir}/redis-server`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch { /* not here */ }
  }
  return null;
})();
if (!redisServerBinary) console.warn('Own-Redis suites: SKIPPED (no redis-server on PATH)');

/** Starts a redis-server of its own (`extra`: more server arguments, such as `--maxmemory 1`). */
export async function startOwnRedis(extra: string[] = []): Promise<OwnRedis> {
  if (!redisServerBinary) throw new Error('no redis-server on PATH');
  const port = await new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
  let child: ChildProcess | null = null;
  const own: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(redisServerBinary!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], { stdio: 'ignore' });
      for (let i = 0; i < 100; i++) {
        const r = new Redis(own.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 500, retryStrategy: () => null });
        r.on('error', () => undefined);
        try {
          await r.connect();
          await r.ping();
          return;
        } catch {
          await new Promise((res) => setTimeout(res, 50));
        } finally {
          r.disconnect();
        }
      }
      throw new Error(`redis-server did not start on port ${port}`);
    },
    async kill() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGKILL'); });
    },
  };
  await own.start();
  return own;
}
