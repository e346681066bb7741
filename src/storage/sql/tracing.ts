/**
 * Facts the tracing engine needs beside presence: who is known to be isolated and when (cases, quarantine
 * assignments), a cheap fingerprint of those facts (to reload them only when they changed), and a person's
 * co-residents in the household registry.
 */
import type { QuarantineKind } from '../../domain/vocab.ts';
import type { IsolationFact } from '../../domain/rules/isolation.ts';
import type { Db } from '../db.ts';

export class TracingRepository {
  constructor(private readonly db: Db) {}

  /**
   * Every case's isolation facts and every quarantine assignment of the given kinds (cases number in the thousands,
   * assignments up to about a hundred thousand).
   */
  async isolationFacts(quarantineKinds: readonly QuarantineKind[]): Promise<IsolationFact[]> {
    const cases = await this.db.all<{ person_id: number; isolated_at: number | null; confirmed_at: number; outcome_at: number | null; withdrawn_at: number | null }>(
      'SELECT person_id, isolated_at, confirmed_at, outcome_at, withdrawn_at FROM cases ORDER BY id');
    const out: IsolationFact[] = cases.map((r) => ({
      personId: r.person_id, kind: 'case', isolatedAt: r.isolated_at, confirmedAt: r.confirmed_at, outcomeAt: r.outcome_at, withdrawnAt: r.withdrawn_at,
    }));
    if (quarantineKinds.length === 0) return out;
    const rows = await this.db.all<{ person_id: number; kind: QuarantineKind; started_at: number; ended_at: number | null; planned_end: number }>(
      `SELECT person_id, kind, started_at, ended_at, planned_end FROM quarantine_assignments WHERE kind IN (${quarantineKinds.map(() => '?').join(', ')}) ORDER BY id`,
      quarantineKinds);
    for (const r of rows) out.push({ personId: r.person_id, kind: r.kind, startedAt: r.started_at, endedAt: r.ended_at, plannedEnd: r.planned_end });
    return out;
  }

  /**
   * A fingerprint of what isolationFacts returns: counts, highest ids and sums (plain and weighted by id) of the
   * times, so an insert, a delete or an edited time changes it. Two aggregate scans, no rows sent: much cheaper than
   * loading the facts.
   */
  async isolationVersion(quarantineKinds: readonly QuarantineKind[]): Promise<string> {
    const c = await this.db.get<Record<string, number | null>>(
      `SELECT COUNT(*) AS n, MAX(id) AS max_id, SUM(COALESCE(isolated_at, confirmed_at)) AS t, SUM(id * (COALESCE(isolated_at, confirmed_at) % 65521)) AS w,
              SUM(person_id) AS p, SUM(COALESCE(outcome_at, 0) + COALESCE(withdrawn_at, 0)) AS o,
              SUM(id * ((COALESCE(outcome_at, 0) + COALESCE(withdrawn_at, 0)) % 65521)) AS ow FROM cases`);
    const parts = [c?.n, c?.max_id, c?.t, c?.w, c?.p, c?.o, c?.ow];
    if (quarantineKinds.length) {
      const q = await this.db.get<Record<string, number | null>>(
        `SELECT COUNT(*) AS n, MAX(id) AS max_id, SUM(started_at) AS s, SUM(COALESCE(ended_at, planned_end)) AS e,
                SUM(id * (COALESCE(ended_at, planned_end) % 65521)) AS w, SUM(id * (started_at % 65521)) AS v, SUM(person_id) AS p
         FROM quarantine_assignments WHERE kind IN (${quarantineKinds.map(() => '?').join(', ')})`, quarantineKinds);
      parts.push(q?.n, q?.max_id, q?.s, q?.e, q?.w, q?.v, q?.p);
    }
    return parts.map((x) => String(x ?? 0)).join(':');
  }

  /**
   * The other persons registered in `personId`'s household (ascending ids; none when the person has no household);
   * persons are indexed by household (migration 4).
   */
  async coResidents(personId: number): Promise<number[]> {
    const rows = await this.db.all<{ id: number }>(
      `SELECT o.id FROM persons p JOIN persons o ON o.household_id = p.household_id
       WHERE p.id = ? AND p.household_id IS NOT NULL AND o.id <> p.id ORDER BY o.id`, [personId]);
    return rows.map((r) => r.id);
  }
}
