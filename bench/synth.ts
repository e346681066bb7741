/**
 * bench:synth: how fast the synthetic province is generated (fixed seed), writing every feed file, and its peak
 * memory. Prints one JSON object as its last line and writes it to bench/results/synth.json.
 *   npm run bench:synth -- [--persons 1000000] [--days 14] [--seed 42] [--keep DIR]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDivisions } from '../src/services/divisions.ts';
import { generateProvince } from '../src/synth/province.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const persons = Number(opt('persons', '1000000'));
const days = Number(opt('days', '14'));
const seed = Number(opt('seed', '42'));
const keep = opt('keep', '');
const out = keep || fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
const communities = (await readDivisions()).filter((r) => r.level === 'community').map((r) => r.code);
/** Duration of each step: the time from its start to the next step's start (or the end). */
const steps: Record<string, number> = {};
const t0 = performance.now();
let current: string | undefined;
let last = t0;
const mark = (next?: string) => {
  const now = performance.now();
  if (current) steps[current] = Math.round(now - last);
  current = next;
  last = now;
  if (next) console.error(`${((now - t0) / 1000).toFixed(1)} s: ${next}`);
};
const { manifest } = generateProvince({ persons, days, seed, communities, cellSizeMeters: 800, outDir: out, onStep: (s) => mark(s) });
mark();
const totalMs = performance.now() - t0;
const bytes = manifest.files.reduce((s, f) => s + fs.statSync(path.join(out, f.path)).size, 0);
const presence = manifest.files.filter((f) => f.kind === 'presence').reduce((s, f) => s + f.rows, 0);
if (!keep) fs.rmSync(out, { recursive: true, force: true });
const result = {
  persons, days, seed, total_s: Math.round(totalMs / 100) / 10, presence_records: presence, feed_bytes: bytes,
  peak_rss_gb: Math.round((process.resourceUsage().maxRSS / 1024 / 1024) * 100) / 100, infections: manifest.infections, confirmed_cases: manifest.confirmedCases,
  steps_ms: steps, machine: { cpus: os.cpus().length, node: process.version },
};
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'synth.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result));
