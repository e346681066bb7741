import jsQRModule from 'jsqr';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { Random } from '../synth/random.ts';
import { Pseudonyms } from './pseudonym.ts';
import { newSigningKey, TokenSigner, TokenVerifier } from './token.ts';

const NOW = 1_630_000_000;
// jsqr is CommonJS with a default export: Node gives the module object, bundlers the function.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: Decode = (jsQRModule as unknown as { default?: Decode }).default ?? (jsQRModule as unknown as Decode);
const key = newSigningKey('k1');
const signer = new TokenSigner(key);
const verifier = new TokenVerifier([{ kid: 'k1', publicKey: key.publicKey, notAfter: null }], { maxLifetimeSec: 180 });
const good = signer.sign({ sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 180 });

describe('signed code tokens', () => {
  it('verify offline with the public key alone, and carry the payload', () => {
    const r = verifier.verify(good, NOW + 10);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.payload).toMatchObject({ kid: 'k1', sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 180 });
  });

  it('refuse tampered, forged, expired, future, unknown-key and retired-key tokens with the reason', () => {
    const [prefix, payload, sig] = good.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), c: 'green', sub: 'p-2' })).toString('base64url');
    expect(verifier.verify(`${prefix}.${tampered}.${sig}`, NOW)).toMatchObject({ ok: false, fault: 'bad_signature' });
    const forger = new TokenSigner({ ...newSigningKey('k1') });
    expect(verifier.verify(forger.sign({ sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 180 }), NOW)).toMatchObject({ ok: false, fault: 'bad_signature' });
    expect(verifier.verify(good, NOW + 180 + 31)).toMatchObject({ ok: false, fault: 'expired' });
    expect(verifier.verify(good, NOW - 31)).toMatchObject({ ok: false, fault: 'not_yet_valid' });
    const other = new TokenSigner(newSigningKey('k9')).sign({ sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 180 });
    expect(verifier.verify(other, NOW)).toMatchObject({ ok: false, fault: 'unknown_key' });
    const retired = new TokenVerifier([{ kid: 'k1', publicKey: key.publicKey, notAfter: NOW + 5 }], { maxLifetimeSec: 180 });
    expect(retired.verify(good, NOW + 4).ok).toBe(true);
    expect(retired.verify(good, NOW + 6)).toMatchObject({ ok: false, fault: 'key_retired' });
  });

  it('refuse a token that claims to live longer than the edition allows, at the limit and one second over', () => {
    expect(verifier.verify(signer.sign({ sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 180 }), NOW).ok).toBe(true);
    expect(verifier.verify(signer.sign({ sub: 'p-1', c: 'green', a: false, iat: NOW, exp: NOW + 181 }), NOW)).toMatchObject({ ok: false, fault: 'lifetime_too_long' });
    // A token whose expiry is in milliseconds (a client's mistake) is refused the same way, not accepted for 50,000 years.
    expect(verifier.verify(signer.sign({ sub: 'p-1', c: 'green', a: false, iat: NOW, exp: (NOW + 180) * 1000 }), NOW)).toMatchObject({ ok: false, fault: 'lifetime_too_long' });
  });

  it('refuse malformed input of every shape without throwing', () => {
    const payloadOf = (o: unknown) => `CDN1.${Buffer.from(JSON.stringify(o)).toString('base64url')}.${'A'.repeat(86)}`;
    for (const t of [undefined, null, 42, {}, '', 'CDN1', 'CDN1..', 'CDN2.a.b', 'CDN1.a.b.c', 'CDN1.@@.##', 'x'.repeat(600), 'CDN1.bm90IGpzb24.AAAA',
      payloadOf([]), payloadOf({ kid: 'k1' }), payloadOf({ kid: 'k1', sub: 's', jti: 'j', c: 'blue', a: false, iat: 1, exp: 2 }),
      payloadOf({ kid: 'k1', sub: 's', jti: 'j', c: 'green', a: false, iat: 5, exp: 2 }), payloadOf({ kid: 'k1', sub: 's', jti: 'j', c: 'green', a: 'no', iat: 1, exp: 2 })]) {
      const r = verifier.verify(t, NOW);
      expect(r.ok, String(t)).toBe(false);
      if (!r.ok) expect(['malformed', 'bad_signature']).toContain(r.fault);
    }
  });

  it('never accept a mutation of a valid token (fuzz, fixed seed)', () => {
    const rnd = new Random(7);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const chars = [...good];
      const edits = 1 + rnd.int(3);
      for (let e = 0; e < edits; e++) {
        const at = rnd.int(chars.length), op = rnd.int(3);
        if (op === 0) chars[at] = alphabet[rnd.int(alphabet.length)];
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, alphabet[rnd.int(alphabet.length)]);
      }
      const t = chars.join('');
      if (t !== good && verifier.verify(t, NOW).ok) accepted++;
    }
    // The last character of the signature carries unused bits: other spellings of the same bytes are refused too.
    const last = good.at(-1)!;
    for (const ch of alphabet.replace('.', '')) {
      if (ch !== last && verifier.verify(good.slice(0, -1) + ch, NOW).ok) accepted++;
    }
    expect(accepted).toBe(0);
  });

  it('fits a QR code that decodes back to the same token', () => {
    const qr = QRCode.create(good, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size, scale = 4, margin = 4, size = (n + 2 * margin) * scale;
    const rgba = new Uint8ClampedArray(size * size * 4).fill(255);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
      if (!qr.modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
        const o = (((y + margin) * scale + dy) * size + (x + margin) * scale + dx) * 4;
        rgba[o] = rgba[o + 1] = rgba[o + 2] = 0;
      }
    }
    expect(jsQR(rgba, size, size)?.data).toBe(good);
  });
});

describe('pseudonyms', () => {
  const p = new Pseudonyms('secret-a');
  it('turn back into the person id, and into nothing under another secret or when altered', () => {
    for (const id of [1, 2, 999_999, 12_345_678]) expect(p.personOf(p.of(id))).toBe(id);
    expect(p.of(5)).not.toBe(p.of(6));
    expect(new Pseudonyms('secret-b').personOf(p.of(5))).toBeNull();
    const s = p.of(5);
    expect(p.personOf(`${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`)).toBeNull();
    expect(p.personOf('not-a-pseudonym')).toBeNull();
  });
});
