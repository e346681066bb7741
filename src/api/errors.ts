/**
 * Every error the API returns: a stable code, an HTTP status and a message. Handlers throw `AppError`; one error
 * handler maps lower-level errors (validation, Fastify's own, import rejections) onto these codes. `docs/errors.md`
 * lists the same codes, and a test keeps the two in sync.
 */
import { isSqliteBusy, isStorageUnavailable } from '../storage/db.ts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type ErrorKind } from '../domain/errors.ts';
import { ImportRejectedError } from '../services/import/importFile.ts';
import { ResultError } from '../services/codes/results.ts';
import { VenueOrderError } from '../services/control.ts';
import { TraceError } from '../services/tracing/traceCase.ts';

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The request does not match the schema: see details for each field.' },
  MALFORMED_BODY: { status: 400, message: 'The request body could not be parsed.' },
  MALFORMED_URL: { status: 400, message: 'The URL could not be read: bad percent-encoding, or a path segment longer than the server accepts.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in, or send an API key (Authorization: Bearer KEY).' },
  INVALID_CREDENTIALS: { status: 401, message: 'The API key is not valid (unknown, revoked, or malformed).' },
  WRONG_CREDENTIALS: { status: 401, message: 'Wrong username or password.' },
  WRONG_SIGN_IN_CODE: { status: 401, message: 'Wrong ID number or sign-in code, or the code has expired: ask for a new one.' },
  SESSION_EXPIRED: { status: 401, message: 'The session has ended or expired: sign in again.' },
  FORBIDDEN: { status: 403, message: 'Your role may not do this.' },
  OUT_OF_SCOPE: { status: 403, message: 'This is outside your region.' },
  NOT_TASK_OWNER: { status: 403, message: 'The task is held by another user.' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: 'Choose a new password first (you signed in with a one-time password).' },
  CSRF_HEADER_MISSING: { status: 403, message: 'A write with a session cookie needs the header X-Cordon-CSRF: 1.' },
  NOT_FOUND: { status: 404, message: 'No such resource.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No route matches this method and path.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed on this path.' },
  CONFLICT: { status: 409, message: 'The resource already exists or the request conflicts with its current state.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body has a content type the route does not accept.' },
  UNKNOWN_REFERENCE: { status: 422, message: 'The request refers to something that does not exist (a person, a place ...).' },
  UNKNOWN_CHECKPOINT: { status: 404, message: 'No such checkpoint: the check is refused.' },
  IMPORT_REJECTED: { status: 422, message: 'The feed was rejected; nothing was imported: see details for each row.' },
  UNKNOWN_FEED_KIND: { status: 404, message: 'No such feed kind: persons, places, presence, cases, samples or vaccinations.' },
  FEED_KIND_NOT_ALLOWED: { status: 403, message: 'This key\'s agency does not send this kind of feed.' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, message: 'A batch needs an Idempotency-Key header: 1-128 visible ASCII characters, the same for its retries.' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This Idempotency-Key named another batch (other content or kind).' },
  EXPOSURE_OUTSIDE_WINDOW: { status: 422, message: 'The exposure is outside the window in which it could come from the case (its infectious window; for a secondary contact, its close contact\'s exposure until isolation).' },
  TIME_IMPLAUSIBLE: { status: 422, message: 'A time is outside the plausible range (before the edition\'s earliest date, or after the server\'s now plus its tolerance).' },
  PERSON_ALREADY_CASE: { status: 409, message: 'The person is already a case in treatment (or died); a reinfection is recorded after recovery.' },
  CASE_WITHDRAWN: { status: 409, message: 'The case was withdrawn as not a case.' },
  EVENT_WITHDRAWN: { status: 409, message: 'The exposure event was withdrawn already.' },
  INVALID_TRANSITION: { status: 409, message: 'The status cannot change this way.' },
  LINK_CYCLE: { status: 409, message: 'Confirming this link would make a cycle of confirmed links.' },
  LINK_CONTRADICTS: { status: 409, message: 'The case already has another confirmed infector.' },
  NO_VERDICT: { status: 404, message: 'The link has no investigator\'s verdict to clear (it was never given, or cleared already).' },
  ORDER_ENDED: { status: 409, message: 'The venue order has already ended.' },
  SUBTASKS_OPEN: { status: 409, message: 'Tasks below this one are still open: it is done when they are.' },
  REINSPECTION_REQUIRED: { status: 409, message: 'A rectification is done when a re-inspection passes it.' },
  DEADLINE_AFTER_PARENT: { status: 422, message: 'A task\'s deadline cannot be later than the deadline of the task above it.' },
  SITE_CLOSED: { status: 409, message: 'The quarantine site is closed.' },
  ROOM_FULL: { status: 409, message: 'The room already holds as many persons as the site puts in a room.' },
  SITE_FULL: { status: 409, message: 'Every room of the quarantine site is in use.' },
  ASSIGNMENT_REQUIRED: { status: 409, message: 'A contact is in quarantine once their person is held at a site or at home: assign them (or complete their transfer).' },
  ALREADY_IN_QUARANTINE: { status: 409, message: 'The person is held in quarantine already (one assignment at a time).' },
  NOT_UNDER_MANAGEMENT: { status: 409, message: 'The person is not a close or secondary contact to be held in quarantine.' },
  PERIOD_ENDED: { status: 409, message: 'The quarantine period the edition gives, counted from the last exposure, has ended already.' },
  RELEASE_CONDITIONS_NOT_MET: { status: 409, message: 'The edition\'s conditions for release do not hold yet (days served, required negative samples).' },
  ALREADY_ADMITTED: { status: 409, message: 'The case is in hospital already (one admission at a time).' },
  HOSPITAL_FULL: { status: 409, message: 'Every bed of the hospital is taken.' },
  NOT_IN_FOLLOW_UP: { status: 409, message: 'The person is neither in quarantine nor in home monitoring: there is no daily report to record.' },
  RELEASE_REQUIRED: { status: 409, message: 'The person is held in quarantine: release them through the release, which checks the edition\'s conditions; their records then move on.' },
  NAME_TAKEN: { status: 409, message: 'A site or hospital of that name is in that region already.' },
  CASE_DECEASED: { status: 409, message: 'The case died: there is no one to admit.' },
  NO_TRAJECTORY: { status: 409, message: 'The case has no trajectory rows to publish.' },
  APPEAL_OPEN: { status: 409, message: 'An appeal against the health code is still being reviewed.' },
  EXPORT_TOO_LARGE: { status: 422, message: 'More rows than one export may hold: narrow the list (a smaller region, a status) and export again.' },
  STALE_VERSION: { status: 409, message: 'Saved by someone else since the version this save was made from: reload and save again.' },
  ALREADY_DISPATCHED: { status: 409, message: 'A team of that name is at that hospital over those days already.' },
  SITE_IN_USE: { status: 409, message: 'The site holds more than that now: not fewer rooms, or persons per room, than are in use.' },
  NOT_AN_ARRIVAL: { status: 409, message: 'No stay in a medium- or high-risk area is on record (or the area named is not one now, or the edition holds no such arrival): there is no arrival to hold.' },
  MANAGED_AS_CONTACT: { status: 409, message: 'The person is a close or secondary contact awaiting transfer or held: put them in quarantine as one.' },
  NOT_SEALED: { status: 409, message: 'No medium- or high-risk area lies in or around the region now: a visitor there is free to go home.' },
  NOT_A_VISITOR: { status: 409, message: 'The persons register holds this ID number: a resident is managed through their own record, not lodged as a visitor.' },
  ALREADY_LODGED: { status: 409, message: 'The visitor is lodged already (one stay at a time).' },
  POOL_FULL: { status: 409, message: 'The pooled tube already holds as many samples as its size.' },
  POOL_CLOSED: { status: 409, message: 'The pooled tube already has its result.' },
  POOL_SIZE_NOT_ALLOWED: { status: 422, message: 'The pool size is not one the protocol edition allows here.' },
  POOL_DUPLICATE_PERSON: { status: 409, message: 'The person already has a sample in this pooled tube.' },
  POOLED_SAMPLE: { status: 409, message: 'The sample is in a pooled tube: its result is the tube\'s.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests: try again later.' },
  INTERNAL: { status: 500, message: 'An unexpected error occurred; it has been logged.' },
  STORAGE_UNAVAILABLE: { status: 503, message: 'The database cannot be reached.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** An error with a stable code; `details` carries per-field or per-row information. */
export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode, message?: string, readonly details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_BAD_URL: 'MALFORMED_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'MALFORMED_URL',
};

/** The code of each kind of domain error whose own code is not in the catalogue. */
const KIND_CODES: Record<ErrorKind, ErrorCode> = {
  not_found: 'NOT_FOUND', conflict: 'CONFLICT', invalid: 'VALIDATION_FAILED', unknown_reference: 'UNKNOWN_REFERENCE', forbidden: 'VALIDATION_FAILED', unavailable: 'STORAGE_UNAVAILABLE',
};

/** Maps any thrown error onto a code and status. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof DomainError) {
    const code = (err.code in ERRORS ? err.code : KIND_CODES[err.kind]) as ErrorCode;
    return new AppError(code, err.message, err.details);
  }
  if (err instanceof TraceError) return new AppError(err.reason === 'withdrawn' ? 'CASE_WITHDRAWN' : 'NOT_FOUND', err.message);
  // Busy is not down: another writer (a CLI import of a large file) holds SQLite's lock until its commit.
  if (isSqliteBusy(err)) return new AppError('STORAGE_UNAVAILABLE', 'The database is busy with another writer (such as a file being imported); try again in a few seconds.');
  if (isStorageUnavailable(err)) return new AppError('STORAGE_UNAVAILABLE');
  if (err instanceof ImportRejectedError) {
    return new AppError('IMPORT_REJECTED', undefined, { total: err.total, problems: err.problems });
  }
  if (err instanceof VenueOrderError) {
    return new AppError(err.reason === 'duplicate' ? 'CONFLICT' : err.reason === 'unknown_region' ? 'UNKNOWN_REFERENCE' : 'VALIDATION_FAILED', err.message);
  }
  if (err instanceof ResultError) {
    const code = {
      unknown_person: 'UNKNOWN_REFERENCE', duplicate_sample: 'CONFLICT', unknown_sample: 'NOT_FOUND', unknown_pool: 'NOT_FOUND', result_before_sample: 'VALIDATION_FAILED',
      pool_full: 'POOL_FULL', pool_size: 'POOL_SIZE_NOT_ALLOWED', pool_closed: 'POOL_CLOSED', person_in_pool: 'POOL_DUPLICATE_PERSON', pooled_sample: 'POOLED_SAMPLE',
    } as const;
    return new AppError(code[err.reason], err.message);
  }
  const fe = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    return new AppError('VALIDATION_FAILED', undefined, fe.validation.flatMap((v) => {
      const field = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      // A field or query parameter the route does not take: one detail naming each.
      if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys)) {
        return (v.params.keys as string[]).map((k) => ({ in: fe.validationContext, field: field ? `${field}.${k}` : k, reason: 'not taken by this route' }));
      }
      return [{ in: fe.validationContext, field, reason: v.message }];
    }));
  }
  if (fe?.code && FASTIFY_CODES[fe.code]) return new AppError(FASTIFY_CODES[fe.code]);
  if (fe instanceof SyntaxError || fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return new AppError('MALFORMED_BODY');
  if (fe?.statusCode === 404) return new AppError('ROUTE_NOT_FOUND');
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError('MALFORMED_BODY', fe.message);
  return new AppError('INTERNAL');
}

/**
 * Fastify error handler, also for the errors Fastify meets before routing (`frameworkErrors`): logs server errors,
 * answers with the stable body.
 */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const app = toAppError(err);
  // Storage busy or unreachable is the 503 the API promises, said once without a stack; other server errors in full.
  if (isStorageUnavailable(err)) req.log.warn({ code: (err as { code?: string }).code, reason: err.message }, 'storage unavailable');
  else if (app.status >= 500) req.log.error({ err }, 'request failed');
  const body: ErrorBody = { error: { code: app.code, message: app.message, ...(app.details === undefined ? {} : { details: app.details }) } };
  if (app.code === 'STORAGE_UNAVAILABLE') void reply.header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS));
  void reply.status(app.status).send(body);
}

