/** `cordon generate`, `cordon import` and `cordon trace`: the synthetic province, feed files, and tracing a case. */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { IMPORT_KINDS, type ImportKind } from '../../domain/model/index.ts';
import { formatTime, parseTime } from '../../domain/time.ts';
import { retraceCase } from '../../services/cases/retraceCase.ts';
import { importFile } from '../../services/import/importFile.ts';
import { vocabularyOf } from '../../services/import/fields.ts';
import { KINDS } from '../../services/import/kinds.ts';
import { FORMATS, type Format } from '../../services/import/sources.ts';
import type { ColumnMap } from '../../services/import/columns.ts';
import { ENCODINGS } from '../../services/import/decode.ts';
import { importManifest } from '../../services/importManifest.ts';
import { idHashKey } from '../../services/secrets.ts';
import { generateProvince } from '../../synth/province.ts';
import { progressBar } from '../progress.ts';
import { caseByRef, CliError, cliCtx, note, say, settle, withServices } from '../shared.ts';

const intArg = (name: string, min = 0) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number${min > 0 ? ` from ${min}` : ''}`);
  return n;
};

/** How `cordon import` writes presence on SQLite (see `--write`). */
const WRITE_MODES = ['auto', 'steps', 'whole'] as const;

/** Reads `--columns`: a JSON object whose every value is a column name (which columns exist, importFile checks). */
function readColumnMap(file: string): ColumnMap {
  let map: unknown;
  try {
    map = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`--columns ${file}: not a readable JSON file (${(e as Error).message})`);
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map) || !Object.values(map).every((v) => typeof v === 'string')) {
    throw new CliError(`--columns ${file}: must be a JSON object of column names, such as {"证件号": "id_number"}`);
  }
  return map as ColumnMap;
}

export function dataCommands(program: Command): void {
  program.command('generate')
    .description('generate the synthetic province: the agencies\' feed files, the ground truth (apart) and a manifest')
    .option('--persons <n>', 'residents', intArg('--persons', 1), 200000)
    .option('--days <n>', 'days simulated', intArg('--days', 1), 14)
    .option('--seed <n>', 'random seed (same seed and options, same bytes)', intArg('--seed'), 42)
    .option('--start <date>', 'first day (YYYY-MM-DD, local)', '2021-07-20')
    .option('--out <dir>', 'output folder', 'province')
    .option('--no-outbreak', 'movement and feeds only, no outbreak')
    .option('--index-cases <n>', 'index cases seeding the outbreak: the traveller at the Zhangjiajie show, and each further one hosting a banquet in another city', intArg('--index-cases', 1), 1)
    .option('--load', 'also import the feeds into the store (in the manifest\'s order)')
    .action((opts: { persons: number; days: number; seed: number; start: string; out: string; outbreak: boolean; indexCases: number; load?: boolean }) => withServices(async (s, config) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.start) || parseTime(opts.start) === null) throw new CliError(`--start: a date YYYY-MM-DD, not ${opts.start}`);
      if (fs.existsSync(opts.out) && !fs.statSync(opts.out).isDirectory()) throw new CliError(`--out ${opts.out}: not a folder`);
      const communities = [...(await s.store.regions.codes(['community']))].sort();
      const t0 = Date.now();
      const out = path.resolve(opts.out);
      const { manifest } = generateProvince({
        persons: opts.persons, days: opts.days, seed: opts.seed, startDate: opts.start, communities, cellSizeMeters: s.edition.companion.cellSizeMeters, outDir: out,
        outbreak: opts.outbreak, indexCases: opts.indexCases, onStep: (step) => note(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${step}`),
      });
      for (const f of manifest.files) say(`  ${path.join(out, f.path)}: ${f.rows} rows (${f.kind})`);
      say(`ground truth (not for import): ${path.join(out, manifest.groundTruth)}; ${manifest.infections} infections, ${manifest.confirmedCases} confirmed cases; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (opts.load) {
        await importManifest({ ctx: cliCtx('generate --load'), store: s.store, edition: s.edition, dir: out, idHashKey: idHashKey(config), onFile: (r) => say(`imported ${path.relative(out, r.file)}: ${r.inserted} new of ${r.rows}`) });
        await settle(s);
      }
    }, { create: true }));

  program.command('import')
    .description(`import a feed file, all or nothing; kinds: ${IMPORT_KINDS.join(', ')}. What it causes (tracing of new cases, codes) is handled before the command ends`)
    .argument('<kind>', `one of ${IMPORT_KINDS.join(', ')}`, (v: string) => {
      if (!(IMPORT_KINDS as readonly string[]).includes(v)) throw new InvalidArgumentError(`unknown kind; one of ${IMPORT_KINDS.join(', ')}`);
      return v as ImportKind;
    })
    .argument('<file>', 'a .csv, .ndjson or .xlsx file')
    .option('--format <format>', `${FORMATS.join(', ')} (default: from the file name)`)
    .option('--encoding <name>', `text encoding of CSV/NDJSON files: ${ENCODINGS.join(' or ')} (gbk and gb2312 are read as gb18030)`, 'utf-8')
    .option('--columns <map.json>', 'column map for another layout: a JSON object {"their column": "our column"} (Chinese headers such as 身份证号 need none)')
    .option('--write <mode>', `presence on SQLite: ${WRITE_MODES.join(', ')}; "steps" writes a few thousand rows per transaction so that a server on the same database keeps writing (slower), "whole" one transaction; "auto" takes steps while a server holds the database's scheduler lease`, 'auto')
    .addHelpText('after', () => `\nColumns of each kind (required; [optional]; Chinese headers such as 身份证号 are read too, see src/services/import/kinds.ts):\n${columnsHelp()}\nA bad row refuses the whole file, naming its line, field and reason.`)
    .action(async (kind: ImportKind, file: string, opts: { format?: string; encoding: string; columns?: string; write: string }) => {
      if (!(WRITE_MODES as readonly string[]).includes(opts.write)) throw new CliError(`--write must be one of ${WRITE_MODES.join(', ')}`);
      if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
      if (!fs.statSync(file).isFile()) throw new CliError(`${file}: not a file`);
      if (opts.format && !(FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}`);
      const columns = opts.columns === undefined ? undefined : readColumnMap(opts.columns);
      await withServices(async (s, config) => {
        const size = fs.statSync(file).size;
        const inSteps = s.store.engine === 'sqlite' && kind === 'presence'
          && (opts.write === 'steps' || (opts.write === 'auto' && await s.store.leaseHeld('scheduler', s.clock.now())));
        if (inSteps && opts.write === 'auto') note('cordon: a server is running on this database: the rows are written in short steps so that it keeps answering (slower than one transaction; --write whole for one)');
        const bar = progressBar(`import ${kind}`, size);
        // Stopped before the file's transaction commits, nothing of it is stored (the engine drops an uncommitted
        // transaction with its connection): say so and end with the signal's exit status.
        let committed = false;
        // A presence import in steps has written some of the file before it ends: stopped then, it takes the steps
        // made back before it exits (at the next step's start), so that nothing of the file stays.
        let moving = false;
        const stop = new AbortController();
        const interrupted = (signal: NodeJS.Signals) => {
          if (moving && !committed) {
            stop.abort(signal);
            return;
          }
          bar.stop(false);
          note(committed
            ? `cordon: stopped by ${signal} after ${file} was imported; what it causes (tracing, codes) is left to the server's event flow`
            : `cordon: stopped by ${signal}; nothing of ${file} was imported`);
          process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
        };
        process.once('SIGINT', interrupted);
        process.once('SIGTERM', interrupted);
        try {
          const res = await importFile({
            ctx: cliCtx(`import ${kind}`), store: s.store, edition: s.edition, kind, file, format: opts.format as Format | undefined, encoding: opts.encoding, columns, idHashKey: idHashKey(config),
            // Every byte read and written still leaves the commit: the bar reaches its end only once that is done.
            onProgress: ({ bytes, rows }) => bar.update(Math.min(bytes, Math.floor(size * 0.99)), { rows }),
            inSteps, signal: stop.signal,
            onMove: () => { moving = true; },
          });
          committed = true;
          bar.update(size, { rows: res.rows });
          bar.stop();
          say(`${file}: ${res.rows} rows, ${res.inserted} new, ${res.updated} updated, ${res.unchanged} already present`);
        } catch (e) {
          bar.stop(false);
          if (stop.signal.aborted && e === stop.signal.reason) {
            note(`cordon: stopped by ${String(e)}; nothing of ${file} was imported (the rows written so far were taken back)`);
            process.exit(128 + (e === 'SIGINT' ? 2 : 15));
          }
          throw e;
        }
        await settle(s);
      });
    });

  program.command('trace')
    .description('trace a case again: find its close contacts, secondary contacts and companions with evidence, store what is new or changed; codes follow')
    .argument('<case>', 'case number (or numeric id)')
    .option('--json', 'print every contact with its evidence as JSON')
    .option('--as-of-confirmation', 'record new contacts as identified when the case was confirmed (replaying a past outbreak)')
    .action((ref: string, opts: { json?: boolean; asOfConfirmation?: boolean }) => withServices(async (s) => {
      const c = await caseByRef(s, ref);
      const res = await retraceCase(cliCtx('trace'), s, c.id, { identifiedAt: opts.asOfConfirmation ? c.confirmedAt : undefined });
      if (opts.json) { say(JSON.stringify(res, null, 2)); return; }
      say(`case ${c.caseNo}: window ${formatTime(res.window.from)} to ${formatTime(res.window.to)}`);
      say(`close contacts: ${res.found.close.length}, secondary: ${res.found.secondary.length}, companions: ${res.found.companion.length}; newly stored: ${res.written}, updated: ${res.updated}, released: ${res.released}; ${res.elapsedMs.toFixed(1)} ms`);
      for (const f of res.found.close.slice(0, 10)) say(`  person ${f.personId}: ${f.evidence.map((e) => `${e.setting} at ${e.placeId === null ? 'the household registry' : `place ${e.placeId}`}, ${e.minutes.toFixed(0)} min${e.seatDistance !== null ? `, ${e.seatDistance} rows` : ''} [${e.sources.join('+')}]`).join('; ')}`);
    }));
}

/** One line per import kind: its required columns, then its optional ones in brackets (either of `anyOf` marked). */
function columnsHelp(): string {
  return IMPORT_KINDS.map((kind) => {
    const k = KINDS[kind];
    const either = k.anyOf ? ` (${k.anyOf.join(' or ')} needed)` : '';
    const values = Object.entries(k.vocabulary ?? {}).map(([column, schema]) => `\n    ${column}: ${vocabularyOf(schema)?.join(' | ') ?? ''}`).join('');
    return `  ${kind}: ${[...k.required, ...k.optional.map((c) => `[${c}]`)].join(', ')}${either}${values}`;
  }).join('\n');
}
