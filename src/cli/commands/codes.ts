/** `cordon codes keys|rotate|verify`: the signing keys, and verifying a scanned token offline or online. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { TokenVerifier, type PublicKeyInfo } from '../../codes/token.ts';
import { formatTime, nowSeconds } from '../../domain/time.ts';
import { CliError, cliCtx, say, withServices } from '../shared.ts';

export function codeCommands(program: Command): void {
  const codes = program.command('codes').description('health codes: signing keys, offline and online verification');

  codes.command('keys')
    .description('print the public keys as JSON on stdout (what an offline checkpoint loads: cordon codes verify --keys FILE)')
    .action(() => withServices(async (s) => {
      say(JSON.stringify({ maxTokenLifetimeSeconds: s.codes.keys.maxTokenLifetimeSeconds, keys: s.codes.keys.publicKeys() }, null, 2));
    }));

  codes.command('rotate')
    .description('create a new signing key; the old one keeps verifying its tokens until they expire')
    .action(() => withServices(async (s) => {
      say(`new signing key: ${await s.codes.keys.rotate(cliCtx('codes rotate').clock.now())}`);
    }));

  codes.command('verify')
    .description('verify a scanned token now: offline with --keys FILE (no database, no network), else online against current codes')
    .argument('<token>', 'the text of the QR code')
    .option('--keys <file>', 'public keys JSON (from cordon codes keys or GET /api/codes/keys)')
    .action(async (token: string, opts: { keys?: string }) => {
      if (opts.keys) {
        let parsed: { keys?: PublicKeyInfo[]; maxTokenLifetimeSeconds?: number };
        try {
          parsed = JSON.parse(fs.readFileSync(opts.keys, 'utf8')) as typeof parsed;
        } catch (e) {
          throw new CliError(`${opts.keys}: not a keys file (${(e as Error).message})`);
        }
        if (!Array.isArray(parsed.keys) || typeof parsed.maxTokenLifetimeSeconds !== 'number') throw new CliError(`${opts.keys}: not a keys file from cordon codes keys (keys and maxTokenLifetimeSeconds)`);
        const r = new TokenVerifier(parsed.keys, { maxLifetimeSec: parsed.maxTokenLifetimeSeconds }).verify(token, nowSeconds());
        if (!r.ok) throw new CliError(`DENY (offline): ${r.fault}: ${r.detail}`);
        say(`valid (offline): colour ${r.payload.c}${r.payload.a ? ', itinerary *' : ''}, expires ${formatTime(r.payload.exp)}`);
        return;
      }
      await withServices(async (s) => {
        const v = await s.codes.verify(token, cliCtx('codes verify').clock.now());
        if (v.verdict === 'deny') throw new CliError(`DENY: ${v.reasons.join('; ')}`);
        say(`PASS: person ${v.personId}, green`);
      });
    });
}
