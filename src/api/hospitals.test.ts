/**
 * Designated hospitals through the API on both engines: a county designates a hospital; hospital staff admit a case
 * (the case's severity follows), record its severity over time and its treatments (TCM flagged: the TCM participation
 * rate by hospital and province), and discharge it (the case's outcome follows, with the edition's management after
 * discharge); expert teams are dispatched. Bad input (a severity that does not exist, a second admission, a full
 * hospital, a hospital out of reach) is refused with a stable code and nothing is written.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { actorKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';
import { DAY, parseTime } from '../domain/time.ts';

const NOW = parseTime('2021-09-22 10:00')!;

describeEachEngine('api: designated hospitals', (engine) => {
  let w: FieldWorld, app: FastifyInstance;
  const actors = actorKeys(() => app);
  const as = actors.as;

  beforeEach(async () => {
    w = await fieldWorld(engine, NOW);
    app = await fieldApp(w);
    await actors.enter(w.s.store, [['county_command', '430102'], ['county_command', '430103'], ['grid_worker', '430102001001'], ['hospital', '4301'], ['hospital', '430103'], ['cdc_investigator', '43'], ['provincial_command', '43']]);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });

  it('admits a case, follows its severity and treatments, gives the TCM rate, discharges it into management after discharge, and refuses what cannot be', async () => {
    const confirm = async (caseNo: string, label: string) => {
      const r = await as('cdc_investigator', '43', 'POST', '/api/cases', {
        caseNo, personId: await w.id(label), kind: 'confirmed', onsetAt: '2021-09-19 10:00', sampledAt: '2021-09-20 09:00', confirmedAt: '2021-09-21 08:00', isolatedAt: '2021-09-21 08:00', severity: 'mild',
      });
      expect(r.statusCode, r.body).toBe(201);
      return (r.json() as { case: { id: number } }).case.id;
    };
    const a = await confirm('BH-A', 'A');
    const z = await confirm('BH-Z', 'Z');

    // The county designates a hospital of one bed; the hospital's staff of the city see it, those of another county do not.
    const made = await as('county_command', '430102', 'POST', '/api/hospitals', { name: '长沙市公共卫生救治中心', regionCode: '430102', beds: 1, icuBeds: 1 });
    expect(made.statusCode, made.body).toBe(201);
    const hospital = made.json() as { id: number; bedsFree: number; kind: string };
    expect([hospital.kind, hospital.bedsFree]).toEqual(['designated', 1]);
    expect((await as('county_command', '430102', 'POST', '/api/hospitals', { name: '长沙市公共卫生救治中心', regionCode: '430102', beds: 9 })).json().error.code).toBe('NAME_TAKEN');
    expect((await as('county_command', '430102', 'POST', '/api/hospitals', { name: '外区医院', regionCode: '430103', beds: 9 })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await as('county_command', '430102', 'POST', '/api/hospitals', { name: '床位不符', regionCode: '430102', beds: 2, icuBeds: 3 })).statusCode).toBe(400);
    expect((await as('hospital', '4301', 'POST', '/api/hospitals', { name: '自设', regionCode: '4301', beds: 9 })).statusCode).toBe(403);
    expect((await as('hospital', '4301', 'GET', '/api/hospitals')).json().total).toBe(1);
    expect((await as('hospital', '430103', 'GET', '/api/hospitals')).json().total).toBe(0);

    // Admission: a severity that does not exist, a hospital out of reach: refused, nothing written.
    const admit = (scope: string, body: object) => as('hospital', scope, 'POST', '/api/hospitals/admissions', body);
    expect((await admit('4301', { caseId: a, hospitalId: hospital.id, severity: 'grave' })).statusCode).toBe(400);
    expect((await admit('430103', { caseId: a, hospitalId: hospital.id, severity: 'mild' })).statusCode).toBe(404);
    expect((await as('hospital', '4301', 'GET', '/api/hospitals/admissions')).json().total).toBe(0);
    const admitted = await admit('4301', { caseId: a, hospitalId: hospital.id, severity: 'moderate', note: '120转运入院' });
    expect(admitted.statusCode, admitted.body).toBe(201);
    const adm = admitted.json() as { id: number; caseNo: string; severity: string; severityHistory: unknown[] };
    expect([adm.caseNo, adm.severity, adm.severityHistory.length]).toEqual(['BH-A', 'moderate', 1]);
    expect((await w.s.store.cases.get(a))!.severity).toBe('moderate');
    expect((await admit('4301', { caseId: a, hospitalId: hospital.id, severity: 'mild' })).json().error.code).toBe('ALREADY_ADMITTED');
    expect((await admit('4301', { caseId: z, hospitalId: hospital.id, severity: 'mild' })).json().error.code).toBe('HOSPITAL_FULL');
    expect((await as('provincial_command', '43', 'GET', '/api/hospitals')).json().items[0]).toMatchObject({ inHospital: 1, severeOrCritical: 0, bedsFree: 0 });

    // Severity over time: severe, then critical; the case follows; the list counts them.
    for (const severity of ['severe', 'critical']) {
      const r = await as('hospital', '4301', 'POST', `/api/hospitals/admissions/${adm.id}/severity`, { severity, note: '病情变化' });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect((await w.s.store.cases.get(a))!.severity).toBe('critical');
    expect((await as('provincial_command', '43', 'GET', '/api/hospitals')).json().items[0].severeOrCritical).toBe(1);
    expect((await as('hospital', '4301', 'POST', `/api/hospitals/admissions/${adm.id}/severity`, { severity: 'worse' })).statusCode).toBe(400);

    // Treatments: TCM counts towards the rate, an antiviral does not; none before the admission.
    const treat = (body: object) => as('hospital', '4301', 'POST', `/api/hospitals/admissions/${adm.id}/treatments`, body);
    expect((await treat({ kind: 'antiviral' })).statusCode).toBe(201);
    let tcm = (await as('provincial_command', '43', 'GET', '/api/hospitals/tcm')).json() as { province: { admitted: number; withTcm: number; rate: number | null }; byHospital: { rate: number | null }[] };
    expect(tcm.province).toEqual({ admitted: 1, withTcm: 0, rate: 0 });
    expect((await treat({ kind: 'tcm_decoction', startedAt: '2021-09-20 10:00' })).statusCode).toBe(400);
    // A TCM kind said not to be TCM: refused, not silently counted.
    expect((await treat({ kind: 'tcm_decoction', tcm: false })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'tcm' }] });
    expect((await treat({ kind: 'antiviral', tcm: true })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'tcm' }] });
    expect((await treat({ kind: 'tcm_decoction', note: '清肺排毒汤' })).statusCode).toBe(201);
    tcm = (await as('provincial_command', '43', 'GET', '/api/hospitals/tcm')).json();
    expect([tcm.province, tcm.byHospital[0].rate]).toEqual([{ admitted: 1, withTcm: 1, rate: 1 }, 1]);
    const full = (await as('hospital', '4301', 'GET', `/api/hospitals/admissions/${adm.id}`)).json() as { severityHistory: { severity: string }[]; treatments: { kind: string; tcm: boolean }[]; tcm: boolean };
    expect(full.severityHistory.map((x) => x.severity)).toEqual(['moderate', 'severe', 'critical']);
    expect([full.treatments.map((x) => [x.kind, x.tcm]), full.tcm]).toEqual([[['antiviral', false], ['tcm_decoction', true]], true]);

    // Discharged: the case's outcome follows, the bed is free, and the case is managed after discharge for the edition's days.
    w.clock.set(NOW + 10 * DAY);
    const out = await as('hospital', '4301', 'POST', `/api/hospitals/admissions/${adm.id}/discharge`, { outcome: 'discharged', note: '符合出院标准' });
    expect(out.statusCode, out.body).toBe(200);
    expect(parseTime(out.json().followUpUntil)).toBe(NOW + 10 * DAY + w.s.edition.caseManagement.afterDischarge.days * DAY);
    expect((await w.s.store.cases.get(a))).toMatchObject({ outcome: 'discharged', outcomeAt: NOW + 10 * DAY });
    expect((await w.s.store.codes.current(await w.id('A')))!.reasons.map((r) => r.condition)).toContain('post_discharge_management');
    expect((await as('hospital', '4301', 'GET', '/api/hospitals/admissions?state=follow_up')).json().items.map((x: { caseNo: string }) => x.caseNo)).toEqual(['BH-A']);
    // Followed up at home: a follow-up task for where the person lives, and a daily report is theirs to give until the days end.
    const personA = await w.id('A');
    const followUps = (await as('county_command', '430102', 'GET', '/api/tasks?kind=follow_up')).json().items as { subjectPersonId: number; title: string; regionCode: string }[];
    expect(followUps.filter((x) => x.subjectPersonId === personA).map((x) => x.title)).toEqual(['Follow up case BH-A after discharge']);
    const listed = (await as('county_command', '430102', 'GET', '/api/follow-up')).json() as { items: { personId: number; kind: string; since: string }[] };
    expect(listed.items.find((x) => x.personId === personA)).toMatchObject({ kind: 'home_monitoring', since: out.json().dischargedAt });
    const report = await as('grid_worker', '430102001001', 'POST', '/api/follow-up/reports', { personId: personA, temperatureC: 36.6, symptoms: [] });
    expect(report.statusCode, report.body).toBe(201);
    w.clock.set(NOW + 10 * DAY + w.s.edition.caseManagement.afterDischarge.days * DAY + 60);
    expect((await as('county_command', '430102', 'GET', '/api/follow-up')).json().items.map((x: { personId: number }) => x.personId)).not.toContain(personA);
    expect((await as('grid_worker', '430102001001', 'POST', '/api/follow-up/reports', { personId: personA, temperatureC: 36.6, symptoms: [] })).json().error.code).toBe('NOT_IN_FOLLOW_UP');
    w.clock.set(NOW + 10 * DAY);
    // Admitted again (back in treatment): no longer followed up at home; the follow-up task is called off.
    const again = await as('hospital', '4301', 'POST', '/api/hospitals/admissions', { caseId: a, hospitalId: hospital.id, severity: 'mild' });
    expect(again.statusCode, again.body).toBe(201);
    const afterAgain = (await as('county_command', '430102', 'GET', '/api/tasks?kind=follow_up')).json().items as { subjectPersonId: number; status: string }[];
    expect(afterAgain.filter((x) => x.subjectPersonId === personA).map((x) => x.status)).toEqual(['cancelled']);
    expect((await as('county_command', '430102', 'GET', '/api/follow-up')).json().items.map((x: { personId: number }) => x.personId)).not.toContain(personA);
    const readmitted = (again.json() as { id: number }).id;
    expect((await as('hospital', '4301', 'POST', `/api/hospitals/admissions/${readmitted}/discharge`, { outcome: 'discharged', note: '再次出院' })).statusCode).toBe(200);
    expect((await as('hospital', '4301', 'GET', '/api/hospitals/admissions?state=in_hospital')).json().total).toBe(0);
    expect((await as('hospital', '4301', 'POST', `/api/hospitals/admissions/${adm.id}/discharge`, { outcome: 'died', note: 'x' })).json().error.code).toBe('INVALID_TRANSITION');
    // The bed is free: the other case is admitted.
    expect((await admit('4301', { caseNo: 'BH-NONE', hospitalId: hospital.id, severity: 'mild' })).statusCode).toBe(404);
    // A case out of reach by its number answers as one that does not exist (no internal id, no hint it exists).
    const outOfReach = await admit('430103', { caseNo: 'BH-Z', hospitalId: hospital.id, severity: 'mild' });
    expect([outOfReach.statusCode, outOfReach.json().error.message]).toEqual([404, 'No case numbered BH-Z.']);
    expect((await admit('4301', { caseId: z, caseNo: 'BH-Z', hospitalId: hospital.id, severity: 'mild' })).statusCode).toBe(400);
    expect((await admit('4301', { caseNo: 'BH-Z', hospitalId: hospital.id, severity: 'mild' })).statusCode).toBe(201);

    // An expert team dispatched to the hospital; the end before the start is refused.
    const team = { name: '省级医疗救治专家组', specialty: '重症医学', hospitalId: hospital.id, members: [{ name: '李医生', title: '主任医师', institution: '中南大学湘雅医院' }] };
    expect((await as('provincial_command', '43', 'POST', '/api/hospitals/expert-teams', { ...team, fromAt: '2021-10-02 10:00', toAt: '2021-10-01 10:00' })).statusCode).toBe(400);
    expect((await as('hospital', '4301', 'POST', '/api/hospitals/expert-teams', team)).statusCode).toBe(403);
    expect((await as('provincial_command', '43', 'POST', '/api/hospitals/expert-teams', team)).statusCode).toBe(201);
    // The same team again over the same days (a second click): refused; a county does not dispatch to its city's hospital.
    expect((await as('provincial_command', '43', 'POST', '/api/hospitals/expert-teams', { ...team, name: ' 省级医疗救治专家组 ' })).json().error.code).toBe('ALREADY_DISPATCHED');
    const cityHospital = (await as('provincial_command', '43', 'POST', '/api/hospitals', { name: '长沙市第一医院', regionCode: '4301', beds: 10 })).json() as { id: number };
    expect((await as('county_command', '430102', 'POST', '/api/hospitals/expert-teams', { ...team, name: '区级专家组', hospitalId: cityHospital.id })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await as('hospital', '4301', 'GET', '/api/hospitals/expert-teams')).json().items.map((t: { name: string; hospitalName: string }) => [t.name, t.hospitalName])).toEqual([['省级医疗救治专家组', '长沙市公共卫生救治中心']]);
    expect((await as('hospital', '430103', 'GET', '/api/hospitals/expert-teams')).json().total).toBe(0);
  });
});
