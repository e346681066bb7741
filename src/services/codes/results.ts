/**
 * Test results as labs report them: a sample taken (single tube, or into a pooled tube of one of the edition's
 * sizes), a single tube's result, a pooled tube's result. Each is written with a `test.recorded` event in one
 * transaction, and the codes it concerns change through the event flow before the use case returns.
 */
import type { Services } from '../../app/container.ts';
import type { RiskLevel, SampleMethod, TestResult } from '../../domain/vocab.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import { assertPlausibleTimes } from '../times.ts';

/** Why a result was refused. */
export class ResultError extends Error {
  constructor(readonly reason: 'unknown_person' | 'duplicate_sample' | 'unknown_sample' | 'unknown_pool' | 'result_before_sample' | 'pool_full' | 'pool_size' | 'pool_closed' | 'person_in_pool' | 'pooled_sample', message: string) {
    super(message);
    this.name = 'ResultError';
  }
}

/** How many persons a result concerned, and how many of their codes changed because of it. */
export interface ResultEffect { persons: number; codesChanged: number }

export interface NewSampleReport {
  sampleNo: string; personId: number; method: SampleMethod; poolNo: string | null;
  /** Members a new pooled tube takes (one of the edition's pool sizes); the edition's size for the person's area when absent. */
  poolSize?: number | null;
  sampledAt: number; result: TestResult; resultAt: number | null; lab: string | null;
}

/** The pool sizes the edition allows for pooled tubes (every size above one). */
export const pooledSizes = (s: Pick<Services, 'edition'>): number[] => [...new Set(Object.values(s.edition.testing.poolSize))].filter((n) => n > 1).sort((a, b) => a - b);

/** The risk level of the area a person lives in now (the highest grading of their community or a unit above it). */
async function areaLevel(s: Pick<Services, 'store'>, personId: number, now: number): Promise<RiskLevel> {
  const p = await s.store.persons.get(personId);
  const rank = { low: 0, medium: 1, high: 2 } as const;
  let level: RiskLevel = 'low';
  for (const a of await s.store.control.riskAreasAt(now)) {
    if (p && p.communityCode.startsWith(a.regionCode)
      &&
      // Stryker disable next-line EqualityOperator: equivalent: at an equal rank the level taken is the same level
      rank[a.level] > rank[level]) level = a.level;
  }
  return level;
}

/** Records a sample (into its pooled tube, created if new) and lets the person's code follow. */
export async function recordSample(ctx: Ctx, s: Services, b: NewSampleReport): Promise<ResultEffect> {
  assertPlausibleTimes(ctx, s.edition, { sampledAt: b.sampledAt, resultAt: b.resultAt });
  if (!(await s.store.persons.get(b.personId, ctx.scope))) throw new ResultError('unknown_person', `No person with id ${b.personId}.`);
  if (b.resultAt !== null && b.resultAt < b.sampledAt) throw new ResultError('result_before_sample', 'result before the sample was taken');
  const allowed = pooledSizes(s);
  if (b.poolSize != null && !allowed.includes(b.poolSize)) throw new ResultError('pool_size', `a pooled tube takes ${allowed.join(', ')} samples under edition ${s.edition.id}, not ${b.poolSize}`);
  let size = b.poolSize ?? null;
  if (b.poolNo !== null) {
    // Single tubes where the area's level says so (PROTOCOL.md: high-risk areas), whatever size the tube is given; a
    // tube given no size takes the area's.
    const level = await areaLevel(s, b.personId, ctx.clock.now());
    const areaSize = s.edition.testing.poolSize[level];
    if (areaSize <= 1) throw new ResultError('pool_size', `the person lives in a ${level}-risk area: single tubes only (edition ${s.edition.id})`);
    size ??= areaSize;
  }
  const now = ctx.clock.now();
  const eventIds = await s.store.transaction(async (tx) => {
    let poolId: number | null = null;
    if (b.poolNo !== null) {
      const pool = await tx.samples.poolByNo(b.poolNo);
      if (pool) {
        if (b.poolSize != null && b.poolSize !== pool.size) throw new ResultError('pool_size', `pooled tube ${b.poolNo} takes ${pool.size} samples, not ${b.poolSize}`);
        if (pool.result !== 'pending') throw new ResultError('pool_closed', `pooled tube ${b.poolNo} already has its result (${pool.result})`);
        // One tube holds one swab of a person: a second sample of them goes into another tube.
        if ((await tx.samples.ofPerson(b.personId)).some((x) => x.poolId === pool.id)) throw new ResultError('person_in_pool', `person ${b.personId} already has a sample in pooled tube ${b.poolNo}`);
        if ((await tx.samples.membersOf(pool.id)) >= pool.size) throw new ResultError('pool_full', `pooled tube ${b.poolNo} already holds its ${pool.size} samples`);
        poolId = pool.id;
      } else {
        await tx.samples.insertPools([{ poolNo: b.poolNo, size: size!, sampledAt: b.sampledAt, result: 'pending', resultAt: null, lab: b.lab }]);
        poolId = (await tx.samples.poolIds([b.poolNo])).get(b.poolNo)!;
      }
    }
    const inserted = await tx.samples.insertMany([{ sampleNo: b.sampleNo, personId: b.personId, method: b.method, poolId, sampledAt: b.sampledAt, result: b.result, resultAt: b.resultAt, lab: b.lab }]);
    if (inserted === 0) throw new ResultError('duplicate_sample', `Sample ${b.sampleNo} is already recorded.`);
    return tx.events.append([{ kind: 'test.recorded', payload: { personIds: [b.personId] } }], actorName(ctx.actor), now);
  });
  await s.events.settle();
  return { persons: 1, codesChanged: await s.store.events.codeChangesCausedBy(eventIds) };
}

