/** Schemas shared by every resource: paging, times, and the error body. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { ERROR_CODES } from '../errors.ts';
import { parseTime, formatTime } from '../../domain/time.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import type { Ctx } from '../../platform/context.ts';
import { assertPlausibleTimes } from '../../services/times.ts';
import { idNumberProblem } from '../../domain/identity.ts';
import { MAX_ID } from '../../storage/db.ts';

/**
 * A whole number in a path or query, written in decimal digits only (`0x10`, `1e3`, ` 7` and `+7` are refused, not
 * read as 16, 1000 or 7), between `min` and `max`.
 */
export const decimal = (min: number, max: number) =>
  z.string().regex(/^[0-9]{1,16}$/, 'must be a whole number in decimal digits').transform(Number).pipe(z.number().int().min(min).max(max));

/** The id of a stored row (a person, a place, a case ...) in a body: up to MAX_ID, refused here rather than failing in SQL. */
export const Id = z.number().int().positive().max(MAX_ID);

/**
 * A UTF-16 surrogate without its pair (JSON can carry one as `\ud800`): not a character, and stored it would turn into
 * bytes that are not UTF-8 (SQLite) or be refused by the database (PostgreSQL).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (t: string) => !LONE_SURROGATE.test(t);

/**
 * Text a client sends (a reason, a note, a password): tabs and line breaks allowed, no other control character (NUL,
 * which PostgreSQL cannot store; ESC, which would drive a terminal that lists it; BEL ...) and no bidirectional
 * override or isolate, so that what is stored reads as it was written wherever it is shown.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
export const Text = z.string().refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(t), 'contains a control character or a direction override')
  .refine(wellFormed, 'contains a lone UTF-16 surrogate (not a character)');
/**
 * One line of plain text: no control characters (tabs and line breaks included), no line or paragraph separator
 * (U+2028, U+2029) and no bidirectional overrides, so
 * what is shown or listed (an audit entry's purpose) reads as it was written and cannot pose as another line.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
export const PlainText = z.string().refine((t) => !/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(t), 'contains a control character, a line or paragraph separator, or a direction override')
  .refine(wellFormed, 'contains a lone UTF-16 surrogate (not a character)');

/**
 * Whether a text has something to read: a character that is not a space, not a control, not one Unicode says to
 * ignore when shown (Default_Ignorable_Code_Point: zero-width spaces and joiners, direction marks, invisible
 * operators, Hangul fillers, variation selectors, tags, BOM ...), not a combining mark standing alone, and not the
 * blank braille pattern.
 */
