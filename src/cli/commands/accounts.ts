/**
 * `cordon users add|list|disable|enable|reset-password` and `cordon api-keys issue|list|revoke`: the accounts of the
 * agencies' staff and the keys of machine feeds and checkpoint devices. A one-time password or a key is printed once,
 * on stdout; it is not kept anywhere but as a hash.
 */
import type { Command } from 'commander';
import { AGENCY_KINDS, ROLES, type AgencyKind } from '../../domain/access.ts';
import { formatTime } from '../../domain/time.ts';
import { API_KEY_CACHE_SECONDS } from '../../api/auth.ts';
import { addUser, disableUser, enableUser, issueApiKey, resetPassword, revokeApiKey } from '../../services/accounts/accounts.ts';
import { CliError, cliCtx, note, say, withServices } from '../shared.ts';

const when = (t: number | null) => (t === null ? '-' : formatTime(t));

export function accountCommands(program: Command): void {
  const users = program.command('users').description('user accounts of the agencies\' staff');

  users.command('add')
    .description('add a user; prints a one-time password, to be changed at the first sign-in')
    .argument('<username>', 'sign-in name: lower-case letters, digits, dot, dash or underscore')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--agency <name>', 'the agency the user works for (created when new)')
    .requiredOption('--agency-kind <kind>', `one of ${AGENCY_KINDS.join(', ')}`)
    .option('--region <code>', 'division code of the region the user is responsible for (none for a resident)')
    .option('--name <displayName>', 'the name shown in the web app (default: the username)')
    .action((username: string, opts: { role: string; agency: string; agencyKind: string; region?: string; name?: string }) => withServices(async (s) => {
      if (!(AGENCY_KINDS as readonly string[]).includes(opts.agencyKind)) throw new CliError(`--agency-kind: one of ${AGENCY_KINDS.join(', ')}`);
      const r = await addUser(cliCtx('users add'), s.store, {
        username, displayName: opts.name ?? username, agency: { name: opts.agency, kind: opts.agencyKind as AgencyKind }, role: opts.role, regionCode: opts.region ?? null,
      });
      note(`user ${username} added (${opts.role}${opts.region ? ` in ${opts.region}` : ''}); one-time password, to be changed at the first sign-in:`);
      say(r.oneTimePassword!);
    }));

  users.command('list')
    .description('list users: username, role, region, agency, state, last sign-in')
    .action(() => withServices(async (s) => {
      for (const u of await s.store.accounts.users()) {
        const state = u.disabledAt !== null ? `disabled ${when(u.disabledAt)}` : u.passwordHash === null ? 'no password' : u.mustChangePassword ? 'must change password' : 'active';
        say([u.username, u.role, u.regionCode || '-', u.agencyName, state, `last sign-in ${when(u.lastLoginAt)}`].join('\t'));
      }
    }));

  users.command('disable')
    .description('disable a user and end their sessions')
    .argument('<username>')
    .action((username: string) => withServices(async (s) => {
      note(await disableUser(cliCtx('users disable'), s.store, username) ? `user ${username} disabled` : `user ${username} was disabled already`);
    }));

  users.command('enable')
    .description('enable a disabled user again')
    .argument('<username>')
    .action((username: string) => withServices(async (s) => {
      note(await enableUser(cliCtx('users enable'), s.store, username) ? `user ${username} enabled` : `user ${username} was not disabled`);
    }));

  users.command('reset-password')
    .description('set a new one-time password (printed once; to be changed at the next sign-in)')
    .argument('<username>')
    .action((username: string) => withServices(async (s) => {
      const otp = await resetPassword(cliCtx('users reset-password'), s.store, username);
      note(`new one-time password for ${username}:`);
      say(otp);
    }));

  const keys = program.command('api-keys').description('API keys of machine feeds and checkpoint devices (sent as Authorization: Bearer KEY)');

  keys.command('issue')
    .description('issue a key; prints it once')
    .requiredOption('--role <role>', `the role it acts with: one of ${ROLES.filter((r) => r !== 'resident').join(', ')}`)
    .requiredOption('--name <name>', 'a name to recognise and revoke it by (a device, a feed)')
    .option('--region <code>', 'division code of the region it may act in')
    .option('--agency <name>', 'the agency it belongs to (a feed\'s key must: agency_feed)')
    .option('--agency-kind <kind>', `the agency's kind: one of ${AGENCY_KINDS.join(', ')} (what decides the feed kinds it may send)`)
    .action((opts: { role: string; name: string; region?: string; agency?: string; agencyKind?: string }) => withServices(async (s) => {
      const agency = opts.agency || opts.agencyKind ? { name: opts.agency ?? '', kind: opts.agencyKind ?? '' } : undefined;
      const { key } = await issueApiKey(cliCtx('api-keys issue'), s.store, { name: opts.name, role: opts.role, regionCode: opts.region ?? null, agency });
      note(`API key ${opts.name} issued (${opts.role}${opts.region ? ` in ${opts.region}` : ''}); it is shown only now:`);
      say(key);
    }));

  keys.command('list')
    .description('list keys: name, prefix, role, region, issued, last used, revoked')
    .action(() => withServices(async (s) => {
      for (const k of await s.store.accounts.apiKeys()) {
        say([k.name, `${k.keyPrefix}...`, k.role, k.regionCode ?? '-', `issued ${when(k.createdAt)}`, `last used ${when(k.lastUsedAt)}`, k.revokedAt === null ? 'in use' : `revoked ${when(k.revokedAt)}`].join('\t'));
      }
    }));

  keys.command('revoke')
    .description(`revoke a key: running servers refuse it within ${API_KEY_CACHE_SECONDS} s (they keep a key's answer that long)`)
    .argument('<name>')
    .action((name: string) => withServices(async (s) => {
      note(await revokeApiKey(cliCtx('api-keys revoke'), s.store, name) ? `API key ${name} revoked: running servers refuse it within ${API_KEY_CACHE_SECONDS} s` : `API key ${name} was revoked already`);
    }));
}
