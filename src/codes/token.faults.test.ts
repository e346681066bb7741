/**
 * Every reason a token is refused, with the detail checkpoint staff read, each at its boundary: the shape of the
 * text, the canonical encoding, the payload's fields one by one, the key's retirement, the lifetime, the skew and the
 * expiry; and pseudonyms pinned to their derivation (a token issued before an upgrade must still name its person).
 */
import { createCipheriv, hkdfSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { Pseudonyms } from './pseudonym.ts';
import { MAX_TOKEN_LENGTH, newSigningKey, TokenSigner, TokenVerifier, type TokenPayload } from './token.ts';

const NOW = 1_630_000_000;
const key = newSigningKey('k1');
const signer = new TokenSigner(key);
const verifier = new TokenVerifier([{ kid: 'k1', publicKey: key.publicKey, notAfter: null }], { maxLifetimeSec: 180, clockSkewSec: 30 });
const payload: TokenPayload = { kid: 'k1', sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 180, jti: 'j-1' };
/**
 * The head of a token with any payload text (JSON or not), and a well-formed signature of another token: the payload
 * is refused for its shape before any signature is checked.
 */
const signed = (body: unknown) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const head = `CDN1.${Buffer.from(text).toString('base64url')}`;
  const sig = signer.sign({ sub: 'x', c: 'green', a: false, iat: NOW, exp: NOW + 1 }).split('.')[2];
  return { head, sig };
};
const refused = (token: unknown, now = NOW) => {
  const r = verifier.verify(token, now);
  return r.ok ? { ok: true } : { fault: r.fault, detail: r.detail };
};

