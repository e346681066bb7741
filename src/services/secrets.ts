/**
 * The key under which ID numbers are hashed. From configuration when set (required for several processes sharing a
 * PostgreSQL database); otherwise created once, at random, in the data folder and reused.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The ID-hash key: the configured one, or the data folder's (created on first use, readable by the owner only). */
export function idHashKey(config: { idHashKey: string | undefined; dataDir: string }): string {
  if (config.idHashKey) return config.idHashKey;
  const file = path.join(config.dataDir, 'id-hash.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
