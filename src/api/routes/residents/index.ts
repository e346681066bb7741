/**
 * The public's own pages: a resident asks for a sign-in code (POST /api/resident/code: sent to the phone registered
 * for the ID number), signs in with it (POST /api/resident/session: the session cookie, as staff get), and then sees
 * themselves only: who they are (GET /api/me), their code with a live token and its QR (GET /api/me/code, /code.svg),
 * their itinerary card (inside /api/me/code) and their test results (GET /api/me/results). Signing out and "who am I"
 * are the staff routes (DELETE and GET /api/session).
 */
import QRCode from 'qrcode';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Task } from '../../../domain/model/index.ts';
import { appealCode, appealsOf } from '../../../services/people/appeal.ts';
import { actionsOf } from '../../../domain/access.ts';
import { LoggingCodeSender, requestResidentCode, RESIDENT_CODE_RESEND_SECONDS, RESIDENT_CODE_SECONDS, residentSignIn, type CodeSender } from '../../../services/accounts/residents.ts';
import { SESSION_COOKIE, sessionCookie } from '../../auth.ts';
import { AppError } from '../../errors.ts';
import { ErrorResponse, IdNumberText, iso, said } from '../common.ts';
import { presentReason } from '../codes/index.ts';
import { AppealOut, CodeRequested, Me, MyAppeals, MyCode, MyResults, ResidentSignedIn } from './schema.ts';

/** Code requests a minute for one ID number from one address (one person retrying, not a sweep of numbers). */
export const CODE_REQUESTS_PER_MINUTE = 3;
/** Sign-in attempts a minute for one ID number from one address. */
export const RESIDENT_SIGN_IN_PER_MINUTE = 10;

const CodeRequest = z.strictObject({ idNumber: IdNumberText });
const SignIn = z.strictObject({ idNumber: IdNumberText, code: z.string().regex(/^\d{6}$/, 'six digits').describe('the code sent to the registered phone') });

export interface ResidentRouteOptions {
  /** Sends sign-in codes (default: written to the server's log). */
  codeSender?: CodeSender;
}

/** The signed-in resident's person id (routes of the resident alone: self:read, self:report); FORBIDDEN for anyone else. */
export const residentOf = (req: { principal: { kind: string; id: number } | null }): number => {
  if (req.principal?.kind !== 'resident') throw new AppError('FORBIDDEN');
  return req.principal.id;
};

