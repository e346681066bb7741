/**
 * Imports one feed file of one kind, all or nothing: rows are streamed (never the whole file in memory), checked
 * field by field, resolved against the store in batches and written inside one transaction. If any row is rejected
 * the transaction is rolled back and every problem is reported as `file:line field: reason` (the first 100, then a
 * count). Rows whose natural key is already stored are skipped, so importing the same file again changes nothing.
 */
import path from 'node:path';
import type { ImportKind } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { plausibleRange } from '../../domain/rules/plausibleTime.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Repositories, Store } from '../../storage/store.ts';
import { columnNames, type ColumnMap } from './columns.ts';
import { FieldReader } from './fields.ts';
import { KINDS, type ImportContext, type KindSpec, type Parsed, type RowProblem } from './kinds.ts';
import { formatOf, readRecords, SourceError, type Format } from './sources.ts';

/** How many problems an import report lists before it only counts. */
export const MAX_LISTED_PROBLEMS = 100;
/** Rows written at a time, inside the import's one transaction (what bounds the rows held in memory). */
export const IMPORT_BATCH_ROWS = 5000;
const BATCH = IMPORT_BATCH_ROWS;

export interface ImportProblem {
  file: string;
  line: number;
  field: string;
  reason: string;
}

export interface ImportResult {
  file: string;
  kind: ImportKind;
  rows: number;
  inserted: number;
  /** Rows whose natural key was stored with other values, now updated (each change kept as a correction). */
  updated: number;
  /** Rows whose natural key was stored with the same values (a re-import). */
  unchanged: number;
}

/** The file was refused: nothing was written. `problems` holds the first 100; `total` counts them all. */
export class ImportRejectedError extends Error {
  constructor(readonly file: string, readonly problems: ImportProblem[], readonly total: number) {
    const listed = problems.map((p) => `${p.file}:${p.line}${p.field ? ` ${p.field}` : ''}: ${p.reason}`);
    const more = total > problems.length ? [`... and ${total - problems.length} more problems`] : [];
    super(`${path.basename(file)}: rejected, nothing imported (${total} problem${total === 1 ? '' : 's'})\n${[...listed, ...more].join('\n')}`);
    this.name = 'ImportRejectedError';
  }
}

export interface ImportProps {
  /** Who imports, and the server's clock: what corrections and events record, and what "now" is for plausible times. */
  ctx: Ctx;
  store: Store;
  edition: ProtocolEdition;
  kind: ImportKind;
  file: string;
  format?: Format;
  encoding?: string;
  /** Columns of another layout: the file's name -> the kind's column (checked; Chinese headers need no map). */
  columns?: ColumnMap;
  idHashKey: string;
  /** Called with bytes read so far (CSV, NDJSON) and rows seen, for a progress bar. */
  onProgress?: (p: { bytes: number; rows: number }) => void;
}