/** What a 503 STORAGE_UNAVAILABLE tells a client to wait before trying again (seconds; `Retry-After`). */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/** Fastify not-found handler. */
export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): void {
  const body: ErrorBody = { error: { code: 'ROUTE_NOT_FOUND', message: `${ERRORS.ROUTE_NOT_FOUND.message} (${req.method} ${req.url})` } };
  void reply.status(404).send(body);
}

/**
 * The answer for a request no route takes: 405 METHOD_NOT_ALLOWED (with `Allow`) when the path is a route's with
 * other methods, 404 ROUTE_NOT_FOUND otherwise. `methodsOf` gives the methods registered for a path.
 */
export function routeNotFound(methodsOf: (path: string) => string[]): (req: FastifyRequest, reply: FastifyReply) => void {
  return (req, reply) => {
    const allowed = methodsOf(req.url.split('?')[0]);
    if (allowed.length === 0) return notFoundHandler(req, reply);
    const body: ErrorBody = { error: { code: 'METHOD_NOT_ALLOWED', message: `${ERRORS.METHOD_NOT_ALLOWED.message} (${req.method} ${req.url.split('?')[0]}; allowed: ${allowed.join(', ')})` } };
    void reply.status(405).header('allow', allowed.join(', ')).send(body);
  };
}
