/**
 * bench:verify: online verification of health-code tokens over HTTP on loopback. The server (its own process, on
 * the embedded SQLite database, with `npm start`'s V8 flags) and the load generator (autocannon, this process) share the machine's cores.
 * Every token is used once (a second use is a replay); each response's verdict is checked against the verdict its
 * token must get, so a wrong pass or a wrong deny is counted, not only errors.
 * Prints one JSON object as its last line and writes it to bench/results/verify.json.
 * The measured run lasts a fixed time (autocannon ends a run by count only on its 1-s tick, which would blur the rate).
 *   npm run bench:verify -- [--persons 100000] [--tokens 250000] [--duration 10] [--connections 64] [--seed 42] [--redis redis://127.0.0.1:6379]
 * With --redis, the server claims verified tokens in Redis instead of the database (CORDON_REDIS_URL).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const opt = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };
const persons = Number(opt('persons', '100000'));
const requests = Number(opt('tokens', '250000'));
const duration = Number(opt('duration', '10'));
const connections = Number(opt('connections', '64'));
const seed = Number(opt('seed', '42'));
const redis = opt('redis', '');
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-verify-'));
log(`server: ${persons} residents, ${requests} tokens, in ${dir}; measured run ${duration} s`);
const server = spawn(process.execPath, [...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_PROF] : []), '--max-semi-space-size=64', '--import', 'tsx', path.join(here, 'codes/verifyServer.ts'), dir, String(persons), String(requests), String(seed), redis], { stdio: ['ignore', 'pipe', 'inherit'] });
const [port, key] = await new Promise<[number, string]>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /READY (\d+) (\S+)/.exec(out); if (m) resolve([Number(m[1]), m[2]]); });
  server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const tokens = fs.readFileSync(path.join(dir, 'tokens.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t') as [string, 'pass' | 'deny']);
log(`server ready on port ${port}; ${tokens.length} tokens (${tokens.filter((t) => t[1] === 'pass').length} expected to pass)`);

/** CPU seconds the server process has used (Linux /proc). */
function serverCpuSec(): number {
  const fields = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

let next = 0;
const wrong = { denied_wrongly: 0, passed_wrongly: 0, unparsable: 0, tokens_exhausted: 0 };
interface Ctx { expected?: 'pass' | 'deny' }
const run = (limit: { amount: number } | { duration: number }, tokenList: [string, 'pass' | 'deny'][]) => autocannon({
  url: `http://127.0.0.1:${port}`, connections, pipelining: 1, ...limit,
  requests: [{
    method: 'POST', path: '/api/codes/verify', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    setupRequest: (req, context: Ctx) => {
      if (next >= tokenList.length) wrong.tokens_exhausted++;
      const [token, expected] = tokenList[next++ % tokenList.length];
      context.expected = next > tokenList.length ? undefined : expected;
      return { ...req, body: JSON.stringify({ token }) };
    },
    onResponse: (status, body, context: Ctx) => {
      if (status !== 200) return;
      let verdict: string;
      try { verdict = (JSON.parse(body) as { verdict: string }).verdict; } catch { wrong.unparsable++; return; }
      if (context.expected === undefined) return;
      if (verdict === 'deny' && context.expected === 'pass') wrong.denied_wrongly++;
      if (verdict === 'pass' && context.expected === 'deny') wrong.passed_wrongly++;
    },
  }],
});

// Warm-up with the first 5% of tokens (JIT, caches), then the measured run with the rest, each used once.
const warm = Math.floor(tokens.length * 0.05);
await run({ amount: warm }, tokens.slice(0, warm));
Object.assign(wrong, { denied_wrongly: 0, passed_wrongly: 0, unparsable: 0, tokens_exhausted: 0 });
next = 0;
const rest = tokens.slice(warm);
// autocannon's own duration is counted in whole ticks of its 1-s timer: the run is timed here instead.
const serverCpu0 = serverCpuSec(), ownCpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await run({ duration }, rest);
const elapsedSec = (performance.now() - t0) / 1000;
const serverCpu = serverCpuSec() - serverCpu0, ownCpu = (process.cpuUsage().user + process.cpuUsage().system - ownCpu0.user - ownCpu0.system) / 1e6;
server.kill('SIGTERM');
fs.rmSync(dir, { recursive: true, force: true });

const result = {
  claims: redis ? 'redis' : 'database',
  persons, requests: r.requests.total, connections, seed, duration_s: Math.round(elapsedSec * 100) / 100,
  // autocannon's per-second samples (its Req/Sec average); total / elapsed would count the idle wait for its last tick.
  verifications_per_s: Math.round(r.requests.average), verifications_per_s_min_second: r.requests.min,
  total_over_elapsed_per_s: Math.round(r.requests.total / elapsedSec),
  cpu_s: { server: Math.round(serverCpu * 100) / 100, load_generator: Math.round(ownCpu * 100) / 100 }, p50_ms: r.latency.p50, p90_ms: r.latency.p90, p99_ms: r.latency.p99, max_ms: r.latency.max,
  errors: r.errors + r.timeouts + r.non2xx + wrong.unparsable + wrong.tokens_exhausted, ...wrong,
  load_generator: 'autocannon (same machine, same cores as the server)', machine: { cpus: os.availableParallelism(), node: process.version },
};
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results/verify.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