/** Imports one file; resolves with counts, or rejects with ImportRejectedError having written nothing. */
export async function importFile(props: ImportProps): Promise<ImportResult> {
  const { store, kind, file } = props;
  const spec = KINDS[kind] as KindSpec<unknown>;
  const format = props.format ?? formatOf(file);
  const name = path.basename(file);
  const problems: ImportProblem[] = [];
  let total = 0;
  const report = (line: number, field: string, reason: string) => {
    total++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ file: name, line, field, reason });
  };
  if (!format) {
    report(0, '', 'unknown format: name the file .csv, .ndjson or .xlsx, or pass --format');
    throw new ImportRejectedError(file, problems, total);
  }
  const names = columnNames(spec, props.columns);
  names.problems.forEach((p) => report(0, p.field, `column map: ${p.reason}`));
  if (total > 0) throw new ImportRejectedError(file, problems, total);

  const now = props.ctx.clock.now();
  const ctx: ImportContext = {
    idHashKey: props.idHashKey,
    regionCodes: await store.regions.codes(['province', 'city', 'county', 'township', 'community', 'grid']),
    communityCodes: await store.regions.codes(['community']),
    now, ctx: props.ctx, edition: props.edition, file: name,
  };
  const timeRange = plausibleRange(props.edition, now);
  const columns = new Set([...spec.required, ...spec.optional]);
  const checkColumns = (present: string[], line: number) => {
    for (const c of spec.required) if (!present.includes(c)) report(line, c, 'missing column');
    for (const c of present) if (!columns.has(c)) report(line, c, `unexpected column (expected: ${[...columns].join(', ')})`);
    if (spec.anyOf && !spec.anyOf.some((c) => present.includes(c))) report(line, spec.anyOf[0], `one of the columns ${spec.anyOf.join(', ')} is required`);
  };

  let bytes = 0;
  let rows = 0;
  let inserted = 0;
  let updated = 0;
  const keys = new Map<string, number>();
  let batch: Parsed<unknown>[] = [];

  const flush = async (repos: Repositories) => {
    // Stryker disable next-line ConditionalExpression: equivalent: writing no rows writes nothing and finds no problem
    if (batch.length === 0) return;
    // Once a row is refused nothing will be kept (the transaction rolls back), so later batches are checked, not written.
    // Stryker disable next-line ConditionalExpression: equivalent for what is stored; writing them would only add conflicts with stored rows to a refusal that already has problems
    if (total === 0) {
      const res = await spec.write(batch, repos, ctx);
      res.problems.forEach((p: RowProblem) => report(p.line, p.field, p.reason));
      inserted += res.inserted;
      updated += res.updated;
    }
    batch = [];
  };

  const work = async (repos: Repositories) => {
    // The CSV and XLSX readers call onHeader before their first record, so a record before the header never comes.
    // Stryker disable next-line ConditionalExpression: equivalent: see above
    let headerChecked = format === 'ndjson';
    const records = readRecords(file, format, {
      encoding: props.encoding,
      rename: names.rename,
      onBytes: (n) => (bytes += n),
      onHeader: (cols) => {
        checkColumns(cols, 1);
        headerChecked = true;
        // Stryker disable next-line StringLiteral: equivalent: this reason is never listed (the header's own problems are, below)
        if (total > 0) throw new SourceError(1, 'header does not match the kind');
      },
    });
    try {
      for await (const rec of records) {
        rows++;
        // Stryker disable next-line all: unreachable: see headerChecked
        if (!headerChecked) throw new SourceError(rec.line, 'no header');
        // Stryker disable next-line ConditionalExpression: equivalent: a CSV or XLSX record has the header's columns, checked already
        if (format === 'ndjson') {
          const before = total;
          checkColumns(Object.keys(rec.values), rec.line);
          if (total > before) continue;
        }
        const reader = new FieldReader(rec.values, rec.types, { timeRange });
        const value = spec.parse(reader, ctx);
        for (const p of reader.problems) report(rec.line, p.field, p.reason);
        if (reader.problems.length === 0 && spec.key) {
          const k = spec.key(value);
          const first = keys.get(k);
          if (first !== undefined) report(rec.line, spec.required[0], `duplicate of line ${first}`);
          else keys.set(k, rec.line);
        }
        // Stryker disable next-line ConditionalExpression: equivalent: a row with problems makes the total positive, so its batch is never written
        if (reader.problems.length === 0) batch.push({ line: rec.line, value });
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent for what is stored (one transaction either way); the batch size bounds memory only
        if (batch.length >= BATCH) await flush(repos);
        if (rows % 10_000 === 0) props.onProgress?.({ bytes, rows });
      }
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      if (!(e.line === 1 && total > 0)) report(e.line, '', e.reason);
    }
    await flush(repos);
    props.onProgress?.({ bytes, rows });
    if (total > 0) throw new ImportRejectedError(file, problems, total);
  };

  await store.transaction(work);
  return { file, kind, rows, inserted, updated, unchanged: rows - inserted - updated };
}
