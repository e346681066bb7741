/** Health codes: signing keys, every person's current code, the transitions, and the facts a code is computed from. */
import type { CodeFacts } from '../../domain/rules/healthCode.ts';
import type { CodeColour, CodeTransition, HealthCode } from '../../domain/model/index.ts';
import type { CaseKind, ContactKind, ContactStatus, QuarantineKind, SampleMethod, TestResult } from '../../domain/vocab.ts';
import type { Db } from '../db.ts';
import { inChunks } from './keys.ts';
import { fromJson } from './paging.ts';

export interface StoredKey {
  kid: string;
  publicKey: string;
  privateKeyPem: string;
  createdAt: number;
  retiredAt: number | null;
}

interface CodeRow { person_id: number; colour: string; reasons: unknown; since: number; valid_until: number }
const toCode = (r: CodeRow): HealthCode => ({ personId: r.person_id, colour: r.colour as CodeColour, reasons: fromJson(r.reasons), since: r.since, validUntil: r.valid_until });

export class CodeRepository {
  constructor(private readonly db: Db) {}

  /**
   * Claims token ids for online verification, in one statement: the ids returned were not claimed before by any
   * process (they pass their replay check); the others were (a replay). `exp` is when each token expires.
   */
  async claimTokens(tokens: readonly { jti: string; exp: number }[]): Promise<Set<string>> {
    const claimed = new Set<string>();
    for (let i = 0; i < tokens.length; i += 400) {
      const chunk = tokens.slice(i, i + 400);
      const rows = await this.db.writeReturning<{ jti: string }>(
        `INSERT INTO used_tokens (jti, expires_at) VALUES ${chunk.map(() => '(?, ?)').join(', ')} ON CONFLICT (jti) DO NOTHING RETURNING jti`,
        chunk.flatMap((t) => [t.jti, t.exp]));
      for (const r of rows) claimed.add(r.jti);
    }
    return claimed;
  }

  /** Forgets token ids whose tokens expired before `before` (a replay of those is refused as expired anyway). */
  forgetUsedTokens(before: number): Promise<number> {
    return this.db.run('DELETE FROM used_tokens WHERE expires_at < ?', [before]);
  }

  /** Changes when another process commits to the store (SQLite); null on PostgreSQL (see Db.dataVersion). */
  dataVersion(): number | null {
    return this.db.dataVersion();
  }

  async insertKey(k: StoredKey): Promise<void> {
    await this.db.run('INSERT INTO signing_keys (kid, public_key, private_key, created_at, retired_at) VALUES (?, ?, ?, ?, ?)',
      [k.kid, k.publicKey, k.privateKeyPem, k.createdAt, k.retiredAt]);
  }

  /** Replaces a key's stored private key (sealing one stored in the clear by an older version). */
  async setPrivateKey(kid: string, privateKey: string): Promise<void> {
    await this.db.run('UPDATE signing_keys SET private_key = ? WHERE kid = ?', [privateKey, kid]);
  }

  async keys(): Promise<StoredKey[]> {
    const rows = await this.db.all<{ kid: string; public_key: string; private_key: string; created_at: number; retired_at: number | null }>(
      'SELECT kid, public_key, private_key, created_at, retired_at FROM signing_keys ORDER BY created_at, id');
    return rows.map((r) => ({ kid: r.kid, publicKey: r.public_key, privateKeyPem: r.private_key, createdAt: r.created_at, retiredAt: r.retired_at }));
  }

  /** Retires every active key except `keep`. */
  async retireOthers(keep: string, at: number): Promise<number> {
    return this.db.run('UPDATE signing_keys SET retired_at = ? WHERE kid <> ? AND retired_at IS NULL', [at, keep]);
  }

  async current(personId: number): Promise<HealthCode | undefined> {
    const r = await this.db.get<CodeRow>('SELECT person_id, colour, reasons, since, valid_until FROM current_codes WHERE person_id = ?', [personId]);
    return r && toCode(r);
  }

  /**
   * The colours of several persons' codes now, by person id (persons without a code are absent): one query for the
   * online verifications gathered in one turn of the event loop (every one on PostgreSQL, cache misses on SQLite).
   */
  async coloursOf(personIds: readonly number[]): Promise<Map<number, CodeColour>> {
    const rows = await inChunks<{ person_id: number; colour: CodeColour }>(this.db, personIds, (ph) => `SELECT person_id, colour FROM current_codes WHERE person_id IN (${ph})`);
    return new Map(rows.map((r) => [r.person_id, r.colour]));
  }

