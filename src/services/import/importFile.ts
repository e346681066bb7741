/**
 * Imports one feed file of one kind, all or nothing: rows are streamed (never the whole file in memory), checked
 * field by field, resolved against the store in batches and written inside one transaction. If any row is rejected
 * the transaction is rolled back and every problem is reported as `file:line field: reason` (the first 100, then a
 * count). Rows whose natural key is already stored are skipped, so importing the same file again changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportKind } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { plausibleRange } from '../../domain/rules/plausibleTime.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { columnNames, type ColumnMap } from './columns.ts';
import { KINDS, resolvePresence, type ImportContext, type KindSpec, type Parsed, type PresenceRow, type RowProblem, type WriteResult } from './kinds.ts';
import { PresenceMove } from './presenceMove.ts';
import { CHUNK_RECORDS, CHUNK_ROWS, chunksFromWorker, parseRows, type ParseJob, type ParsedChunk } from './parseRows.ts';
import { formatOf, type Format } from './sources.ts';

/** How many problems an import report lists before it only counts. */
export const MAX_LISTED_PROBLEMS = 100;
/** Rows written at a time, inside the import's one transaction (what bounds the rows held in memory). */
export const IMPORT_BATCH_ROWS = CHUNK_ROWS;
/**
 * CSV and NDJSON files at least this large (bytes) are read in a worker thread while this one writes (about 100,000
 * presence rows; below it, starting the worker costs more than it saves). `ImportProps.readInWorker` overrides it.
 */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;

/** Whether the file is read in a worker thread. */
function readsInWorker(props: ImportProps, format: Format): boolean {
  if (format === 'xlsx') return false;
  if (props.readInWorker !== undefined) return props.readInWorker;
  try {
    return fs.statSync(props.file).size >= WORKER_MIN_BYTES;
  } catch {
    return false; // a file that cannot be read is refused by the reader, as always
  }
}

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
  /** Read a CSV or NDJSON file in a worker thread (true) or in this one (false); by default by its size. */
  readInWorker?: boolean;
  /**
   * Presence on SQLite: write the checked rows in short steps (`presenceMove.ts`), so that other writers wait for one
   * step, not for the file (a fifth to a half of the rate: each step writes the index pages it touched again); by
   * default (false) the file is one transaction. Other kinds and PostgreSQL are always one transaction.
   */
  inSteps?: boolean;
  /** Rows per step of an import in steps (tests); by default sized from how long a step takes. */
  moveStepRows?: number;
  /** Stops an import in steps before its next step (what was written is taken back; the reason is thrown). */
  signal?: AbortSignal;
  /** Called after each step of an import in steps with the rows written so far. */
  onMove?: (p: { written: number }) => void;
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
  const regionCodes = await store.regions.codes(['province', 'city', 'county', 'township', 'community', 'grid']);
  const communityCodes = await store.regions.codes(['community']);
  const ctx: ImportContext = {
    idHashKey: props.idHashKey, regionCodes, communityCodes, now, ctx: props.ctx, edition: props.edition, file: name, scope: props.ctx.scope,
    resolved: { persons: new Map(), places: new Map() },
  };
  const job: ParseJob = {
    kind, file, name, format, encoding: props.encoding, columns: props.columns, idHashKey: props.idHashKey, regionCodes, communityCodes, now, scope: props.ctx.scope,
    edition: props.edition, timeRange: plausibleRange(props.edition, now),
  };

  let rows = 0;
  let inserted = 0;
  let updated = 0;

  // Each chunk's problems are listed first; its rows are written only while nothing has been refused (once a row is
  // refused the transaction rolls back, so later chunks are read for their problems, not written).
  // `writeRows` writes a chunk's rows: the kind's write in the file's transaction, or a presence move's steps.
  const take = (writeRows: (rows: Parsed<unknown>[]) => Promise<WriteResult>) => async (chunk: ParsedChunk) => {
    chunk.problems.forEach((p) => report(p.line, p.field, p.reason));
    rows = chunk.records;
    // Stryker disable next-line ConditionalExpression: equivalent for what is stored; writing them would only add conflicts with stored rows to a refusal that already has problems
    if (total === 0 && chunk.rows.length > 0) {
      const res = await writeRows(chunk.rows);
      res.problems.forEach((p: RowProblem) => report(p.line, p.field, p.reason));
      inserted += res.inserted;
      updated += res.updated;
    }
    // Progress at every 10,000 records read, and at the end.
    if (chunk.last || chunk.records % CHUNK_RECORDS === 0) props.onProgress?.({ bytes: chunk.bytes, rows: chunk.records });
  };

  const readAll = async (each: (chunk: ParsedChunk) => Promise<void>) => {
    if (readsInWorker(props, format)) {
      for await (const chunk of chunksFromWorker(job)) await each(chunk);
    } else {
      await parseRows(job, each);
    }
  };

  if (store.engine === 'sqlite' && kind === 'presence' && props.inSteps === true) {
    // In steps: each chunk's rows resolved (reads only), then written a few thousand per transaction; a refusal takes
    // every step back.
    const move = new PresenceMove(store, ctx, { signal: props.signal, stepRows: props.moveStepRows, onStep: (n) => props.onMove?.({ written: n }) });
    try {
      await readAll(take(async (chunkRows) => {
        const parsed = chunkRows as Parsed<PresenceRow>[];
        const res = await resolvePresence(parsed, store, ctx);
        if (res.problems.length > 0) return { inserted: 0, updated: 0, problems: res.problems };
        return { updated: 0, ...(await move.write(parsed.map((r) => r.line), res.records)) };
      }));
      if (total > 0) throw new ImportRejectedError(file, problems, total);
      await move.finish();
    } catch (e) {
      await move.takeBack();
      throw e;
    }
    return { file, kind, rows, inserted, updated, unchanged: rows - inserted - updated };
  }

  await store.transaction(async (repos) => {
    await readAll(take((chunkRows) => spec.write(chunkRows, repos, ctx)));
    if (total > 0) throw new ImportRejectedError(file, problems, total);
  });
  return { file, kind, rows, inserted, updated, unchanged: rows - inserted - updated };
}
