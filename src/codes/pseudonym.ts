/**
 * Pseudonymous person ids for tokens: the person id encrypted with AES-256 under a key derived from the
 * installation's secret, one 16-byte block, base64url. A verifier without the secret learns nothing of the id;
 * the server turns it back into the person id. The block carries a check value, so a guessed or altered
 * pseudonym decodes to nothing rather than to somebody else.
 */
import { createCipheriv, createDecipheriv, hkdfSync, type Cipher, type Decipher } from 'node:crypto';

const CHECK = 0x43444e31; // "CDN1"

export class Pseudonyms {
  // ECB without padding turns each full block into a block at once: one cipher and one decipher serve every call.
  private readonly cipher: Cipher;
  private readonly decipher: Decipher;
  constructor(secret: string) {
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), Buffer.from('cordon token pseudonym'), 32));
    // Stryker disable next-line BooleanLiteral: one full block through update() and no final(): padding never applies
    this.cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    this.decipher = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  }

  of(personId: number): string {
    const block = Buffer.alloc(16);
    block.writeUInt32BE(CHECK, 0);
    block.writeBigUInt64BE(BigInt(personId), 4);
    block.writeUInt32BE(CHECK ^ (personId >>> 0), 12);
    return this.cipher.update(block).toString('base64url');
  }

  /** The person id behind a pseudonym, or null if it is not one of ours. */
  personOf(sub: string): number | null {
    const raw = Buffer.from(sub, 'base64url');
    if (raw.length !== 16 || raw.toString('base64url') !== sub) return null;
    const block = this.decipher.update(raw);
    if (block.readUInt32BE(0) !== CHECK) return null;
    const id = block.readBigUInt64BE(4);
    if (id > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    const n = Number(id);
    return block.readUInt32BE(12) === ((CHECK ^ (n >>> 0)) >>> 0) ? n : null;
  }
}
