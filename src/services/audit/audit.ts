/**
 * The audit of personal data (DESIGN.md, security): every read of a full identity, export and search by identity
 * is appended to the audit log with its actor, time (the server's), subject, purpose and request id. The log is
 * tamper-evident: each entry's hash is SHA-256 over the hash before it and the entry's own fields, so editing,
 * deleting or reordering an entry breaks every hash after it, which `verifyAuditChain` (and `cordon audit verify`)
 * detects. Cutting entries off the end leaves a shorter valid chain: compare the head hash with one kept elsewhere
 * (the verify command prints it and takes `--expect-head`).
 */
import { createHash } from 'node:crypto';
import type { Action } from '../../domain/access.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { AuditEntry, NewAuditEntry } from '../../storage/sql/audit.ts';
import type { Store } from '../../storage/store.ts';

/** The hash of an entry after `prevHash` (hex SHA-256 over the previous hash and the entry's fields, in a fixed order). */
export function auditHash(prevHash: string, e: NewAuditEntry): string {
  return createHash('sha256').update(`${prevHash}\n${JSON.stringify([e.at, e.actor, e.action, e.subject, e.purpose, e.requestId, e.detail])}`).digest('hex');
}

/** Appends an audit entry for `ctx`'s actor at the server's now. */
export async function recordAudit(
  ctx: Ctx, store: Store, e: { action: Action; subject: string; purpose: string | null; requestId?: string | null; detail?: string | null },
): Promise<AuditEntry> {
  return store.audit.append(
    { at: ctx.clock.now(), actor: actorName(ctx.actor), action: e.action, subject: e.subject, purpose: e.purpose, requestId: e.requestId ?? null, detail: e.detail ?? null },
    auditHash,
  );
}

/** What a verification found: how many entries, the head hash, and the first entry whose hash does not follow. */
export interface AuditVerification {
  entries: number;
  head: string;
  broken: { id: number; reason: string } | null;
}

/** Walks the whole log in id order and checks every link and hash. */
export async function verifyAuditChain(store: Store): Promise<AuditVerification> {
  let prev = '', entries = 0, after = 0;
  for (;;) {
    const page = await store.audit.list({}, { after, limit: 5000 });
    for (const e of page.items) {
      if (e.prevHash !== prev) return { entries, head: prev, broken: { id: e.id, reason: 'does not follow the entry before it (an entry was removed, inserted or reordered)' } };
      if (auditHash(prev, e) !== e.hash) return { entries, head: prev, broken: { id: e.id, reason: 'its content does not match its hash (the entry was edited)' } };
      prev = e.hash;
      entries++;
    }
    if (page.nextAfter === null) return { entries, head: prev, broken: null };
    after = page.nextAfter;
  }
}