export const visible = (t: string): boolean => /[^\s\p{Cc}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u.test(t);

/**
 * What a person writes for others to read (a reason, a site): `Text` (or one line, `PlainText`) trimmed, of 1 to
 * `max` characters, with something to read (not only spaces or invisible characters).
 */
export const said = (max: number, base: typeof Text | typeof PlainText = Text) => base.trim().min(1).max(max)
  // An empty value has its one problem already (too short): the field gets one entry in `details`, not two.
  .refine((v) => v.length === 0 || visible(v), 'has nothing to read (only spaces or invisible characters)');

/** An 18-character resident ID number as typed (its length, birth date and check character checked). */
export const IdNumberText = z.string().max(18).superRefine((v, ctx) => {
  const problem = idNumberProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).describe('an 18-character resident ID number');

/** The query of a route that takes no query parameters: any parameter is refused (`app.ts` gives it to every such route). */
/** A train, flight or coach number as people type it (G4301, CZ3101): 2 to 12 letters and digits. */
export const TripNumber = z.string().trim().regex(/^[A-Za-z0-9]{2,12}$/, 'a train, flight or coach number (2 to 12 letters and digits)');
/** A day, YYYY-MM-DD (a trip's service date). */
export const DayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD').refine((d) => parseTime(d) !== null, 'not a date');

export const NoQuery = z.strictObject({});

/**
 * The body of a route that takes none: absent (which Fastify validates as null, as it does a JSON `null`), or `{}` at
 * most; anything else is refused (`app.ts` gives it to every such route).
 */
export const NoBody = z.strictObject({}).nullable();

/** Keyset paging: items after an id, at most `limit`. Like every query, strict: a parameter the route does not know is refused. */
export const PageQuery = z.strictObject({
  after: decimal(0, MAX_ID).optional().describe('Return items with an id greater than this (the previous page\'s nextAfter).'),
  limit: decimal(1, 500).default(50),
});

/** A page of items and the cursor of the next page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextAfter: z.number().int().nullable() });
/** A page of items, the cursor of the next page, and how many items match in all. */
export const countedPageOf = <T extends z.ZodType>(item: T) => pageOf(item).extend({ total: z.number().int() });

/** A moment as ISO-8601 text in China Standard Time. */
export const IsoTime = z.string().describe('ISO-8601 date-time, +08:00');

/** A moment given as text (YYYY-MM-DD HH:MM[:SS], optional offset; CST without one), parsed to epoch seconds. */
export const TimeText = z.string().refine((t) => parseTime(t) !== null, 'not a date-time (YYYY-MM-DD HH:MM[:SS], optional offset; a date alone is its midnight in China Standard Time)').transform((t) => parseTime(t)!);

/** Optional `at` query of a read: what it would be at that moment (computed, stored nowhere); now when absent. */
export const AtQuery = z.strictObject({ at: TimeText.optional().describe('a what-if moment: computed for it, stored nowhere (now when absent)') });

/**
 * The moment a read is for: the what-if `at` (checked against the edition's plausible range, which for what-if reads
 * looks ahead by `timeBounds.whatIfDays`), or the server's now.
 */
export function readAt(ctx: Ctx, edition: ProtocolEdition, at: number | undefined): number {
  if (at === undefined) return ctx.clock.now();
  assertPlausibleTimes(ctx, edition, { at }, { whatIf: true });
  return at;
}

/** Epoch seconds to the API's ISO text (null stays null). */
export const iso = (t: number | null): string | null => (t === null ? null : formatTime(t));

/** Fields of a correction that hold a moment (epoch seconds inside): `...At`, and a contact's exposure bounds. */
const isTimeField = (field: string) => /At$/.test(field) || field === 'firstExposure' || field === 'lastExposure';

/** A correction's changes as the API says them: moments as ISO-8601 times in China Standard Time, like every other time it gives. */
export function presentChanges(changes: Record<string, [unknown, unknown]>): Record<string, [unknown, unknown]> {
  const time = (v: unknown) => (typeof v === 'number' ? iso(v) : v);
  return Object.fromEntries(Object.entries(changes).map(([k, [a, b]]) => [k, isTimeField(k) ? [time(a), time(b)] : [a, b]]));
}

export const ErrorResponse = z.object({
  error: z.object({ code: z.enum(ERROR_CODES as [string, ...string[]]), message: z.string(), details: z.unknown().optional() }),
});

/** Path parameter `id` as a positive integer. */
export const IdParams = z.object({ id: decimal(1, MAX_ID) });

/** Exports one actor may take a minute, per kind of export. */
export const EXPORTS_PER_MINUTE = 30;
/** The rate limit of every export route: EXPORTS_PER_MINUTE a minute for one actor (user, key or resident). */
export const exportRateLimit = {
  max: EXPORTS_PER_MINUTE, timeWindow: 60_000, hook: 'preHandler' as const, keyGenerator: (req: FastifyRequest): string => {
    const who = (req as { principal?: { kind: string; name: string } }).principal;
    return `${who?.kind}:${who?.name ?? req.ip}`;
  },
};

/** A room as staff name it (A-203, 3 栋 502): one line of 1 to 40 characters with something to read. */
export const RoomText = said(40, PlainText);
