/**
 * Field readers for feed rows: each returns the typed value or records a problem naming the field and the reason.
 * Every value is checked against the field's length limit and against how it was given: an ID number or a phone typed
 * as a number, or an object where a value belongs, is refused with the reason instead of being read rounded or as
 * `[object Object]`.
 */
import type { z } from 'zod';
import { idNumberProblem } from '../../domain/identity.ts';
import { implausible, type TimeRange } from '../../domain/rules/plausibleTime.ts';
import { asciiTwin } from '../../domain/text.ts';
import { parseTime } from '../../domain/time.ts';
import type { ValueType } from './sources.ts';

/** The values of a closed vocabulary's schema (a zod enum), or undefined for another kind of schema. */
export function vocabularyOf(schema: z.ZodType<string>): readonly string[] | undefined {
  const options = (schema as { options?: unknown }).options;
  return Array.isArray(options) && options.every((o) => typeof o === 'string') ? options as string[] : undefined;
}

/** A problem with one field of one row. */
export interface FieldProblem {
  field: string;
  reason: string;
}

const CODE = 64, NAME = 100, ADDRESS = 500;

/** Longest value of a field not listed in FIELD_MAX_CHARS (free text). */
export const FREE_TEXT_MAX_CHARS = 2000;

/**
 * The longest value of each column, in characters: names 100, addresses 500, codes and numbers of record 64. Columns
 * not listed (times, numbers, vocabulary values: checked by their format anyway) may hold FREE_TEXT_MAX_CHARS.
 */
export const FIELD_MAX_CHARS: Readonly<Record<string, number>> = {
  name: NAME, occupation: NAME, vaccine: NAME, lab: NAME, site: NAME,
  address: ADDRESS,
  id_number: CODE, phone: CODE, code: CODE, community_code: CODE, grid_code: CODE, household_code: CODE, region_code: CODE, place_code: CODE,
  hospital_code: CODE, case_no: CODE, sample_no: CODE, pool_no: CODE, seat: CODE, carriage: CODE,
};

/**
 * Codes and numbers of record (the fields of FIELD_MAX_CHARS at the code length): read as `normalizeCode` gives them
 * when they hold anything but printable ASCII, so full-width "ＭＫＴ－１", "４３０１０２…" or a code with a zero-width
 * space pasted in from a chat are the same code as typed in ASCII. Letters keep their case; "²" or "①" stay as they are.
 */
const CODE_FIELDS: ReadonlySet<string> = new Set(Object.entries(FIELD_MAX_CHARS).filter(([, max]) => max === CODE).map(([field]) => field));

/** A number as written or, when that is none, as its ASCII twin (NaN when neither is a number). */
const numberOf = (v: string): number => { const n = Number(v); if (!Number.isNaN(n)) return n; const twin = asciiTwin(v); return twin === null ? n : Number(twin); };
/** A time that did not parse as written, parsed as its ASCII twin (null when it has none or that does not parse either). */
const parseTwin = (v: string): number | null => { const twin = asciiTwin(v); return twin === null ? null : parseTime(twin); };

/** What a value of each type is, said to the person who wrote the file. */
const GIVEN_AS: Record<ValueType, (text: string) => string> = {
  // Stryker disable next-line StringLiteral: unreachable: every reader that refuses a number cell says why itself (Accepts.number)
  number: () => 'given as a number, not text',
  boolean: (t) => `given as ${t} (a true/false cell), not a value of this field`,
  date: () => 'given as a date cell, not a value of this field',
  object: () => 'an object, not a value',
  array: () => 'an array, not a value',
  error: (t) => `a spreadsheet error (${t}), not a value`,
};

/** A number written so that digits were lost (beyond 2^53, or with an exponent): 430102198604120316 as 430102198604120320. */
const inexact = (text: string) => /e\+/i.test(text) || (/^-?\d+$/.test(text) && !Number.isSafeInteger(Number(text)));

/** How one reader takes values that were not given as text: the types it accepts, and why it refuses a number. */
interface Accepts {
  types: readonly ValueType[];
  number?: string;
}

/** Text and number fields take a number as written (a place code 1001, a dose 2) if no digits were lost. */
const PLAIN: Accepts = { types: ['number'] };
const TIME: Accepts = { types: ['date'], number: 'given as a number, not a date-time: format the cell as a date, or write YYYY-MM-DD HH:MM' };
const ID_NUMBER: Accepts = { types: [], number: 'given as a number; write it as text: 18-digit numbers lose their last digits' };
const PHONE: Accepts = { types: [], number: 'given as a number; write it as text: a number loses a leading 0 or +' };

/** Reads typed fields from one row's values, collecting every problem instead of stopping at the first. */
export class FieldReader {
  readonly problems: FieldProblem[] = [];
  /** Fields whose value was refused as given (type or length): a later rule on the same field adds nothing. */
  private readonly refused = new Set<string>();

  /**
   * `types` names the fields whose value was not given as text (SourceRecord.types); `timeRange`: the plausible times
   * (the edition's earliest date to the server's now plus its tolerance).
   */
  constructor(private readonly values: Record<string, string>, private readonly types: Readonly<Record<string, ValueType>> = {}, private readonly opts: { timeRange?: TimeRange } = {}) {}

  private fail(field: string, reason: string): undefined {
    if (!this.refused.has(field)) this.problems.push({ field, reason });
    return undefined;
  }

  /** Records a value's problem (as `fail`) and reads the value as null. */
  private invalid(field: string, reason: string): null {
    this.fail(field, reason);
    return null;
  }

