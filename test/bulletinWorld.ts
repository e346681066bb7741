/**
 * A small province for the daily bulletin, written through the repositories: cases confirmed on 4, 5 and 6 August 2021
 * in Changsha and Zhuzhou (asymptomatic ones, two of them reclassified as confirmed later, one imported, one withdrawn
 * the same day), close and secondary contacts
 * whose statuses change during the day and after it, samples, a high-risk area, a directive and a completed task.
 * The clock stands at 6 August 2021 10:00 (China Standard Time): 5 August has ended, 6 August is today.
 */
import type { Evidence } from '../src/domain/model/index.ts';
import { parseTime } from '../src/domain/time.ts';
import type { ContactKind, ContactStatus } from '../src/domain/vocab.ts';
import type { Engine } from '../src/storage/db.ts';
import type { NewCase } from '../src/storage/sql/cases.ts';
import { MINI_REGIONS, personRow } from './fixtures.ts';
import { testServices, type TestServices } from './services.ts';

export const t = (s: string) => parseTime(s)!;

/** The server's now in the bulletin's world. */
export const BULLETIN_NOW = t('2021-08-06 10:00');

const ZHUZHOU = [
  { code: '4302', name: '株洲市', level: 'city' as const, parentCode: '43', functionalZone: false },
  { code: '430202', name: '荷塘区', level: 'county' as const, parentCode: '4302', functionalZone: false },
  { code: '430202001', name: '月塘街道', level: 'township' as const, parentCode: '430202', functionalZone: false },
  { code: '430202001001', name: '新塘社区居委会', level: 'community' as const, parentCode: '430202001', functionalZone: false },
];
const CHANGSHA_COMMUNITY = '430102001001';
const ZHUZHOU_COMMUNITY = '430202001001';

export interface BulletinWorld extends TestServices {
  /** Confirms a case directly (person `i`, its kind and detection, confirmed at): its id. */
  addCase(i: number, confirmedAt: string, opts?: { kind?: 'confirmed' | 'asymptomatic'; detectedBy?: NewCase['detectedBy'] }): Promise<number>;
}