  /** How many of a case's people (its person and every contact of it) hold each colour now: one counting query. */
  async coloursOfCase(caseId: number): Promise<Record<CodeColour, number>> {
    const rows = await this.db.all<{ colour: CodeColour; n: number }>(
      `SELECT colour, COUNT(*) AS n FROM current_codes
       WHERE person_id IN (SELECT person_id FROM contacts WHERE index_case_id = ? UNION SELECT person_id FROM cases WHERE id = ?)
       GROUP BY colour`, [caseId, caseId]);
    const out: Record<CodeColour, number> = { green: 0, yellow: 0, red: 0 };
    for (const r of rows) out[r.colour] = Number(r.n);
    return out;
  }

  async currentOf(personIds: readonly number[]): Promise<Map<number, HealthCode>> {
    const rows = await inChunks<CodeRow>(this.db, personIds, (ph) => `SELECT person_id, colour, reasons, since, valid_until FROM current_codes WHERE person_id IN (${ph})`);
    return new Map(rows.map((r) => [r.person_id, toCode(r)]));
  }

  /** Every current colour with its time (the verification cache). */
  async colours(): Promise<{ personId: number; colour: CodeColour; since: number }[]> {
    const rows = await this.db.all<{ person_id: number; colour: string; since: number }>('SELECT person_id, colour, since FROM current_codes');
    return rows.map((r) => ({ personId: r.person_id, colour: r.colour as CodeColour, since: r.since }));
  }

  /** Persons whose code must be evaluated again by `now`. */
  async expiring(now: number, limit: number): Promise<number[]> {
    const rows = await this.db.all<{ person_id: number }>('SELECT person_id FROM current_codes WHERE valid_until <= ? ORDER BY valid_until LIMIT ?', [now, limit]);
    return rows.map((r) => r.person_id);
  }

  /**
   * Persons whose codes a change of `units`' risk level (division-code prefixes) can change: seen in a unit between
   * `from` and `to` and recorded outside it afterwards (by `to`). Only those can have, or lose, an arrival reason
   * (`factsOf`'s risk visits); a resident or visitor not seen elsewhere since cannot, so a grading does not re-evaluate
   * a whole community (bench:codes confirm: 10,001 codes evaluated a second time for nothing).
   */
  async arrivalCandidates(units: readonly string[], from: number, to: number): Promise<number[]> {
    const ids = new Set<number>();
    for (const unit of new Set(units)) {
      const rows = await this.db.all<{ person_id: number }>(
        `SELECT DISTINCT p.person_id FROM presence p JOIN places pl ON pl.id = p.place_id
         WHERE pl.region_code LIKE ? AND p.end_at >= ? AND p.start_at <= ?
           AND EXISTS (SELECT 1 FROM presence q JOIN places ql ON ql.id = q.place_id
                       WHERE q.person_id = p.person_id AND q.start_at >= p.end_at AND q.start_at <= ? AND ql.region_code NOT LIKE ?)`,
        [`${unit}%`, from, to, to, `${unit}%`]);
      for (const r of rows) ids.add(r.person_id);
    }
    return [...ids];
  }

  /** Writes new current codes (replacing the old) and their transitions (`eventId`: the event that caused them). Call inside a transaction. */
  async write(codes: HealthCode[], transitions: CodeTransition[], eventId: number | null = null): Promise<void> {
    if (codes.length === 0) return;
    // One upsert: a person's row is updated in place (no delete, and no foreign-key check for a key that is unchanged).
    // A person given twice keeps the last code (an upsert may not touch one row twice).
    const latest = [...new Map(codes.map((c) => [c.personId, c])).values()];
    await this.db.insertMany('current_codes', ['person_id', 'colour', 'reasons', 'since', 'valid_until'],
      latest.map((c) => [c.personId, c.colour, JSON.stringify(c.reasons), c.since, c.validUntil]), { key: ['person_id'], update: ['colour', 'reasons', 'since', 'valid_until'] });
    await this.db.insertMany('code_transitions', ['person_id', 'from_colour', 'colour', 'reasons', 'cause', 'at', 'event_id'],
      transitions.map((t) => [t.personId, t.fromColour, t.colour, JSON.stringify(t.reasons), t.cause, t.at, eventId]), []);
  }

