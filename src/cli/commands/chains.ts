/** `cordon chains` and `cordon report efficacy`: chains of transmission, exports, and how well tracing works. */
import type { Command } from 'commander';
import { chainName, chainsCsv, chainsGraphml, chainsJson } from '../../domain/chains/chains.ts';
import { hashIdNumber } from '../../domain/identity.ts';
import { chainsOf, efficacyAgainstTruth, efficacyReport } from '../../services/chains.ts';
import { idHashKey } from '../../services/secrets.ts';
import { readGroundTruth } from '../../synth/groundTruth.ts';
import { CliError, say, withServices } from '../shared.ts';

export function chainCommands(program: Command): void {
  program.command('chains')
    .description('chains of transmission: clusters and indicators, or every chain as JSON, a CSV edge list or GraphML (on stdout)')
    .option('--format <format>', 'text (default), json, csv or graphml', 'text')
    .option('--lang <lang>', 'language of the cluster names: zh (default) or en', 'zh')
    .option('--region <code>', 'only the chains reaching this division (as GET /api/chains?region=)')
    .action(async (opts: { format: string; lang: string; region?: string }) => {
      if (!['text', 'json', 'csv', 'graphml'].includes(opts.format)) throw new CliError(`--format: one of text, json, csv, graphml (not ${opts.format})`);
      if (opts.lang !== 'zh' && opts.lang !== 'en') throw new CliError(`--lang: zh or en (not ${opts.lang})`);
      const lang = opts.lang;
      await withServices(async (s) => {
        if (opts.region !== undefined && !(await s.store.regions.get(opts.region))) throw new CliError(`--region: no division with code ${opts.region}`);
        const v = await chainsOf(s.store, s.edition, s.clock.now(), {}, opts.region);
        if (opts.format === 'csv') { process.stdout.write(chainsCsv(v.chains, v.caseNo, lang)); return; }
        if (opts.format === 'graphml') { process.stdout.write(chainsGraphml(v.chains, v.caseNo, lang, v.events)); return; }
        // As the API's JSON export: names, case numbers, ISO times and the exposure events, with the indicators.
        if (opts.format === 'json') { say(JSON.stringify({ indicators: v.indicators, ...chainsJson(v.chains, v.events, v.caseNo, lang) }, null, 2)); return; }
        const i = v.indicators;
        say(`${i.cases} cases in ${i.clusters} clusters (${i.activeClusters} active); source unknown: ${i.sourceUnknown}; were known contacts: ${i.casesThatWereKnownContacts}`);
        say(`contacts per case: mean ${i.contactsPerCase.mean}, median ${i.contactsPerCase.median}; serial interval: mean ${i.serialIntervalDays.mean ?? '-'} d over ${i.serialIntervalDays.links} links`);
        for (const c of v.chains.filter((x) => x.caseIds.length > 1)) say(`${c.active ? 'active ' : 'closed '} ${String(c.caseIds.length).padStart(4)} cases, ${c.generations} generations: ${chainName(c.naming, lang)}`);
      });
    });

  program.command('report')
    .description('reports: efficacy (share of cases already contacts when confirmed, hours to contacts identified, contacts per case)')
    .argument('<name>', 'efficacy')
    .option('--truth <file>', 'a synthetic outbreak\'s ground-truth.ndjson: also score against the true infections')
    .action(async (name: string, opts: { truth?: string }) => {
      if (name !== 'efficacy') throw new CliError(`unknown report ${name}: efficacy`);
      const truth = opts.truth === undefined ? undefined : readGroundTruth(opts.truth);
      await withServices(async (s, config) => {
        const r = await efficacyReport(s.store);
        say(`cases: ${r.cases}`);
        say(`already close/secondary contacts or companions when confirmed: ${(r.alreadyContactsWhenConfirmed * 100).toFixed(1)} %`);
        say(`median hours from confirmation to contacts identified: ${r.medianHoursToContactsIdentified ?? '-'}`);
        say(`contacts per case: mean ${r.contactsPerCase.mean}, median ${r.contactsPerCase.median}`);
        if (truth) {
          const key = idHashKey(config);
          const t = await efficacyAgainstTruth(s.store, s.edition, truth, (id) => hashIdNumber(id, key), s.clock.now());
          say(`true local infections: ${t.trueInfections}; already close/secondary contacts or companions when confirmed: ${(t.alreadyContacts * 100).toFixed(1)} %`);
          say(`inferred infector right for ${t.inferredInfectorCorrect === null ? '-' : `${(t.inferredInfectorCorrect * 100).toFixed(1)} %`} of ${t.scorableCases} cases whose true infector is a case`);
        }
      });
    });
}
