/**
 * bench:verify: online verification of health-code tokens over HTTP on loopback. The server (its own process, on
 * the embedded SQLite database, with `npm start`'s V8 flags) and the load generator (autocannon, this process) share the machine's cores.
 * Every token is used once (a second use is a replay); each response's verdict is checked against the verdict its
 * token must get, so a wrong pass or a wrong deny is counted, not only errors.
 * Prints one JSON object as its last line and writes it to bench/results/verify.json.
 * The measured run lasts a fixed time (autocannon ends a run by count only on its 1-s tick, which would blur the rate).
 *   npm run bench:verify -- [--persons 100000] [--tokens 250000] [--duration 10] [--connections 64] [--seed 42] [--redis redis://127.0.0.1:6379]
 *     [--pg postgres://postgres@127.0.0.1:5432/test [--servers 1,2]]
 * With --redis, the servers claim verified tokens in Redis instead of the database (CORDON_REDIS_URL).
 * With --pg, the province lives in a fresh schema of that PostgreSQL database (dropped at the end), seeded by a process
 * of its own; then, for each count in --servers (default 1,2), that many server processes serve it side by side, sharing
 * the key ring, the device's API key and the used-token claims through the database, and the load generator spreads its
 * connections over them (one autocannon instance per server, one shared list of tokens, each used once). Each count
 * runs on a fresh seed of the same province (same seed), one after the other in this run, and the result gives each
 * count's rate and its ratio to the first. After each measured run, tokens that passed on one server are shown again
 * to the next one: every one must be refused as a replay (`cross_server_replays_passed` counts those that were not).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const persons = Number(opt('persons', '100000'));
const requests = Number(opt('tokens', '250000'));
const duration = Number(opt('duration', '10'));
const connections = Number(opt('connections', '64'));
const seed = Number(opt('seed', '42'));
const redis = opt('redis', '');
const pgUrl = opt('pg', '');
const serverCounts = pgUrl ? opt('servers', '1,2').split(',').map(Number) : [1];
if (serverCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--servers takes counts such as 1,2');
if (!pgUrl && opt('servers', '1') !== '1') throw new Error('several servers need --pg (the embedded SQLite default is one process)');
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

type Expected = 'pass' | 'deny';
interface Ctx { expected?: Expected; token?: string }

/** Starts the bench's server script in MODE; resolves with what its ready line says. */
function launch(dir: string, mode: 'seed' | 'join' | 'sqlite', schema: string): Promise<{ child: ChildProcess; port: number; key: string }> {
  const pgArgs = mode === 'sqlite' ? [] : [pgUrl, schema, mode];
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_PROF] : []), '--max-semi-space-size=64', '--import', 'tsx', path.join(here, 'codes/verifyServer.ts'), dir, String(persons), String(requests), String(seed), redis || '-', ...pgArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+) (\S+)/.exec(out) ?? /SEEDED (\S+)/.exec(out);
      if (m) resolve(m.length === 3 ? { child, port: Number(m[1]), key: m[2] } : { child, port: 0, key: m[1] });
    });
    child.on('exit', (code) => { if (!/SEEDED|READY/.test(out)) reject(new Error(`bench server (${mode}) exited with ${code}`)); });
  });
}

