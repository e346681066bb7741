/**
 * The server side of bench:verify, in its own process: a Cordon server on a fresh SQLite file (the embedded
 * default), a province whose codes are evaluated, and a file of pre-issued tokens with the verdict each must get.
 * Prints `READY <port> <key>` when it accepts connections: the key is a checkpoint device's API key, which every
 * verification carries (Authorization: Bearer), as a real device's does.
 * On PostgreSQL (PG_URL and SCHEMA given), a process in MODE `seed` seeds the province, the tokens and the key, prints
 * `SEEDED <key>` and exits; then each server (MODE `join`) opens the same schema and serves it, sharing its key ring, API keys and used-token claims, as the
 * `cordon serve` processes of a deployment do (they print `READY <port> -`).
 *   node --import tsx bench/codes/verifyServer.ts DIR PERSONS TOKENS SEED [REDIS_URL|-] [PG_URL SCHEMA seed|join]
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from '../../src/api/app.ts';
import { HealthCodeService } from '../../src/services/codes/healthCodes.ts';
import { TracingEngine } from '../../src/services/tracing/engine.ts';
import { openStore } from '../../src/storage/store.ts';
import { newSecret, tokenHash } from '../../src/services/accounts/accounts.ts';
import { Random } from '../../src/synth/random.ts';
import { TokenSigner, newSigningKey } from '../../src/codes/token.ts';
import { RedisUsedTokens } from '../../src/services/codes/usedTokens.ts';
import { edition, seedContacts, seedPersons } from './world.ts';

const [dir, personsArg, tokensArg, seedArg, redisArg, pgUrl, pgSchema, mode = 'seed'] = process.argv.slice(2);
const persons = Number(personsArg), tokens = Number(tokensArg), seed = Number(seedArg);
const redisUrl = redisArg && redisArg !== '-' ? redisArg : '';
const store = await openStore(pgUrl ? { postgresUrl: pgUrl, schema: pgSchema } : { sqliteFile: path.join(dir, 'cordon.db') });
const now = Math.floor(Date.now() / 1000);
const usedTokens = redisUrl ? await RedisUsedTokens.connect(redisUrl, `bench-${pgSchema ?? process.pid}`) : undefined;

/** Serves the store with these codes and prints `READY <port> <key>`; closes on SIGTERM. */
async function serveAndAnnounce(codes: HealthCodeService, key: string): Promise<void> {
  const app = await buildApp({ store, edition, engine: await TracingEngine.load({ store, edition }), codes, webDir: undefined, version: 'bench', ownsStore: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  console.log(`READY ${typeof addr === 'object' && addr ? addr.port : 0} ${key}`);
  process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
}

if (mode === 'join') {
  // Another server of the same deployment: nothing seeded, the same store and secret.
  await serveAndAnnounce(await HealthCodeService.open(store, edition, 'bench-secret', now, usedTokens), '-');
} else {
  const ids = await seedPersons(store, persons);
  const expectedColour = await seedContacts(store, ids, now, seed, 0.05, 0.05);
  const codes = await HealthCodeService.open(store, edition, 'bench-secret', now, usedTokens);
  for (let i = 0; i < ids.length; i += 10_000) await codes.recompute(ids.slice(i, i + 10_000), 'bench', now);
  await store.maintain();

  // Tokens: most issued by the server to random residents with their current colour, as a phone gets them (expected:
  // pass if green, deny otherwise); a share forged (another key under the same key id), tampered (expiry extended) or
  // expired (expected: deny).
  const rnd = new Random(seed + 1);
  const forger = new TokenSigner({ ...newSigningKey(codes.keys.signer().signingKey.kid) });
  const lines: string[] = [];
  const colours = await store.codes.currentOf(ids);
  for (let i = 0; i < tokens; i++) {
    const id = ids[rnd.int(ids.length)];
    const colour = colours.get(id)!.colour;
    if (colour !== expectedColour.get(id)) throw new Error(`person ${id}: code ${colour}, expected ${expectedColour.get(id)}`);
    const u = rnd.next();
    if (u < 0.02) lines.push(`${forger.sign({ sub: codes.pseudonymOf(id), c: colour, a: false, iat: now, exp: now + 180 })}\tdeny`);
    else if (u < 0.04) lines.push(`${codes.sign(id, colour, false, now - 3600).token}\tdeny`);
    else if (u < 0.06) {
      const [p, body, sig] = codes.sign(id, colour, false, now).token.split('.');
      const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), exp: now + 86400 })).toString('base64url');
      lines.push(`${p}.${tampered}.${sig}\tdeny`);
    } else lines.push(`${codes.sign(id, colour, false, now).token}\t${colour === 'green' ? 'pass' : 'deny'}`);
  }
  fs.writeFileSync(path.join(dir, 'tokens.tsv'), `${lines.join('\n')}\n`);

  const key = newSecret('ck_');
  await store.accounts.addApiKey({ name: 'bench-gate', keyHash: tokenHash(key), keyPrefix: key.slice(0, 7), role: 'checkpoint_staff', agencyId: null, regionCode: '43', createdAt: now });
  if (pgUrl) {
    // The servers of the deployment join the seeded schema; this process only seeded it.
    await store.close();
    console.log(`SEEDED ${key}`);
    process.exit(0);
  }
  await serveAndAnnounce(codes, key);
}
