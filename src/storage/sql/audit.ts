/**
 * The audit log of personal data: append-only rows, each carrying the hash of the row before it (the service
 * computes the hashes). Appends are serialised (SQLite writes one transaction at a time; PostgreSQL locks the table
 * against other appenders, not readers), so the chain never forks. Times are epoch seconds from the caller.
 */
import type { Db, SqlValue } from '../db.ts';
import { personIdInScope, type Scope } from './scope.ts';
import type { Page, PageRequest } from './paging.ts';
import { toPage } from './paging.ts';

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  /** What was done: an action of the access catalogue (`persons:read-identity`, `chains:export` ...). */
  action: string;
  /** Whom or what it concerned: `person:123`, `case:45`, `export:chains`. */
  subject: string;
  purpose: string | null;
  requestId: string | null;
  detail: string | null;
  prevHash: string;
  hash: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'prevHash' | 'hash'>;

interface AuditRecord {
  id: number; at: number; actor: string | null; action: string; subject: string; purpose: string | null; request_id: string | null; detail: string | null; prev_hash: string | null; hash: string | null;
}
const toEntry = (r: AuditRecord): AuditEntry => ({
  id: Number(r.id), at: Number(r.at), actor: r.actor ?? '', action: r.action, subject: r.subject, purpose: r.purpose, requestId: r.request_id, detail: r.detail,
  prevHash: r.prev_hash ?? '', hash: r.hash ?? '',
});

export class AuditRepository {
  constructor(private readonly db: Db) {}

  /**
   * Appends an entry after the last one: `hashOf(prevHash, entry)` gives its hash. Runs in its own transaction
   * (pass the store's db, not a transaction's). Returns the entry as stored.
   */
  async append(entry: NewAuditEntry, hashOf: (prevHash: string, e: NewAuditEntry) => string): Promise<AuditEntry> {
    return this.db.transaction(async (tx) => {
      if (tx.engine === 'postgres') await tx.exec('LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE');
      const last = await tx.get<{ hash: string | null }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
      const prevHash = last?.hash ?? '';
      const hash = hashOf(prevHash, entry);
      const row = await tx.get<{ id: number }>(
        'INSERT INTO audit_log (at, actor, action, subject, purpose, request_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
        [entry.at, entry.actor, entry.action, entry.subject, entry.purpose, entry.requestId, entry.detail, prevHash, hash],
      );
      return { ...entry, id: Number(row!.id), prevHash, hash };
    });
  }

  /**
   * Entries in id order, paged; filtered by subject and/or actor. Under a region `scope` narrower than the province,
   * only the entries about a person living there (subject `person:ID`): an auditor of a city audits what was done with
   * its residents' data; entries about no person (an ID number searched in vain, a key rotated) are the province's.
   */
  async list(filter: { subject?: string; actor?: string }, page: PageRequest, scope?: Scope): Promise<Page<AuditEntry>> {
    const where = ['id > ?'];
    const params: SqlValue[] = [page.after ?? 0];
    const person = scope && scope.length > 2 ? personIdInScope(scope, 'CAST(substr(subject, 8) AS INTEGER)') : null;
    if (person) { where.push(`subject LIKE 'person:%'`, person.sql); params.push(...person.params); }
    if (filter.subject) { where.push('subject = ?'); params.push(filter.subject); }
    if (filter.actor) { where.push('actor = ?'); params.push(filter.actor); }
    const rows = await this.db.all<AuditRecord>(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toEntry);
  }

  /** Whether an entry with this hash exists. */
  async hasHash(hash: string): Promise<boolean> {
    return (await this.db.get<{ id: number }>('SELECT id FROM audit_log WHERE hash = ?', [hash])) !== undefined;
  }
}
