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
import { REDIS_URL, redisServerBinary, redisUp, startOwnRedis, type OwnRedis } from '../../../test/redis.ts';
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

describe.skipIf(!redisServerBinary)('claims in a Redis of the test\'s own that fails and comes back', () => {
  let ts: TestServices;
  let own: OwnRedis | null = null;
  let claims: RedisUsedTokens | null = null;
  beforeEach(async () => {
    ts = await testServices('sqlite', NOW);
    await ts.s.store.regions.insertMany(MINI_REGIONS);
    await ts.s.store.persons.insertMany([1, 2].map((i) => personRow(i)));
  });
  afterEach(async () => {
    await claims?.close();
    claims = null;
    await own?.kill();
    own = null;
    await ts?.close();
  });
  const open = async (url: string) => {
    claims = await RedisUsedTokens.connect(url, `own-${Math.random()}`);
    const s = await HealthCodeService.open(ts.s.store, ts.s.edition, 'test-secret', NOW, claims);
    await s.recompute([1, 2], 'initial', NOW);
    return s;
  };
  const clients = async (url: string) => {
    const probe = new Redis(url);
    try {
      return (await probe.client('LIST') as string).trim().split('\n').length - 1; // less the probe itself
    } finally {
      probe.disconnect();
    }
  };

  it('refuses with STORAGE_UNAVAILABLE and Redis\'s own reason when Redis refuses the write, and passes the token once Redis takes writes again', async () => {
    own = await startOwnRedis(['--maxmemory', '1', '--maxmemory-policy', 'noeviction']);
    const s = await open(own.url);
    const { token } = await s.issue(1, NOW);
    await expect(s.verify(token, NOW)).rejects.toMatchObject({ kind: 'unavailable', code: 'STORAGE_UNAVAILABLE', message: expect.stringMatching(/^Redis refused a claim: OOM command not allowed/) });
    // Whether a failed claim reached Redis is not known in general, so the same token is not tried again (a replay,
    // rather than risking a second pass); once Redis has room, a fresh token passes, once.
    const admin = new Redis(own.url);
    try {
      await admin.config('SET', 'maxmemory', '0');
    } finally {
      admin.disconnect();
    }
    expect(await s.verify(token, NOW + 1)).toMatchObject({ verdict: 'deny', fault: 'replayed' });
    const fresh = await s.issue(1, NOW + 1);
    expect(await s.verify(fresh.token, NOW + 2)).toMatchObject({ verdict: 'pass', personId: 1 });
    expect(await s.verify(fresh.token, NOW + 3)).toMatchObject({ verdict: 'deny', fault: 'replayed' });
  });

  it('refuses every token while Redis is down (never passes one unclaimed), and claims again once Redis is back on its address', async () => {
    own = await startOwnRedis();
    const s = await open(own.url);
    expect((await s.verify((await s.issue(1, NOW)).token, NOW)).verdict).toBe('pass');
    await own.kill();
    for (const person of [1, 2]) {
      const { token } = await s.issue(person, NOW + 1);
      await expect(s.verify(token, NOW + 1)).rejects.toMatchObject({ kind: 'unavailable', code: 'STORAGE_UNAVAILABLE', message: expect.stringMatching(/^Redis refused a claim: ./) });
    }
    // Back with nothing kept (it saves nothing): the client reconnects by itself within its retry delay (at most 2 s).
    await own.start();
    let t = NOW + 2;
    await vi.waitFor(async () => {
      const { token } = await s.issue(2, ++t);
      const verdict = await s.verify(token, t).then((v) => v.verdict, (e: { code?: string }) => e.code);
      expect(verdict).toBe('pass');
    }, { timeout: 10_000, interval: 200 });
  });

  it('closes while Redis is down without waiting for it, and never connects again once closed', async () => {
    own = await startOwnRedis();
    await open(own.url);
    expect(await clients(own.url)).toBe(1);
    await own.kill();
    await expect(claims!.close()).resolves.toBeUndefined();
    await own.start();
    // The client's retry delay is at most 2 s: a client still retrying would have reconnected by now.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await clients(own.url)).toBe(0);
  });
});
