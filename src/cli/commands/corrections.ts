/**
 * `cordon cases correct|withdraw`, `cordon contacts status` and `cordon events`: corrections from the command line
 * (each kept with who, when, why, before and after; what follows is handled before the command ends), and the state
 * of the event flow.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { CASE_OUTCOMES, CONTACT_STATUSES, SEVERITIES, type CaseOutcome, type ContactStatus, type Severity } from '../../domain/vocab.ts';
import { formatTime, parseTime } from '../../domain/time.ts';
import { correctCase, setContactStatus, withdrawCase, type CaseFix } from '../../services/cases/corrections.ts';
import { caseByRef, CliError, cliCtx, idOf, reasonArg, say, withServices } from '../shared.ts';

const oneOf = <T extends string>(name: string, values: readonly T[]) => (v: string): T => {
  if (!(values as readonly string[]).includes(v)) throw new InvalidArgumentError(`${name}: one of ${values.join(', ')}`);
  return v as T;
};
const timeArg = (name: string) => (v: string): number | null => {
  if (v === 'none') return null;
  const t = parseTime(v);
  if (t === null) throw new InvalidArgumentError(`${name}: a date-time YYYY-MM-DD HH:MM (CST), or none`);
  return t;
};

export function correctionCommands(program: Command): void {
  const cases = program.command('cases').description('correct or withdraw a case (history kept; contacts and codes follow)');

  cases.command('correct')
    .description('correct a case: outcome, isolation time, severity, times; each change kept with the reason')
    .argument('<case>', 'case number (or numeric id)')
    .requiredOption('--reason <text>', 'why (kept with the correction)', reasonArg)
    .option('--outcome <outcome>', CASE_OUTCOMES.join(', '), oneOf('--outcome', CASE_OUTCOMES))
    .option('--outcome-at <time>', 'when the outcome was reached (default: now)', timeArg('--outcome-at'))
    .option('--isolated-at <time>', 'when the case was isolated (or none)', timeArg('--isolated-at'))
    .option('--onset-at <time>', 'onset of symptoms (or none)', timeArg('--onset-at'))
    .option('--severity <severity>', SEVERITIES.join(', '), oneOf('--severity', SEVERITIES))
    .option('--kind <kind>', 'confirmed or asymptomatic (reclassification)', oneOf('--kind', ['confirmed', 'asymptomatic'] as const))
    .action((ref: string, o: { reason: string; outcome?: CaseOutcome; outcomeAt?: number | null; isolatedAt?: number | null; onsetAt?: number | null; severity?: Severity; kind?: 'confirmed' | 'asymptomatic' }) => withServices(async (s) => {
      const c = await caseByRef(s, ref);
      const fix: CaseFix = { outcome: o.outcome, outcomeAt: o.outcomeAt, isolatedAt: o.isolatedAt, onsetAt: o.onsetAt, severity: o.severity, kind: o.kind };
      const r = await correctCase(cliCtx('cases correct'), s, { caseId: c.id, fix, reason: o.reason });
      const changed = Object.entries(r.changes).map(([k, [a, b]]) => `${k}: ${String(a)} -> ${String(b)}`);
      say(changed.length ? `case ${c.caseNo} corrected: ${changed.join('; ')}` : `case ${c.caseNo}: nothing to change`);
    }));

  cases.command('withdraw')
    .description('withdraw a case as not a case (a false positive, a duplicate): its contacts are released, codes follow')
    .argument('<case>', 'case number (or numeric id)')
    .requiredOption('--reason <text>', 'why (kept with the case)', reasonArg)
    .action((ref: string, o: { reason: string }) => withServices(async (s) => {
      const c = await caseByRef(s, ref);
      const w = await withdrawCase(cliCtx('cases withdraw'), s, { caseId: c.id, reason: o.reason });
      say(`case ${w.caseNo} withdrawn at ${formatTime(w.withdrawnAt!)}: ${w.withdrawalReason}`);
    }));

  program.command('contacts')
    .description('a contact\'s status through its life')
    .command('status')
    .description(`move a contact to another status: ${CONTACT_STATUSES.filter((x) => x !== 'became_case').join(', ')}`)
    .argument('<id>', 'contact id')
    .argument('<status>', 'the new status', oneOf('status', CONTACT_STATUSES))
    .requiredOption('--reason <text>', 'why (kept with the change)', reasonArg)
    .action((id: string, status: ContactStatus, o: { reason: string }) => withServices(async (s) => {
      const contactId = idOf(id);
      if (contactId === undefined) throw new CliError(/^\d+$/.test(id) ? `No contact with id ${id}.` : `contact id: a number, not ${id}`);
      const k = await setContactStatus(cliCtx('contacts status'), s, { contactId, status, reason: o.reason });
      say(`contact ${k.id} (person ${k.personId}) is ${k.status}`);
    }));

  program.command('events')
    .description('the event flow: events waiting, and those handlers gave up on with their error; --handle handles what is due now')
    .option('--handle', 'handle the pending events in this process')
    .action((o: { handle?: boolean }) => withServices(async (s) => {
      if (o.handle) {
        const r = await s.events.settle();
        say(`handled ${r.handled}, failed ${r.failed}`);
      }
      const c = await s.store.events.counts(s.events.maxAttempts);
      say(`pending: ${c.pending}; given up: ${c.parked}`);
      for (const f of await s.store.events.parked(s.events.maxAttempts, 20)) say(`  event ${f.event.id} ${f.event.kind} at ${formatTime(f.event.at)}: ${f.error?.split('\n')[0] ?? ''}`);
    }));
}
