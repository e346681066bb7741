/**
 * Streams the records of a feed file as `{ line, values, types }`, whatever its format: CSV (header row), NDJSON (one
 * JSON object a line) or XLSX (first sheet, header row). Text is decoded strictly (UTF-8 by default, or GB18030 for
 * GBK files) with any mix of line breaks, so a wrongly encoded file fails with its line instead of importing mojibake.
 * Values are strings; a value that was not given as text (an XLSX number or date cell, an NDJSON number or object) is
 * named in `types`, so that a field reader can refuse an ID number typed as a number instead of reading it rounded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { Parser } from 'csv-parse';
import ExcelJS from 'exceljs';
import { DecodeError, encodingNamed, ENCODINGS, MAX_LINE_BYTES, StrictLineDecoder } from './decode.ts';

/** File formats a feed may come in. */
export const FORMATS = ['csv', 'ndjson', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * What a value was given as when it was not text: an XLSX number, boolean, date or error cell (a formula counts as its
 * result); an NDJSON number, boolean, object or array.
 */
export const VALUE_TYPES = ['number', 'boolean', 'date', 'object', 'array', 'error'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/**
 * One record of a feed: its 1-based line (row for XLSX) and its fields by column name, as text (a date cell as
 * `YYYY-MM-DD HH:MM:SS` in China Standard Time, a number as JavaScript writes it, a spreadsheet error as its code).
 */
export interface SourceRecord {
  line: number;
  values: Record<string, string>;
  /** The fields whose value was not given as text, and what it was given as (none for CSV). */
  types?: Record<string, ValueType>;
}

/** A problem with the file as a whole or one of its lines, before any field is looked at. */
export class SourceError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'SourceError';
  }
}

/** The format a file name implies, or undefined. */
export function formatOf(file: string): Format | undefined {
  const ext = path.extname(file).toLowerCase().slice(1);
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  if (ext === 'xlsx') return 'xlsx';
  return undefined;
}

function textStream(file: string, encoding: string, onBytes: (n: number) => void): Readable {
  const known = encodingNamed(encoding);
  if (!known) throw new SourceError(0, `unknown or unsupported encoding "${encoding}" (one of ${ENCODINGS.join(', ')}; gbk and gb2312 are read as gb18030)`);
  const raw = fs.createReadStream(file);
  const text = new StrictLineDecoder(known);
  raw.on('data', (c) => onBytes((c as Buffer).length));
  // pipeline, not pipe: a read error reaches the reader through `text`, and a refused file is closed at once.
  pipeline(raw, text, () => undefined);
  return text;
}

/** Reads records of a file; `onBytes` receives the bytes consumed, for progress. */
export async function* readRecords(file: string, format: Format, opts: ReadOptions = {}): AsyncGenerator<SourceRecord> {
  const onBytes = opts.onBytes ?? (() => undefined);
  const header = headerReader(opts.rename ?? ((c) => c), opts.onHeader ?? (() => undefined));
  try {
    if (format === 'xlsx') yield* readXlsx(file, onBytes, header);
    else if (format === 'ndjson') yield* readNdjson(textStream(file, opts.encoding ?? 'utf-8', onBytes), opts.rename ?? ((c) => c));
    else yield* readCsv(textStream(file, opts.encoding ?? 'utf-8', onBytes), header);
  } catch (e) {
    if (e instanceof DecodeError) throw new SourceError(e.line, e.reason);
    throw e;
  }
}

/** How to read a file: its encoding, the column renaming, and callbacks for progress and the header. */
export interface ReadOptions {
  /** Text encoding of CSV and NDJSON files: utf-8 (the default) or gb18030 (also named gbk, gb2312); see decode.ts. */
  encoding?: string;
  /** Receives the number of bytes consumed, for progress. */
  onBytes?: (n: number) => void;
  /** Receives the header row of CSV and XLSX files (renamed) before any record; may throw a SourceError to refuse it. */
  onHeader?: (columns: string[]) => void;
  /** The column name a file's column name stands for (Chinese headers, a user's column map); unchanged by default. */
  rename?: (column: string) => string;
}