/**
 * Records a single tube's result (a changed final result is kept as a correction) and lets the person's code follow.
 * A sample in a pooled tube is refused (`pooled_sample`): its result is the tube's.
 */
export async function recordSampleResult(ctx: Ctx, s: Services, sampleNo: string, result: TestResult, resultAt: number): Promise<ResultEffect> {
  assertPlausibleTimes(ctx, s.edition, { resultAt });
  const sample = await s.store.samples.bySampleNo(sampleNo);
  if (!sample) throw new ResultError('unknown_sample', `No sample ${sampleNo}.`);
  // A sample in a pooled tube has the tube's result: its own would contradict the tube and what its members' codes followed.
  if (sample.poolId !== null) throw new ResultError('pooled_sample', `sample ${sampleNo} is in a pooled tube: its result is the tube's (record it for the tube; retest the person with a single tube)`);
  if (resultAt < sample.sampledAt) throw new ResultError('result_before_sample', 'result before the sample was taken');
  const now = ctx.clock.now();
  const eventIds = await s.store.transaction(async (tx) => {
    await tx.samples.setResult(sampleNo, result, resultAt);
    if (sample.result !== 'pending' && sample.result !== result) {
      await tx.corrections.record([{ entity: 'sample', entityKey: sampleNo, changes: { result: [sample.result, result], resultAt: [sample.resultAt, resultAt] }, reason: 'result reported again', actor: actorName(ctx.actor), at: now, source: ctx.actor.kind }]);
    }
    return tx.events.append([{ kind: 'test.recorded', payload: { personIds: [sample.personId] } }], actorName(ctx.actor), now);
  });
  await s.events.settle();
  return { persons: 1, codesChanged: await s.store.events.codeChangesCausedBy(eventIds) };
}

/**
 * Records a pooled tube's result and lets the codes of everyone sampled into it follow. A tube has one result: a
 * second is refused (POOL_CLOSED) rather than overwriting the first, which its members' codes already followed.
 */
export async function recordPoolResult(ctx: Ctx, s: Services, poolNo: string, result: TestResult, resultAt: number): Promise<ResultEffect> {
  assertPlausibleTimes(ctx, s.edition, { resultAt });
  const pool = await s.store.samples.poolByNo(poolNo);
  if (!pool) throw new ResultError('unknown_pool', `No pooled tube ${poolNo}.`);
  if (pool.result !== 'pending') throw new ResultError('pool_closed', `pooled tube ${poolNo} already has its result (${pool.result})`);
  if (resultAt < pool.sampledAt) throw new ResultError('result_before_sample', 'result before the pooled tube was sampled');
  const now = ctx.clock.now();
  const { members, eventIds } = await s.store.transaction(async (tx) => {
    const persons = await tx.samples.setPoolResult(poolNo, result, resultAt);
    // Another request's result, given since the check above: refused alike, naming the result that stands.
    // Stryker disable next-line OptionalChaining: equivalent: the tube was read above, and tubes are never deleted
    if (persons === null) throw new ResultError('pool_closed', `pooled tube ${poolNo} already has its result (${(await tx.samples.poolByNo(poolNo))?.result})`);
    return { members: persons, eventIds: await tx.events.append([{ kind: 'test.recorded', payload: { personIds: persons } }], actorName(ctx.actor), now) };
  });
  await s.events.settle();
  return { persons: members.length, codesChanged: await s.store.events.codeChangesCausedBy(eventIds) };
}
