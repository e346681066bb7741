/**
 * bench:claims: the cost of claiming verified token ids in the store (`used_tokens`, the cross-process replay check of
 * online verification), with the token ids Cordon issues (time, then a counter, then random bytes: they follow one
 * another) against wholly random ids of the same length (what it issued before), alternating in one run, each on a
 * fresh store already holding `--prefill` claims. Claims go in batches of `--batch` as the verification route gathers
 * them (one statement and one commit each). Prints one JSON object as its last line.
 *   npm run bench:claims -- [--claims 100000] [--prefill 200000] [--batch 20] [--rounds 3] [--seed 42] [--pg URL]
 * With --pg, the stores are schemas of that PostgreSQL database (dropped afterwards) instead of SQLite files.
 */
import fs from 'node:fs';
import pgLib from 'pg';
import os from 'node:os';
import path from 'node:path';
import { tokenId } from '../src/services/codes/healthCodes.ts';
import { openStore, type Store } from '../src/storage/store.ts';
import { Random } from '../src/synth/random.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const claims = Number(opt('claims', '100000'));
const prefill = Number(opt('prefill', '200000'));
const batch = Number(opt('batch', '20'));
const rounds = Number(opt('rounds', '3'));
const seed = Number(opt('seed', '42'));
const pg = opt('pg', '');
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const NOW = 1_800_000_000;

type Ids = 'ordered' | 'random';
/** `n` ids of one kind, from `start` (the counter) on; random bytes from the seeded generator. */
function ids(kind: Ids, rnd: Random, start: number, n: number): string[] {
  const bytes = () => Uint8Array.from({ length: 9 }, () => rnd.int(256));
  return Array.from({ length: n }, (_, i) => kind === 'ordered'
    ? tokenId(NOW + Math.floor((start + i) / 5000), start + i, bytes())
    : Buffer.from(Uint8Array.from({ length: 18 }, () => rnd.int(256))).toString('base64url'));
}

async function freshStore(label: string): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (pg) {
    const schema = `bench_claims_${label}_${process.pid}`;
    const store = await openStore({ postgresUrl: pg, schema });
    return {
      store,
      drop: async () => {
        await store.close();
        const client = new pgLib.Client({ connectionString: pg });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-claims-'));
  const store = await openStore({ sqliteFile: path.join(dir, 'cordon.db') });
  return { store, drop: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

async function measure(kind: Ids, round: number): Promise<number> {
  const rnd = new Random(seed + round);
  const { store, drop } = await freshStore(`${kind}${round}`);
  try {
    const before = ids(kind, rnd, 0, prefill);
    for (let i = 0; i < before.length; i += 2000) await store.codes.claimTokens(before.slice(i, i + 2000).map((jti) => ({ jti, exp: NOW + 600 })));
    const measured = ids(kind, rnd, prefill, claims).map((jti) => ({ jti, exp: NOW + 600 }));
    const t0 = performance.now();
    let first = 0;
    for (let i = 0; i < measured.length; i += batch) first += (await store.codes.claimTokens(measured.slice(i, i + batch))).size;
    const us = ((performance.now() - t0) * 1000) / claims;
    if (first !== claims) throw new Error(`${kind}: ${claims - first} ids were claimed twice`);
    return us;
  } finally {
    await drop();
  }
}

log(`${pg ? 'PostgreSQL' : 'SQLite'}: ${claims} claims in batches of ${batch} after ${prefill} earlier ones, ${rounds} rounds, seed ${seed}`);
const results: Record<Ids, number[]> = { ordered: [], random: [] };
for (let r = 0; r < rounds; r++) {
  for (const kind of ['random', 'ordered'] as const) {
    const us = await measure(kind, r);
    results[kind].push(Number(us.toFixed(1)));
    log(`round ${r + 1}: ${kind} ids ${us.toFixed(1)} us per claim`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({
  engine: pg ? 'postgres' : 'sqlite', claims, prefill, batch, rounds, seed,
  us_per_claim: results, median_us: { ordered: median(results.ordered), random: median(results.random) },
  ratio_random_over_ordered: Number((median(results.random) / median(results.ordered)).toFixed(2)),
}));
