/**
 * Agencies, users, API keys and web sessions. Secrets are never stored: a password as its scrypt hash, an API key
 * and a session token as their SHA-256 (the service hashes; this layer stores and finds by hash). Times are epoch
 * seconds, given by the caller (the server's clock).
 */
import type { Db } from '../db.ts';

export interface AgencyRow { id: number; name: string; kind: string; regionCode: string }

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  agencyId: number;
  agencyName: string;
  agencyKind: string;
  role: string;
  /** Region scope (a division code; empty for a resident). */
  regionCode: string;
  passwordHash: string | null;
  mustChangePassword: boolean;
  createdAt: number | null;
  disabledAt: number | null;
  lastLoginAt: number | null;
}

export interface ResidentCodeRow {
  id: number;
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  /** Wrong codes tried against it. */
  attempts: number;
  usedAt: number | null;
}

export interface ApiKeyRow {
  id: number;
  name: string;
  keyHash: string;
  /** The key's first characters, shown in lists so people can tell keys apart. */
  keyPrefix: string;
  role: string;
  agencyId: number | null;
  regionCode: string | null;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface NewUser {
  username: string; displayName: string; agencyId: number; role: string; regionCode: string; passwordHash: string; mustChangePassword: boolean; createdAt: number;
}

export interface NewApiKey { name: string; keyHash: string; keyPrefix: string; role: string; agencyId: number | null; regionCode: string | null; createdAt: number }

const USER_SELECT = `SELECT u.id, u.username, u.display_name, u.agency_id, a.name AS agency_name, a.kind AS agency_kind, u.role, u.region_code,
  u.password_hash, u.must_change_password, u.created_at, u.disabled_at, u.last_login_at
  FROM users u JOIN agencies a ON a.id = u.agency_id`;

interface UserRecord {
  id: number; username: string; display_name: string; agency_id: number; agency_name: string; agency_kind: string; role: string; region_code: string;
  password_hash: string | null; must_change_password: number; created_at: number | null; disabled_at: number | null; last_login_at: number | null;
}
const toUser = (r: UserRecord): UserRow => ({
  id: Number(r.id), username: r.username, displayName: r.display_name, agencyId: Number(r.agency_id), agencyName: r.agency_name, agencyKind: r.agency_kind, role: r.role,
  regionCode: r.region_code, passwordHash: r.password_hash, mustChangePassword: Number(r.must_change_password) === 1,
  createdAt: r.created_at === null ? null : Number(r.created_at), disabledAt: r.disabled_at === null ? null : Number(r.disabled_at), lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
});

interface ApiKeyRecord {
  id: number; name: string; key_hash: string; key_prefix: string; role: string; agency_id: number | null; region_code: string | null;
  created_at: number; revoked_at: number | null; last_used_at: number | null;
}
const toApiKey = (r: ApiKeyRecord): ApiKeyRow => ({
  id: Number(r.id), name: r.name, keyHash: r.key_hash, keyPrefix: r.key_prefix, role: r.role, agencyId: r.agency_id === null ? null : Number(r.agency_id), regionCode: r.region_code,
  createdAt: Number(r.created_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at), lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
});
const API_KEY_SELECT = 'SELECT id, name, key_hash, key_prefix, role, agency_id, region_code, created_at, revoked_at, last_used_at FROM api_keys';

export class AccountRepository {
  constructor(private readonly db: Db) {}

  /** The agency of this name in this region, created with `kind` when there is none; its id. */
  async ensureAgency(name: string, kind: string, regionCode: string): Promise<number> {
    const found = await this.db.get<{ id: number }>('SELECT id FROM agencies WHERE name = ? AND region_code = ?', [name, regionCode]);
    if (found) return Number(found.id);
    const r = await this.db.get<{ id: number }>('INSERT INTO agencies (name, kind, region_code) VALUES (?, ?, ?) RETURNING id', [name, kind, regionCode]);
    return Number(r!.id);
  }

  /** The agency an API key belongs to, if any. */
  async agencyOfApiKey(keyId: number): Promise<AgencyRow | undefined> {
    const r = await this.db.get<{ id: number; name: string; kind: string; region_code: string }>(
      'SELECT a.id, a.name, a.kind, a.region_code FROM api_keys k JOIN agencies a ON a.id = k.agency_id WHERE k.id = ?', [keyId]);
    return r && { id: Number(r.id), name: r.name, kind: r.kind, regionCode: r.region_code };
  }

