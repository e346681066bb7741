/**
 * Lab results at the service: single tubes and pooled tubes, each refusal with its reason and nothing written, pool
 * sizes from the edition by the risk level of where the person lives, corrections of a single tube's result, and the
 * codes of every member of a pooled tube following its result.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/engines.ts';
import { idNumber, MINI_REGIONS } from '../../../test/fixtures.ts';
import { TEST_KEY, testServices, type TestServices } from '../../../test/services.ts';
import { hashIdNumber } from '../../domain/identity.ts';
import { parseTime } from '../../domain/time.ts';
import { pooledSizes, recordPoolResult, recordSample, recordSampleResult, ResultError, type NewSampleReport } from './results.ts';

const t = (text: string) => parseTime(text)!;
const NOW = t('2021-08-05 12:00');

describeEachEngine('lab results', (engine) => {
  let ts: TestServices;
  let ids: number[];
  let n = 0;
  /** Person i's sample, into a pooled tube when `over` names one (as the route and the feed require). */
  const sample = (i: number, over: Partial<NewSampleReport> = {}): NewSampleReport => ({
    sampleNo: `S-${i}-${++n}`, personId: ids[i], method: over.poolNo ? 'pooled' : 'single', poolNo: null, sampledAt: NOW - 3600, result: 'pending', resultAt: null, lab: 'LAB-1', ...over,
  });
  const reason = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof ResultError ? e.reason : `other: ${(e as Error).message}`));
  const colour = async (i: number) => (await ts.s.store.codes.current(ids[i]))?.colour;

  beforeEach(async () => {
    ts = await testServices(engine, NOW);
    await ts.s.store.regions.insertMany(MINI_REGIONS);
    await ts.feed('persons', ['id_number,name,community_code', ...Array.from({ length: 12 }, (_, i) => `${idNumber(i + 1)},P${i + 1},430102001001`)]);
    const all = await ts.s.store.persons.idsByHash(Array.from({ length: 12 }, (_, i) => hashIdNumber(idNumber(i + 1), TEST_KEY)));
    ids = Array.from({ length: 12 }, (_, i) => all.get(hashIdNumber(idNumber(i + 1), TEST_KEY))!);
    await ts.s.codes.recompute(ids, 'initial', NOW);
  });
  afterEach(async () => { await ts?.close(); });

  it('offers the edition\'s pool sizes above one, each once, smallest first', () => {
    expect(pooledSizes(ts.s)).toEqual([5, 10, 20]);
  });

  it('refuses a sample of nobody, a result before its sample, a size the edition does not have, and a sample number twice, writing nothing', async () => {
    expect(await reason(recordSample(ts.ctx, ts.s, { ...sample(0), personId: 999_999 }))).toBe('unknown_person');
    expect(await reason(recordSample(ts.ctx, ts.s, sample(0, { result: 'negative', resultAt: NOW - 3601 })))).toBe('result_before_sample');
    await expect(recordSample(ts.ctx, ts.s, sample(0, { poolNo: 'P-7', poolSize: 7 }))).rejects.toThrow('a pooled tube takes 5, 10, 20 samples under edition ed8-delta-2021, not 7');
    expect(await ts.s.store.samples.poolByNo('P-7')).toBeUndefined();
    const once = sample(0, { poolNo: 'P-DUP' });
    await recordSample(ts.ctx, ts.s, once);
    expect(await reason(recordSample(ts.ctx, ts.s, { ...once, personId: ids[1] }))).toBe('duplicate_sample');
    // The refused sample took no place in the tube.
    expect(await ts.s.store.samples.membersOf((await ts.s.store.samples.poolByNo('P-DUP'))!.id)).toBe(1);
    // A result at the moment of sampling is not before it.
    expect(await reason(recordSample(ts.ctx, ts.s, sample(2, { result: 'negative', resultAt: NOW - 3600 })))).toBe('accepted');
  });

  it('sizes a new pooled tube by the risk level where the person lives: low 10, medium 5, high single tubes only', async () => {
    await recordSample(ts.ctx, ts.s, sample(0, { poolNo: 'P-LOW' }));
    expect((await ts.s.store.samples.poolByNo('P-LOW'))!.size).toBe(10);
    // A size the edition has, given with the tube, is taken as it is (20 in 1 in a precaution zone).
    await recordSample(ts.ctx, ts.s, sample(3, { poolNo: 'P-20', poolSize: 20 }));
    expect((await ts.s.store.samples.poolByNo('P-20'))!.size).toBe(20);
    const grade = async (level: 'medium' | 'high', since: number, regionCode: string) => ts.s.store.control.insertRiskAreas([{ regionCode, unitName: null, level, since, reviewAt: null, ruleSet: 'street-2021', reason: 'test', reasonCode: 'text', reasonArgs: {} }]);
    // A grading of a unit above the community counts too.
    await grade('medium', NOW - 60, '430102');
    await recordSample(ts.ctx, ts.s, sample(1, { poolNo: 'P-MED' }));
    expect((await ts.s.store.samples.poolByNo('P-MED'))!.size).toBe(5);
    await grade('high', NOW - 30, '430102001001');
    await expect(recordSample(ts.ctx, ts.s, sample(2, { poolNo: 'P-HIGH' }))).rejects.toThrow('the person lives in a high-risk area: single tubes only (edition ed8-delta-2021)');
    expect(await ts.s.store.samples.poolByNo('P-HIGH')).toBeUndefined();
    // ... whatever size the tube is given, and into a tube already open (PROTOCOL.md: single tube for high-risk areas).
    await expect(recordSample(ts.ctx, ts.s, sample(2, { poolNo: 'P-H5', poolSize: 5 }))).rejects.toThrow('the person lives in a high-risk area: single tubes only (edition ed8-delta-2021)');
    await expect(recordSample(ts.ctx, ts.s, sample(2, { poolNo: 'P-20', poolSize: 20 }))).rejects.toThrow('the person lives in a high-risk area: single tubes only (edition ed8-delta-2021)');
    expect(await ts.s.store.samples.poolByNo('P-H5')).toBeUndefined();
  });

  it('fills a pooled tube to its size with one sample of each person, then refuses more, and refuses any sample once it has its result', async () => {
    for (let i = 0; i < 5; i++) await recordSample(ts.ctx, ts.s, sample(i, { poolNo: 'P-5', poolSize: 5 }));
    expect(await reason(recordSample(ts.ctx, ts.s, sample(5, { poolNo: 'P-5', poolSize: 10 })))).toBe('pool_size');
    expect(await reason(recordSample(ts.ctx, ts.s, sample(5, { poolNo: 'P-5' })))).toBe('pool_full');
    await recordSample(ts.ctx, ts.s, sample(5, { poolNo: 'P-A', poolSize: 5 }));
    expect(await reason(recordSample(ts.ctx, ts.s, sample(5, { poolNo: 'P-A' })))).toBe('person_in_pool');
    // A person's single tube, or their sample in another tube, does not keep them out of this one.
    await recordSample(ts.ctx, ts.s, sample(6));
    expect(await reason(recordSample(ts.ctx, ts.s, sample(6, { poolNo: 'P-A', poolSize: 5 })))).toBe('accepted');
    expect(await reason(recordPoolResult(ts.ctx, ts.s, 'P-A', 'negative', NOW - 60))).toBe('accepted');
    expect(await reason(recordSample(ts.ctx, ts.s, sample(7, { poolNo: 'P-A' })))).toBe('pool_closed');
  });

  it('gives a positive pooled tube\'s result to each of its members, whose codes follow, and takes no second result', async () => {
    expect(await reason(recordPoolResult(ts.ctx, ts.s, 'P-NONE', 'positive', NOW))).toBe('unknown_pool');
    for (let i = 0; i < 3; i++) await recordSample(ts.ctx, ts.s, sample(i, { poolNo: 'P-POS', poolSize: 5 }));
    expect(await reason(recordPoolResult(ts.ctx, ts.s, 'P-POS', 'positive', NOW - 3601))).toBe('result_before_sample');
    expect(await colour(0)).toBe('green');
    const effect = await recordPoolResult(ts.ctx, ts.s, 'P-POS', 'positive', NOW - 600);
    expect(effect.persons).toBe(3);
    expect(effect.codesChanged).toBe(3);
    expect(await Promise.all([0, 1, 2, 3].map(colour))).toEqual(['yellow', 'yellow', 'yellow', 'green']);
    expect(await reason(recordPoolResult(ts.ctx, ts.s, 'P-POS', 'negative', NOW - 300))).toBe('pool_closed');
    expect((await ts.s.store.samples.poolByNo('P-POS'))!.result).toBe('positive');
    // A member's sample takes no result of its own, before or after the tube's: the member is retested with a single tube.
    const member = (await ts.s.store.samples.ofPerson(ids[0]))[0];
    expect(await reason(recordSampleResult(ts.ctx, ts.s, member.sampleNo, 'negative', NOW - 60))).toBe('pooled_sample');
    await recordSample(ts.ctx, ts.s, sample(9, { poolNo: 'P-OPEN', poolSize: 5 }));
    const open = (await ts.s.store.samples.ofPerson(ids[9]))[0];
    expect(await reason(recordSampleResult(ts.ctx, ts.s, open.sampleNo, 'positive', NOW - 60))).toBe('pooled_sample');
    expect(await Promise.all([0, 1, 2].map(colour))).toEqual(['yellow', 'yellow', 'yellow']);
  });

  it('records a single tube\'s result, keeps a changed final result as a correction, and none for the first or the same', async () => {
    const s0 = sample(0);
    await recordSample(ts.ctx, ts.s, s0);
    expect(await reason(recordSampleResult(ts.ctx, ts.s, 'S-NONE', 'negative', NOW))).toBe('unknown_sample');
    expect(await reason(recordSampleResult(ts.ctx, ts.s, s0.sampleNo, 'negative', NOW - 3601))).toBe('result_before_sample');
    await recordSampleResult(ts.ctx, ts.s, s0.sampleNo, 'negative', NOW - 1800);
    await recordSampleResult(ts.ctx, ts.s, s0.sampleNo, 'negative', NOW - 1800);
    expect(await ts.s.store.corrections.of('sample', s0.sampleNo)).toEqual([]);
    const effect = await recordSampleResult(ts.ctx, ts.s, s0.sampleNo, 'positive', NOW - 1700);
    expect(effect).toEqual({ persons: 1, codesChanged: 1 });
    expect(await ts.s.store.corrections.of('sample', s0.sampleNo)).toEqual([expect.objectContaining({
      changes: { result: ['negative', 'positive'], resultAt: [NOW - 1800, NOW - 1700] }, reason: 'result reported again', actor: 'api:test', source: 'api', at: NOW,
    })]);
    expect((await ts.s.store.samples.bySampleNo(s0.sampleNo))).toMatchObject({ result: 'positive', resultAt: NOW - 1700 });
  });
  /** A refusal as the lab sees it: the error's name, reason and message. */
  const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof ResultError ? `${e.name} ${e.reason}: ${e.message}` : `other: ${(e as Error).message}`));

  it('says each refusal of a sample in words, naming the sample, the person or the tube', async () => {
    expect(await refusal(recordSample(ts.ctx, ts.s, { ...sample(0), personId: 999_999 }))).toBe('ResultError unknown_person: No person with id 999999.');
    expect(await refusal(recordSample(ts.ctx, ts.s, sample(0, { result: 'negative', resultAt: NOW - 3601 })))).toBe('ResultError result_before_sample: result before the sample was taken');
    expect(await refusal(recordSample(ts.ctx, ts.s, sample(0, { poolNo: 'P-7', poolSize: 7 })))).toBe('ResultError pool_size: a pooled tube takes 5, 10, 20 samples under edition ed8-delta-2021, not 7');
    const first = sample(0, { poolNo: 'P-W', poolSize: 5 });
    await recordSample(ts.ctx, ts.s, first);
    expect(await refusal(recordSample(ts.ctx, ts.s, sample(1, { poolNo: 'P-W', poolSize: 10 })))).toBe('ResultError pool_size: pooled tube P-W takes 5 samples, not 10');
    expect(await refusal(recordSample(ts.ctx, ts.s, sample(0, { poolNo: 'P-W' })))).toBe(`ResultError person_in_pool: person ${ids[0]} already has a sample in pooled tube P-W`);
    expect(await refusal(recordSample(ts.ctx, ts.s, { ...first, personId: ids[1], poolNo: null, method: 'single' }))).toBe(`ResultError duplicate_sample: Sample ${first.sampleNo} is already recorded.`);
    for (let i = 1; i < 5; i++) await recordSample(ts.ctx, ts.s, sample(i, { poolNo: 'P-W' }));
    expect(await refusal(recordSample(ts.ctx, ts.s, sample(5, { poolNo: 'P-W' })))).toBe('ResultError pool_full: pooled tube P-W already holds its 5 samples');
    await recordPoolResult(ts.ctx, ts.s, 'P-W', 'negative', NOW - 60);
    expect(await refusal(recordSample(ts.ctx, ts.s, sample(6, { poolNo: 'P-W' })))).toBe('ResultError pool_closed: pooled tube P-W already has its result (negative)');
    await ts.s.store.control.insertRiskAreas([{ regionCode: '430102001001', unitName: null, level: 'high', since: NOW - 60, reviewAt: null, ruleSet: 'street-2021', reason: 'test', reasonCode: 'text', reasonArgs: {} }]);
    expect(await refusal(recordSample(ts.ctx, ts.s, sample(7, { poolNo: 'P-H' })))).toBe('ResultError pool_size: the person lives in a high-risk area: single tubes only (edition ed8-delta-2021)');
  });

  it('says each refusal of a result in words, and takes one at the very second of sampling', async () => {
    expect(await refusal(recordSampleResult(ts.ctx, ts.s, 'S-NONE', 'negative', NOW))).toBe('ResultError unknown_sample: No sample S-NONE.');
    expect(await refusal(recordPoolResult(ts.ctx, ts.s, 'P-NONE', 'negative', NOW))).toBe('ResultError unknown_pool: No pooled tube P-NONE.');
    const single = sample(0);
    await recordSample(ts.ctx, ts.s, single);
    expect(await refusal(recordSampleResult(ts.ctx, ts.s, single.sampleNo, 'negative', single.sampledAt - 1))).toBe('ResultError result_before_sample: result before the sample was taken');
    expect(await refusal(recordSampleResult(ts.ctx, ts.s, single.sampleNo, 'negative', single.sampledAt))).toBe('accepted');
    const pooled = sample(1, { poolNo: 'P-T', poolSize: 5 });
    await recordSample(ts.ctx, ts.s, pooled);
    expect(await refusal(recordSampleResult(ts.ctx, ts.s, pooled.sampleNo, 'negative', NOW))).toBe(`ResultError pooled_sample: sample ${pooled.sampleNo} is in a pooled tube: its result is the tube's (record it for the tube; retest the person with a single tube)`);
    expect(await refusal(recordPoolResult(ts.ctx, ts.s, 'P-T', 'negative', pooled.sampledAt - 1))).toBe('ResultError result_before_sample: result before the pooled tube was sampled');
    expect(await refusal(recordPoolResult(ts.ctx, ts.s, 'P-T', 'negative', pooled.sampledAt))).toBe('accepted');
    expect(await refusal(recordPoolResult(ts.ctx, ts.s, 'P-T', 'positive', NOW))).toBe('ResultError pool_closed: pooled tube P-T already has its result (negative)');
    // A closed tube is closed first: a second result with a time before the sampling is refused as such, not for its time.
    expect(await refusal(recordPoolResult(ts.ctx, ts.s, 'P-T', 'positive', pooled.sampledAt - 1))).toBe('ResultError pool_closed: pooled tube P-T already has its result (negative)');
  });

  it('takes one of two results given to a pooled tube at once, and refuses the other as closed', async () => {
    await recordSample(ts.ctx, ts.s, sample(0, { poolNo: 'P-RACE', poolSize: 5 }));
    const both = await Promise.all([recordPoolResult(ts.ctx, ts.s, 'P-RACE', 'negative', NOW - 60), recordPoolResult(ts.ctx, ts.s, 'P-RACE', 'positive', NOW - 60)].map(refusal));
    expect(both.filter((x) => x === 'accepted')).toHaveLength(1);
    // Refused at the check before the write or at the write itself (whichever the race reaches), with the same words.
    const stands = both[0] === 'accepted' ? 'negative' : 'positive';
    expect(both.filter((x) => x !== 'accepted')).toEqual([`ResultError pool_closed: pooled tube P-RACE already has its result (${stands})`]);
  });

  it('refuses implausible times of a sample or a result, writing nothing', async () => {
    const future = NOW + 400 * 86400;
    await expect(recordSample(ts.ctx, ts.s, sample(0, { sampledAt: future }))).rejects.toMatchObject({ code: 'TIME_IMPLAUSIBLE', details: [expect.objectContaining({ field: 'sampledAt' })] });
    await expect(recordSample(ts.ctx, ts.s, sample(0, { result: 'negative', resultAt: future }))).rejects.toMatchObject({ code: 'TIME_IMPLAUSIBLE', details: [expect.objectContaining({ field: 'resultAt' })] });
    expect(await ts.s.store.samples.ofPerson(ids[0])).toEqual([]);
    const single = sample(1);
    await recordSample(ts.ctx, ts.s, single);
    await expect(recordSampleResult(ts.ctx, ts.s, single.sampleNo, 'positive', future)).rejects.toMatchObject({ code: 'TIME_IMPLAUSIBLE', details: [expect.objectContaining({ field: 'resultAt' })] });
    await recordSample(ts.ctx, ts.s, sample(2, { poolNo: 'P-F', poolSize: 5 }));
    await expect(recordPoolResult(ts.ctx, ts.s, 'P-F', 'positive', future)).rejects.toMatchObject({ code: 'TIME_IMPLAUSIBLE', details: [expect.objectContaining({ field: 'resultAt' })] });
    expect(await Promise.all([1, 2].map(colour))).toEqual(['green', 'green']);
  });

  it('sizes by the highest grading over the person\'s home only: a higher one elsewhere, or a lower one below, does not count', async () => {
    const grade = (level: 'medium' | 'high', regionCode: string) => ts.s.store.control.insertRiskAreas([{ regionCode, unitName: null, level, since: NOW - 60, reviewAt: null, ruleSet: 'street-2021', reason: 'test', reasonCode: 'text', reasonArgs: {} }]);
    await grade('high', '430202');
    await recordSample(ts.ctx, ts.s, sample(0, { poolNo: 'P-ELSE' }));
    expect((await ts.s.store.samples.poolByNo('P-ELSE'))!.size).toBe(10);
    // High over the district, medium over the community (listed after it): high.
    await grade('high', '430102');
    await grade('medium', '430102001001');
    expect(await reason(recordSample(ts.ctx, ts.s, sample(1, { poolNo: 'P-HI' })))).toBe('pool_size');
    // A single tube is taken in a high-risk area; a pooled one is not, even with its size given.
    expect(await reason(recordSample(ts.ctx, ts.s, sample(1)))).toBe('accepted');
    expect(await reason(recordSample(ts.ctx, ts.s, sample(1, { poolNo: 'P-OK', poolSize: 5 })))).toBe('pool_size');
  });

  it('says how many codes a sample changed', async () => {
    expect(await recordSample(ts.ctx, ts.s, sample(0))).toEqual({ persons: 1, codesChanged: 0 });
    expect(await recordSample(ts.ctx, ts.s, sample(1, { result: 'positive', resultAt: NOW - 60 }))).toEqual({ persons: 1, codesChanged: 1 });
  });
});
