/**
 * Redis for the tests of claims in Redis: the machine's (CI runs one at 127.0.0.1:6379) or CORDON_TEST_REDIS_URL.
 * When none answers, those suites say so and are skipped: a user's machine may have no Redis.
 */
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
