/**
 * What the province-scale benchmarks share: their command-line options, a timestamped log on stderr, bulk loads in
 * batches, and quantiles of timings.
 */
import type { Db, SqlValue } from '../src/storage/db.ts';

const args = process.argv.slice(2);

/** The value after `--name` on the command line, else `fallback`. */
export const opt = (name: string, fallback: string): string => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : fallback; };

/** Whether `--name` is on the command line. */
export const flag = (name: string): boolean => args.includes(`--${name}`);

/** A line on stderr with the time of day (stdout carries the result). */
export const log = (...a: unknown[]): void => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Writes rows in batches of 50,000, each batch one transaction (COPY on PostgreSQL). */
export async function bulk(db: Db, table: string, columns: string[], rows: SqlValue[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 50_000) await db.insertMany(table, columns, rows.slice(i, i + 50_000), []);
}

/** The `q` quantile of timings `xs` (nearest rank). */
export const quantile = (xs: number[], q: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]; };

/** A figure to one decimal. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;
