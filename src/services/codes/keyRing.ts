/**
 * The province's signing keys: one active Ed25519 key signs new tokens; retired keys keep verifying tokens they
 * signed until those expire. Keys live in the database (so several servers share them), their private halves sealed
 * under the installation's secret (keySealing.ts); the first use creates one.
 */
import { randomBytes } from 'node:crypto';
import { newSigningKey, TokenSigner, TokenVerifier, type PublicKeyInfo } from '../../codes/token.ts';
import type { Store } from '../../storage/store.ts';
import type { StoredKey } from '../../storage/sql/codes.ts';
import { isSealed, openPrivateKey, sealPrivateKey } from './keySealing.ts';

export class KeyRing {
  // Stryker disable next-line ArrayDeclaration: equivalent: the constructor is private and open() loads the keys before any use
  private keys: StoredKey[] = [];
  private signerCache: TokenSigner | undefined;
  private verifierCache: TokenVerifier | undefined;

  private constructor(private readonly store: Store, private readonly tokenLifetimeSec: number, private readonly secret: string) {}

  /**
   * Loads the keys (sealing any an older version stored in the clear), creating the first one if there is none.
   * `secret`: the installation's secret the private keys are sealed under. Throws SealedKeyError when it does not
   * open them.
   */
  static async open(store: Store, tokenLifetimeSec: number, now: number, secret: string): Promise<KeyRing> {
    const ring = new KeyRing(store, tokenLifetimeSec, secret);
    for (const k of await store.codes.keys()) if (!isSealed(k.privateKeyPem)) await store.codes.setPrivateKey(k.kid, sealPrivateKey(k.privateKeyPem, secret));
    await ring.reload();
    if (!ring.keys.some((k) => k.retiredAt === null)) await ring.rotate(now);
    return ring;
  }

  /**
   * Reloads the keys if another process changed them (a rotation by the CLI or another server): whether they
   * changed. A running server calls it every few seconds, so a rotation elsewhere is signed with within seconds.
   */
  async refresh(): Promise<boolean> {
    const stored = await this.store.codes.keys();
    const same = stored.length === this.keys.length && stored.every((k, i) => k.kid === this.keys[i].kid && k.retiredAt === this.keys[i].retiredAt);
    if (same) return false;
    await this.reload();
    return true;
  }

  async reload(): Promise<void> {
    this.keys = (await this.store.codes.keys()).map((k) => ({ ...k, privateKeyPem: openPrivateKey(k.kid, k.privateKeyPem, this.secret) }));
    this.signerCache = undefined;
    this.verifierCache = undefined;
  }

  /** Creates a new active key and retires the others (they verify until their last tokens expire). */
  async rotate(now: number): Promise<string> {
    const kid = `k${new Date(now * 1000).toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
    const k = newSigningKey(kid);
    await this.store.transaction(async (tx) => {
      await tx.codes.insertKey({ kid, publicKey: k.publicKey, privateKeyPem: sealPrivateKey(k.privateKeyPem, this.secret), createdAt: now, retiredAt: null });
      await tx.codes.retireOthers(kid, now);
    });
    await this.reload();
    return kid;
  }

  /** The longest a token may live, in seconds (the edition's token lifetime): what an offline verifier enforces. */
  get maxTokenLifetimeSeconds(): number {
    return this.tokenLifetimeSec;
  }

  /** The public keys a verifier needs (what an offline checkpoint downloads). */
  publicKeys(): PublicKeyInfo[] {
    return this.keys.map((k) => ({ kid: k.kid, publicKey: k.publicKey, notAfter: k.retiredAt === null ? null : k.retiredAt + this.tokenLifetimeSec }));
  }

  signer(): TokenSigner {
    // Stryker disable next-line ConditionalExpression: equivalent: a signer made again is of the same active key (the cache saves parsing the key only)
    if (!this.signerCache) {
      const active = [...this.keys].reverse().find((k) => k.retiredAt === null);
      if (!active) throw new Error('no active signing key');
      this.signerCache = new TokenSigner({ kid: active.kid, privateKeyPem: active.privateKeyPem, publicKey: active.publicKey });
    }
    return this.signerCache;
  }

  verifier(): TokenVerifier {
    this.verifierCache ??= new TokenVerifier(this.publicKeys(), { maxLifetimeSec: this.tokenLifetimeSec });
    return this.verifierCache;
  }
}