/** CPU seconds a process has used (Linux /proc). */
function cpuSec(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** One configuration: `count` servers on a freshly seeded province, warmed up, then measured for `duration` seconds. */
async function measure(count: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-verify-'));
  const schema = `bench_verify_${process.pid}_${count}`;
  log(`${count} server(s) on ${pgUrl ? `PostgreSQL (schema ${schema})` : 'SQLite'}: ${persons} residents, ${requests} tokens, in ${dir}; measured run ${duration} s`);
  let key = '';
  const servers: { child: ChildProcess; port: number }[] = [];
  if (pgUrl) {
    const seeded = await launch(dir, 'seed', schema);
    key = seeded.key;
    await new Promise((r) => { if (seeded.child.exitCode !== null) r(null); else seeded.child.on('exit', r); });
    for (let i = 0; i < count; i++) servers.push(await launch(dir, 'join', schema));
  } else {
    const s = await launch(dir, 'sqlite', '');
    key = s.key;
    servers.push(s);
  }
  const tokens = fs.readFileSync(path.join(dir, 'tokens.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t') as [string, Expected]);
  log(`servers ready on ports ${servers.map((s) => s.port).join(', ')}; ${tokens.length} tokens (${tokens.filter((t) => t[1] === 'pass').length} expected to pass)`);

  let next = 0;
  const wrong = { denied_wrongly: 0, passed_wrongly: 0, unparsable: 0, tokens_exhausted: 0 };
  // Tokens that passed, per server (a sample, for the replay check across servers).
  const passedOn: string[][] = servers.map(() => []);
  const run = (limit: { amount: number } | { duration: number }, tokenList: [string, Expected][]) => Promise.all(servers.map((srv, si) => autocannon({
    url: `http://127.0.0.1:${srv.port}`, connections: Math.max(1, Math.round(connections / servers.length)), pipelining: 1,
    ...('amount' in limit ? { amount: Math.ceil(limit.amount / servers.length) } : limit),
    requests: [{
      method: 'POST', path: '/api/codes/verify', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      setupRequest: (req, context: Ctx) => {
        if (next >= tokenList.length) wrong.tokens_exhausted++;
        const [token, expected] = tokenList[next++ % tokenList.length];
        context.expected = next > tokenList.length ? undefined : expected;
        context.token = token;
        return { ...req, body: JSON.stringify({ token }) };
      },
      onResponse: (status, body, context: Ctx) => {
        if (status !== 200) return;
        let verdict: string;
        try { verdict = (JSON.parse(body) as { verdict: string }).verdict; } catch { wrong.unparsable++; return; }
        if (context.expected === undefined) return;
        if (verdict === 'deny' && context.expected === 'pass') wrong.denied_wrongly++;
        if (verdict === 'pass' && context.expected === 'deny') wrong.passed_wrongly++;
        if (verdict === 'pass' && passedOn[si].length < 500) passedOn[si].push(context.token!);
      },
    }],
  })));

  // Warm-up with the first 5% of tokens (JIT, caches), then the measured run with the rest, each used once.
  const warm = Math.floor(tokens.length * 0.05);
  await run({ amount: warm }, tokens.slice(0, warm));
  Object.assign(wrong, { denied_wrongly: 0, passed_wrongly: 0, unparsable: 0, tokens_exhausted: 0 });
  next = 0;
  for (const p of passedOn) p.length = 0;
  const rest = tokens.slice(warm);
  // autocannon's own duration is counted in whole ticks of its 1-s timer: the run is timed here instead.
  const serverCpu0 = servers.map((s) => cpuSec(s.child.pid!)), ownCpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rs = await run({ duration }, rest);
  const elapsedSec = (performance.now() - t0) / 1000;
  const serverCpu = servers.reduce((a, s, i) => a + cpuSec(s.child.pid!) - serverCpu0[i], 0);
  const ownCpu = (process.cpuUsage().user + process.cpuUsage().system - ownCpu0.user - ownCpu0.system) / 1e6;

  // Replays across servers: a token that passed on server i, shown to server i+1, must be refused as a replay.
  let replaysTried = 0, replaysPassed = 0;
  for (let i = 0; i < servers.length; i++) {
    const other = servers[(i + 1) % servers.length];
    for (const token of passedOn[i].slice(0, 200)) {
      const res = await fetch(`http://127.0.0.1:${other.port}/api/codes/verify`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ token }) });
      const answer = await res.json() as { verdict?: string; reason?: string };
      replaysTried++;
      if (answer.verdict !== 'deny') replaysPassed++;
    }
  }

  for (const s of servers) s.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => new Promise((r) => { if (s.child.exitCode !== null) r(null); else s.child.on('exit', r); })));
  fs.rmSync(dir, { recursive: true, force: true });
  if (pgUrl) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  const total = rs.reduce((a, r) => a + r.requests.total, 0);
  return {
    servers: servers.length, storage: pgUrl ? 'postgresql' : 'sqlite', claims: redis ? 'redis' : 'database',
    requests: total, duration_s: Math.round(elapsedSec * 100) / 100,
    // autocannon's per-second samples (its Req/Sec average), summed over the instances; total / elapsed would count
    // the idle wait for its last tick.
    verifications_per_s: Math.round(rs.reduce((a, r) => a + r.requests.average, 0)),
    total_over_elapsed_per_s: Math.round(total / elapsedSec),
    cpu_s: { servers: Math.round(serverCpu * 100) / 100, load_generator: Math.round(ownCpu * 100) / 100 },
    server_us_per_verification: Math.round(serverCpu * 1e6 / total),
    // Latency percentiles of each instance; with several servers, the worst instance's (an upper bound of the whole).
    p50_ms: Math.max(...rs.map((r) => r.latency.p50)), p90_ms: Math.max(...rs.map((r) => r.latency.p90)),
    p99_ms: Math.max(...rs.map((r) => r.latency.p99)), max_ms: Math.max(...rs.map((r) => r.latency.max)),
    errors: rs.reduce((a, r) => a + r.errors + r.timeouts + r.non2xx, 0) + wrong.unparsable + wrong.tokens_exhausted, ...wrong,
    cross_server_replays_tried: replaysTried, cross_server_replays_passed: replaysPassed,
  };
}

const runs = [];
for (const count of serverCounts) {
  const r = await measure(count);
  log(JSON.stringify(r));
  runs.push(r);
}
const first = runs[0];
const result = {
  ...first,
  persons, connections, seed,
  ...(runs.length > 1 ? {
    by_servers: runs.map((r) => ({ ...r, ratio_vs_first: Math.round(r.verifications_per_s / first.verifications_per_s * 100) / 100 })),
  } : {}),
  load_generator: 'autocannon (same machine, same cores as the servers)', machine: { cpus: os.availableParallelism(), node: process.version },
};
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, `results/${pgUrl ? 'verify-postgres' : 'verify'}.json`), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
