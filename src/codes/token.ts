/**
 * Signed health-code tokens: what a phone shows as a QR code and a checkpoint scans. A token is
 *   CDN1.<payload>.<signature>
 * where <payload> is base64url JSON {kid, sub, c, a, iat, exp, jti} and <signature> the base64url Ed25519 signature
 * of the ASCII text "CDN1.<payload>". Anyone holding the province's public keys can verify a token offline (a
 * checkpoint without network); the server verifies it online as well, against the person's current code.
 * Nothing here touches storage: keys come in, verdicts go out.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { CODE_COLOURS, type CodeColour } from '../domain/vocab.ts';

export const TOKEN_PREFIX = 'CDN1';
/** Longest token accepted: anything longer is refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 512;

export interface TokenPayload {
  /** Id of the key that signed it. */
  kid: string;
  /** Pseudonymous person id (see pseudonym.ts). */
  sub: string;
  /** Colour of the code when issued. */
  c: CodeColour;
  /** Itinerary asterisk: a city of the card now holds a medium- or high-risk area. */
  a: boolean;
  /** Issued at and expiry, epoch seconds. */
  iat: number;
  exp: number;
  /** Unique token id (online replay detection). */
  jti: string;
}

/** A public key as a verifier keeps it: raw Ed25519 key in base64url, and until when tokens under it are accepted. */
export interface PublicKeyInfo {
  kid: string;
  publicKey: string;
  /** Epoch seconds after which the key no longer verifies (retired key plus the token lifetime), or null. */
  notAfter: number | null;
}

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicKey: string;
}

/** Why a token was refused: stable reason codes, shown to checkpoint staff. */
export const TOKEN_FAULTS = ['malformed', 'unknown_key', 'bad_signature', 'expired', 'not_yet_valid', 'key_retired', 'lifetime_too_long'] as const;
export type TokenFault = (typeof TOKEN_FAULTS)[number];

export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; fault: TokenFault; detail: string };

/** A new Ed25519 key pair with a key id. */
export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicKey: String(jwk.x) };
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Signs a payload with a key (keys are parsed once per key and kept). */
export class TokenSigner {
  private readonly key: KeyObject;
  constructor(readonly signingKey: SigningKey) {
    this.key = createPrivateKey(signingKey.privateKeyPem);
  }

  sign(p: Omit<TokenPayload, 'kid' | 'jti'> & { jti?: string }): string {
    const payload: TokenPayload = { kid: this.signingKey.kid, sub: p.sub, c: p.c, a: p.a, iat: p.iat, exp: p.exp, jti: p.jti ?? randomBytes(9).toString('base64url') };
    const head = `${TOKEN_PREFIX}.${b64(JSON.stringify(payload))}`;
    return `${head}.${sign(null, Buffer.from(head), this.key).toString('base64url')}`;
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * What a verifier needs besides the keys: the longest lifetime a token may have (the edition's, in seconds: a token
 * that claims more was not issued by the province, whatever its signature), and the clock skew tolerated (seconds).
 */
export interface VerifierOptions {
  maxLifetimeSec: number;
  clockSkewSec?: number;
}

/** Verifies tokens against a set of public keys: offline, with no storage and no network. */
export class TokenVerifier {
  private readonly keys = new Map<string, { key: KeyObject; notAfter: number | null }>();
  private readonly clockSkewSec: number;
  private readonly maxLifetimeSec: number;

  constructor(keys: PublicKeyInfo[], opts: VerifierOptions) {
    this.clockSkewSec = opts.clockSkewSec ?? 30;
    this.maxLifetimeSec = opts.maxLifetimeSec;
    for (const k of keys) {
      this.keys.set(k.kid, { key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.publicKey }, format: 'jwk' }), notAfter: k.notAfter });
    }
  }

  /**
   * Checks a token. `issuedHere`, when given, may vouch for a token by its id: it returns true only when this very
   * token (every character) was issued by the caller, which then need not check the signature again (the online
   * path; anything it does not vouch for is verified cryptographically).
   */
  verify(token: unknown, now: number, issuedHere?: (jti: string, token: string) => boolean): TokenCheck {
    const bad = (fault: TokenFault, detail: string): TokenCheck => ({ ok: false, fault, detail });
    if (typeof token !== 'string' || token.length === 0) return bad('malformed', 'no token');
    if (token.length > MAX_TOKEN_LENGTH) return bad('malformed', `longer than ${MAX_TOKEN_LENGTH} characters`);
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return bad('malformed', `not a ${TOKEN_PREFIX} token`);
    if (!B64URL.test(parts[1]) || !B64URL.test(parts[2])) return bad('malformed', 'not base64url');
    // Only the canonical encoding is accepted: otherwise the unused bits of the last character would let one token
    // be written several ways (and slip past replay detection).
    const body = Buffer.from(parts[1], 'base64url'), sig = Buffer.from(parts[2], 'base64url');
    if (body.toString('base64url') !== parts[1] || sig.toString('base64url') !== parts[2]) return bad('malformed', 'not canonical base64url');
    let payload: TokenPayload;
    try {
      payload = JSON.parse(body.toString('utf8')) as TokenPayload;
    } catch {
      return bad('malformed', 'payload is not JSON');
    }
    const fault = payloadFault(payload);
    if (fault) return bad('malformed', fault);
    const key = this.keys.get(payload.kid);
    if (!key) return bad('unknown_key', `no key ${JSON.stringify(payload.kid).slice(0, 40)}`);
    const vouched = issuedHere?.(payload.jti, token as string) ?? false;
    // Stryker disable next-line ConditionalExpression: equivalent: a shortcut; crypto.verify refuses an Ed25519 signature of any other length too
    if (!vouched && (sig.length !== 64 || !verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), key.key, sig))) return bad('bad_signature', 'the signature does not match');
    if (key.notAfter !== null && now > key.notAfter) return bad('key_retired', `key ${payload.kid} was retired`);
    if (payload.exp - payload.iat > this.maxLifetimeSec) return bad('lifetime_too_long', `valid for ${payload.exp - payload.iat} s, longer than the ${this.maxLifetimeSec} s a token may live`);
    if (payload.iat > now + this.clockSkewSec) return bad('not_yet_valid', 'issued in the future');
    if (now > payload.exp + this.clockSkewSec) return bad('expired', `expired ${now - payload.exp} s ago`);
    return { ok: true, payload };
  }
}

/** What is wrong with a parsed payload's shape, or null. */
function payloadFault(p: unknown): string | null {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'payload is not an object';
  const o = p as Record<string, unknown>;
  for (const f of ['kid', 'sub', 'jti'] as const) if (typeof o[f] !== 'string' || (o[f] as string).length === 0 || (o[f] as string).length > 64) return `bad ${f}`;
  if (!CODE_COLOURS.includes(o.c as CodeColour)) return 'bad colour';
  if (typeof o.a !== 'boolean') return 'bad asterisk';
  for (const f of ['iat', 'exp'] as const) if (!Number.isSafeInteger(o[f])) return `bad ${f}`;
  if ((o.exp as number) <= (o.iat as number)) return 'expires before it is issued';
  return null;
}