  async agencies(): Promise<AgencyRow[]> {
    const rows = await this.db.all<{ id: number; name: string; kind: string; region_code: string }>('SELECT id, name, kind, region_code FROM agencies ORDER BY id');
    return rows.map((r) => ({ id: Number(r.id), name: r.name, kind: r.kind, regionCode: r.region_code }));
  }

  /** Adds a user; their id. A username taken already is refused by the unique key (the service checks first). */
  async addUser(u: NewUser): Promise<number> {
    const r = await this.db.get<{ id: number }>(
      'INSERT INTO users (username, display_name, agency_id, role, region_code, password_hash, must_change_password, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [u.username, u.displayName, u.agencyId, u.role, u.regionCode, u.passwordHash, u.mustChangePassword ? 1 : 0, u.createdAt],
    );
    return Number(r!.id);
  }

  async userByName(username: string): Promise<UserRow | undefined> {
    const r = await this.db.get<UserRecord>(`${USER_SELECT} WHERE u.username = ?`, [username]);
    return r && toUser(r);
  }

  async userById(id: number): Promise<UserRow | undefined> {
    const r = await this.db.get<UserRecord>(`${USER_SELECT} WHERE u.id = ?`, [id]);
    return r && toUser(r);
  }

  /** Every user, by username. */
  async users(): Promise<UserRow[]> {
    return (await this.db.all<UserRecord>(`${USER_SELECT} ORDER BY u.username`)).map(toUser);
  }

