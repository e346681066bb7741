/**
 * The signing key ring on its store: the first key made once and shared by every ring on the store, key ids dated by
 * the server's day, rotation signing with the newest key while retired keys verify until their last token can
 * expire (to the second), and a ring that reloads seeing another's rotation (how a rotation reaches other processes
 * without a reload is the Trust issue's).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import type { Db } from '../../storage/db.ts';
import { KeyRing } from './keyRing.ts';
import { createDecipheriv, hkdfSync } from 'node:crypto';
import { openPrivateKey, SealedKeyError, sealPrivateKey } from './keySealing.ts';
import { newSigningKey } from '../../codes/token.ts';

const NOW = 1_700_000_000; // 2023-11-14 22:13:20 UTC
const LIFE = 180;
const SECRET = 'installation-secret-0123456789';

describeEachEngine('key ring', (engine) => {
  let fresh: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => { fresh = await freshStore(engine); });
  afterEach(async () => { await fresh?.close(); });
  const token = (ring: KeyRing, at: number) => ring.signer().sign({ sub: 'p', c: 'green', a: false, iat: at, exp: at + LIFE });

  it('makes the first key once, dated by the server\'s day, shared by a second ring on the same store', async () => {
    const a = await KeyRing.open(fresh.store, LIFE, NOW, SECRET);
    expect(a.maxTokenLifetimeSeconds).toBe(LIFE);
    const keys = a.publicKeys();
    expect(keys).toEqual([{ kid: expect.stringMatching(/^k20231114-[0-9a-f]{6}$/), publicKey: expect.any(String), notAfter: null }]);
    const b = await KeyRing.open(fresh.store, LIFE, NOW + 10, SECRET);
    expect(b.publicKeys()).toEqual(keys);
    expect(b.verifier().verify(token(a, NOW), NOW).ok).toBe(true);
  });

  it('signs with the new key after a rotation; the old one verifies until its last token can expire, not a second longer', async () => {
    const ring = await KeyRing.open(fresh.store, LIFE, NOW, SECRET);
    const first = ring.publicKeys()[0].kid;
    const before = token(ring, NOW + 100);
    const kid = await ring.rotate(NOW + 100);
    expect(kid).not.toBe(first);
    expect(ring.publicKeys()).toEqual([
      expect.objectContaining({ kid: first, notAfter: NOW + 100 + LIFE }),
      expect.objectContaining({ kid, notAfter: null }),
    ]);
    const after = token(ring, NOW + 100);
    expect(JSON.parse(Buffer.from(after.split('.')[1], 'base64url').toString()).kid).toBe(kid);
    expect(ring.verifier().verify(before, NOW + 100 + LIFE).ok).toBe(true);
    expect(ring.verifier().verify(before, NOW + 100 + LIFE + 1)).toMatchObject({ ok: false, fault: 'key_retired' });
    // Another ring on the store finds the rotation's keys, and after a later rotation, on reloading, signs with the newest.
    const other = await KeyRing.open(fresh.store, LIFE, NOW, SECRET);
    expect(other.publicKeys().map((k) => k.kid)).toEqual([first, kid]);
    await ring.rotate(NOW + 200);
    // Refreshing finds the rotation (and nothing the second time).
    expect(await other.refresh()).toBe(true);
    expect(await other.refresh()).toBe(false);
    expect(other.publicKeys()).toHaveLength(3);
    expect(JSON.parse(Buffer.from(token(other, NOW + 200).split('.')[1], 'base64url').toString()).kid).toBe(ring.publicKeys()[2].kid);
  });

  it('keeps private keys sealed at rest, refuses another installation\'s secret, and seals a key an older version stored in the clear', async () => {
    const ring = await KeyRing.open(fresh.store, LIFE, NOW, SECRET);
    const db = (fresh.store as unknown as { db: Db }).db;
    const stored = await db.all<{ kid: string; private_key: string }>('SELECT kid, private_key FROM signing_keys');
    expect(stored).toHaveLength(1);
    expect(stored[0].private_key).toMatch(/^sealed:v1:/);
    expect(stored[0].private_key).not.toContain('PRIVATE KEY');
    expect(ring.verifier().verify(token(ring, NOW), NOW).ok).toBe(true);
    await expect(KeyRing.open(fresh.store, LIFE, NOW, 'another-secret-0123456789')).rejects.toThrow(SealedKeyError);
    // A key in the clear, as version 0.1 stored it: sealed on open, and still signing.
    const old = newSigningKey('k20230101-abcdef');
    await db.run('UPDATE signing_keys SET retired_at = ?', [NOW]);
    await fresh.store.codes.insertKey({ kid: old.kid, publicKey: old.publicKey, privateKeyPem: old.privateKeyPem, createdAt: NOW, retiredAt: null });
    const reopened = await KeyRing.open(fresh.store, LIFE, NOW, SECRET);
    expect((await db.get<{ private_key: string }>('SELECT private_key FROM signing_keys WHERE kid = ?', [old.kid]))!.private_key).toMatch(/^sealed:v1:/);
    expect(JSON.parse(Buffer.from(token(reopened, NOW).split('.')[1], 'base64url').toString()).kid).toBe(old.kid);
    expect(reopened.verifier().verify(token(reopened, NOW), NOW).ok).toBe(true);
  });
  it('reloads on refresh when a key was retired or replaced elsewhere, and then has no active key to sign with', async () => {
    const ring = await KeyRing.open(fresh.store, LIFE, NOW, SECRET);
    const first = ring.publicKeys()[0].kid;
    const second = await ring.rotate(NOW + 10);
    const db = (fresh.store as unknown as { db: Db }).db;
    expect(await ring.refresh()).toBe(false);
    // The newest key retired elsewhere: same keys, another retirement.
    await db.run('UPDATE signing_keys SET retired_at = ? WHERE kid = ?', [NOW + 20, second]);
    expect(await ring.refresh()).toBe(true);
    expect(ring.publicKeys()).toEqual([expect.objectContaining({ kid: first, notAfter: NOW + 10 + LIFE }), expect.objectContaining({ kid: second, notAfter: NOW + 20 + LIFE })]);
    expect(() => ring.signer()).toThrow('no active signing key');
    // A key replaced by another of the same retirement (a database restored from another copy): reloaded too.
    await db.run('UPDATE signing_keys SET kid = ? WHERE kid = ?', ['k20231114-000000', second]);
    expect(await ring.refresh()).toBe(true);
    expect(ring.publicKeys().map((k) => k.kid)).toEqual([first, 'k20231114-000000']);
  });

  it('signs with the newest of two active keys, makes no new key when one is active, and refuses a token that lives longer than the edition allows', async () => {
    const ring = await KeyRing.open(fresh.store, LIFE, NOW, SECRET);
    const first = ring.publicKeys()[0].kid;
    const extra = newSigningKey('k20231115-aaaaaa');
    await fresh.store.codes.insertKey({ kid: extra.kid, publicKey: extra.publicKey, privateKeyPem: sealPrivateKey(extra.privateKeyPem, SECRET), createdAt: NOW + 5, retiredAt: null });
    // A key added elsewhere, the others unchanged: found on refresh.
    expect(await ring.refresh()).toBe(true);
    expect(ring.publicKeys().map((k) => k.kid)).toEqual([first, extra.kid]);
    const again = await KeyRing.open(fresh.store, LIFE, NOW + 10, SECRET);
    expect(again.publicKeys().map((k) => k.kid)).toEqual([first, extra.kid]);
    expect(JSON.parse(Buffer.from(token(again, NOW + 10).split('.')[1], 'base64url').toString()).kid).toBe(extra.kid);
    const long = again.signer().sign({ sub: 'p', c: 'green', a: false, iat: NOW, exp: NOW + LIFE + 1 });
    expect(again.verifier().verify(long, NOW)).toMatchObject({ ok: false, fault: 'lifetime_too_long' });
    // Every key retired: opening makes a new active one.
    await (fresh.store as unknown as { db: Db }).db.run('UPDATE signing_keys SET retired_at = ?', [NOW + 20]);
    const renewed = await KeyRing.open(fresh.store, LIFE, NOW + 30, SECRET);
    expect(renewed.publicKeys()).toHaveLength(3);
    expect(renewed.publicKeys()[2]).toMatchObject({ notAfter: null });
  });

  it('seals with AES-256-GCM under HKDF-SHA256 of the secret (salt "cordon", info "signing-key-sealing-v1"), so any version opens it; a key in the clear opens as it is', () => {
    const pem = newSigningKey('k1').privateKeyPem;
    const [iv, tag, body] = sealPrivateKey(pem, SECRET).slice('sealed:v1:'.length).split(':').map((p) => Buffer.from(p, 'base64url'));
    const key = Buffer.from(hkdfSync('sha256', SECRET, 'cordon', 'signing-key-sealing-v1', 32));
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(tag);
    expect(Buffer.concat([d.update(body), d.final()]).toString('utf8')).toBe(pem);
    expect(openPrivateKey('k1', pem, SECRET)).toBe(pem);
    let refused: unknown;
    try { openPrivateKey('k1', sealPrivateKey(pem, SECRET), 'another-secret'); } catch (e) { refused = e; }
    expect(refused).toMatchObject({
      name: 'SealedKeyError',
      message: 'the signing key k1 cannot be opened with this installation\'s secret (CORDON_ID_HASH_KEY or the data folder\'s id-hash.key): was it changed, or is this database another installation\'s?',
    });
  });
});
