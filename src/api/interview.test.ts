/**
 * A case's interview (GET/PUT /api/cases/:id/interview), on both engines, on the field cases' world with case A
 * confirmed 2021-09-22 08:00 (onset 09-20 10:00): due 24 hours after confirmation (the edition's
 * investigation.completeWithinHours), asking about exposures from 14 days before onset; saved as drafts with versions
 * (a save from an older version is refused and changes nothing); completed only with its required answers, at the
 * server's time; late when completed, or still open, after its deadline.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.ts';
import { worldWithCaseA, type FieldWorld } from '../../test/fieldCases.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { parseTime } from '../domain/time.ts';

describeEachEngine('api: a case\'s interview', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  let caseId: number;
  beforeEach(async () => {
    ({ w, app, caseId } = await worldWithCaseA(engine));
  });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const read = async () => (await app.inject({ method: 'GET', url: `/api/cases/${caseId}/interview` })).json();
  const save = async (body: object) => {
    const r = await app.inject({ method: 'PUT', url: `/api/cases/${caseId}/interview`, payload: body });
    return { status: r.statusCode, body: r.json() };
  };
  const full = {
    demographics: { occupation: '个体经营', workplace: '五一路写字楼302', householdSize: 3 },
    onset: { symptoms: ['fever', 'dry_cough'], maxTemperature: 38.6, firstCareAt: '2021-09-21 08:30', careSeeking: '芙蓉区人民医院发热门诊' },
    vaccination: { doses: 2, lastDoseDate: '2021-06-01' },
    lab: { ctValue: 23.5 },
    exposures: { suspectedSource: '9月15日与外省返湘亲属聚餐' },
    diagnosis: { clinicalType: 'mild' },
  };

  it('is empty before its first save, due 24 hours after confirmation, asking about the 14 days before onset', async () => {
    expect(await read()).toEqual({
      caseId, answers: {}, version: 0, updatedAt: null, updatedBy: null, completedAt: null, completedBy: null,
      dueAt: '2021-09-23T08:00:00+08:00', late: false, exposuresFrom: '2021-09-06T10:00:00+08:00',
    });
  });

  it('saves drafts as versions, refuses a save from an older version without changing anything, and completes with the required answers at the server\'s time', async () => {
    const draft = await save({ version: 0, answers: { onset: { symptoms: ['fever'] } } });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body).toMatchObject({ version: 1, completedAt: null, updatedAt: '2021-09-22T12:00:00+08:00', answers: { onset: { symptoms: ['fever'] } } });
    // A second investigator's page still at version 0.
    const stale = await save({ version: 0, answers: { onset: { symptoms: ['dry_cough'] } } });
    expect({ status: stale.status, code: stale.body.error.code, version: stale.body.error.details.version }).toEqual({ status: 409, code: 'STALE_VERSION', version: 1 });
    expect((await read()).answers).toEqual({ onset: { symptoms: ['fever'] } });
    // Completing without the required answers names each, and writes nothing.
    const incomplete = await save({ version: 1, answers: { onset: { symptoms: ['fever'] } }, complete: true });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['answers.diagnosis.clinicalType', 'answers.exposures.notes', 'answers.vaccination.doses']);
    expect(await read()).toMatchObject({ version: 1, completedAt: null });
    w.clock.set(parseTime('2021-09-22 20:15')!);
    const done = await save({ version: 1, answers: full, complete: true });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ version: 2, completedAt: '2021-09-22T20:15:00+08:00', late: false, answers: { ...full, onset: { ...full.onset, firstCareAt: '2021-09-21T08:30:00+08:00' } } });
    expect(await read()).toEqual(done.body);
    // Corrected later: still completed at its first completion; a correction may not drop a required answer.
    w.clock.set(parseTime('2021-09-24 09:00')!);
    const fixed = await save({ version: 2, answers: { ...full, diagnosis: { clinicalType: 'moderate' } } });
    expect(fixed.body).toMatchObject({ version: 3, completedAt: '2021-09-22T20:15:00+08:00', late: false, answers: { diagnosis: { clinicalType: 'moderate' } } });
    const dropped = await save({ version: 3, answers: { ...full, diagnosis: {} } });
    expect({ status: dropped.status, fields: dropped.body.error.details.map((d: { field: string }) => d.field) }).toEqual({ status: 400, fields: ['answers.diagnosis.clinicalType'] });
  });

  it('is late while still open after its deadline, and when completed after it', async () => {
    w.clock.set(parseTime('2021-09-23 08:01')!);
    expect((await read()).late).toBe(true);
    const done = await save({ version: 0, answers: full, complete: true });
    expect(done.body).toMatchObject({ late: true, completedAt: '2021-09-23T08:01:00+08:00' });
  });

  it('refuses bad answers naming the field, a time in the future, and a case out of scope or for a role that may not investigate', async () => {
    const refused = async (answers: object, status: number, code: string, field: string) => {
      const r = await save({ version: 0, answers });
      expect({ status: r.status, code: r.body.error?.code }, JSON.stringify(answers)).toEqual({ status, code });
      expect(r.body.error.details.map((d: { field: string }) => d.field).join(' ')).toContain(field);
    };
    await refused({ onset: { symptoms: ['fever', 'fever'] } }, 400, 'VALIDATION_FAILED', 'answers.onset.symptoms');
    await refused({ onset: { symptoms: ['sneezing'] } }, 400, 'VALIDATION_FAILED', 'answers.onset.symptoms');
    await refused({ onset: { maxTemperature: 48 } }, 400, 'VALIDATION_FAILED', 'answers.onset.maxTemperature');
    // The edition's plausible body temperatures, both ends taken (case A is a confirmed case).
    const { min, max } = w.s.edition.checkpoint.plausibleTemperatureC;
    await refused({ onset: { maxTemperature: max + 0.1 } }, 400, 'VALIDATION_FAILED', 'answers.onset.maxTemperature');
    await refused({ onset: { maxTemperature: min - 0.1 } }, 400, 'VALIDATION_FAILED', 'answers.onset.maxTemperature');
    await refused({ diagnosis: { clinicalType: 'asymptomatic' } }, 400, 'VALIDATION_FAILED', 'answers.diagnosis.clinicalType');
    await refused({ vaccination: { doses: -1 } }, 400, 'VALIDATION_FAILED', 'answers.vaccination.doses');
    await refused({ vaccination: { lastDoseDate: '2021-02-30' } }, 400, 'VALIDATION_FAILED', 'answers.vaccination.lastDoseDate');
    await refused({ diagnosis: { clinicalType: 'grave' } }, 400, 'VALIDATION_FAILED', 'answers.diagnosis.clinicalType');
    await refused({ exposures: { notes: '   ' } }, 400, 'VALIDATION_FAILED', 'answers.exposures.notes');
    await refused({ surprise: {} }, 400, 'VALIDATION_FAILED', 'answers');
    await refused({ onset: { firstCareAt: '2021-09-25 08:00' } }, 422, 'TIME_IMPLAUSIBLE', 'answers.onset.firstCareAt');
    expect(await read()).toMatchObject({ version: 0, answers: {} });
    const keys = await roleKeys(w.s.store, '4301', ['cdc_investigator', 'hospital']);
    const elsewhere = await roleKeys(w.s.store, '4302', ['cdc_investigator']);
    const as = (key: string) => injectAsGiven(app)({ method: 'PUT', url: `/api/cases/${caseId}/interview`, headers: { authorization: `Bearer ${key}` }, payload: { version: 0, answers: full } });
    expect((await as(keys.get('hospital')!)).statusCode).toBe(403);
    expect((await as(elsewhere.get('cdc_investigator')!)).statusCode).toBe(404);
    expect((await as(keys.get('cdc_investigator')!)).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/cases/9999/interview' })).statusCode).toBe(404);
    for (const [version, t] of [[1, max], [2, min]] as const) expect((await save({ version, answers: { onset: { maxTemperature: t } } })).status, String(t)).toBe(200);
  });
});
