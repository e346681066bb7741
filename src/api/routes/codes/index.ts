/**
 * Health codes: a person's code with its reasons and a signed token (JSON, or the QR as SVG), its history, the
 * itinerary card, online verification, the public keys for offline verifiers, key rotation, re-evaluation.
 */
import { z } from 'zod';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CodeColourSchema, CodeConditionSchema } from '../../../domain/vocab.ts';
import { gateReason, reasonEnds } from '../../../domain/rules/healthCode.ts';
import type { ProtocolEdition } from '../../../domain/protocol/schema.ts';
import { gathered } from '../../../platform/gathered.ts';
import { searchByIdNumber } from '../../../services/accounts/residents.ts';
import { AppError } from '../../errors.ts';
import { AtQuery, ErrorResponse, Id, IdNumberText, IdParams, iso, IsoTime, readAt } from '../common.ts';
import { Itinerary, Reason } from './schema.ts';

/**
 * What staff see to match the person in front of them: the surname (the name's first character) and the last four
 * characters of the ID number, nothing more (issue "Trust", item 5).
 */
export const IdentityHint = z.object({ surname: z.string(), idLast4: z.string() });
const hintOf = (p: { name: string; idMasked: string }) => ({ surname: [...p.name][0] ?? '', idLast4: p.idMasked.slice(-4) });

const CodeOut = z.object({
  personId: z.number().int(), colour: CodeColourSchema, reasons: z.array(Reason), since: IsoTime, validUntil: IsoTime,
  itinerary: Itinerary,
  whatIf: z.boolean().describe('true when evaluated at `at` (computed, stored nowhere)'),
});
/** The scanned token and nothing else: the moment of a verification is the server's. */
export const VerifyBody = z.strictObject({ token: z.string().max(4096) });
const VerifyOut = z.object({
  verdict: z.enum(['pass', 'deny']), colour: CodeColourSchema.nullable(), fault: z.string().nullable(), reasons: z.array(z.string()),
  person: z.object({ id: z.number().int(), issuedAt: IsoTime, expiresAt: IsoTime, asterisk: z.boolean(), hint: IdentityHint }).nullable(),
});
/** The ID number read from an ID card, when a person has no phone to show a code. */
export const VerifyIdBody = z.strictObject({ idNumber: IdNumberText });
const VerifyIdOut = z.object({
  verdict: z.enum(['pass', 'deny']), colour: CodeColourSchema, reasons: z.array(z.string()),
  person: z.object({ id: z.number().int(), hint: IdentityHint }), audit: z.object({ id: z.number().int() }),
});

/** Verifications by ID card a minute for one actor (a gate's device): a queue of travellers, not a sweep of numbers. */
export const VERIFY_ID_PER_MINUTE = 30;

/** A reason as the API gives it, with what ends it under the edition `e`. */
export const presentReason = (e: ProtocolEdition) => (r: { condition: z.infer<typeof CodeConditionSchema>; colour: 'yellow' | 'red'; detail: string; until: string; untilAt: number | null }) =>
  ({ ...r, untilAt: iso(r.untilAt), ends: reasonEnds(r, e) });

