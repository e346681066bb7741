/**
 * The daily bulletin's figures and its two texts, in the manner of a provincial health commission's bulletin: a day
 * in China Standard Time from 0 to 24 o'clock, new cases by city, the province's totals, contacts, quarantine, tests,
 * risk areas and the command's work. Pure: the figures come from `services/command/bulletin.ts`; the sentences are
 * written here, once in Chinese and once in English, with numbers as digits.
 */
import { DAY, parseTime } from './time.ts';

/** English names of the 14 cities (prefecture level), by division code: the bulletin's English text names them so. */
export const CITY_EN: Readonly<Record<string, string>> = {
  '4301': 'Changsha', '4302': 'Zhuzhou', '4303': 'Xiangtan', '4304': 'Hengyang', '4305': 'Shaoyang', '4306': 'Yueyang', '4307': 'Changde',
  '4308': 'Zhangjiajie', '4309': 'Yiyang', '4310': 'Chenzhou', '4311': 'Yongzhou', '4312': 'Huaihua', '4313': 'Loudi', '4331': 'Xiangxi',
};

/** New cases of one city. */
export interface CityCount { cityCode: string; name: string; nameEn: string; count: number }

/** New cases of one kind: how many, and how many in each city that has any (by city code). */
export interface NewCases { total: number; byCity: CityCount[] }

/** Close or secondary contacts: persons traced that day, released from medical observation that day, and under it at the day's end. */
export interface ContactFigures { traced: number; released: number; underObservation: number }

/** A medium- or high-risk area in force at the day's end. */
export interface RiskUnit { regionCode: string; name: string; level: 'high' | 'medium' }

/** The figures of one day's bulletin. */
export interface BulletinFigures {
  /** The day, `YYYY-MM-DD` in China Standard Time (00:00 to 24:00 +08:00). */
  date: string;
  /** Locally transmitted cases confirmed that day (not detected as imported), by the city where the person lives. */
  newConfirmed: NewCases;
  newAsymptomatic: NewCases;
  /** Of the new confirmed cases, asymptomatic infections of earlier days reclassified as confirmed that day. */
  convertedFromAsymptomatic: number;
  /** Cases confirmed that day detected as imported. */
  imported: { confirmed: number; asymptomatic: number };
  /** Cases confirmed up to the day's end (local and imported), by their kind at the day's end. */
  cumulative: { confirmed: number; asymptomatic: number };
  closeContacts: ContactFigures;
  secondaryContacts: ContactFigures;
  /** Persons whose close or secondary contact record stood in centralized quarantine at the day's end. */
  inQuarantine: number;
  /** Samples taken for nucleic-acid tests that day (single tubes and members of pooled tubes). */
  samplesTaken: number;
  riskAreas: { high: number; medium: number; units: RiskUnit[] };
  /** Directives issued that day, at every level. */
  directivesIssued: number;
  /** Tasks completed that day (directives' and the event flow's). */
  tasksCompleted: number;
}

// Stryker disable next-line Regex: equivalent without the end anchor (parseTime refuses any text between the date and the ' 00:00' appended); the start anchor is pinned by the leading-blank test
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The span of a day `YYYY-MM-DD` in China Standard Time, [from, to) in epoch seconds; null when it is no real date. */
export function dayBounds(date: string): { from: number; to: number } | null {
  if (!DATE.test(date)) return null;
  const from = parseTime(`${date} 00:00`);
  return from === null ? null : { from, to: from + DAY };
}

/** The day (`YYYY-MM-DD`, China Standard Time) a moment falls in. */
export const dayOf = (epoch: number): string => new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 10);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const parts = (date: string) => date.split('-').map(Number) as [number, number, number];
const zhDate = (date: string) => { const [y, m, d] = parts(date); return `${y}年${m}月${d}日`; };
const zhMonthDay = (date: string) => { const [, m, d] = parts(date); return `${m}月${d}日`; };
const enDate = (date: string) => { const [y, m, d] = parts(date); return `${d} ${MONTHS[m - 1]} ${y}`; };