  async countUsers(): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))!.n);
  }

  /** Sets a user's password hash; `mustChange` when someone else chose it. Whether the user exists. */
  async setPassword(id: number, passwordHash: string, mustChange: boolean): Promise<boolean> {
    return (await this.db.run('UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?', [passwordHash, mustChange ? 1 : 0, id])) > 0;
  }

  /** Disables a user from `at` on (their sessions are ended); whether a user was enabled and now is not. */
  /** Enables a disabled user again; false when they were not disabled. */
  async enableUser(id: number): Promise<boolean> {
    return (await this.db.run('UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL', [id])) > 0;
  }

  async disableUser(id: number, at: number): Promise<boolean> {
    const changed = await this.db.run('UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL', [at, id]);
    await this.db.run('DELETE FROM sessions WHERE user_id = ?', [id]);
    return changed > 0;
  }

  async touchLogin(id: number, at: number): Promise<void> {
    await this.db.run('UPDATE users SET last_login_at = ? WHERE id = ?', [at, id]);
  }

  async addApiKey(k: NewApiKey): Promise<number> {
    const r = await this.db.get<{ id: number }>(
      'INSERT INTO api_keys (name, key_hash, key_prefix, role, agency_id, region_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [k.name, k.keyHash, k.keyPrefix, k.role, k.agencyId, k.regionCode, k.createdAt],
    );
    return Number(r!.id);
  }

  async apiKeyByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    const r = await this.db.get<ApiKeyRecord>(`${API_KEY_SELECT} WHERE key_hash = ?`, [keyHash]);
    return r && toApiKey(r);
  }

  async apiKeyByName(name: string): Promise<ApiKeyRow | undefined> {
    const r = await this.db.get<ApiKeyRecord>(`${API_KEY_SELECT} WHERE name = ?`, [name]);
    return r && toApiKey(r);
  }

  /** Every API key, newest first (hashes included: callers show only the prefix). */
  async apiKeys(): Promise<ApiKeyRow[]> {
    return (await this.db.all<ApiKeyRecord>(`${API_KEY_SELECT} ORDER BY id DESC`)).map(toApiKey);
  }

  /** Revokes the key named `name` from `at` on; whether a key in use was revoked. */
  async revokeApiKey(name: string, at: number): Promise<boolean> {
    return (await this.db.run('UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL', [at, name])) > 0;
  }

  /** Records a key's use at `at`; skipped, not waited for, while the store is busy (an import holds SQLite's lock). */
  async touchApiKey(id: number, at: number): Promise<void> {
    await this.db.runIfFree('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [at, id]);
  }

  async addSession(tokenHash: string, userId: number, createdAt: number, expiresAt: number): Promise<void> {
    await this.db.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)', [tokenHash, userId, createdAt, expiresAt, createdAt]);
  }

  /** The session of this token hash with its user, if it has not expired at `now`. */
  async sessionByHash(tokenHash: string, now: number): Promise<{ userId: number; expiresAt: number } | undefined> {
    const r = await this.db.get<{ user_id: number; expires_at: number }>('SELECT user_id, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?', [tokenHash, now]);
    return r && { userId: Number(r.user_id), expiresAt: Number(r.expires_at) };
  }

  /**
   * Extends a session in use to `expiresAt`; skipped, not waited for, while the store is busy (an import holds SQLite's
   * lock): the session then keeps its earlier expiry, hours away, and the next request extends it.
   */
  async touchSession(tokenHash: string, at: number, expiresAt: number): Promise<void> {
    await this.db.runIfFree('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?', [at, expiresAt, tokenHash]);
  }

  /** Ends every session of a user but the one whose hash is `keep` (after a password change). */
  async deleteOtherSessions(userId: number, keep: string): Promise<number> {
    return this.db.run('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?', [userId, keep]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
  }

  /** Removes sessions expired by `now`; how many. */
  async deleteExpiredSessions(now: number): Promise<number> {
    return this.db.run('DELETE FROM sessions WHERE expires_at <= ?', [now]);
  }

  // Residents: one-time codes and sessions.

  async addResidentCode(personId: number, codeHash: string, createdAt: number, expiresAt: number): Promise<void> {
    await this.db.run('INSERT INTO resident_codes (person_id, code_hash, created_at, expires_at, attempts) VALUES (?, ?, ?, ?, 0)', [personId, codeHash, createdAt, expiresAt]);
  }

  /** The person's latest one-time code (used or not). */
  async latestResidentCode(personId: number): Promise<ResidentCodeRow | undefined> {
    const r = await this.db.get<{ id: number; code_hash: string; created_at: number; expires_at: number; attempts: number; used_at: number | null }>(
      'SELECT id, code_hash, created_at, expires_at, attempts, used_at FROM resident_codes WHERE person_id = ? ORDER BY id DESC LIMIT 1', [personId]);
    return r && { id: Number(r.id), codeHash: r.code_hash, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at), attempts: Number(r.attempts), usedAt: r.used_at === null ? null : Number(r.used_at) };
  }

  /** Counts one more attempt at a code; false when it was already used (a concurrent sign-in took it). */
  async attemptResidentCode(id: number): Promise<boolean> {
    return (await this.db.run('UPDATE resident_codes SET attempts = attempts + 1 WHERE id = ? AND used_at IS NULL', [id])) > 0;
  }

  /** Marks a code used; false when another request used it first. */
  async useResidentCode(id: number, at: number): Promise<boolean> {
    return (await this.db.run('UPDATE resident_codes SET used_at = ? WHERE id = ? AND used_at IS NULL', [at, id])) > 0;
  }

  async addResidentSession(tokenHash: string, personId: number, createdAt: number, expiresAt: number): Promise<void> {
    await this.db.run('INSERT INTO resident_sessions (token_hash, person_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)', [tokenHash, personId, createdAt, expiresAt, createdAt]);
  }

  /** The person of a resident session of this token hash, if it has not expired at `now`. */
  async residentSessionByHash(tokenHash: string, now: number): Promise<{ personId: number; expiresAt: number } | undefined> {
    const r = await this.db.get<{ person_id: number; expires_at: number }>('SELECT person_id, expires_at FROM resident_sessions WHERE token_hash = ? AND expires_at > ?', [tokenHash, now]);
    return r && { personId: Number(r.person_id), expiresAt: Number(r.expires_at) };
  }

  async touchResidentSession(tokenHash: string, at: number, expiresAt: number): Promise<void> {
    await this.db.run('UPDATE resident_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?', [at, expiresAt, tokenHash]);
  }

  async deleteResidentSession(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM resident_sessions WHERE token_hash = ?', [tokenHash]);
  }
}