/** Where a renamed column came from, to name both sides when two columns give one name. */
function duplicateProblem(raw: string[], renamed: string[], noun = 'column'): string | undefined {
  const first = new Map<string, number>();
  // Stryker disable next-line EqualityOperator: equivalent: the name past the end is undefined, never seen before
  for (let i = 0; i < renamed.length; i++) {
    const j = first.get(renamed[i]);
    if (j === undefined) { first.set(renamed[i], i); continue; }
    return raw[i] === raw[j] ? `${noun} "${raw[i]}" appears twice` : `${noun}s "${raw[j]}" and "${raw[i]}" both give ${renamed[i]}`;
  }
  return undefined;
}

/** Checks and renames a header row, then hands it to `onHeader`; throws a SourceError when two columns give one name. */
function headerReader(rename: (c: string) => string, onHeader: (c: string[]) => void) {
  return (cells: string[], line: number): string[] => {
    // Stryker disable next-line MethodExpression: equivalent: both readers give header cells trimmed already (the CSV parser's trim, cellValue); kept for a new source
    const raw = cells.map((h) => h.trim());
    const renamed = raw.map(rename);
    const dup = duplicateProblem(raw, renamed);
    if (dup) throw new SourceError(line, dup);
    onHeader(renamed);
    return renamed;
  };
}

type HeaderReader = ReturnType<typeof headerReader>;

/**
 * csv-parse's stream, each record handed on with its line: the parser's count of lines read when it completes the
 * record (the line a record ends on, as csv-parse's own `info.lines`), read at the moment the parser pushes it. Its
 * `info` option gives the same line at twice the cost of the whole parse (an object of ten fields built per record).
 */
class LineParser extends Parser {
  override push(record: unknown, encoding?: BufferEncoding): boolean {
    return super.push(record === null ? null : { record, line: this.info.lines }, encoding);
  }
}

async function* readCsv(text: Readable, readHeader: HeaderReader): AsyncGenerator<SourceRecord> {
  const parser = text.pipe(new LineParser({ relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: MAX_LINE_BYTES }));
  text.on('error', (e) => parser.destroy(e));
  let header: string[] | undefined;
  try {
    for await (const { record, line } of parser as AsyncIterable<{ record: string[]; line: number }>) {
      if (!header) {
        header = readHeader(record, line);
        continue;
      }
      if (record.length !== header.length) {
        throw new SourceError(line, `expected ${header.length} fields as in the header, found ${record.length}`);
      }
      yield { line, values: Object.fromEntries(header.map((h, i) => [h, record[i]])) };
    }
  } catch (e) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: these errors have no CSV_ code, so they reach the last `throw e` unchanged anyway
    if (e instanceof SourceError || e instanceof DecodeError) throw e;
    const err = e as { code?: string; lines?: number; message: string };
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') throw new SourceError(err.lines ?? 0, 'quoted field not closed (file truncated?)');
    if (err.code === 'CSV_MAX_RECORD_SIZE') throw new SourceError(err.lines ?? 0, `record longer than ${MAX_LINE_BYTES} characters (a field far beyond any limit?); not read further`);
    // Stryker disable next-line OptionalChaining: equivalent: every error that reaches here has a code (csv-parse's CSV_*, the file system's E*)
    if (err.code?.startsWith('CSV_')) throw new SourceError(err.lines ?? 0, `malformed CSV: ${err.message}`);
    throw e;
  }
  if (!header) throw new SourceError(1, 'empty file: no header row');
}

/** An NDJSON value as text and, when it was not a string, what it was. */
function jsonValue(v: unknown): { text: string; type?: ValueType } {
  if (v === null ||
    // Stryker disable next-line ConditionalExpression: equivalent: JSON has no undefined; only a parsed value comes here
    v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'number') return { text: String(v), type: 'number' };
  if (typeof v === 'boolean') return { text: String(v), type: 'boolean' };
  return { text: JSON.stringify(v), type: Array.isArray(v) ? 'array' : 'object' };
}

