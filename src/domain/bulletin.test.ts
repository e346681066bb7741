/**
 * The daily bulletin's sentences, whole, for a busy day and a quiet one, in Chinese and in English, and each branch
 * of their wording (singular and plural, cases reclassified, imported cases, risk areas of one level only); the day's
 * bounds in China time and the day a moment falls in, at midnight's edges.
 */
import { describe, expect, it } from 'vitest';
import { parseTime } from './time.ts';
import { bulletinTextEn, bulletinTextZh, CITY_EN, dayBounds, dayOf, type BulletinFigures } from './bulletin.ts';

const city = (cityCode: string, name: string, count: number) => ({ cityCode, name, nameEn: CITY_EN[cityCode], count });
const BUSY: BulletinFigures = {
  date: '2021-08-05',
  newConfirmed: { total: 3, byCity: [city('4301', '长沙市', 2), city('4302', '株洲市', 1)] },
  newAsymptomatic: { total: 1, byCity: [city('4308', '张家界市', 1)] },
  convertedFromAsymptomatic: 1,
  imported: { confirmed: 1, asymptomatic: 0 },
  cumulative: { confirmed: 10, asymptomatic: 2 },
  closeContacts: { traced: 25, released: 3, underObservation: 120 },
  secondaryContacts: { traced: 1, released: 0, underObservation: 4 },
  inQuarantine: 100,
  samplesTaken: 1,
  riskAreas: { high: 1, medium: 2, units: [{ regionCode: '430802', name: '永定区', level: 'high' }, { regionCode: '430102001001', name: '识字里社区', level: 'medium' }, { regionCode: '430102001002', name: '文庙坪社区', level: 'medium' }] },
  directivesIssued: 1,
  tasksCompleted: 2,
};
const QUIET: BulletinFigures = {
  date: '2021-12-31', newConfirmed: { total: 0, byCity: [] }, newAsymptomatic: { total: 0, byCity: [] }, convertedFromAsymptomatic: 0,
  imported: { confirmed: 0, asymptomatic: 0 }, cumulative: { confirmed: 0, asymptomatic: 0 },
  closeContacts: { traced: 0, released: 0, underObservation: 0 }, secondaryContacts: { traced: 0, released: 0, underObservation: 0 },
  inQuarantine: 0, samplesTaken: 0, riskAreas: { high: 0, medium: 0, units: [] }, directivesIssued: 0, tasksCompleted: 0,
};