  private refuse(field: string, reason: string): null {
    this.fail(field, reason);
    this.refused.add(field);
    return null;
  }

  /** The trimmed value of a field if it was given in a way `accepts` takes and within its length; null otherwise. */
  private value(field: string, accepts: Accepts): string | null {
    // Stryker disable next-line ConditionalExpression: equivalent: a refused field read again is refused again for the same reason, which `fail` does not repeat (the check saves the work)
    if (this.refused.has(field)) return null;
    const raw = this.values[field];
    if (raw === undefined) return null;
    const type = this.types[field];
    if (type && !accepts.types.includes(type)) return this.refuse(field, type === 'number' && accepts.number ? accepts.number : GIVEN_AS[type](raw));
    if (type === 'number' && inexact(raw)) return this.refuse(field, `given as a number too large to be exact (${raw}); write it as text`);
    const v = (CODE_FIELDS.has(field) ? asciiTwin(raw) : null) ?? raw.trim();
    if (v === '') return null;
    const max = FIELD_MAX_CHARS[field] ?? FREE_TEXT_MAX_CHARS;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: a value no longer in UTF-16 units than the limit has no more characters (the check only spares counting them)
    if (v.length > max) {
      const chars = [...v].length;
      if (chars > max) return this.refuse(field, `${chars} characters, more than the ${max} allowed`);
    }
    return v;
  }

  /** Text of an optional field, or null when empty or absent. */
  opt(field: string): string | null {
    return this.value(field, PLAIN);
  }

  /** Text of a required field. */
  req(field: string): string {
    return this.opt(field) ?? this.fail(field, 'required') ?? '';
  }

  private required(field: string, accepts: Accepts, required: boolean): string | null {
    const v = this.value(field, accepts);
    if (v === null && required) this.fail(field, 'required');
    return v;
  }

  /** A value from a closed vocabulary; a refusal names the allowed values (a zod enum's options). */
  oneOf<T extends string>(field: string, schema: z.ZodType<T>, fallback?: T): T {
    const v = fallback === undefined ? this.req(field) : this.opt(field) ?? fallback;
    if (v === '') return v as T;
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    const twin = asciiTwin(v);
    const again = twin === null ? null : schema.safeParse(twin);
    if (again?.success) return again.data;
    const allowed = vocabularyOf(schema);
    return this.fail(field, `"${v}" is not one of the allowed values${allowed ? ` (${allowed.join(', ')})` : ''}`) as unknown as T;
  }

  /** A date-time in epoch seconds (no offset = China Standard Time; a spreadsheet date cell too); null when optional and empty. */
  time(field: string, required: true): number;
  time(field: string, required?: false): number | null;
  time(field: string, required = false): number | null {
    const v = this.required(field, TIME, required);
    if (!v) return null;
    const t = parseTime(v) ?? parseTwin(v);
    if (t === null) return this.invalid(field, `"${v}" is not a date-time (YYYY-MM-DD HH:MM[:SS], optional offset)`);
    const wrong = this.opts.timeRange && implausible(t, this.opts.timeRange);
    return wrong ? this.invalid(field, wrong) : t;
  }

  /** A whole number within bounds; null when optional and empty. */
  int(field: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | null {
    const v = this.required(field, PLAIN, opts.required ?? false);
    if (!v) return null;
    const n = numberOf(v);
    if (!Number.isInteger(n)) return this.invalid(field, `"${v}" is not a whole number`);
    // Stryker disable next-line ConditionalExpression: equivalent: a number is never below undefined
    if (opts.min !== undefined && n < opts.min) return this.invalid(field, `${n} is below ${opts.min}`);
    // Stryker disable next-line ConditionalExpression: equivalent: a number is never above undefined
    if (opts.max !== undefined && n > opts.max) return this.invalid(field, `${n} is above ${opts.max}`);
    return n;
  }

  /** A decimal number within bounds; null when empty. */
  num(field: string, min: number, max: number): number | null {
    const v = this.value(field, PLAIN);
    if (!v) return null;
    const n = numberOf(v);
    if (!Number.isFinite(n) || n < min || n > max) return this.invalid(field, `"${v}" is not a number from ${min} to ${max}`);
    return n;
  }

  /** A resident ID number with a valid check digit, given as text (a number would have lost its last digits). */
  idNumber(field: string, required = true): string | null {
    const v = this.required(field, ID_NUMBER, required);
    if (!v) return null;
    // The latest plausible time stands for the server's now: a birth date after it is refused.
    const problem = idNumberProblem(v, this.opts.timeRange?.latest);
    return problem ? this.invalid(field, problem) : v.toUpperCase();
  }

  /** A phone number (5 to 15 digits, an optional leading +), given as text (a number loses a leading 0 or +). */
  phone(field: string): string | null {
    const v = this.value(field, PHONE);
    if (!v) return null;
    return /^\+?\d{5,15}$/.test(v) ? v : this.invalid(field, `"${v}" is not a phone number`);
  }

  /** A code that must be one of `known` (division codes, say); `what` names it in the error. */
  known(field: string, known: ReadonlySet<string>, what: string, required = true): string | null {
    const v = required ? this.req(field) : this.opt(field);
    if (!v) return null;
    return known.has(v) ? v : this.invalid(field, `unknown ${what} "${v}"`);
  }

  /** Records a problem found by a rule that spans fields. */
  check(ok: boolean, field: string, reason: string): void {
    if (!ok) this.fail(field, reason);
  }
}