describe('token faults, each with its detail', () => {
  it('refuses a missing, empty or overlong token, and one of the wrong shape or prefix', () => {
    expect(refused(undefined)).toEqual({ fault: 'malformed', detail: 'no token' });
    expect(refused(42)).toEqual({ fault: 'malformed', detail: 'no token' });
    expect(refused('')).toEqual({ fault: 'malformed', detail: 'no token' });
    expect(refused('x'.repeat(MAX_TOKEN_LENGTH + 1))).toEqual({ fault: 'malformed', detail: `longer than ${MAX_TOKEN_LENGTH} characters` });
    // At the limit exactly the text is parsed (and refused for what it is, not for its length).
    expect(refused('x'.repeat(MAX_TOKEN_LENGTH))).toEqual({ fault: 'malformed', detail: 'not a CDN1 token' });
    expect(refused('CDN1.abc')).toEqual({ fault: 'malformed', detail: 'not a CDN1 token' });
    expect(refused('CDN2.abc.def')).toEqual({ fault: 'malformed', detail: 'not a CDN1 token' });
    expect(refused('CDN1.a.b.c')).toEqual({ fault: 'malformed', detail: 'not a CDN1 token' });
  });

  it('refuses text that is not base64url in either part, and a non-canonical spelling of a valid token', () => {
    const [p, body, sig] = signer.sign(payload).split('.');
    expect(refused(`${p}.${body}+.${sig}`)).toEqual({ fault: 'malformed', detail: 'not base64url' });
    expect(refused(`${p}.${body}.${sig}=`)).toEqual({ fault: 'malformed', detail: 'not base64url' });
    expect(refused(`${p}..${sig}`)).toEqual({ fault: 'malformed', detail: 'not base64url' });
    // Ed25519 signatures are 64 bytes: 86 characters, the last carrying 4 unused bits. Setting one of them decodes to
    // the same bytes, and is refused so one token cannot be written two ways.
    const last = sig[sig.length - 1];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1];
    expect(refused(`${p}.${body}.${sig.slice(0, -1)}${twin}`)).toEqual({ fault: 'malformed', detail: 'not canonical base64url' });
    // The same with the payload's last character, when it has unused bits.
    const bodyLen = Buffer.from(body, 'base64url').length;
    if (bodyLen % 3 !== 0) {
      const bl = body[body.length - 1];
      expect(refused(`${p}.${body.slice(0, -1)}${alphabet[alphabet.indexOf(bl) ^ 1]}.${sig}`)).toEqual({ fault: 'malformed', detail: 'not canonical base64url' });
    }
  });

  it('refuses a payload that is not JSON, or not an object, before looking at the key', () => {
    const { head, sig } = signed('{"kid":');
    expect(refused(`${head}.${sig}`)).toEqual({ fault: 'malformed', detail: 'payload is not JSON' });
    for (const v of ['null', '[1,2]', '"text"', '7', 'true']) expect(refused(`${signed(v).head}.${sig}`), v).toEqual({ fault: 'malformed', detail: 'payload is not an object' });
  });

  it('names the first bad field of the payload', () => {
    const sig = signed('{}').sig;
    const fault = (p: Record<string, unknown>) => refused(`${signed(p).head}.${sig}`);
    for (const f of ['kid', 'sub', 'jti'] as const) {
      expect(fault({ ...payload, [f]: undefined }), f).toEqual({ fault: 'malformed', detail: `bad ${f}` });
      expect(fault({ ...payload, [f]: 7 }), f).toEqual({ fault: 'malformed', detail: `bad ${f}` });
      expect(fault({ ...payload, [f]: '' }), f).toEqual({ fault: 'malformed', detail: `bad ${f}` });
      expect(fault({ ...payload, [f]: 'x'.repeat(65) }), f).toEqual({ fault: 'malformed', detail: `bad ${f}` });
      // 64 characters is still a field (the key is unknown, or the signature does not match: not malformed).
      expect(fault({ ...payload, [f]: 'x'.repeat(64) }).detail, f).not.toBe(`bad ${f}`);
    }
    expect(fault({ ...payload, c: 'blue' })).toEqual({ fault: 'malformed', detail: 'bad colour' });
    expect(fault({ ...payload, a: 'no' })).toEqual({ fault: 'malformed', detail: 'bad asterisk' });
    expect(fault({ ...payload, iat: 1.5 })).toEqual({ fault: 'malformed', detail: 'bad iat' });
    expect(fault({ ...payload, exp: '1' })).toEqual({ fault: 'malformed', detail: 'bad exp' });
    expect(fault({ ...payload, exp: NOW })).toEqual({ fault: 'malformed', detail: 'expires before it is issued' });
    expect(fault({ ...payload, exp: NOW - 1 })).toEqual({ fault: 'malformed', detail: 'expires before it is issued' });
    // exp one second after iat is a shape a token may have.
    expect(fault({ ...payload, exp: NOW + 1 }).detail).not.toBe('expires before it is issued');
  });

  it('names an unknown key (its id cut short) and refuses a signature of the wrong length', () => {
    const other = new TokenSigner(newSigningKey('k-unknown')).sign({ sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 180 });
    expect(refused(other)).toEqual({ fault: 'unknown_key', detail: 'no key "k-unknown"' });
    const long = new TokenSigner(newSigningKey('k'.repeat(60))).sign({ sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 180 });
    expect(refused(long)).toEqual({ fault: 'unknown_key', detail: `no key ${JSON.stringify('k'.repeat(60)).slice(0, 40)}` });
    const [p, body] = signer.sign(payload).split('.');
    expect(refused(`${p}.${body}.${Buffer.alloc(63).toString('base64url')}`)).toEqual({ fault: 'bad_signature', detail: 'the signature does not match' });
  });

  it('lets the issuer vouch for its own token only: a token it does not vouch for is checked cryptographically', () => {
    const [p, body] = signer.sign(payload).split('.');
    const unsigned = `${p}.${body}.${Buffer.alloc(64).toString('base64url')}`;
    expect(verifier.verify(unsigned, NOW, () => true).ok).toBe(true);
    expect(verifier.verify(unsigned, NOW, () => false)).toMatchObject({ ok: false, fault: 'bad_signature' });
    expect(verifier.verify(unsigned, NOW)).toMatchObject({ ok: false, fault: 'bad_signature' });
  });

  it('retires a key after its last second, not at it', () => {
    const retiring = new TokenVerifier([{ kid: 'k1', publicKey: key.publicKey, notAfter: NOW + 10 }], { maxLifetimeSec: 180 });
    const token = signer.sign(payload);
    expect(retiring.verify(token, NOW + 10).ok).toBe(true);
    expect(retiring.verify(token, NOW + 11)).toEqual({ ok: false, fault: 'key_retired', detail: 'key k1 was retired' });
  });

  it('measures a token\'s lifetime as exp minus iat, and says it', () => {
    const later = NOW + 1_000_000;
    // A long-lived token issued late: exp + iat would be huge, exp - iat is 181.
    const t = signer.sign({ sub: 'p-1', c: 'green', a: false, iat: later, exp: later + 181 });
    expect(refused(t, later)).toEqual({ fault: 'lifetime_too_long', detail: 'valid for 181 s, longer than the 180 s a token may live' });
  });

  it('tolerates the clock skew at both ends, to the second, and says how long ago a token expired', () => {
    const t = signer.sign(payload);
    expect(refused(t, NOW - 30)).toEqual({ ok: true });
    expect(refused(t, NOW - 31)).toEqual({ fault: 'not_yet_valid', detail: 'issued in the future' });
    expect(refused(t, NOW + 180 + 30)).toEqual({ ok: true });
    expect(refused(t, NOW + 180 + 31)).toEqual({ fault: 'expired', detail: 'expired 31 s ago' });
  });
});

