/**
 * Signing keys sealed at rest: a private key is stored encrypted with AES-256-GCM under a key derived (HKDF-SHA256)
 * from the installation's secret (CORDON_ID_HASH_KEY, or the data folder's `id-hash.key`, readable by its owner
 * only), so a copy of the database alone cannot sign tokens. Stored form: `sealed:v1:<iv>:<tag>:<ciphertext>`
 * (base64url). A key stored in the clear by an older version is recognised by its PEM header.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'sealed:v1:';

/** The installation's secret does not open a sealed key (it changed, or the database is another installation's). */
export class SealedKeyError extends Error {
  constructor(kid: string) {
    super(`the signing key ${kid} cannot be opened with this installation's secret (CORDON_ID_HASH_KEY or the data folder's id-hash.key): was it changed, or is this database another installation's?`);
    this.name = 'SealedKeyError';
  }
}

const keyOf = (secret: string) => Buffer.from(hkdfSync('sha256', secret, 'cordon', 'signing-key-sealing-v1', 32));

/** Whether a stored private key is sealed (rather than a PEM in the clear). */
export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** Seals a PEM private key for storage. */
export function sealPrivateKey(pem: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  // Stryker disable next-line StringLiteral: equivalent: without an encoding a string is read as UTF-8 anyway (and a PEM is ASCII)
  const body = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return PREFIX + [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join(':');
}

/** The PEM of a stored private key (sealed, or in the clear from an older version); SealedKeyError if it cannot be opened. */
export function openPrivateKey(kid: string, stored: string, secret: string): string {
  if (!isSealed(stored)) return stored;
  const [iv, tag, body] = stored.slice(PREFIX.length).split(':').map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedKeyError(kid);
  }
}
