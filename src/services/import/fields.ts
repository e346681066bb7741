/** Field readers for feed rows: each returns the typed value or records a problem naming the field and the reason. */
import type { z } from 'zod';
import { idNumberProblem } from '../../domain/identity.ts';
import { implausible, type TimeRange } from '../../domain/rules/plausibleTime.ts';
import { parseTime } from '../../domain/time.ts';

/** A problem with one field of one row. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** Reads typed fields from one row's values, collecting every problem instead of stopping at the first. */
export class FieldReader {
  readonly problems: FieldProblem[] = [];
  /** `timeRange`: the plausible times (the edition's earliest date to the server's now plus its tolerance). */
  constructor(private readonly values: Record<string, string>, private readonly opts: { timeRange?: TimeRange } = {}) {}

  private fail(field: string, reason: string): undefined {
    this.problems.push({ field, reason });
    return undefined;
  }

  /** Text of an optional field, or null when empty or absent. */
  opt(field: string): string | null {
    const v = this.values[field];
    return v === undefined || v.trim() === '' ? null : v.trim();
  }

  /** Text of a required field. */
  req(field: string): string {
    return this.opt(field) ?? this.fail(field, 'required') ?? '';
  }

  /** A value from a closed vocabulary. */
  oneOf<T extends string>(field: string, schema: z.ZodType<T>, fallback?: T): T {
    const v = fallback === undefined ? this.req(field) : this.opt(field) ?? fallback;
    if (v === '') return v as T;
    const r = schema.safeParse(v);
    return r.success ? r.data : (this.fail(field, `"${v}" is not one of the allowed values`) as unknown as T);
  }

  /** A date-time in epoch seconds (no offset = China Standard Time); null when optional and empty. */
  time(field: string, required: true): number;
  time(field: string, required?: false): number | null;
  time(field: string, required = false): number | null {
    const v = required ? this.req(field) : this.opt(field);
    if (!v) return null;
    const t = parseTime(v);
    if (t === null) return this.fail(field, `"${v}" is not a date-time (YYYY-MM-DD HH:MM[:SS], optional offset)`) ?? null;
    const wrong = this.opts.timeRange && implausible(t, this.opts.timeRange);
    return wrong ? this.fail(field, wrong) ?? null : t;
  }

  /** A whole number within bounds; null when optional and empty. */
  int(field: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | null {
    const v = opts.required ? this.req(field) : this.opt(field);
    if (!v) return null;
    const n = Number(v);
    if (!Number.isInteger(n)) return this.fail(field, `"${v}" is not a whole number`) ?? null;
    if (opts.min !== undefined && n < opts.min) return this.fail(field, `${n} is below ${opts.min}`) ?? null;
    if (opts.max !== undefined && n > opts.max) return this.fail(field, `${n} is above ${opts.max}`) ?? null;
    return n;
  }

  /** A decimal number within bounds; null when empty. */
  num(field: string, min: number, max: number): number | null {
    const v = this.opt(field);
    if (!v) return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) return this.fail(field, `"${v}" is not a number from ${min} to ${max}`) ?? null;
    return n;
  }

  /** A resident ID number with a valid check digit. */
  idNumber(field: string, required = true): string | null {
    const v = required ? this.req(field) : this.opt(field);
    if (!v) return null;
    const problem = idNumberProblem(v);
    return problem ? this.fail(field, problem) ?? null : v.toUpperCase();
  }

  /** A code that must be one of `known` (division codes, say); `what` names it in the error. */
  known(field: string, known: ReadonlySet<string>, what: string, required = true): string | null {
    const v = required ? this.req(field) : this.opt(field);
    if (!v) return null;
    return known.has(v) ? v : this.fail(field, `unknown ${what} "${v}"`) ?? null;
  }

  /** Records a problem found by a rule that spans fields. */
  check(ok: boolean, field: string, reason: string): void {
    if (!ok) this.fail(field, reason);
  }
}
