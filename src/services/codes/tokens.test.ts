/**
 * Tokens through the service, at their boundaries: the lifetime the server gives (the edition's, exactly), expiry
 * at the end of that lifetime plus the tolerated clock skew (a second later: expired), and replay refused for the
 * whole time a token is valid, on both engines.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../../test/fixtures.ts';
import { testServices, type TestServices } from '../../../test/services.ts';

const NOW = 1_700_000_000;
const SKEW = 30;

describeEachEngine('tokens at their boundaries', (engine) => {
  let ts: TestServices;
  beforeEach(async () => {
    ts = await testServices(engine, NOW);
    await ts.s.store.regions.insertMany(MINI_REGIONS);
    await ts.s.store.persons.insertMany([personRow(1), personRow(2)]);
  });
  afterEach(async () => { await ts?.close(); });
  const payload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number; exp: number };

  it('gives tokens exactly the edition\'s lifetime, valid to its end plus the skew and not a second longer', async () => {
    const life = ts.s.edition.healthCode.tokenLifetimeSeconds;
    const { token, expiresAt } = await ts.s.codes.issue(1, NOW);
    expect(payload(token)).toMatchObject({ iat: NOW, exp: NOW + life });
    expect(expiresAt).toBe(NOW + life);
    expect(ts.s.codes.keys.verifier().verify(token, NOW + life + SKEW).ok).toBe(true);
    expect(ts.s.codes.keys.verifier().verify(token, NOW + life + SKEW + 1)).toMatchObject({ ok: false, fault: 'expired' });
    expect(await ts.s.codes.verify(token, NOW + life + SKEW + 1)).toMatchObject({ verdict: 'deny', fault: 'expired' });
    // Not yet valid: issued more than the skew in the future.
    expect(ts.s.codes.keys.verifier().verify(token, NOW - SKEW)).toMatchObject({ ok: true });
    expect(ts.s.codes.keys.verifier().verify(token, NOW - SKEW - 1)).toMatchObject({ ok: false, fault: 'not_yet_valid' });
  });

  it('refuses a replay at any moment while the token is valid, long after the service pruned other tokens', async () => {
    const life = ts.s.edition.healthCode.tokenLifetimeSeconds;
    const { token } = await ts.s.codes.issue(1, NOW);
    expect(await ts.s.codes.verify(token, NOW + 1)).toMatchObject({ verdict: 'pass' });
    // Other verifications move the service's pruning on; the used token must still be remembered to its end.
    for (let t = NOW + 61; t <= NOW + life + SKEW; t += 61) {
      const other = await ts.s.codes.issue(2, t);
      expect((await ts.s.codes.verify(other.token, t)).verdict).toBe('pass');
      expect(await ts.s.codes.verify(token, t)).toMatchObject({ verdict: 'deny', fault: 'replayed' });
    }
    expect(await ts.s.codes.verify(token, NOW + life + SKEW)).toMatchObject({ verdict: 'deny', fault: 'replayed' });
  });
});