/** The bulletin's world on an engine (see the module comment). */
export async function bulletinWorld(engine: Engine, now = BULLETIN_NOW): Promise<BulletinWorld> {
  const w = await testServices(engine, now);
  const { store } = w.s;
  await store.regions.insertMany([...MINI_REGIONS, ...ZHUZHOU]);
  await store.persons.insertMany(Array.from({ length: 30 }, (_, k) => personRow(k + 1, { communityCode: [3, 7].includes(k + 1) ? ZHUZHOU_COMMUNITY : CHANGSHA_COMMUNITY })));
  let n = 0;
  const addCase: BulletinWorld['addCase'] = async (i, confirmedAt, opts = {}) => {
    const at = t(confirmedAt);
    const caseNo = `HN-${++n}`;
    await store.cases.insertMany([{
      caseNo, personId: i, kind: opts.kind ?? 'confirmed', onsetAt: null, sampledAt: at - 3600, confirmedAt: at, isolatedAt: at, severity: 'mild', hospitalPlaceId: null,
      outcome: 'in_treatment', detectedBy: opts.detectedBy ?? 'symptoms',
    }]);
    return (await store.cases.byCaseNo(caseNo))!.id;
  };

  const c0 = await addCase(5, '2021-08-04 20:00');
  const c1 = await addCase(1, '2021-08-05 09:00');
  await addCase(2, '2021-08-05 23:59');
  await addCase(3, '2021-08-05 00:00');
  await addCase(4, '2021-08-05 12:00', { kind: 'asymptomatic' });
  await addCase(7, '2021-08-05 14:00', { detectedBy: 'imported' });
  const withdrawn = await addCase(8, '2021-08-05 10:00');
  await store.cases.update(withdrawn, { withdrawnAt: t('2021-08-05 18:00'), withdrawalReason: 'false positive' });
  await addCase(6, '2021-08-06 00:00');
  // Two asymptomatic infections reclassified as confirmed: one found on the 4th, reclassified on the 5th; one found on
  // the 5th, reclassified on the 6th (asymptomatic still at the 5th's end).
  const reclassify = async (caseId: number, at: string) => {
    await store.cases.update(caseId, { kind: 'confirmed' });
    await store.corrections.record([{ entity: 'case', entityKey: String(caseId), changes: { kind: ['asymptomatic', 'confirmed'] }, reason: 'symptoms', actor: 'test', at: t(at), source: 'test' }]);
  };
  await reclassify(await addCase(17, '2021-08-04 08:00', { kind: 'asymptomatic' }), '2021-08-05 15:00');
  await reclassify(await addCase(18, '2021-08-05 13:00', { kind: 'asymptomatic' }), '2021-08-06 09:00');

  // Contacts: C0's two close contacts quarantined on the 5th; C1's three close contacts traced on the 5th (one
  // released that evening, one quarantined only on the 6th) and one secondary contact.
  const contact = async (personId: number, indexCaseId: number, kind: ContactKind, identifiedAt: string, changes: [ContactStatus, ContactStatus, string][] = []) => {
    const status = changes.length ? changes[changes.length - 1][1] : 'identified';
    const statusAt = changes.length ? t(changes[changes.length - 1][2]) : t(identifiedAt);
    await store.cases.insertContacts([{
      personId, kind, indexCaseId, viaContactId: null, firstExposure: t(identifiedAt) - 86400, lastExposure: t(identifiedAt) - 3600, evidence: [] as Evidence[], status,
      identifiedAt: t(identifiedAt), statusAt,
    }]);
    const id = (await store.cases.contactsOfPerson(personId)).find((k) => k.indexCaseId === indexCaseId)!.id;
    await store.corrections.record(changes.map(([from, to, at]) => ({ entity: 'contact' as const, entityKey: String(id), changes: { status: [from, to] }, reason: 'test', actor: 'test', at: t(at), source: 'test' })));
  };
  await contact(11, c0, 'close', '2021-08-04 22:00', [['identified', 'in_quarantine', '2021-08-05 08:00']]);
  await contact(12, c0, 'close', '2021-08-04 22:00', [['identified', 'in_quarantine', '2021-08-05 08:00']]);
  await contact(13, c1, 'close', '2021-08-05 15:00', [['identified', 'notified', '2021-08-05 16:00']]);
  await contact(14, c1, 'close', '2021-08-05 15:00', [['identified', 'released', '2021-08-05 20:00']]);
  await contact(15, c1, 'close', '2021-08-05 15:00', [['identified', 'in_quarantine', '2021-08-06 08:00']]);
  await contact(16, c1, 'secondary', '2021-08-05 16:00');

  await store.samples.insertMany([
    ...['2021-08-05 07:00', '2021-08-05 12:00', '2021-08-05 23:30', '2021-08-04 23:59', '2021-08-06 08:00'].map((at, k) => ({
      sampleNo: `S-${k + 1}`, personId: 20 + k, method: 'single' as const, poolId: null, sampledAt: t(at), result: 'negative' as const, resultAt: t(at) + 7200, lab: null,
    })),
  ]);
  await store.control.insertRiskAreas([
    { regionCode: CHANGSHA_COMMUNITY, unitName: null, level: 'high', since: t('2021-08-05 18:00'), reviewAt: null, ruleSet: 'street-2021', reason: 'x', reasonCode: 'text', reasonArgs: {} },
    { regionCode: '430102001002', unitName: null, level: 'medium', since: t('2021-08-06 09:00'), reviewAt: null, ruleSet: 'street-2021', reason: 'x', reasonCode: 'text', reasonArgs: {} },
  ]);
  const directiveId = await store.command.insertDirective({ kind: 'mass_testing', text: '长沙市全员核酸检测', level: 'province', regionCode: '43', units: ['4301'], dueAt: t('2021-08-07 10:00'), issuedBy: 'test', issuedAt: t('2021-08-05 10:00') });
  const task = { parentId: null, directiveId, title: '全员核酸检测', kind: 'mass_testing', level: 'city' as const, ownerUserId: null, ownerRole: 'city_command' as const, dueAt: t('2021-08-07 10:00'), status: 'assigned' as const, subjectPersonId: null, subjectKey: null, sourceKey: null, createdAt: t('2021-08-05 10:00') };
  await store.command.insertTasks([{ ...task, regionCode: '4301' }, { ...task, regionCode: '4302' }, { ...task, regionCode: '4303' }]);
  const ids = (await store.command.tasks({ directiveId }, { limit: 10 })).items.map((x) => x.id);
  await store.command.updateTask(ids[0], { status: 'done', statusAt: t('2021-08-05 17:00'), note: 'done' });
  await store.command.updateTask(ids[1], { status: 'done', statusAt: t('2021-08-06 01:00'), note: 'done' });
  await store.command.updateTask(ids[2], { status: 'in_progress', statusAt: t('2021-08-05 11:00') });
  return { ...w, addCase };
}
