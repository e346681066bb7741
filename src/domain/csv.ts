/**
 * CSV for people: the one writer of CSV files that a person opens (exports), through csv-stringify. Fields holding a
 * comma, a quote or a line break are quoted as RFC 4180 says, so a value such as `BH-E,7` stays one column; text that a
 * spreadsheet would run as a formula is made inert (OWASP's CSV injection advice).
 */
import { stringify } from 'csv-stringify/sync';

/** One cell: text, a number, a flag, or nothing (an empty field). */
export type CsvCell = string | number | boolean | null | undefined;

/** First characters that make a spreadsheet read a text cell as a formula (or a command, for tab and CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell as a spreadsheet shows it and never runs: text starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading single quote. Only text: numbers (such as -1.48) are written as numbers and stay numbers.
 */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A CSV file (header row, then one line per row, `\n` between records) with RFC 4180 quoting and formula-safe text
 * cells. Booleans are written `true` / `false`, null and undefined as empty fields.
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  return stringify([header, ...rows] as CsvCell[][], {
    cast: { string: spreadsheetSafe, boolean: (b) => String(b), number: (n) => String(n) },
  });
}
