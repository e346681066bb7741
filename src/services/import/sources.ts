/**
 * Streams the records of a feed file as `{ line, values }`, whatever its format: CSV (header row), NDJSON (one JSON
 * object a line) or XLSX (first sheet, header row). Text is decoded strictly (UTF-8 by default, or a named encoding
 * such as GBK), so a wrongly encoded file fails with its line instead of importing mojibake.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { formatTime } from '../../domain/time.ts';

export const FORMATS = ['csv', 'ndjson', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

/** One record of a feed: its 1-based line (row for XLSX) and its fields by column name. */
export interface SourceRecord {
  line: number;
  values: Record<string, string>;
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

/** Decodes UTF-8 strictly, counting lines so that a bad byte is reported where it is. */
class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private line = 1;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      this.line += text.split('\n').length - 1;
      done(null, text);
    } catch {
      const prefix = chunk.subarray(0, firstBadUtf8(chunk));
      const at = this.line + (prefix.toString('utf8').split('\n').length - 1);
      done(new SourceError(at, 'not valid UTF-8 text (for GBK files pass --encoding gbk)'));
    }
  }
  override _flush(done: TransformCallback): void {
    try {
      done(null, this.decoder.decode());
    } catch {
      done(new SourceError(this.line, 'file ends inside a UTF-8 character (truncated?)'));
    }
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (approximate: good enough for a line number). */
function firstBadUtf8(buf: Buffer): number {
  const d = new TextDecoder('utf-8', { fatal: true });
  let lo = 0, hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try { d.decode(buf.subarray(0, mid), { stream: true }); lo = mid; } catch { hi = mid - 1; }
  }
  return lo;
}

function textStream(file: string, encoding: string, onBytes: (n: number) => void): Readable {
  const raw = fs.createReadStream(file);
  raw.on('data', (c) => onBytes((c as Buffer).length));
  if (encoding.toLowerCase().replace('-', '') === 'utf8') return raw.pipe(new StrictUtf8());
  if (!iconv.encodingExists(encoding)) throw new SourceError(0, `unknown encoding "${encoding}"`);
  return raw.pipe(iconv.decodeStream(encoding)) as unknown as Readable;
}

/** Reads records of a file; `onBytes` receives the bytes consumed, for progress. */
export async function* readRecords(file: string, format: Format, opts: ReadOptions = {}): AsyncGenerator<SourceRecord> {
  const onBytes = opts.onBytes ?? (() => undefined);
  const onHeader = opts.onHeader ?? (() => undefined);
  if (format === 'xlsx') yield* readXlsx(file, onBytes, onHeader);
  else if (format === 'ndjson') yield* readNdjson(textStream(file, opts.encoding ?? 'utf8', onBytes));
  else yield* readCsv(textStream(file, opts.encoding ?? 'utf8', onBytes), onHeader);
}

export interface ReadOptions {
  /** Text encoding of CSV and NDJSON files (utf8 by default; gbk, gb18030 ... through iconv-lite). */
  encoding?: string;
  /** Receives the number of bytes consumed, for progress. */
  onBytes?: (n: number) => void;
  /** Receives the header row of CSV and XLSX files before any record; may throw a SourceError to refuse it. */
  onHeader?: (columns: string[]) => void;
}

async function* readCsv(text: Readable, onHeader: (c: string[]) => void): AsyncGenerator<SourceRecord> {
  const parser = text.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }));
  text.on('error', (e) => parser.destroy(e));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((h) => h.trim());
        onHeader(header);
        continue;
      }
      if (record.length !== header.length) {
        throw new SourceError(info.lines, `expected ${header.length} fields as in the header, found ${record.length}`);
      }
      yield { line: info.lines, values: Object.fromEntries(header.map((h, i) => [h, record[i]])) };
    }
  } catch (e) {
    if (e instanceof SourceError) throw e;
    const err = e as { code?: string; lines?: number; message: string };
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') throw new SourceError(err.lines ?? 0, 'quoted field not closed (file truncated?)');
    if (err.code?.startsWith('CSV_')) throw new SourceError(err.lines ?? 0, `malformed CSV: ${err.message}`);
    throw e;
  }
  if (!header) throw new SourceError(1, 'empty file: no header row');
}

async function* readNdjson(text: Readable): AsyncGenerator<SourceRecord> {
  const lines = readline.createInterface({ input: text, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const trimmed = raw.trim().replace(/^\uFEFF/, '');
    if (!trimmed) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      throw new SourceError(n, 'not a JSON object (truncated line?)');
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new SourceError(n, 'not a JSON object');
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj)) values[k] = v === null || v === undefined ? '' : String(v);
    yield { line: n, values };
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return formatTime(Math.round(v.getTime() / 1000) - 8 * 3600).slice(0, 19).replace('T', ' ');
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return String(v);
  }
  return String(v).trim();
}

async function* readXlsx(file: string, onBytes: (n: number) => void, onHeader: (c: string[]) => void): AsyncGenerator<SourceRecord> {
  const size = fs.statSync(file).size;
  let reader: ExcelJS.stream.xlsx.WorkbookReader;
  try {
    reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore' });
  } catch (e) {
    throw new SourceError(0, `not a readable XLSX workbook: ${(e as Error).message}`);
  }
  let header: string[] | undefined;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!header) {
          header = cells.map((h) => h.trim());
          onHeader(header);
          continue;
        }
        if (cells.every((c) => c === '')) continue;
        if (cells.length > header.length) throw new SourceError(row.number, `expected ${header.length} fields as in the header, found ${cells.length}`);
        yield { line: row.number, values: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])) };
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
