/**
 * The reading half of an import: a feed file's records are decoded, their columns checked, each field read and each
 * row parsed by its kind, and rows repeating a natural key within the file refused, without touching the store. What
 * it finds comes out in chunks (the rows ready to write and the problems, in line order), which the writing half
 * (`importFile`) resolves and stores. A large CSV or NDJSON file is read in a worker thread (`parseWorker.ts`) while
 * this thread writes the previous chunk; everything else is read here. Both run this same loop.
 */
import { Worker } from 'node:worker_threads';
import type { ImportKind } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import type { TimeRange } from '../../domain/rules/plausibleTime.ts';
import { columnNames, type ColumnMap } from './columns.ts';
import { FieldReader } from './fields.ts';
import { KINDS, type ImportContext, type KindSpec, type Parsed } from './kinds.ts';
import { readRecords, SourceError, type Format, type SourceRecord } from './sources.ts';
import { turn } from '../../platform/turn.ts';

/** Rows ready to write that a chunk holds at most (what bounds the rows held in memory while writing). */
export const CHUNK_ROWS = 5000;
/** A chunk ends at every multiple of this many records read, so problems and progress come out even when no row is ready. */
export const CHUNK_RECORDS = 10_000;

/** What the reading half needs: plain data only, so that it can be handed to a worker thread. */
export interface ParseJob {
  kind: ImportKind;
  file: string;
  /** The file's name as problems report it. */
  name: string;
  format: Format;
  encoding?: string;
  columns?: ColumnMap;
  idHashKey: string;
  regionCodes: ReadonlySet<string>;
  communityCodes: ReadonlySet<string>;
  /** The server's time of the import (epoch seconds). */
  now: number;
  /** The sender's region (see `ImportContext.scope`). */
  scope?: string | null;
  edition: ProtocolEdition;
  timeRange: TimeRange;
}

/** A problem at a 1-based line of the file (0: the file or its column map as a whole). */
export interface LineProblem {
  line: number;
  field: string;
  reason: string;
}

/** One step of the reading: the problems found since the last chunk, the rows ready to write, and progress so far. */
export interface ParsedChunk {
  problems: LineProblem[];
  rows: Parsed<unknown>[];
  /** Bytes of the file read so far (CSV, NDJSON). */
  bytes: number;
  /** Records read so far. */
  records: number;
  /** The file's last chunk. */
  last: boolean;
}

/**
 * Reads the whole file of `job`, handing each chunk to `emit` (awaited before reading on). The last chunk is emitted
 * when the file ends, with `records` the file's count; a problem with the file itself (bad bytes, a bad header, a
 * line too long) is the last problem of that chunk. Rows are parsed after a row problem too (every problem is
 * reported), but a chunk carries only rows without problems.
 */