export const codeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, codes, edition } = app.cordon;
  /** What a checkpoint sees of the persons of the verifications of one turn of the event loop, read in one query. */
  const hints = gathered((ids: readonly number[]) => store.persons.hintsOf(ids));

  /** 404 unless the person exists under the actor's region. */
  const person = async (id: number, scope: string | null | undefined) => {
    if (!(await store.persons.get(id, scope))) throw new AppError('NOT_FOUND', `No person with id ${id}.`);
  };

  app.get('/api/persons/:id/code', { config: { action: 'codes:read' },
    schema: {
      tags: ['codes'], summary: 'A person\'s health code now: colour, every reason and the itinerary card (no token: only the resident gets one, GET /api/me/code); with `at`, what it would be then (stored nowhere)',
      params: IdParams, querystring: AtQuery, response: { 200: CodeOut, 404: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req) => {
    await person(req.params.id, req.ctx.scope);
    if (req.query.at !== undefined) {
      const at = readAt(req.ctx, edition, req.query.at);
      const code = await codes.whatIf(req.params.id, at);
      return {
        personId: code.personId, colour: code.colour, reasons: code.reasons.map(presentReason(edition)), since: iso(code.since)!, validUntil: iso(code.validUntil)!,
        itinerary: await codes.itinerary(req.params.id, at), whatIf: true,
      };
    }
    const now = req.ctx.clock.now();
    const code = await codes.codeOf(req.params.id, now);
    return {
      personId: code.personId, colour: code.colour, reasons: code.reasons.map(presentReason(edition)), since: iso(code.since)!, validUntil: iso(code.validUntil)!,
      itinerary: await codes.itinerary(req.params.id, now), whatIf: false,
    };
  });

  app.get('/api/persons/:id/code/history', { config: { action: 'codes:read' },
    schema: {
      tags: ['codes'], summary: 'Every change of a person\'s code, with its cause', params: IdParams,
      response: { 200: z.object({ items: z.array(z.object({ personId: z.number().int(), fromColour: CodeColourSchema.nullable(), colour: CodeColourSchema, reasons: z.array(Reason), cause: z.string(), at: IsoTime })) }), 404: ErrorResponse },
    },
  }, async (req) => {
    await person(req.params.id, req.ctx.scope);
    return { items: (await store.codes.transitionsOf(req.params.id)).map((t) => ({ ...t, at: iso(t.at)!, reasons: t.reasons.map(presentReason(edition)) })) };
  });

  app.get('/api/persons/:id/itinerary', { config: { action: 'persons:read' },
    schema: { tags: ['codes'], summary: 'The itinerary card: cities with a continuous stay, asterisk where a risk area is (now, or at `at`)', params: IdParams, querystring: AtQuery, response: { 200: Itinerary, 404: ErrorResponse, 422: ErrorResponse } },
  }, async (req) => {
    await person(req.params.id, req.ctx.scope);
    return codes.itinerary(req.params.id, readAt(req.ctx, edition, req.query.at));
  });

  app.post('/api/codes/verify', { config: { action: 'codes:verify' },
    schema: { tags: ['codes'], summary: 'Verify a scanned token online: signature, key, expiry, replay, and the person\'s colour now', body: VerifyBody, response: { 200: VerifyOut } },
    // The hottest route (every scan at every checkpoint): the handler builds exactly the documented shape, so the
    // response is written with JSON.stringify instead of being validated again.
    serializerCompiler: () => (data) => JSON.stringify(data),
    // ... and a well-formed body (two fields) is accepted by a hand check of the schema's rules; anything else goes
    // through the schema itself, for the usual error.
    validatorCompiler: (route) => {
      const full = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
      if (route.httpPart !== 'body') return full;
      return (body) => {
        const b = body as { token?: unknown } | null;
        const ok = typeof b === 'object' && b !== null && !Array.isArray(b) && Object.keys(b).length === 1 && typeof b.token === 'string' && b.token.length <= 4096;
        return ok ? { value: b } : full(body);
      };
    },
  }, async (req) => {
    const v = await codes.verify(req.body.token, req.ctx.clock.now());
    const p = v.personId === null || !v.payload ? undefined : await hints.load(v.personId);
    return {
      verdict: v.verdict, colour: v.colour, fault: v.fault, reasons: v.reasons,
      person: !p || !v.payload ? null : { id: v.personId!, issuedAt: iso(v.payload.iat)!, expiresAt: iso(v.payload.exp)!, asterisk: v.payload.a, hint: hintOf(p) },
    };
  });

  // For people without a phone: the checkpoint reads the ID card, and the person's code now decides. Every such
  // look-up is a search by identity, written to the audit log before it is answered.
  app.post('/api/codes/verify-id', {
    config: { action: 'codes:verify-id', rateLimit: { max: VERIFY_ID_PER_MINUTE, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (req) => `verify-id:${req.principal?.kind}:${req.principal?.id}` } },
    schema: { tags: ['codes'], summary: 'Verify a person by the ID number on their ID card (audited): the code now decides', body: VerifyIdBody, response: { 200: VerifyIdOut, 404: ErrorResponse, 429: ErrorResponse } },
  }, async (req) => {
    // The whole register (a checkpoint checks visitors too), recorded found or not.
    const { person, entry } = await searchByIdNumber({ ...req.ctx, scope: undefined }, store, app.cordon.idHashKey, req.body.idNumber, {
      action: 'codes:verify-id', purpose: (found) => (found ? 'ID-card verification at a checkpoint' : 'ID-card verification at a checkpoint: not registered'), requestId: req.id,
    });
    if (!person) throw new AppError('NOT_FOUND', 'No resident is registered with this ID number.');
    const code = await codes.codeOf(person.id, req.ctx.clock.now());
    return {
      verdict: code.colour === 'green' ? 'pass' as const : 'deny' as const, colour: code.colour,
      reasons: code.reasons.map(gateReason), person: { id: person.id, hint: hintOf(person) }, audit: { id: entry.id },
    };
  });

  app.get('/api/codes/keys', { config: { action: 'codes:keys-read' },
    schema: { tags: ['codes'], summary: 'Public keys for offline verification (Ed25519, raw, base64url), with key ids' },
  }, async () => ({
    algorithm: 'Ed25519', tokenFormat: 'CDN1.<base64url JSON payload>.<base64url signature of "CDN1.<payload>">',
    maxTokenLifetimeSeconds: codes.keys.maxTokenLifetimeSeconds, keys: codes.keys.publicKeys(),
  }));

  app.post('/api/codes/keys/rotate', { config: { action: 'codes:keys-rotate' },
    schema: { tags: ['codes'], summary: 'Rotate the signing key: a new key signs; the old one verifies until its tokens expire' },
  }, async (req, reply) => reply.status(201).send({ kid: await codes.keys.rotate(req.ctx.clock.now()) }));

  app.post('/api/codes/recompute', { config: { action: 'codes:recompute' },
    schema: {
      tags: ['codes'], summary: 'Evaluate codes again now (the given persons, or those whose validity ran out)',
      body: z.strictObject({ personIds: z.array(Id).max(100_000).optional() }).nullable().describe('absent: those whose validity ran out'),
    },
  }, async (req) => {
    const now = req.ctx.clock.now();
    return req.body?.personIds ? codes.recompute(req.body.personIds, 'requested', now) : codes.refreshExpiring(now);
  });
};
