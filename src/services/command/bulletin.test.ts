/**
 * The daily bulletin on both engines, on a small province (test/bulletinWorld.ts): the figures of a day that has
 * ended, counted from 0 to 24 o'clock China Standard Time as they stood at 24:00 (a case withdrawn that day left out,
 * a contact's status replayed from the changes recorded after midnight), and its exact Chinese and English sentences;
 * the day kept once, by a read or by the server's timer, and unchanged by later writes; today's computed live.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BULLETIN_NOW, bulletinWorld, t, type BulletinWorld } from '../../../test/bulletinWorld.ts';
import { describeEachEngine } from '../../../test/engines.ts';
import { DomainError } from '../../domain/errors.ts';
import { bulletinFigures, getBulletin, keepYesterdaysBulletin, listBulletins, todaysBulletin } from './bulletin.ts';

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));

const ZH_0805 = '2021年8月5日0—24时，全省新增本土确诊病例4例（长沙市3例、株洲市1例；其中无症状感染者转确诊1例），新增本土无症状感染者2例（长沙市2例）。另新增输入确诊病例1例。'
  + '截至8月5日24时，全省累计报告确诊病例6例、无症状感染者2例。'
  + '当日追踪到密切接触者3人、次密切接触者1人，解除医学观察1人；尚在医学观察的密切接触者4人、次密切接触者1人，正在集中隔离医学观察2人。'
  + '当日采集核酸检测样本3份。全省现有高风险地区1个（识字里社区居委会）。当日各级指挥部下发指令1条，完成任务1项。';
const EN_0805 = 'From 00:00 to 24:00 on 5 August 2021, Hunan reported 4 new locally transmitted confirmed cases (Changsha 3, Zhuzhou 1; 1 of them previously an asymptomatic infection)'
  + ' and 2 new locally transmitted asymptomatic infections (Changsha 2).'
  + ' It also reported 1 imported confirmed case.'
  + ' As of 24:00 on 5 August 2021, the province had reported 6 confirmed cases and 2 asymptomatic infections in total.'
  + ' On the day, 3 close contacts and 1 secondary close contact were traced, and 1 person was released from medical observation;'
  + ' 4 close contacts and 1 secondary close contact remained under medical observation, 2 of them in centralized quarantine.'
  + ' 3 samples were taken for nucleic acid testing. The province had 1 high-risk area. Command centres at all levels issued 1 directive, and 1 task was completed.';

describeEachEngine('command: the daily bulletin', (engine) => {
  let w: BulletinWorld;
  beforeEach(async () => { w = await bulletinWorld(engine); });
  afterEach(async () => { await w?.close(); });

  it('counts a day from 0 to 24 o\'clock as it stood at 24:00, by city, and writes it in Chinese and English', async () => {
    const f = await bulletinFigures(w.s.store, '2021-08-05');
    expect(f).toEqual({
      date: '2021-08-05',
      newConfirmed: { total: 4, byCity: [{ cityCode: '4301', name: '长沙市', nameEn: 'Changsha', count: 3 }, { cityCode: '4302', name: '株洲市', nameEn: 'Zhuzhou', count: 1 }] },
      newAsymptomatic: { total: 2, byCity: [{ cityCode: '4301', name: '长沙市', nameEn: 'Changsha', count: 2 }] },
      convertedFromAsymptomatic: 1,
      imported: { confirmed: 1, asymptomatic: 0 },
      cumulative: { confirmed: 6, asymptomatic: 2 },
      closeContacts: { traced: 3, released: 1, underObservation: 4 },
      secondaryContacts: { traced: 1, released: 0, underObservation: 1 },
      inQuarantine: 2,
      samplesTaken: 3,
      riskAreas: { high: 1, medium: 0, units: [{ regionCode: '430102001001', name: '识字里社区居委会', level: 'high' }] },
      directivesIssued: 1,
      tasksCompleted: 1,
    });
    const b = await getBulletin(w.ctx, w.s, { date: '2021-08-05' });
    expect(b).toMatchObject({ date: '2021-08-05', from: t('2021-08-05 00:00'), to: t('2021-08-06 00:00'), final: true, generatedAt: BULLETIN_NOW, figures: f });
    expect(b.textZh).toBe(ZH_0805);
    expect(b.textEn).toBe(EN_0805);
    // The day before: one confirmed case, one asymptomatic infection (reclassified only the next day), their contacts traced, nothing else.
    const before = await getBulletin(w.ctx, w.s, { date: '2021-08-04' });
    expect(before.textZh).toBe('2021年8月4日0—24时，全省新增本土确诊病例1例（长沙市1例），新增本土无症状感染者1例（长沙市1例）。截至8月4日24时，全省累计报告确诊病例1例、无症状感染者1例。'
      + '当日追踪到密切接触者2人、次密切接触者0人，解除医学观察0人；尚在医学观察的密切接触者2人、次密切接触者0人，正在集中隔离医学观察0人。当日采集核酸检测样本1份。全省无中高风险地区。当日各级指挥部下发指令0条，完成任务0项。');
    expect(before.textEn).toBe('From 00:00 to 24:00 on 4 August 2021, Hunan reported 1 new locally transmitted confirmed case (Changsha 1) and 1 new locally transmitted asymptomatic infection (Changsha 1).'
      + ' As of 24:00 on 4 August 2021, the province had reported 1 confirmed case and 1 asymptomatic infection in total. On the day, 2 close contacts and 0 secondary close contacts were traced,'
      + ' and 0 persons were released from medical observation; 2 close contacts and 0 secondary close contacts remained under medical observation, 0 of them in centralized quarantine.'
      + ' 1 sample was taken for nucleic acid testing. The province had no medium- or high-risk areas. Command centres at all levels issued 0 directives, and 0 tasks were completed.');
  });

  it('keeps a day that has ended once: later writes about that day change nothing, and the timer keeps it only once', async () => {
    const first = await getBulletin(w.ctx, w.s, { date: '2021-08-05' });
    // A case entered late for the 5th, a contact released and a task done now: the kept bulletin stays as it was.
    await w.addCase(9, '2021-08-05 11:00');
    w.clock.advance(3600);
    expect(await keepYesterdaysBulletin(w.ctx, w.s)).toBeNull();
    const again = await getBulletin(w.ctx, w.s, { date: '2021-08-05' });
    expect(again).toEqual(first);
    expect((await bulletinFigures(w.s.store, '2021-08-05')).newConfirmed.total).toBe(5);
    expect(await listBulletins(w.s.store, { limit: 10 })).toEqual({ items: [{ id: expect.any(Number) as number, day: '2021-08-05', generatedAt: BULLETIN_NOW }], nextAfter: null, total: 1 });
    // After midnight the timer keeps the 6th, once.
    w.clock.set(t('2021-08-07 00:01'));
    expect(await keepYesterdaysBulletin(w.ctx, w.s)).toBe('2021-08-06');
    expect(await keepYesterdaysBulletin(w.ctx, w.s)).toBeNull();
    const kept = await w.s.store.bulletins.kept('2021-08-06');
    expect(kept).toMatchObject({ day: '2021-08-06', generatedAt: t('2021-08-07 00:01') });
    expect(kept!.textZh).toMatch(/^2021年8月6日0—24时，全省新增本土确诊病例2例（长沙市2例；其中无症状感染者转确诊1例），无新增本土无症状感染者。/);
    expect(kept!.textEn).toMatch(/^From 00:00 to 24:00 on 6 August 2021, Hunan reported 2 new locally transmitted confirmed cases \(Changsha 2; 1 of them previously an asymptomatic infection\) and no new /);
    expect((await listBulletins(w.s.store, { limit: 1 })).total).toBe(2);
  });

  it('computes today\'s bulletin on each read, keeps none for today, and refuses a day that has not begun', async () => {
    const today = await todaysBulletin(w.ctx, w.s);
    expect(today).toMatchObject({ date: '2021-08-06', final: false, generatedAt: BULLETIN_NOW });
    expect([today.figures.newConfirmed.total, today.figures.convertedFromAsymptomatic]).toEqual([2, 1]);
    expect(today.figures.riskAreas).toMatchObject({ high: 1, medium: 1 });
    await w.addCase(10, '2021-08-06 09:30', { kind: 'asymptomatic' });
    w.clock.advance(60);
    const later = await todaysBulletin(w.ctx, w.s);
    expect([later.figures.newAsymptomatic.total, later.generatedAt]).toEqual([1, BULLETIN_NOW + 60]);
    expect(later.textZh).not.toBe(today.textZh);
    expect(await w.s.store.bulletins.kept('2021-08-06')).toBeUndefined();
    expect(await code(getBulletin(w.ctx, w.s, { date: '2021-08-07' }))).toBe('NOT_FOUND');
    expect(await code(getBulletin(w.ctx, w.s, { date: '1999-01-01' }))).toBe('TIME_IMPLAUSIBLE');
    expect(await code(getBulletin(w.ctx, w.s, { date: '2021-02-30' }))).toBe('VALIDATION_FAILED');
    expect((await listBulletins(w.s.store, { limit: 10 })).total).toBe(0);
  });

  it('counts a contact recorded as already become a case under observation on the days before its person\'s case', async () => {
    const before = await bulletinFigures(w.s.store, '2021-08-05');
    const before6 = await bulletinFigures(w.s.store, '2021-08-06');
    const index = (await w.s.store.cases.byCaseNo('HN-2'))!.id;
    // Tracing that ran after the persons became cases wrote these records as become a case, with no change recorded:
    // person 6's case is confirmed at 00:00 on the 6th, person 2's at 23:59 on the 5th.
    await w.s.store.cases.insertContacts([6, 2].map((personId) => ({
      personId, kind: 'close' as const, indexCaseId: index, viaContactId: null, firstExposure: t('2021-08-04 10:00'), lastExposure: t('2021-08-04 11:00'), evidence: [],
      status: 'became_case' as const, identifiedAt: t('2021-08-05 16:00'), statusAt: null,
    })));
    const fifth = await bulletinFigures(w.s.store, '2021-08-05');
    expect(fifth.closeContacts.underObservation).toBe(before.closeContacts.underObservation + 1);
    // On the 6th both are cases: neither is under observation.
    expect((await bulletinFigures(w.s.store, '2021-08-06')).closeContacts.underObservation).toBe(before6.closeContacts.underObservation);
  });
});
