/**
 * Designated hospitals: designate one (command centres), list those within reach with their patients and free beds
 * (`total`); admit a case, record its severity over time and its treatments (a TCM flag on each), discharge it
 * (hospital staff); list admissions (in hospital now, in follow-up after discharge) with `total`; the TCM
 * participation rate by hospital and province; expert teams dispatched to hospitals.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { admitCase, changeSeverity, designateHospital, dischargeCase, dispatchTeam, recordTreatment, tcmRates } from '../../../services/hospitals/hospitals.ts';
import { MAX_ID } from '../../../storage/db.ts';
import type { AdmissionView, ExpertTeam, Hospital, HospitalWithLoad } from '../../../storage/sql/hospitals.ts';
import type { Store } from '../../../storage/store.ts';
import { AppError } from '../../errors.ts';
import { decimal, ErrorResponse, IdParams, iso, PageQuery } from '../common.ts';
import { AdmissionDetail, AdmissionPage, AdmitBody, DischargeBody, HospitalBody, HospitalOut, HospitalPage, SeverityBody, TcmOut, TeamBody, TeamOut, TeamPage, TreatmentBody } from './schema.ts';

const presentHospitals = async (store: Store, items: HospitalWithLoad[]) => {
  const names = await store.regions.names(items.map((h) => h.regionCode));
  return items.map((h) => ({
    id: h.id, name: h.name, kind: h.kind, regionCode: h.regionCode, regionName: names.get(h.regionCode) ?? h.regionCode, address: h.address, beds: h.beds, icuBeds: h.icuBeds,
    designatedAt: iso(h.designatedAt)!, inHospital: h.inHospital, severeOrCritical: h.severeOrCritical, bedsFree: Math.max(0, h.beds - h.inHospital),
  }));
};

const hospitalNames = async (store: Store, ids: number[]) => {
  const found = await Promise.all([...new Set(ids)].map((id) => store.hospitals.hospital(id)));
  return new Map(found.filter((h): h is Hospital => h !== undefined).map((h) => [h.id, h.name]));
};

const presentAdmissions = async (store: Store, items: AdmissionView[]) => {
  const names = await hospitalNames(store, items.map((a) => a.hospitalId));
  return items.map((a) => ({
    id: a.id, caseId: a.caseId, caseNo: a.caseNo, personId: a.personId, hospitalId: a.hospitalId, hospitalName: names.get(a.hospitalId) ?? '', admittedAt: iso(a.admittedAt)!,
    severity: a.severity, dischargedAt: iso(a.dischargedAt), outcome: a.outcome, followUpUntil: iso(a.followUpUntil), tcm: a.tcm, admittedBy: a.admittedBy, note: a.note,
  }));
};

const presentTeams = async (store: Store, items: ExpertTeam[]) => {
  const names = await hospitalNames(store, items.map((t) => t.hospitalId));
  return items.map((t) => ({ ...t, hospitalName: names.get(t.hospitalId) ?? '', fromAt: iso(t.fromAt)!, toAt: iso(t.toAt) }));
};

export const hospitalRoutes: FastifyPluginAsyncZod = async (app) => {
  const s = app.cordon;
  const { store } = s;

  app.get('/api/hospitals', { config: { action: 'hospitals:read' },
    schema: {
      tags: ['hospitals'], summary: 'Designated hospitals within reach (of your region, and of the regions containing it), with the cases in each now and the free beds, and the total',
      querystring: PageQuery, response: { 200: HospitalPage },
    },
  }, async (req) => {
    const page = await store.hospitals.hospitals(req.query, req.ctx.scope);
    return { items: await presentHospitals(store, page.items), nextAfter: page.nextAfter, total: page.total };
  });

  app.post('/api/hospitals', { config: { action: 'hospitals:manage' },
    schema: {
      tags: ['hospitals'], summary: 'Designate a hospital of your region (a designated or a shelter hospital) with its beds',
      body: HospitalBody,
      response: { 201: HospitalOut, 400: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const h = await designateHospital(req.ctx, s, req.body);
    return reply.status(201).send((await presentHospitals(store, [{ ...h, inHospital: 0, severeOrCritical: 0 }]))[0]);
  });

  app.get('/api/hospitals/tcm', { config: { action: 'hospitals:read' },
    schema: { tags: ['hospitals'], summary: 'The TCM participation rate (cases with a traditional Chinese medicine treatment / cases admitted) by hospital within reach, and the province\'s', response: { 200: TcmOut } },
  }, async (req) => {
    const r = await tcmRates(req.ctx, s);
    return { byHospital: r.byHospital.map(({ regionCode: _r, ...h }) => h), province: r.province };
  });

  app.get('/api/hospitals/admissions', { config: { action: 'hospitals:read' },
    schema: {
      tags: ['hospitals'], summary: 'Admissions of cases (of your region, or at its hospitals), oldest first, with the total',
      querystring: PageQuery.extend({
        hospitalId: decimal(1, MAX_ID).optional(), caseId: decimal(1, MAX_ID).optional(),
        state: z.enum(['in_hospital', 'discharged', 'follow_up']).optional().describe('in_hospital: admitted now; discharged: ended; follow_up: under management after discharge now'),
      }),
      response: { 200: AdmissionPage },
    },
  }, async (req) => {
    const { after, limit, state, ...filter } = req.query;
    const now = req.ctx.clock.now();
    const page = await store.hospitals.admissions({
      ...filter, open: state === 'in_hospital' ? true : state === 'discharged' ? false : undefined, followUpAt: state === 'follow_up' ? now : undefined,
    }, { after, limit }, req.ctx.scope);
    return { items: await presentAdmissions(store, page.items), nextAfter: page.nextAfter, total: page.total };
  });

  const detail = async (id: number, scope: string | null | undefined) => {
    const a = await store.hospitals.admission(id, scope);
    if (!a) throw new AppError('NOT_FOUND', `No admission with id ${id}.`);
    const [out] = await presentAdmissions(store, [a]);
    return {
      ...out,
      severityHistory: (await store.hospitals.severityChanges(a.id)).map((c) => ({ severity: c.severity, at: iso(c.at)!, recordedBy: c.recordedBy, note: c.note })),
      treatments: (await store.hospitals.treatments(a.id)).map((t) => ({ id: t.id, kind: t.kind, tcm: t.tcm, startedAt: iso(t.startedAt)!, recordedBy: t.recordedBy, note: t.note })),
    };
  };

  app.get('/api/hospitals/admissions/:id', { config: { action: 'hospitals:read' },
    schema: { tags: ['hospitals'], summary: 'One admission with its severity over time and its treatments', params: IdParams, response: { 200: AdmissionDetail, 404: ErrorResponse } },
  }, async (req) => detail(req.params.id, req.ctx.scope));

  app.post('/api/hospitals/admissions', { config: { action: 'hospitals:treat' },
    schema: {
      tags: ['hospitals'], summary: 'Admit a case to a hospital within reach with its severity (the case\'s severity follows)',
      body: AdmitBody,
      response: { 201: AdmissionDetail, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const { caseNo, caseId, ...rest } = req.body;
    const a = await admitCase(req.ctx, s, { ...(caseId !== undefined ? { caseId } : { caseNo: caseNo! }), ...rest });
    return reply.status(201).send(await detail(a.id, undefined));
  });

  app.post('/api/hospitals/admissions/:id/severity', { config: { action: 'hospitals:treat' },
    schema: {
      tags: ['hospitals'], summary: 'Record the severity of an admitted case now (mild, moderate, severe, critical; the case\'s severity follows)',
      params: IdParams, body: SeverityBody, response: { 200: AdmissionDetail, 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req) => {
    await changeSeverity(req.ctx, s, { admissionId: req.params.id, ...req.body });
    return detail(req.params.id, undefined);
  });

  app.post('/api/hospitals/admissions/:id/treatments', { config: { action: 'hospitals:treat' },
    schema: {
      tags: ['hospitals'], summary: 'Record a treatment of an admitted case (TCM kinds, or tcm: true, count towards the TCM participation rate)',
      params: IdParams,
      body: TreatmentBody,
      response: { 201: AdmissionDetail, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    await recordTreatment(req.ctx, s, { admissionId: req.params.id, ...req.body });
    return reply.status(201).send(await detail(req.params.id, undefined));
  });

  app.post('/api/hospitals/admissions/:id/discharge', { config: { action: 'hospitals:treat' },
    schema: {
      tags: ['hospitals'], summary: 'End an admission: discharged (then managed after discharge for the edition\'s days), died, or transferred out to another hospital',
      params: IdParams, body: DischargeBody, response: { 200: AdmissionDetail, 404: ErrorResponse, 409: ErrorResponse },
    },
  }, async (req) => {
    await dischargeCase(req.ctx, s, { admissionId: req.params.id, ...req.body });
    return detail(req.params.id, undefined);
  });

  app.get('/api/hospitals/expert-teams', { config: { action: 'hospitals:read' },
    schema: {
      tags: ['hospitals'], summary: 'Expert teams dispatched to hospitals within reach, with the total',
      querystring: PageQuery.extend({ hospitalId: decimal(1, MAX_ID).optional() }),
      response: { 200: TeamPage },
    },
  }, async (req) => {
    const { after, limit, hospitalId } = req.query;
    const page = await store.hospitals.teams({ hospitalId }, { after, limit }, req.ctx.scope);
    return { items: await presentTeams(store, page.items), nextAfter: page.nextAfter, total: page.total };
  });

  app.post('/api/hospitals/expert-teams', { config: { action: 'hospitals:manage' },
    schema: {
      tags: ['hospitals'], summary: 'Dispatch an expert team (its members) to a hospital within reach, from a date (now by default) until another (open when unknown)',
      body: TeamBody,
      response: { 201: TeamOut, 400: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const team = await dispatchTeam(req.ctx, s, req.body);
    return reply.status(201).send((await presentTeams(store, [team]))[0]);
  });
};
