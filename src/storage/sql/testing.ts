/** Nucleic-acid samples and the pooled tubes they belong to. */
import type { Pool, Sample, SampleMethod, TestResult } from '../../domain/model/index.ts';
import type { Db } from '../db.ts';
import { inChunks, lookupIds } from './keys.ts';

export type NewPool = Omit<Pool, 'id'>;
export type NewSample = Omit<Sample, 'id'>;

interface SampleRow {
  id: number; sample_no: string; person_id: number; method: string; pool_id: number | null; sampled_at: number; result: string;
  result_at: number | null; lab: string | null;
}

const toSample = (r: SampleRow): Sample => ({
  id: r.id, sampleNo: r.sample_no, personId: r.person_id, method: r.method as SampleMethod, poolId: r.pool_id, sampledAt: r.sampled_at,
  result: r.result as TestResult, resultAt: r.result_at, lab: r.lab,
});

export class SampleRepository {
  constructor(private readonly db: Db) {}

  /** Inserts pooled tubes, skipping pool numbers already present. */
  insertPools(rows: NewPool[]): Promise<number> {
    return this.db.insertMany('pools', ['pool_no', 'size', 'sampled_at', 'result', 'result_at', 'lab'],
      rows.map((p) => [p.poolNo, p.size, p.sampledAt, p.result, p.resultAt, p.lab]), ['pool_no']);
  }

  async poolByNo(poolNo: string): Promise<Pool | undefined> {
    const r = await this.db.get<{ id: number; pool_no: string; size: number; sampled_at: number; result: string; result_at: number | null; lab: string | null }>(
      'SELECT * FROM pools WHERE pool_no = ?', [poolNo]);
    return r && { id: r.id, poolNo: r.pool_no, size: r.size, sampledAt: r.sampled_at, result: r.result as TestResult, resultAt: r.result_at, lab: r.lab };
  }

  /** Number of samples in a pooled tube. */
  async membersOf(poolId: number): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM samples WHERE pool_id = ?', [poolId]))?.n ?? 0;
  }

  poolIds(poolNos: Iterable<string>): Promise<Map<string, number>> {
    return lookupIds(this.db, 'pools', 'pool_no', poolNos);
  }

  /** Inserts samples, skipping sample numbers already present. */
  insertMany(rows: NewSample[]): Promise<number> {
    return this.db.insertMany('samples', ['sample_no', 'person_id', 'method', 'pool_id', 'sampled_at', 'result', 'result_at', 'lab'],
      rows.map((s) => [s.sampleNo, s.personId, s.method, s.poolId, s.sampledAt, s.result, s.resultAt, s.lab]), ['sample_no']);
  }

  /** A person's samples, newest first. */
  async ofPerson(personId: number): Promise<Sample[]> {
    const rows = await this.db.all<SampleRow>('SELECT * FROM samples WHERE person_id = ? ORDER BY sampled_at DESC', [personId]);
    return rows.map(toSample);
  }

  /** Records a sample's result (a lab's report); returns false when there is no such sample. */
  async setResult(sampleNo: string, result: TestResult, resultAt: number): Promise<boolean> {
    return (await this.db.run('UPDATE samples SET result = ?, result_at = ? WHERE sample_no = ?', [result, resultAt, sampleNo])) > 0;
  }

  /** Records the result of a pooled tube still pending; returns the persons sampled into it (null when there is no such pending pool). */
  async setPoolResult(poolNo: string, result: TestResult, resultAt: number): Promise<number[] | null> {
    if ((await this.db.run("UPDATE pools SET result = ?, result_at = ? WHERE pool_no = ? AND result = 'pending'", [result, resultAt, poolNo])) === 0) return null;
    const rows = await this.db.all<{ person_id: number }>('SELECT s.person_id FROM samples s JOIN pools p ON p.id = s.pool_id WHERE p.pool_no = ?', [poolNo]);
    return rows.map((r) => r.person_id);
  }

  /** Samples of these numbers (those that exist). */
  async bySampleNos(sampleNos: readonly string[]): Promise<Map<string, Sample>> {
    const rows = await inChunks<SampleRow, string>(this.db, [...new Set(sampleNos)], (ph) => `SELECT * FROM samples WHERE sample_no IN (${ph})`);
    return new Map(rows.map((r) => [r.sample_no, toSample(r)]));
  }

  /** Changes a sample's result (and when it came), or its lab. */
  async update(id: number, fields: Partial<Pick<Sample, 'result' | 'resultAt' | 'lab'>>): Promise<void> {
    const cols = { result: 'result', resultAt: 'result_at', lab: 'lab' } as const;
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined) as [keyof typeof cols, string | number | null][];
    if (entries.length) await this.db.run(`UPDATE samples SET ${entries.map(([k]) => `${cols[k]} = ?`).join(', ')} WHERE id = ?`, [...entries.map(([, v]) => v), id]);
  }

  async bySampleNo(sampleNo: string): Promise<Sample | undefined> {
    const r = await this.db.get<SampleRow>('SELECT * FROM samples WHERE sample_no = ?', [sampleNo]);
    return r && toSample(r);
  }
}
