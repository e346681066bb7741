/**
 * Pseudonymous person ids for tokens: the person id encrypted with AES-256 under a key derived from the
 * installation's secret, one 16-byte block, base64url. A verifier without the secret learns nothing of the id;
 * the server turns it back into the person id. The block carries a check value, so a guessed or altered
 * pseudonym decodes to nothing rather than to somebody else.
 */
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';

const CHECK = 0x43444e31; // "CDN1"

export class Pseudonyms {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), Buffer.from('cordon token pseudonym'), 32));
  }

  of(personId: number): string {
    const block = Buffer.alloc(16);
    block.writeUInt32BE(CHECK, 0);
    block.writeBigUInt64BE(BigInt(personId), 4);
    block.writeUInt32BE(CHECK ^ (personId >>> 0), 12);
    const c = createCipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    return Buffer.concat([c.update(block), c.final()]).toString('base64url');
  }

  /** The person id behind a pseudonym, or null if it is not one of ours. */
  personOf(sub: string): number | null {
    const raw = Buffer.from(sub, 'base64url');
    if (raw.length !== 16 || raw.toString('base64url') !== sub) return null;
    const d = createDecipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    const block = Buffer.concat([d.update(raw), d.final()]);
    if (block.readUInt32BE(0) !== CHECK) return null;
    const id = block.readBigUInt64BE(4);
    if (id > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    const n = Number(id);
    return block.readUInt32BE(12) === ((CHECK ^ (n >>> 0)) >>> 0) ? n : null;
  }
}