describe('the daily bulletin\'s texts', () => {
  it('writes a busy day in Chinese', () => {
    expect(bulletinTextZh(BUSY)).toBe('2021年8月5日0—24时，全省新增本土确诊病例3例（长沙市2例、株洲市1例；其中无症状感染者转确诊1例），新增本土无症状感染者1例（张家界市1例）。'
      + '另新增输入确诊病例1例。截至8月5日24时，全省累计报告确诊病例10例、无症状感染者2例。'
      + '当日追踪到密切接触者25人、次密切接触者1人，解除医学观察3人；尚在医学观察的密切接触者120人、次密切接触者4人，正在集中隔离医学观察100人。'
      + '当日采集核酸检测样本1份。全省现有高风险地区1个（永定区）、中风险地区2个（识字里社区、文庙坪社区）。当日各级指挥部下发指令1条，完成任务2项。');
  });

  it('writes a busy day in English', () => {
    expect(bulletinTextEn(BUSY)).toBe('From 00:00 to 24:00 on 5 August 2021, Hunan reported 3 new locally transmitted confirmed cases (Changsha 2, Zhuzhou 1; 1 of them previously an asymptomatic infection)'
      + ' and 1 new locally transmitted asymptomatic infection (Zhangjiajie 1). It also reported 1 imported confirmed case.'
      + ' As of 24:00 on 5 August 2021, the province had reported 10 confirmed cases and 2 asymptomatic infections in total.'
      + ' On the day, 25 close contacts and 1 secondary close contact were traced, and 3 persons were released from medical observation;'
      + ' 120 close contacts and 4 secondary close contacts remained under medical observation, 100 of them in centralized quarantine.'
      + ' 1 sample was taken for nucleic acid testing. The province had 1 high-risk area and 2 medium-risk areas.'
      + ' Command centres at all levels issued 1 directive, and 2 tasks were completed.');
  });

  it('writes a quiet day in both languages', () => {
    expect(bulletinTextZh(QUIET)).toBe('2021年12月31日0—24时，全省无新增本土确诊病例，无新增本土无症状感染者。截至12月31日24时，全省累计报告确诊病例0例、无症状感染者0例。'
      + '当日追踪到密切接触者0人、次密切接触者0人，解除医学观察0人；尚在医学观察的密切接触者0人、次密切接触者0人，正在集中隔离医学观察0人。'
      + '当日采集核酸检测样本0份。全省无中高风险地区。当日各级指挥部下发指令0条，完成任务0项。');
    expect(bulletinTextEn(QUIET)).toBe('From 00:00 to 24:00 on 31 December 2021, Hunan reported no new locally transmitted confirmed cases and no new locally transmitted asymptomatic infections.'
      + ' As of 24:00 on 31 December 2021, the province had reported 0 confirmed cases and 0 asymptomatic infections in total.'
      + ' On the day, 0 close contacts and 0 secondary close contacts were traced, and 0 persons were released from medical observation;'
      + ' 0 close contacts and 0 secondary close contacts remained under medical observation, 0 of them in centralized quarantine.'
      + ' 0 samples were taken for nucleic acid testing. The province had no medium- or high-risk areas.'
      + ' Command centres at all levels issued 0 directives, and 0 tasks were completed.');
  });

  it('words each branch: one case reclassified of one, two of two, imported asymptomatic only, one level of risk, one released', () => {
    const one = { ...QUIET, newConfirmed: { total: 1, byCity: [city('4301', '长沙市', 1)] }, convertedFromAsymptomatic: 1, imported: { confirmed: 0, asymptomatic: 2 },
      closeContacts: { traced: 0, released: 1, underObservation: 0 }, riskAreas: { high: 1, medium: 0, units: [{ regionCode: '4308', name: '张家界市', level: 'high' as const }] } };
    expect(bulletinTextEn(one)).toContain('1 new locally transmitted confirmed case (Changsha 1; previously an asymptomatic infection)');
    expect(bulletinTextEn(one)).toContain('It also reported 2 imported asymptomatic infections.');
    expect(bulletinTextEn(one)).toContain('and 1 person was released from medical observation;');
    expect(bulletinTextEn(one)).toContain('The province had 1 high-risk area.');
    expect(bulletinTextZh(one)).toContain('新增本土确诊病例1例（长沙市1例；其中无症状感染者转确诊1例）');
    expect(bulletinTextZh(one)).toContain('另新增输入无症状感染者2例。');
    expect(bulletinTextZh(one)).toContain('全省现有高风险地区1个（张家界市）。');
    const two = { ...one, newConfirmed: { total: 2, byCity: [city('4301', '长沙市', 2)] }, convertedFromAsymptomatic: 2, imported: { confirmed: 1, asymptomatic: 1 },
      riskAreas: { high: 0, medium: 1, units: [{ regionCode: '430102001001', name: '识字里社区', level: 'medium' as const }] } };
    expect(bulletinTextEn(two)).toContain('2 new locally transmitted confirmed cases (Changsha 2; 2 of them previously asymptomatic infections)');
    expect(bulletinTextEn(two)).toContain('It also reported 1 imported confirmed case and 1 imported asymptomatic infection.');
    expect(bulletinTextEn(two)).toContain('The province had 1 medium-risk area.');
    expect(bulletinTextZh(two)).toContain('另新增输入确诊病例1例、输入无症状感染者1例。');
    expect(bulletinTextZh(two)).toContain('全省现有中风险地区1个（识字里社区）。');
  });

  it('bounds a day in China time and tells the day of a moment at midnight\'s edges; no day for what is no date', () => {
    const from = parseTime('2021-08-05 00:00')!;
    expect(dayBounds('2021-08-05')).toEqual({ from, to: from + 86400 });
    for (const bad of ['2021-02-30', '2021-8-5', '20210805', '2021-08-05 ', 'x', '']) expect(dayBounds(bad), bad).toBeNull();
    expect([dayOf(from - 1), dayOf(from), dayOf(from + 86399), dayOf(from + 86400)]).toEqual(['2021-08-04', '2021-08-05', '2021-08-05', '2021-08-06']);
    expect(Object.keys(CITY_EN)).toHaveLength(14);
  });

  it('says a day not yet ended is counted up to its hour and minute, in both languages', () => {
    expect(bulletinTextZh(QUIET, '14:30')).toMatch(/^2021年12月31日0时至14时30分，全省无新增本土确诊病例/);
    expect(bulletinTextZh(QUIET, '14:30')).toContain('截至12月31日14时30分，全省累计报告');
    expect(bulletinTextZh(QUIET, '09:00')).toMatch(/^2021年12月31日0时至9时，/);
    expect(bulletinTextEn(QUIET, '14:30')).toMatch(/^From 00:00 to 14:30 on 31 December 2021, Hunan reported/);
    expect(bulletinTextEn(QUIET, '14:30')).toContain('As of 14:30 on 31 December 2021, the province');
  });
});