async function* readNdjson(text: Readable, rename: (c: string) => string): AsyncGenerator<SourceRecord> {
  let n = 0;
  let rest = '';
  const parseLine = (raw: string): SourceRecord | undefined => {
    n++;
    const trimmed = raw.trim();
    if (!trimmed) return undefined;
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      throw new SourceError(n, 'not a JSON object (truncated line?)');
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new SourceError(n, 'not a JSON object');
    const keys = Object.keys(obj);
    const renamed = keys.map(rename);
    const dup = duplicateProblem(keys, renamed, 'key');
    if (dup) throw new SourceError(n, dup);
    const values: Record<string, string> = {};
    const types: Record<string, ValueType> = {};
    Object.values(obj).forEach((v, i) => {
      const { text: t, type } = jsonValue(v);
      values[renamed[i]] = t;
      // Stryker disable next-line ConditionalExpression: equivalent: a type of undefined reads as no type
      if (type) types[renamed[i]] = type;
    });
    return { line: n, values, types };
  };
  for await (const chunk of text as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      const rec = parseLine(line);
      if (rec) yield rec;
    }
  }
  const last = parseLine(rest);
  if (last) yield last;
}

/** The local wall-clock time a spreadsheet date stands for, as `YYYY-MM-DD HH:MM:SS` (read as China Standard Time). */
function wallClock(d: Date): string {
  return new Date(Math.round(d.getTime() / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * An XLSX cell as text and, when it was not text, what it was. A number with a date style arrives as a Date (styles
 * are read): Excel stores no zone, so its wall-clock time is taken as China Standard Time like any feed time.
 */
function cellValue(v: ExcelJS.CellValue): { text: string; type?: ValueType } {
  // Stryker disable next-line all: unreachable from a file: the streaming reader leaves an empty cell out of the row (map skips it) and a formula without a value has no result
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v.trim() };
  if (typeof v === 'number') return { text: String(v), type: 'number' };
  if (typeof v === 'boolean') return { text: String(v), type: 'boolean' };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { text: 'not a date', type: 'error' } : { text: wallClock(v), type: 'date' };
  if ('richText' in v) return { text: v.richText.map((r) => r.text).join('').trim() };
  if ('error' in v) return { text: String(v.error), type: 'error' };
  // Stryker disable next-line ConditionalExpression: equivalent: every other object the streaming reader gives was taken above (hyperlinks arrive as their text)
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as { result?: unknown }).result;
    return result === undefined ? { text: 'a formula without a computed value', type: 'error' } : cellValue(result as ExcelJS.CellValue);
  }
  // Stryker disable all: unreachable from the streaming reader (hyperlinks are read as their text; merges are not emitted); kept so that any other value is refused as an object, not read wrongly
  if ('text' in v) return cellValue((v as { text: ExcelJS.CellValue }).text);
  return { text: JSON.stringify(v), type: 'object' };
  // Stryker restore all
}

async function* readXlsx(file: string, onBytes: (n: number) => void, readHeader: HeaderReader): AsyncGenerator<SourceRecord> {
  const size = fs.statSync(file).size;
  // The reader opens the file lazily: a file that is no workbook fails while reading, below.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache' });
  // A workbook whose zip holds a worksheet before xl/workbook.xml (any order is valid; ExcelJS's own writer sometimes
  // does it) made the streaming reader look up sheet names in a workbook model it had not read yet (exceljs issue
  // #962): an empty model stands in until workbook.xml is read. The sheet's name is not used here.
  (reader as unknown as { model?: { sheets: unknown[] } }).model ??= { sheets: [] };
  let header: string[] | undefined;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(cellValue);
        if (!header) {
          header = readHeader(cells.map((c) => c.text), row.number);
          continue;
        }
        if (cells.every((c) => c.text === '')) continue;
        if (cells.length > header.length) throw new SourceError(row.number, `expected ${header.length} fields as in the header, found ${cells.length}`);
        const values: Record<string, string> = {};
        const types: Record<string, ValueType> = {};
        header.forEach((h, i) => {
          values[h] = cells[i]?.text ?? '';
          const type = cells[i]?.type;
          // Stryker disable next-line ConditionalExpression: equivalent: a type of undefined reads as no type
          if (type) types[h] = type;
        });
        yield { line: row.number, values, types };
      }
      break;
    }
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(0, `not a readable XLSX workbook (truncated?): ${(e as Error).message}`);
  }
  onBytes(size);
  if (!header) throw new SourceError(1, 'empty workbook: no header row');
}
