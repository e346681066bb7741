/**
 * Online verification stays right with more than one server process on a store: a token passes once whichever
 * process sees it first (the used-token claims are shared through the store, on both engines), and a process's colour
 * cache is not trusted after another process wrote to the SQLite file (its data version). Two services on one store
 * stand for two processes; for SQLite the file is opened twice, as two processes would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { REDIS_URL, redisUp } from '../../../test/redis.ts';
import { MINI_REGIONS, personRow } from '../../../test/fixtures.ts';
import { testServices, type TestServices } from '../../../test/services.ts';
import { loadEdition } from '../../domain/protocol/editions.ts';
import { HOUR } from '../../domain/time.ts';
import { openStore, type Store } from '../../storage/store.ts';
import { Redis } from 'ioredis';
import { HealthCodeService } from './healthCodes.ts';
import { CLAIM_GRACE_SECONDS, RedisUsedTokens } from './usedTokens.ts';

const NOW = 1_700_000_000;

describeEachEngine('online verification across processes', (engine) => {
  let ts: TestServices;
  let other: HealthCodeService;

  beforeEach(async () => {
    ts = await testServices(engine, NOW);
    await ts.s.store.regions.insertMany(MINI_REGIONS);
    await ts.s.store.persons.insertMany([1, 2, 3].map((i) => personRow(i)));
    await ts.s.codes.recompute([1, 2, 3], 'initial', NOW);
    other = await HealthCodeService.open(ts.s.store, ts.s.edition, 'test-secret', NOW);
  });
  afterEach(async () => { await ts?.close(); });

  it('passes a token once: the second process to see it answers a replay, and so does the first after it', async () => {
    const { token } = await ts.s.codes.issue(1, NOW);
    expect(await other.verify(token, NOW)).toMatchObject({ verdict: 'pass', personId: 1 });
    expect(await ts.s.codes.verify(token, NOW + 1)).toMatchObject({ verdict: 'deny', fault: 'replayed', personId: 1 });
    expect(await other.verify(token, NOW + 2)).toMatchObject({ verdict: 'deny', fault: 'replayed' });
  });

  it('claims many tokens verified at once in one write, each passing once across the two processes', async () => {
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => ts.s.codes.issue(1 + (i % 3), NOW).then((r) => r.token)));
    // The same tokens at both processes at the same time: each passes exactly once, at one of them.
    const verdicts = await Promise.all(tokens.flatMap((t) => [ts.s.codes.verify(t, NOW), other.verify(t, NOW)]));
    for (let i = 0; i < tokens.length; i++) {
      const pair = [verdicts[2 * i], verdicts[2 * i + 1]].map((v) => v.verdict).sort();
      expect(pair, `token ${i}`).toEqual(['deny', 'pass']);
    }
    expect(verdicts.filter((v) => v.verdict === 'deny').every((v) => v.fault === 'replayed')).toBe(true);
  });

  it('forgets shared token ids a minute after their tokens expire, not before', async () => {
    const life = ts.s.edition.healthCode.tokenLifetimeSeconds;
    const { token } = await ts.s.codes.issue(2, NOW);
    expect((await ts.s.codes.verify(token, NOW)).verdict).toBe('pass');
    expect(await ts.s.codes.forgetUsedTokens(NOW + life + 60)).toBe(0);
    expect(await other.verify(token, NOW + 1)).toMatchObject({ fault: 'replayed' });
    expect(await ts.s.codes.forgetUsedTokens(NOW + life + 61)).toBe(1);
  });
});

describe('the colour cache and another process writing to the SQLite file', () => {
  let dir: string, first: Store, second: Store;
  const edition = loadEdition('ed8-delta-2021');
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-two-'));
    first = await openStore({ sqliteFile: path.join(dir, 'cordon.sqlite') });
    second = await openStore({ sqliteFile: path.join(dir, 'cordon.sqlite') });
    await first.regions.insertMany(MINI_REGIONS);
    await first.persons.insertMany([1, 2].map((i) => personRow(i)));
  });
  afterEach(async () => {
    await first.close();
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('denies a token whose person turned red in the other process, though this process had them green', async () => {
    const a = await HealthCodeService.open(first, edition, 'test-secret', NOW);
    const b = await HealthCodeService.open(second, edition, 'test-secret', NOW);
    await a.recompute([1, 2], 'initial', NOW);
    // This process has person 1 green in its cache (a verification here).
    expect((await a.verify((await a.issue(1, NOW)).token, NOW)).verdict).toBe('pass');
    const before = (await a.issue(1, NOW + 1)).token;
    // The other process records a positive result and turns person 1 red.
    await second.samples.insertMany([{ sampleNo: 'POS-1', personId: 1, method: 'single', poolId: null, sampledAt: NOW - HOUR, result: 'positive', resultAt: NOW, lab: null }]);
    await b.recompute([1], 'result', NOW + 2);
    expect((await second.codes.current(1))!.colour).toBe('red');
    expect(await a.verify(before, NOW + 3)).toMatchObject({ verdict: 'deny', fault: 'code_changed', colour: 'red' });
    // Its own writes do not empty its cache: person 2 (green, cached by its recompute) still passes.
    expect((await a.verify((await a.issue(2, NOW + 4)).token, NOW + 4)).verdict).toBe('pass');
  });
});

describe('claims in a Redis that cannot be reached', () => {
  it('refuses to start, without saying the password of the address or leaving the client to log its own errors', async () => {
    const logged = vi.spyOn(console, 'error');
    try {
      const refused = await RedisUsedTokens.connect('redis://cordon:s3cret@127.0.0.1:1/0', 'x').then(() => null, (e: unknown) => (e as Error).message);
      expect(refused).toMatch(/^CORDON_REDIS_URL: Redis cannot be reached at redis:\/\/\*\*\*@127\.0\.0\.1:1\/0: /);
      expect(refused).not.toContain('s3cret');
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});

describe.skipIf(!redisUp)('online verification across processes, claims in Redis', () => {
  let ts: TestServices;
  const opened: RedisUsedTokens[] = [];
  const withRedis = async (secret: string) => {
    const r = await RedisUsedTokens.connect(REDIS_URL, secret);
    opened.push(r);
    return HealthCodeService.open(ts.s.store, ts.s.edition, 'test-secret', NOW, r);
  };
  beforeEach(async () => {
    ts = await testServices('sqlite', NOW);
    await ts.s.store.regions.insertMany(MINI_REGIONS);
    await ts.s.store.persons.insertMany([1, 2].map((i) => personRow(i)));
  });
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
    await ts?.close();
  });

  it('passes a token once across two processes with their own connections, and lets Redis forget the claim after the token', async () => {
    // An installation of its own for this run: claims of earlier runs (same token ids are random anyway) do not meet it.
    const installation = `test-${Date.now()}-${Math.random()}`;
    const a = await withRedis(installation), b = await withRedis(installation);
    await a.recompute([1, 2], 'initial', NOW);
    const { token } = await a.issue(1, NOW);
    expect(await b.verify(token, NOW)).toMatchObject({ verdict: 'pass', personId: 1 });
    expect(await a.verify(token, NOW + 1)).toMatchObject({ verdict: 'deny', fault: 'replayed' });
    // Nothing went to the database's table, and the key lives until a minute after the token expires.
    expect(await ts.s.store.codes.forgetUsedTokens(Number.MAX_SAFE_INTEGER)).toBe(0);
    const probe = new Redis(REDIS_URL);
    try {
      const jti = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string; exp: number });
      const keys = await probe.keys(`cordon:*:jti:${jti.jti}`);
      expect(keys).toHaveLength(1);
      // The installation's prefix: 12 hex digits of a hash of its secret, never the secret itself.
      expect(keys[0]).toMatch(new RegExp(`^cordon:[0-9a-f]{12}:jti:${jti.jti}$`));
      expect(await probe.get(keys[0])).toBe('1');
      const ttl = await probe.ttl(keys[0]);
      expect(ttl).toBeGreaterThan(ts.s.edition.healthCode.tokenLifetimeSeconds + CLAIM_GRACE_SECONDS - 10);
      expect(ttl).toBeLessThanOrEqual(ts.s.edition.healthCode.tokenLifetimeSeconds + CLAIM_GRACE_SECONDS);
    } finally {
      probe.disconnect();
    }
    // Another installation on the same Redis does not see this one's claims.
    const other = await withRedis(`${installation}-other`);
    const second = await a.issue(2, NOW);
    expect((await other.verify(second.token, NOW)).verdict).toBe('pass');
    expect((await b.verify(second.token, NOW)).verdict).toBe('pass');
  });

  it('refuses to start on a Redis that cannot be reached, naming the variable, and never passes a token it could not claim', async () => {
    await expect(RedisUsedTokens.connect('redis://127.0.0.1:1', 'x')).rejects.toThrow(/CORDON_REDIS_URL: Redis cannot be reached at redis:\/\/127.0.0.1:1/);
    const r = await RedisUsedTokens.connect(REDIS_URL, `test-closed-${Date.now()}`);
    const a = await HealthCodeService.open(ts.s.store, ts.s.edition, 'test-secret', NOW, r);
    await a.recompute([1], 'initial', NOW);
    const { token } = await a.issue(1, NOW);
    // Redis forgets claims by itself: nothing to forget here.
    expect(await a.forgetUsedTokens(NOW + 3600)).toBe(0);
    await r.close();
    await expect(a.verify(token, NOW)).rejects.toMatchObject({ kind: 'unavailable', code: 'STORAGE_UNAVAILABLE', message: expect.stringMatching(/^Redis (refused a claim|cannot be reached): ./) });
    // Closing again is harmless.
    await expect(r.close()).resolves.toBeUndefined();
  });
});
