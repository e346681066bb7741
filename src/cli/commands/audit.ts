/**
 * `cordon audit list|verify`: the audit log of personal data. `verify` walks the hash chain and exits 1 at the first
 * entry that was edited, removed or reordered; `--expect-head` also catches entries cut off the end (pass the head
 * hash a previous verify printed, kept somewhere else).
 */
import type { Command } from 'commander';
import { formatTime } from '../../domain/time.ts';
import { verifyAuditChain } from '../../services/audit/audit.ts';
import { CliError, note, say, withServices } from '../shared.ts';

/** A field on one line: control characters and direction overrides shown as \\uXXXX (a field cannot pose as another entry). */
// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const oneLine = (f: string) => f.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function auditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit log of personal data: who read whose identity, when and why');

  audit.command('list')
    .description('list entries, oldest first: id, time, actor, action, subject, purpose, request')
    .option('--subject <subject>', 'only entries about this subject (person:123)')
    .option('--actor <actor>', 'only entries by this actor (api:li.si)')
    .action((opts: { subject?: string; actor?: string }) => withServices(async (s) => {
      let after = 0;
      for (;;) {
        const page = await s.store.audit.list({ subject: opts.subject, actor: opts.actor }, { after, limit: 1000 });
        for (const e of page.items) say([e.id, formatTime(e.at), e.actor, e.action, e.subject, e.purpose ?? '-', e.requestId ?? '-'].map((f) => oneLine(String(f))).join('\t'));
        if (page.nextAfter === null) break;
        after = page.nextAfter;
      }
    }));

  audit.command('verify')
    .description('check the hash chain of the whole log; prints the head hash to keep')
    .option('--expect-head <hash>', 'the head hash a previous verify printed: entries after it may follow, but it must be in the chain')
    .action((opts: { expectHead?: string }) => withServices(async (s) => {
      const v = await verifyAuditChain(s.store);
      if (v.broken) throw new CliError(`audit log broken at entry ${v.broken.id}: ${v.broken.reason} (${v.entries} entries before it are intact)`);
      if (opts.expectHead) {
        const found = v.head === opts.expectHead || (await s.store.audit.hasHash(opts.expectHead));
        if (!found) throw new CliError(`audit log: the expected head ${opts.expectHead} is not in the chain (entries were cut off the end, or it is another log)`);
      }
      note(`audit log intact: ${v.entries} entries`);
      say(v.head);
    }));
}
