/**
 * Where token ids verified online are claimed, so that a token passes once across every server process: the store
 * itself (`used_tokens`; the default, nothing more to run) or Redis when configured (CORDON_REDIS_URL: `SET key 1 NX
 * EX ttl` per token, pipelined; Redis forgets a claim by itself a minute after its token expires, and does not flush
 * to disk per claim the way a database commit does, so a busy checkpoint costs less; see docs/BENCHMARKS.md).
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { DomainError } from '../../domain/errors.ts';
import type { Store } from '../../storage/store.ts';

/** Seconds a claim outlives its token (a token is refused as expired after that anyway). */
export const CLAIM_GRACE_SECONDS = 60;

export interface UsedTokenStore {
  /** Claims token ids (`exp`: when each token expires, epoch s); returns those no process had claimed before. */
  claim(tokens: readonly { jti: string; exp: number }[], now: number): Promise<Set<string>>;
  /** Forgets claims of tokens that expired more than CLAIM_GRACE_SECONDS before `now`; how many. */
  forget(now: number): Promise<number>;
  close(): Promise<void>;
}

/** Claims in the store's `used_tokens` table. */
export class StoreUsedTokens implements UsedTokenStore {
  constructor(private readonly store: Store) {}
  claim(tokens: readonly { jti: string; exp: number }[]): Promise<Set<string>> {
    return this.store.codes.claimTokens(tokens);
  }
  forget(now: number): Promise<number> {
    return this.store.codes.forgetUsedTokens(now - CLAIM_GRACE_SECONDS);
  }
  async close(): Promise<void> {}
}

/**
 * Claims in Redis, under a prefix of the installation (two installations may share one Redis). A failure to reach
 * Redis refuses the verification with 503 STORAGE_UNAVAILABLE; it never passes a token unclaimed.
 */
export class RedisUsedTokens implements UsedTokenStore {
  private readonly prefix: string;
  private constructor(private readonly redis: Redis, installationSecret: string) {
    this.prefix = `cordon:${createHash('sha256').update(`used-tokens:${installationSecret}`).digest('hex').slice(0, 12)}:jti:`;
  }

  /** Connects to `url` (redis:// or rediss://), failing fast with a clear error when Redis cannot be reached. */
  static async connect(url: string, installationSecret: string): Promise<RedisUsedTokens> {
    // Stryker disable next-line all: equivalent against a Redis that answers (the tests'): the options only show when the connection drops or stalls
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3000 });
    redis.on('error', () => undefined); // reported by the commands that fail; reconnects on its own
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw new Error(`CORDON_REDIS_URL: Redis cannot be reached at ${url.replace(/\/\/[^@/]*@/, '//***@')}: ${(e as Error).message}`);
    }
    return new RedisUsedTokens(redis, installationSecret);
  }

  async claim(tokens: readonly { jti: string; exp: number }[], now: number): Promise<Set<string>> {
    const pipeline = this.redis.pipeline();
    for (const t of tokens) pipeline.set(this.prefix + t.jti, '1', 'EX', Math.max(1, t.exp - now + CLAIM_GRACE_SECONDS), 'NX');
    // On one server, ioredis answers a pipeline with a reply or an error per command: a refused write, a connection
    // that is down or closed (the own-Redis tests of sharedState.test.ts). It rejects only in a cluster, and answers
    // null only for an aborted transaction; neither is used here, so the two guards below are defensive.
    // Stryker disable next-line all: unreachable with ioredis on one server (above)
    const results = await pipeline.exec().then((r) => r ?? [], (e: Error) => { throw new DomainError('unavailable', 'STORAGE_UNAVAILABLE', `Redis cannot be reached: ${e.message}`); });
    const claimed = new Set<string>();
    tokens.forEach((t, i) => {
      // Stryker disable next-line all: unreachable with ioredis on one server (above): every command has its answer
      const [err, reply] = results[i] ?? [new Error('no reply'), null];
      if (err) throw new DomainError('unavailable', 'STORAGE_UNAVAILABLE', `Redis refused a claim: ${err.message}`);
      if (reply === 'OK') claimed.add(t.jti);
    });
    return claimed;
  }

  async forget(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
