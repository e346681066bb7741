/** `cordon init`, `cordon start` and `cordon serve`: create the database (and the demo), and run the server. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ROOT, serve, WEB_DIST } from '../../api/main.ts';
import type { Services } from '../../app/container.ts';
import { loadConfig, type Config } from '../../config.ts';
import { loadDemo } from '../../services/loadDemo.ts';
import { publishedRiskAreas } from '../../services/control.ts';
import { idHashKey } from '../../services/secrets.ts';
import { ensureAdministrator } from '../../services/accounts/accounts.ts';
import { createDemoAccounts } from '../../services/accounts/demoAccounts.ts';
import { progressBar } from '../progress.ts';
import { cliCtx, note, openConfigured, say, servicesFor } from '../shared.ts';

/** Builds the web page when web/dist is missing or older than its sources. */
async function ensureWeb(): Promise<void> {
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true })
    .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const built = fs.existsSync(path.join(WEB_DIST, 'index.html')) ? fs.statSync(path.join(WEB_DIST, 'index.html')).mtimeMs : 0;
  if (built > newest(path.join(ROOT, 'web/src'))) return;
  note('building the web page (first start) ...');
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
}

/**
 * Loads the demo province once (its fortnight ends now, so its codes, risk areas and chains are live), handles what
 * its import caused (tracing as of each confirmation, codes) and grades the risk areas.
 */
async function demo(config: Config, s: Services): Promise<string[]> {
  const t0 = Date.now();
  let bar: ReturnType<typeof progressBar> | undefined;
  let barFile = '';
  const ctx = cliCtx('start');
  const loaded = await loadDemo({
    ctx, store: s.store, edition: s.edition, dataDir: config.dataDir, idHashKey: idHashKey(config), persons: config.demoPersons,
    onStep: (step, res) => {
      if (res) { bar?.stop(); bar = undefined; say(`  imported ${step}: ${res.inserted} of ${res.rows} rows`); }
      else say(`demo province (${config.demoPersons} residents): ${step} ...`);
    },
    onProgress: (file, bytes, size) => {
      if (file !== barFile) { bar?.stop(); barFile = file; bar = progressBar(`  import ${file}`, size); }
      bar?.update(bytes, { rows: '' });
    },
  });
  bar?.stop();
  if (!loaded) return [];
  say('tracing the demo\'s cases as of their confirmation, and evaluating codes ...');
  const r = await s.events.settle();
  const counts = await s.store.stats.totals();
  const areas = await publishedRiskAreas(s.store, s.clock.now());
  say(`demo province loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${counts.cases} cases, ${counts.contacts} contacts under management, ${counts.redCodes} red and ${counts.yellowCodes} yellow codes, ${areas.length} risk areas (${r.handled} events handled)`);
  const made = await createDemoAccounts(ctx, s.store);
  if (!made) return [];
  return [
    'Demo accounts (one per staff role, each with its own password; shown once, reset with `cordon users reset-password NAME`):',
    ...made.accounts.map((a) => `  ${a.username.padEnd(18)} password ${a.password}  ${a.role.padEnd(20)} region ${a.region}`),
    ...demoResidents(path.join(config.dataDir, 'demo-feeds')),
  ];
}

/**
 * Two of the demo's residents to sign in as on the page (a case and someone else, both with a phone), from the
 * generated feeds: residents sign in with their ID number and a code sent to their phone, which this server's
 * default sender writes to its log.
 */
function demoResidents(feeds: string): string[] {
  const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(1, 50_000) : []);
  const cases = new Set(lines(path.join(feeds, 'health/cases.csv')).map((l) => l.split(',')[1]));
  let asCase: string | undefined, other: string | undefined;
  for (const l of lines(path.join(feeds, 'community/persons.csv'))) {
    const [id, , phone] = l.split(',');
    if (!id || !phone) continue;
    if (cases.has(id)) asCase ??= id;
    else other ??= id;
    if (asCase && other) break;
  }
  if (!asCase && !other) return [];
  return [
    'Residents sign in on the page with their ID number and a code sent to their phone; this server writes the code to its log',
    `(the logging sender: docs/residents.md). Demo residents: ${[other, asCase && `${asCase} (a case: red code)`].filter(Boolean).join(', ')}.`,
  ];
}

/**
 * On a store without users, the first administrator: its one-time password, to print once (null when there are
 * users already).
 */
async function firstAdministrator(s: Services): Promise<string[]> {
  const province = (await s.store.regions.list({ level: 'province' }, { limit: 1 })).items[0];
  if (!province) return [];
  const admin = await ensureAdministrator(cliCtx('start'), s.store, province.code);
  return admin ? [`First start: administrator "${admin.username}", one-time password ${admin.oneTimePassword} (shown once; choose a new one at the first sign-in).`] : [];
}

/** The configuration and a server's services over the configured store (which must exist): what each role runs on. */
async function serverServices(): Promise<{ config: Config; s: Services }> {
  const config = loadConfig();
  return { config, s: await servicesFor(config, await openConfigured(config), { server: true }) };
}

export function processCommands(program: Command): void {
  program.command('init')
    .description('create the database (embedded SQLite under CORDON_DATA_DIR, or CORDON_DATABASE_URL), apply migrations, load Hunan\'s divisions and grids')
    .option('--demo', 'also load the demo province')
    .action(async (opts: { demo?: boolean }) => {
      const config = loadConfig();
      const store = await openConfigured(config, { create: true });
      try {
        const s = await servicesFor(config, store);
        if (opts.demo) {
          // As `cordon start` does: the administrator first (made only on a store without users), then the demo's
          // accounts, each password shown this once.
          const admin = await firstAdministrator(s);
          for (const line of [...admin, ...(await demo(config, s))]) say(line);
        }
      } finally {
        await store.close();
      }
    });

  program.command('start')
    .description('first run: initialise and load the demo province; then serve, work and schedule in this one process (what npm start runs)')
    .action(async () => {
      const config = loadConfig();
      await ensureWeb();
      const store = await openConfigured(config, { create: true });
      const s = await servicesFor(config, store, { server: true });
      // The administrator before the demo's accounts: it is made only on a store without users.
      const admin = await firstAdministrator(s);
      const accounts = await demo(config, s);
      const { url } = await serve(config, s);
      say(`Cordon is running at ${url} (API docs at ${url}docs)`);
      for (const line of [...admin, ...accounts]) say(line);
    });

  program.command('serve')
    .description('serve the API and web page on PORT (default 8080), and nothing else: run `cordon worker` and `cordon scheduler` beside it (any number of each)')
    .action(async () => {
      const { config, s } = await serverServices();
      const admin = await firstAdministrator(s);
      const { url } = await serve(config, s, ['http']);
      say(`Cordon is running at ${url} (API docs at ${url}docs)`);
      for (const line of admin) say(line);
    });

  program.command('worker')
    .description('handle events written by other processes and keep tracing up to date with presence stored elsewhere (no HTTP)')
    .action(async () => {
      const { config, s } = await serverServices();
      await serve(config, s, ['worker']);
      say(`Cordon worker ${process.pid} is running`);
    });

  program.command('scheduler')
    .description('run the timers (codes, venue orders, overdue tasks, bulletin, risk grading, retention) while this process holds the database\'s lease: one scheduler at a time; another takes over within CORDON_LEASE_SECONDS when it dies')
    .action(async () => {
      const { config, s } = await serverServices();
      await serve(config, s, ['scheduler']);
      say(`Cordon scheduler ${process.pid} is running (waiting for the lease when another holds it)`);
    });
}
