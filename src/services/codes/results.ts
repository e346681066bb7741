/**
 * Test results as labs report them (a sample taken, a sample's result, a pooled tube's result), stored and followed
 * at once by the re-evaluation of the codes they concern.
 */
import type { SampleMethod, TestResult } from '../../domain/vocab.ts';
import type { Store } from '../../storage/store.ts';
import type { HealthCodeService } from './healthCodes.ts';

/** Why a result was refused. */
export class ResultError extends Error {
  constructor(readonly reason: 'unknown_person' | 'duplicate_sample' | 'unknown_sample' | 'unknown_pool' | 'result_before_sample', message: string) {
    super(message);
    this.name = 'ResultError';
  }
}

/** How many persons a result concerned, and how many of their codes changed. */
export interface ResultEffect { persons: number; codesChanged: number }

export interface NewSampleReport {
  sampleNo: string; personId: number; method: SampleMethod; poolNo: string | null; sampledAt: number; result: TestResult; resultAt: number | null; lab: string | null;
}

/** Records a sample (into its pooled tube, created if new) and re-evaluates the person's code. */
export async function recordSample(store: Store, codes: HealthCodeService, b: NewSampleReport, now: number): Promise<ResultEffect> {
  if (!(await store.persons.get(b.personId))) throw new ResultError('unknown_person', `No person with id ${b.personId}.`);
  const inserted = await store.transaction(async (tx) => {
    let poolId: number | null = null;
    if (b.poolNo !== null) {
      await tx.samples.insertPools([{ poolNo: b.poolNo, size: 1, sampledAt: b.sampledAt, result: 'pending', resultAt: null, lab: b.lab }]);
      poolId = (await tx.samples.poolIds([b.poolNo])).get(b.poolNo)!;
    }
    return tx.samples.insertMany([{ sampleNo: b.sampleNo, personId: b.personId, method: b.method, poolId, sampledAt: b.sampledAt, result: b.result, resultAt: b.resultAt, lab: b.lab }]);
  });
  if (inserted === 0) throw new ResultError('duplicate_sample', `Sample ${b.sampleNo} is already recorded.`);
  const r = await codes.recompute([b.personId], `sample ${b.sampleNo} ${b.result}`, now);
  return { persons: 1, codesChanged: r.changed };
}

/** Records a single tube's result and re-evaluates the person's code. */
export async function recordSampleResult(store: Store, codes: HealthCodeService, sampleNo: string, result: TestResult, resultAt: number, now: number): Promise<ResultEffect> {
  const s = await store.samples.bySampleNo(sampleNo);
  if (!s) throw new ResultError('unknown_sample', `No sample ${sampleNo}.`);
  if (resultAt < s.sampledAt) throw new ResultError('result_before_sample', 'result before the sample was taken');
  await store.samples.setResult(sampleNo, result, resultAt);
  const r = await codes.recompute([s.personId], `sample ${sampleNo} ${result}`, now);
  return { persons: 1, codesChanged: r.changed };
}

/** Records a pooled tube's result and re-evaluates the codes of everyone sampled into it. */
export async function recordPoolResult(store: Store, codes: HealthCodeService, poolNo: string, result: TestResult, resultAt: number, now: number): Promise<ResultEffect> {
  const members = await store.transaction((tx) => tx.samples.setPoolResult(poolNo, result, resultAt));
  if (members === null) throw new ResultError('unknown_pool', `No pooled tube ${poolNo}.`);
  const r = await codes.recompute(members, `pooled tube ${poolNo} ${result}`, now);
  return { persons: members.length, codesChanged: r.changed };
}