export const residentRoutes: FastifyPluginAsyncZod<ResidentRouteOptions> = async (app, opts) => {
  const { store, codes, idHashKey } = app.cordon;
  const sender = opts.codeSender ?? new LoggingCodeSender((fields, message) => app.log.info(fields, message));
  const idOf = (req: { body?: unknown }) => (req.body as { idNumber?: string } | undefined)?.idNumber ?? '';

  app.post('/api/resident/code', {
    config: { action: 'session:sign-in', rateLimit: { max: CODE_REQUESTS_PER_MINUTE, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (req) => `code:${req.ip}|${idOf(req)}` } },
    schema: { tags: ['residents'], summary: 'Send a sign-in code to the phone registered for an ID number', body: CodeRequest, response: { 202: CodeRequested, 400: ErrorResponse, 429: ErrorResponse } },
  }, async (req, reply) => {
    const outcome = await requestResidentCode(req.ctx, store, idHashKey, req.body.idNumber, sender);
    req.log.info({ outcome }, 'resident code requested');
    return reply.code(202).send({ expiresInSeconds: RESIDENT_CODE_SECONDS, resendAfterSeconds: RESIDENT_CODE_RESEND_SECONDS });
  });

  app.post('/api/resident/session', {
    config: { action: 'session:sign-in', rateLimit: { max: RESIDENT_SIGN_IN_PER_MINUTE, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (req) => `resident:${req.ip}|${idOf(req)}` } },
    schema: { tags: ['residents'], summary: 'Sign in with an ID number and the code sent to the phone (sets the session cookie)', body: SignIn, response: { 200: ResidentSignedIn, 401: ErrorResponse } },
  }, async (req, reply) => {
    const signedIn = await residentSignIn(req.ctx, store, idHashKey, req.body.idNumber, req.body.code);
    if (!signedIn) throw new AppError('WRONG_SIGN_IN_CODE');
    void reply.setCookie(SESSION_COOKIE, signedIn.token, sessionCookie(req));
    return { kind: 'resident' as const, actions: actionsOf('resident') };
  });


  app.get('/api/me', { config: { action: 'self:read' }, schema: { tags: ['residents'], summary: 'Who the signed-in resident is', response: { 200: Me } } }, async (req) => {
    const p = (await store.persons.get(residentOf(req)))!;
    return { personId: p.id, name: p.name, idMasked: p.idMasked };
  });

  app.get('/api/me/code', { config: { action: 'self:read' },
    schema: { tags: ['residents'], summary: 'My health code now: colour, reasons, a live signed token (the QR) and the itinerary card', response: { 200: MyCode } },
  }, async (req) => {
    const r = await codes.issue(residentOf(req), req.ctx.clock.now());
    return {
      colour: r.code.colour, reasons: r.code.reasons.map(presentReason(app.cordon.edition)), since: iso(r.code.since)!, validUntil: iso(r.code.validUntil)!,
      token: r.token, tokenExpiresAt: iso(r.expiresAt)!, itinerary: r.itinerary,
    };
  });

  app.get('/api/me/code.svg', { config: { action: 'self:read' },
    schema: { tags: ['residents'], summary: 'My health code now as a QR image (SVG) of a fresh signed token, in its colour' },
  }, async (req, reply) => {
    const r = await codes.issue(residentOf(req), req.ctx.clock.now());
    const colour = { green: '#0a7d32', yellow: '#c79100', red: '#c62828' }[r.code.colour];
    const svg = await QRCode.toString(r.token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: colour, light: '#ffffff' } });
    return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
  });

  app.get('/api/me/results', { config: { action: 'self:read' }, schema: { tags: ['residents'], summary: 'My nucleic-acid test results, newest first', response: { 200: MyResults } } }, async (req) => {
    const samples = await store.samples.ofPerson(residentOf(req));
    return { items: samples.map((s) => ({ sampleNo: s.sampleNo, method: s.method, sampledAt: iso(s.sampledAt)!, result: s.result, resultAt: iso(s.resultAt) })) };
  });

  // An appeal against my code: a task for the investigators of my county (services/people/appeal.ts).
  app.get('/api/me/appeals', { config: { action: 'self:read' },
    schema: { tags: ['residents'], summary: 'My appeals against my health code, newest first, with where each stands', response: { 200: MyAppeals } },
  }, async (req) => ({ items: (await appealsOf(app.cordon, residentOf(req))).map(presentAppeal) }));

  app.post('/api/me/appeals', { config: { action: 'self:appeal' },
    schema: {
      tags: ['residents'], summary: 'Appeal against my health code: the investigators of my county review it (one open at a time; 409 APPEAL_OPEN)',
      body: z.strictObject({ reason: said(500).describe('why the code is wrong, in my words') }), response: { 201: AppealOut, 409: ErrorResponse },
    },
  }, async (req, reply) => reply.status(201).send(presentAppeal(await appealCode({ ...req.ctx, scope: undefined }, app.cordon, residentOf(req), req.body.reason))));
};

/** An appeal as its resident reads it (AppealOut). */
function presentAppeal(t: Task): AppealOut {
  const closed = t.status === 'done' || t.status === 'cancelled';
  return { id: t.id, reason: t.title, status: t.status, createdAt: iso(t.createdAt)!, dueAt: iso(t.dueAt)!, closedAt: closed ? iso(t.statusAt) : null, answer: closed ? t.note : null };
}