describe('the daily bulletin\'s words for each figure', () => {
  it('names every month in the English date and every city in English by its division code', () => {
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    months.forEach((name, i) => {
      const date = `2021-${String(i + 1).padStart(2, '0')}-15`;
      expect(bulletinTextEn({ ...QUIET, date }), date).toMatch(new RegExp(`^From 00:00 to 24:00 on 15 ${name} 2021,`));
    });
    expect(CITY_EN).toEqual({
      '4301': 'Changsha', '4302': 'Zhuzhou', '4303': 'Xiangtan', '4304': 'Hengyang', '4305': 'Shaoyang', '4306': 'Yueyang', '4307': 'Changde',
      '4308': 'Zhangjiajie', '4309': 'Yiyang', '4310': 'Chenzhou', '4311': 'Yongzhou', '4312': 'Huaihua', '4313': 'Loudi', '4331': 'Xiangxi',
    });
  });

  it('says no reclassified cases when none of the day\'s confirmed cases was asymptomatic before', () => {
    const none = { ...QUIET, newConfirmed: { total: 2, byCity: [city('4301', '长沙市', 2)] }, convertedFromAsymptomatic: 0 };
    expect(bulletinTextZh(none)).toContain('全省新增本土确诊病例2例（长沙市2例），');
    expect(bulletinTextEn(none)).toContain('Hunan reported 2 new locally transmitted confirmed cases (Changsha 2) and');
  });

  it('adds the close and secondary contacts released, and says a risk area of each level, in both languages', () => {
    const day = { ...QUIET, closeContacts: { traced: 0, released: 3, underObservation: 0 }, secondaryContacts: { traced: 0, released: 2, underObservation: 0 },
      riskAreas: { high: 1, medium: 1, units: [{ regionCode: '430802', name: '永定区', level: 'high' as const }, { regionCode: '430102001001', name: '识字里社区', level: 'medium' as const }] } };
    expect(bulletinTextZh(day)).toContain('解除医学观察5人；');
    expect(bulletinTextEn(day)).toContain('and 5 persons were released from medical observation;');
    expect(bulletinTextZh(day)).toContain('全省现有高风险地区1个（永定区）、中风险地区1个（识字里社区）。');
    expect(bulletinTextEn(day)).toContain('The province had 1 high-risk area and 1 medium-risk area.');
  });

  it('says one task completed in the singular and more in the plural', () => {
    expect(bulletinTextEn({ ...QUIET, tasksCompleted: 1 })).toContain('issued 0 directives, and 1 task was completed.');
    expect(bulletinTextEn({ ...QUIET, tasksCompleted: 2 })).toContain('issued 0 directives, and 2 tasks were completed.');
  });

  it('bounds no day for a date with leading blanks', () => {
    expect(dayBounds(' 2021-08-05')).toBeNull();
    expect(dayBounds('\t2021-08-05')).toBeNull();
  });
});