describe('pseudonyms', () => {
  /** The block as the derivation of pseudonym.ts defines it, encrypted independently. */
  const encrypt = (secret: string, block: Buffer) => {
    const k = Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), Buffer.from('cordon token pseudonym'), 32));
    return createCipheriv('aes-256-ecb', k, null).setAutoPadding(false).update(block).toString('base64url');
  };
  const block = (head: number, id: bigint, tail: number) => {
    const b = Buffer.alloc(16);
    b.writeUInt32BE(head, 0);
    b.writeBigUInt64BE(id, 4);
    b.writeUInt32BE(tail >>> 0, 12);
    return b;
  };
  const CHECK = 0x43444e31;
  // Made in each test, so the derivation runs inside the test that pins it.
  let p: Pseudonyms;
  beforeEach(() => { p = new Pseudonyms('secret-1'); });

  it('are the documented derivation, so pseudonyms in tokens issued by an earlier version still decode', () => {
    expect(p.of(42)).toBe(encrypt('secret-1', block(CHECK, 42n, CHECK ^ 42)));
    expect(p.personOf(encrypt('secret-1', block(CHECK, 42n, CHECK ^ 42)))).toBe(42);
  });

  it('decode to nothing when the head or the tail check is wrong, or the id is beyond a safe integer', () => {
    expect(p.personOf(encrypt('secret-1', block(CHECK ^ 1, 42n, CHECK ^ 42)))).toBeNull();
    expect(p.personOf(encrypt('secret-1', block(CHECK, 42n, CHECK ^ 43)))).toBeNull();
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    const low = (n: bigint) => Number(n & 0xffffffffn);
    expect(p.personOf(encrypt('secret-1', block(CHECK, max, CHECK ^ low(max))))).toBe(Number.MAX_SAFE_INTEGER);
    expect(p.personOf(encrypt('secret-1', block(CHECK, max + 1n, CHECK ^ low(max + 1n))))).toBeNull();
  });

  it('decode to nothing when the text is not 16 bytes or not their canonical spelling', () => {
    const good = p.of(7);
    expect(p.personOf(good)).toBe(7);
    expect(p.personOf(good.slice(0, -2))).toBeNull();
    expect(p.personOf(`${good}AA`)).toBeNull();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = `${good.slice(0, -1)}${alphabet[alphabet.indexOf(good[good.length - 1]) ^ 1]}`;
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(good, 'base64url'))).toBe(true);
    expect(p.personOf(twin)).toBeNull();
  });
});