export async function parseRows(job: ParseJob, emit: (chunk: ParsedChunk) => Promise<void>): Promise<void> {
  const spec = KINDS[job.kind] as KindSpec<unknown>;
  const names = columnNames(spec, job.columns);
  // The kinds' parse reads only the codes, the key, the time and the edition; who imports is the writing half's.
  const ctx = {
    idHashKey: job.idHashKey, regionCodes: job.regionCodes, communityCodes: job.communityCodes, now: job.now, edition: job.edition, file: job.name, scope: job.scope,
  } as ImportContext;
  const columns = new Set([...spec.required, ...spec.optional]);
  let problems: LineProblem[] = [];
  let found = 0;
  const report = (line: number, field: string, reason: string) => {
    found++;
    problems.push({ line, field, reason });
  };
  const checkColumns = (present: string[], line: number) => {
    for (const c of spec.required) if (!present.includes(c)) report(line, c, 'missing column');
    for (const c of present) if (!columns.has(c)) report(line, c, `unexpected column (expected: ${[...columns].join(', ')})`);
    if (spec.anyOf && !spec.anyOf.some((c) => present.includes(c))) report(line, spec.anyOf[0], `one of the columns ${spec.anyOf.join(', ')} is required`);
  };

  let bytes = 0;
  let records = 0;
  const keys = new Map<string, number>();
  let rows: Parsed<unknown>[] = [];
  const chunk = async (last: boolean) => {
    const out: ParsedChunk = { problems, rows, bytes, records, last };
    problems = [];
    rows = [];
    await emit(out);
  };

  // The CSV and XLSX readers call onHeader before their first record, so a record before the header never comes.
  // Stryker disable next-line ConditionalExpression: equivalent: see above
  let headerChecked = job.format === 'ndjson';
  const source = readRecords(job.file, job.format, {
    encoding: job.encoding,
    rename: names.rename,
    onBytes: (n) => (bytes += n),
    onHeader: (cols) => {
      checkColumns(cols, 1);
      headerChecked = true;
      // Stryker disable next-line StringLiteral: equivalent: this reason is never listed (the header's own problems are, below)
      if (found > 0) throw new SourceError(1, 'header does not match the kind');
    },
  });
  /** Reads one record: the row to write, or null when it has a problem (reported). */
  const readOne = (rec: SourceRecord): Parsed<unknown> | null => {
    // Stryker disable next-line ConditionalExpression: equivalent: a CSV or XLSX record has the header's columns, checked already
    if (job.format === 'ndjson') {
      const before = found;
      checkColumns(Object.keys(rec.values), rec.line);
      if (found > before) return null;
    }
    const reader = new FieldReader(rec.values, rec.types, { timeRange: job.timeRange });
    const value = spec.parse(reader, ctx);
    for (const p of reader.problems) report(rec.line, p.field, p.reason);
    if (reader.problems.length > 0) return null;
    if (spec.key) {
      const k = spec.key(value);
      const first = keys.get(k);
      if (first !== undefined) {
        report(rec.line, spec.required[0], `duplicate of line ${first}`);
        return null;
      }
      keys.set(k, rec.line);
    }
    return { line: rec.line, value };
  };
  try {
    for await (const rec of source) {
      records++;
      // Stryker disable next-line all: unreachable: see headerChecked
      if (!headerChecked) throw new SourceError(rec.line, 'no header');
      const row = readOne(rec);
      if (row) rows.push(row);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent for what is stored (one transaction either way); the chunk size bounds memory only
      if (rows.length >= CHUNK_ROWS || records % CHUNK_RECORDS === 0) await chunk(false);
    }
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    if (!(e.line === 1 && found > 0)) report(e.line, '', e.reason);
  }
  await chunk(true);
}

/**
 * Runs `parseRows` on `job` in a worker thread and yields its chunks in order; the consumer's asking for the next
 * chunk acknowledges the last (the worker reads at most a few chunks ahead). An error in the worker is thrown here;
 * the worker is stopped when the consumer stops, whether at the end, on an error or early.
 */
export async function* chunksFromWorker(job: ParseJob): AsyncGenerator<ParsedChunk> {
  const worker = new Worker(new URL('./parseWorker.boot.mjs', import.meta.url), { workerData: job });
  const queue: ({ chunk: ParsedChunk } | { end: true })[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: { chunk: ParsedChunk } | { end: true }) => { queue.push(m); poke(); });
  worker.on('error', (e) => { failure = e; poke(); });
  worker.on('exit', () => { exited = true; poke(); });
  try {
    for (;;) {
      while (queue.length === 0 && !failure && !exited) await new Promise<void>((r) => (wake = r));
      if (failure) throw failure;
      const m = queue.shift();
      // Stryker disable next-line ConditionalExpression: not produced by a test: the worker ends with { end } or an error
      if (!m) throw new Error(`the import's reading worker stopped before the end of ${job.name}`);
      if ('end' in m) return;
      yield m.chunk;
      worker.postMessage('written');
      // Back to the event loop between chunks: Node hands a port's messages over in one run while more keep coming
      // (the worker answers each acknowledgement at once), so without this a signal (Ctrl-C) or a timer would wait
      // for the whole file.
      await turn();
    }
  } finally {
    await worker.terminate();
  }
}