/** `n word` with the word in the plural unless n is 1. */
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The bulletin in Chinese, one paragraph. `until` (`HH:MM`, China time): a day not yet ended, counted up to then (today's
 * bulletin says so rather than 0 to 24 o'clock).
 */
export function bulletinTextZh(f: BulletinFigures, until?: string): string {
  // Stryker disable next-line StringLiteral: equivalent: h and m are read only when until is given; without it the end is '24时'
  const [h, m] = (until ?? '24:00').split(':').map(Number);
  const end = until ? `${h}时${m > 0 ? `${m}分` : ''}` : '24时';
  const cities = (c: NewCases) => c.byCity.map((x) => `${x.name}${x.count}例`).join('、');
  const newly = (c: NewCases, what: string, among = '') => (c.total === 0 ? `无新增${what}` : `新增${what}${c.total}例（${cities(c)}${among}）`);
  const converted = f.convertedFromAsymptomatic > 0 ? `；其中无症状感染者转确诊${f.convertedFromAsymptomatic}例` : '';
  const out = [`${zhDate(f.date)}${until ? `0时至${end}` : '0—24时'}，全省${newly(f.newConfirmed, '本土确诊病例', converted)}，${newly(f.newAsymptomatic, '本土无症状感染者')}。`];
  const imported = [f.imported.confirmed > 0 ? `输入确诊病例${f.imported.confirmed}例` : '', f.imported.asymptomatic > 0 ? `输入无症状感染者${f.imported.asymptomatic}例` : ''].filter(Boolean);
  if (imported.length > 0) out.push(`另新增${imported.join('、')}。`);
  out.push(`截至${zhMonthDay(f.date)}${end}，全省累计报告确诊病例${f.cumulative.confirmed}例、无症状感染者${f.cumulative.asymptomatic}例。`);
  const c = f.closeContacts, s = f.secondaryContacts;
  out.push(`当日追踪到密切接触者${c.traced}人、次密切接触者${s.traced}人，解除医学观察${c.released + s.released}人；`
    + `尚在医学观察的密切接触者${c.underObservation}人、次密切接触者${s.underObservation}人，正在集中隔离医学观察${f.inQuarantine}人。`);
  out.push(`当日采集核酸检测样本${f.samplesTaken}份。`);
  const r = f.riskAreas;
  const named = (level: 'high' | 'medium') => r.units.filter((u) => u.level === level).map((u) => u.name).join('、');
  if (r.high + r.medium === 0) out.push('全省无中高风险地区。');
  else out.push(`全省现有${[r.high > 0 ? `高风险地区${r.high}个（${named('high')}）` : '', r.medium > 0 ? `中风险地区${r.medium}个（${named('medium')}）` : ''].filter(Boolean).join('、')}。`);
  out.push(`当日各级指挥部下发指令${f.directivesIssued}条，完成任务${f.tasksCompleted}项。`);
  return out.join('');
}

/** The bulletin in English, one paragraph, parallel to the Chinese (`until` as there). */
export function bulletinTextEn(f: BulletinFigures, until?: string): string {
  const end = until ?? '24:00';
  const cities = (c: NewCases) => c.byCity.map((x) => `${x.nameEn} ${x.count}`).join(', ');
  const newly = (c: NewCases, one: string, many: string, among = '') => (c.total === 0 ? `no new ${many}` : `${c.total} new ${c.total === 1 ? one : many} (${cities(c)}${among})`);
  const n = f.convertedFromAsymptomatic;
  const converted = n > 0 ? `; ${n === f.newConfirmed.total && n === 1 ? 'previously' : `${n} of them previously`} ${n === 1 ? 'an asymptomatic infection' : 'asymptomatic infections'}` : '';
  const out = [`From 00:00 to ${end} on ${enDate(f.date)}, Hunan reported ${newly(f.newConfirmed, 'locally transmitted confirmed case', 'locally transmitted confirmed cases', converted)}`
    + ` and ${newly(f.newAsymptomatic, 'locally transmitted asymptomatic infection', 'locally transmitted asymptomatic infections')}.`];
  const imported = [f.imported.confirmed > 0 ? count(f.imported.confirmed, 'imported confirmed case') : '', f.imported.asymptomatic > 0 ? count(f.imported.asymptomatic, 'imported asymptomatic infection') : ''].filter(Boolean);
  if (imported.length > 0) out.push(`It also reported ${imported.join(' and ')}.`);
  out.push(`As of ${end} on ${enDate(f.date)}, the province had reported ${count(f.cumulative.confirmed, 'confirmed case')} and ${count(f.cumulative.asymptomatic, 'asymptomatic infection')} in total.`);
  const c = f.closeContacts, s = f.secondaryContacts;
  const released = c.released + s.released;
  out.push(`On the day, ${count(c.traced, 'close contact')} and ${count(s.traced, 'secondary close contact')} were traced, and ${count(released, 'person')} ${released === 1 ? 'was' : 'were'} released from medical observation;`
    + ` ${count(c.underObservation, 'close contact')} and ${count(s.underObservation, 'secondary close contact')} remained under medical observation, ${f.inQuarantine} of them in centralized quarantine.`);
  out.push(`${count(f.samplesTaken, 'sample')} ${f.samplesTaken === 1 ? 'was' : 'were'} taken for nucleic acid testing.`);
  const r = f.riskAreas;
  if (r.high + r.medium === 0) out.push('The province had no medium- or high-risk areas.');
  else out.push(`The province had ${[r.high > 0 ? count(r.high, 'high-risk area') : '', r.medium > 0 ? count(r.medium, 'medium-risk area') : ''].filter(Boolean).join(' and ')}.`);
  out.push(`Command centres at all levels issued ${count(f.directivesIssued, 'directive')}, and ${count(f.tasksCompleted, 'task')} ${f.tasksCompleted === 1 ? 'was' : 'were'} completed.`);
  return out.join(' ');
}