  async transitionsOf(personId: number): Promise<CodeTransition[]> {
    const rows = await this.db.all<{ person_id: number; from_colour: string | null; colour: string; reasons: unknown; cause: string; at: number }>(
      'SELECT person_id, from_colour, colour, reasons, cause, at FROM code_transitions WHERE person_id = ? ORDER BY at, id', [personId]);
    return rows.map((r) => ({ personId: r.person_id, fromColour: r.from_colour as CodeColour | null, colour: r.colour as CodeColour, reasons: fromJson(r.reasons), cause: r.cause, at: r.at }));
  }

  /**
   * The facts of many persons at once: one query per kind of fact and chunk of ids. Risk visits: stays (any feed)
   * in regions under a current medium or high grading, in the last `riskLookBackSec`, ended by `now`, of persons
   * recorded outside that region afterwards (who left it: a resident who stayed is not an arrival).
   */
  async factsOf(personIds: readonly number[], now: number, riskLookBackSec: number): Promise<CodeFacts[]> {
    const facts = new Map<number, CodeFacts>(personIds.map((id) => [id, {
      personId: id, cases: [], contacts: [], quarantine: [], samples: [], temperatures: [], riskVisits: [],
    }]));
    const at = (id: number) => facts.get(id)!;
    for (const r of await inChunks<{ person_id: number; case_no: string; kind: string; confirmed_at: number; outcome: string; outcome_at: number | null }>(this.db, personIds,
      (ph) => `SELECT person_id, case_no, kind, confirmed_at, outcome, outcome_at FROM cases WHERE person_id IN (${ph}) AND withdrawn_at IS NULL ORDER BY confirmed_at, id`)) {
      at(r.person_id).cases.push({ caseNo: r.case_no, kind: r.kind as CaseKind, confirmedAt: r.confirmed_at, outcome: r.outcome, outcomeAt: r.outcome_at });
    }
    for (const r of await inChunks<{ person_id: number; kind: string; status: string; first_exposure: number; last_exposure: number; identified_at: number }>(this.db, personIds,
      (ph) => `SELECT person_id, kind, status, first_exposure, last_exposure, identified_at FROM contacts WHERE person_id IN (${ph}) AND identified_at <= ?`, [now])) {
      at(r.person_id).contacts.push({ kind: r.kind as ContactKind, status: r.status as ContactStatus, firstExposure: r.first_exposure, lastExposure: r.last_exposure, identifiedAt: r.identified_at });
    }
    for (const r of await inChunks<{ person_id: number; kind: string; started_at: number; planned_end: number; ended_at: number | null; arrival_from: string | null; counted_from: number }>(this.db, personIds,
      (ph) => `SELECT person_id, kind, started_at, planned_end, ended_at, arrival_from, counted_from FROM quarantine_assignments WHERE person_id IN (${ph})`)) {
      at(r.person_id).quarantine.push({
        kind: r.kind as QuarantineKind, startedAt: r.started_at, plannedEnd: r.planned_end, endedAt: r.ended_at,
        arrivalFrom: r.arrival_from === 'high' || r.arrival_from === 'medium' ? r.arrival_from : null, countedFrom: Number(r.counted_from),
      });
    }
    for (const r of await inChunks<{ person_id: number; method: string; sampled_at: number; result: string; result_at: number | null; pool_result: string | null; pool_result_at: number | null; lab: string | null }>(this.db, personIds,
      (ph) => `SELECT s.person_id, s.method, s.sampled_at, s.result, s.result_at, p.result AS pool_result, p.result_at AS pool_result_at, s.lab
               FROM samples s LEFT JOIN pools p ON p.id = s.pool_id WHERE s.person_id IN (${ph}) AND s.sampled_at <= ?`, [now])) {
      at(r.person_id).samples.push({
        method: r.method as SampleMethod, sampledAt: r.sampled_at, result: r.result as TestResult, resultAt: r.result_at,
        poolResult: r.pool_result as TestResult | null, poolResultAt: r.pool_result_at, lab: r.lab,
      });
    }
    for (const r of await inChunks<{ person_id: number; at: number; temperature_c: number }>(this.db, personIds,
      // Latest first, and among readings of the same second the last recorded first.
      (ph) => `SELECT person_id, at, temperature_c FROM check_records WHERE person_id IN (${ph}) AND temperature_c IS NOT NULL AND at <= ? ORDER BY at DESC, id DESC`, [now])) {
      at(r.person_id).temperatures.push({ at: r.at, celsius: r.temperature_c });
    }
    // Daily follow-up reports of the last 30 days (what a report makes of a code lasts hours: older ones say nothing).
    for (const r of await inChunks<{ person_id: number; at: number; temperature_c: number | null; symptoms: unknown }>(this.db, personIds,
      (ph) => `SELECT person_id, at, temperature_c, symptoms FROM follow_up_reports WHERE person_id IN (${ph}) AND at <= ? AND at > ? ORDER BY at DESC, id DESC`, [now, now - 30 * 86_400])) {
      const f = at(r.person_id);
      if (r.temperature_c !== null) f.temperatures.push({ at: r.at, celsius: r.temperature_c, where: 'follow-up report' });
      (f.symptomReports ??= []).push({ at: r.at, symptoms: fromJson<string[]>(r.symptoms) });
    }
    // The units under a medium or high grading now (few), read once: none, and there is no visit to look for.
    const graded = await this.db.all<{ region_code: string; level: string }>(
      `SELECT ra.region_code, ra.level FROM risk_areas ra
       WHERE ra.id = (SELECT r2.id FROM risk_areas r2 WHERE r2.region_code = ra.region_code AND r2.since <= ? ORDER BY r2.since DESC, r2.id DESC LIMIT 1)
         AND ra.level IN ('medium', 'high')`, [now]);
    const stays = graded.length === 0 ? [] : await inChunks<{ person_id: number; region_code: string; left_at: number }>(this.db, personIds,
      (ph) => `SELECT p.person_id, pl.region_code, MAX(p.end_at) AS left_at
               FROM presence p JOIN places pl ON pl.id = p.place_id
               WHERE p.person_id IN (${ph}) AND p.end_at <= ? AND p.end_at >= ?
                 AND (${graded.map(() => "pl.region_code LIKE ? || '%'").join(' OR ')})
               GROUP BY p.person_id, pl.region_code`, [now, now - riskLookBackSec, ...graded.map((g) => g.region_code)]);
    // Per person and graded unit (a place can lie in a graded community and its graded township), the last departure.
    const byVisit = new Map<string, { person_id: number; region_code: string; level: string; left_at: number }>();
    for (const st of stays) {
      for (const g of graded) {
        if (!st.region_code.startsWith(g.region_code)) continue;
        const key = `${st.person_id} ${g.region_code}`;
        const v = byVisit.get(key);
        if (!v) byVisit.set(key, { person_id: st.person_id, region_code: g.region_code, level: g.level, left_at: st.left_at });
        else v.left_at = Math.max(v.left_at, st.left_at);
      }
    }
    const visits = [...byVisit.values()];
    if (visits.length > 0) {
      // Where each visitor was recorded after their earliest departure: a visit counts only if they were seen outside the area since.
      const from = visits.reduce((m, v) => Math.min(m, v.left_at), Infinity);
      const later = await inChunks<{ person_id: number; start_at: number; region_code: string }>(this.db, [...new Set(visits.map((v) => v.person_id))],
        (ph) => `SELECT p.person_id, p.start_at, pl.region_code FROM presence p JOIN places pl ON pl.id = p.place_id
                 WHERE p.person_id IN (${ph}) AND p.start_at >= ? AND p.start_at <= ?`, [from, now]);
      const seen = new Map<number, { start: number; region: string }[]>();
      for (const r of later) {
        const list = seen.get(r.person_id) ?? [];
        list.push({ start: r.start_at, region: r.region_code });
        seen.set(r.person_id, list);
      }
      for (const v of visits) {
        const left = (seen.get(v.person_id) ?? []).some((x) => x.start >= v.left_at && !x.region.startsWith(v.region_code));
        if (left) at(v.person_id).riskVisits.push({ regionCode: v.region_code, level: v.level as 'medium' | 'high', leftAt: v.left_at });
      }
    }
    return [...facts.values()];
  }
}
