/**
 * Accounts: users of the agencies, API keys for machine feeds and checkpoint devices, and web sessions. Passwords
 * are hashed with scrypt (Node's crypto: N = 2^15, r = 8, p = 1, a 16-byte salt, kept in the hash's text with its
 * parameters so they can be raised later); API keys and session tokens are 32 random bytes, stored as SHA-256 (they
 * are not guessable, so a slow hash adds nothing), with a short prefix kept to tell keys apart. Every secret is shown
 * once, when it is made. Times come from the context's clock.
 */
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AGENCY_KINDS, ROLES, scopeProblem, type AgencyKind, type Role } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import type { ApiKeyRow, UserRow } from '../../storage/sql/accounts.ts';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };
/** Shortest password a person may choose (a one-time password is longer). */
export const MIN_PASSWORD_LENGTH = 10;
/**
 * Least strength a chosen password must have, as zxcvbn-ts scores it (0-4; 3: "safely unguessable", OWASP's advice
 * for strength estimation): `aaaaaaaaaa`, `1234567890` or `password123` are refused however long they are.
 */
export const MIN_PASSWORD_SCORE = 3;
const strength = new ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs });

/** Why a password may not be chosen (too short, or too easy to guess, the username counting as known), or null. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  const r = strength.check(password, username ? [username] : []);
  return r.score < MIN_PASSWORD_SCORE ? `too easy to guess${r.feedback.warning ? ` (${r.feedback.warning})` : ''}: use a few unrelated words, or a longer mix` : null;
}
/** How long a web session lasts without use (seconds). */
export const SESSION_IDLE_SECONDS = 8 * 3600;

/** The scrypt hash of a password, as `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 256 * SCRYPT.N * SCRYPT.r });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` is the one `stored` was made from (constant time; false for a malformed hash). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n), R = Number(r), P = Number(p);
  if (![N, R, P].every((x) => Number.isInteger(x) && x > 0)) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N, r: R, p: P, maxmem: 256 * N * R });
  return timingSafeEqual(key, expected);
}

/** SHA-256 of a token or key, hex: how they are stored and looked up. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new secret with a kind prefix (`ck_` API key, `cs_` staff session, `cr_` resident session), 32 random bytes in base64url. */
export const newSecret = (prefix: 'ck_' | 'cs_' | 'cr_'): string => prefix + randomBytes(32).toString('base64url');

/** A one-time password: 16 characters from an alphabet without look-alikes. */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** Who a request acts as, once signed in or carrying a key. */
export interface Principal {
  kind: 'user' | 'api_key' | 'resident';
  id: number;
  name: string;
  role: Role;
  /** Region scope (a division code), null for a resident. */
  scope: string | null;
  agency: string | null;
  /** A user signed in with a one-time password, who must choose a password before anything else (keys: false). */
  mustChangePassword: boolean;
}

export interface NewAccount {
  username: string;
  displayName: string;
  agency: { name: string; kind: AgencyKind };
  role: string;
  regionCode: string | null;
  /** A password the person chose; a one-time password is made (and must be changed) when absent. */
  password?: string;
}

const USERNAME = /^[a-z][a-z0-9._-]{1,39}$/;

function invalid(field: string, reason: string): DomainError {
  return new DomainError('invalid', 'VALIDATION_FAILED', `${field}: ${reason}`, [{ field, reason }]);
}

function checkRoleAndScope(role: string, regionCode: string | null): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw invalid('role', `one of ${ROLES.join(', ')}`);
  const problem = scopeProblem(role as Role, regionCode);
  if (problem) throw invalid('region', problem);
  return role as Role;
}

const userPrincipal = (u: UserRow): Principal => ({
  kind: 'user', id: u.id, name: u.username, role: u.role as Role, scope: u.regionCode === '' ? null : u.regionCode, agency: u.agencyName, mustChangePassword: u.mustChangePassword,
});
const keyPrincipal = (k: ApiKeyRow): Principal => ({ kind: 'api_key', id: k.id, name: k.name, role: k.role as Role, scope: k.regionCode, agency: null, mustChangePassword: false });

/** Adds a user; the one-time password when none was given (shown once). */
export async function addUser(ctx: Ctx, store: Store, a: NewAccount): Promise<{ id: number; oneTimePassword: string | null }> {
  if (!USERNAME.test(a.username)) throw invalid('username', '2-40 characters: lower-case letters, digits, dot, dash or underscore, starting with a letter');
  if (a.displayName.trim() === '') throw invalid('displayName', 'must not be empty');
  if (!(AGENCY_KINDS as readonly string[]).includes(a.agency.kind)) throw invalid('agency', `kind one of ${AGENCY_KINDS.join(', ')}`);
  const role = checkRoleAndScope(a.role, a.regionCode);
  if (role === 'agency_feed') throw invalid('role', 'an agency\'s feed is a machine: issue it an API key (cordon api-keys issue)');
  if (a.regionCode !== null && !(await store.regions.get(a.regionCode))) throw invalid('region', `no region ${a.regionCode}`);
  const weak = a.password === undefined ? null : passwordProblem(a.password, a.username);
  if (weak) throw invalid('password', weak);
  if (await store.accounts.userByName(a.username)) throw new DomainError('conflict', 'USERNAME_TAKEN', `The username ${a.username} is taken.`);
  const otp = a.password === undefined ? oneTimePassword() : null;
  const agencyId = await store.accounts.ensureAgency(a.agency.name, a.agency.kind, a.regionCode ?? '');
  const id = await store.accounts.addUser({
    username: a.username, displayName: a.displayName.trim(), agencyId, role, regionCode: a.regionCode ?? '', passwordHash: await hashPassword(a.password ?? otp!),
    mustChangePassword: otp !== null, createdAt: ctx.clock.now(),
  });
  return { id, oneTimePassword: otp };
}

/**
 * The user a username and password belong to, or null: unknown, disabled, without a password, or a wrong
 * password all answer null alike (the caller says "wrong username or password"). A password is checked even for an
 * unknown user, so the answer takes as long either way.
 */
export async function authenticate(ctx: Ctx, store: Store, username: string, password: string): Promise<{ principal: Principal; mustChangePassword: boolean } | null> {
  const u = await store.accounts.userByName(username);
  const ok = await verifyPassword(password, u?.passwordHash ?? DUMMY_HASH);
  if (!u || !ok || u.passwordHash === null || u.disabledAt !== null) return null;
  await store.accounts.touchLogin(u.id, ctx.clock.now());
  return { principal: userPrincipal(u), mustChangePassword: u.mustChangePassword };
}
/** A hash no password matches in practice (checked for unknown users so that both paths cost one scrypt). */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/** Sets a new one-time password for a user (shown once; must be changed at the next sign-in). */
export async function resetPassword(_ctx: Ctx, store: Store, username: string): Promise<string> {
  const u = await store.accounts.userByName(username);
  if (!u) throw new DomainError('not_found', 'NOT_FOUND', `No user ${username}.`);
  const otp = oneTimePassword();
  await store.accounts.setPassword(u.id, await hashPassword(otp), true);
  return otp;
}

/**
 * Sets the password a user chose (after signing in with their old one) and ends their other sessions (`keepSession`:
 * the token of the session the change was made in, kept).
 */
export async function changePassword(_ctx: Ctx, store: Store, userId: number, password: string, keepSession?: string): Promise<void> {
  const weak = passwordProblem(password, (await store.accounts.userById(userId))?.username);
  if (weak) throw invalid('password', weak);
  if (!(await store.accounts.setPassword(userId, await hashPassword(password), false))) throw new DomainError('not_found', 'NOT_FOUND', `No user ${userId}.`);
  await store.accounts.deleteOtherSessions(userId, keepSession === undefined ? '' : tokenHash(keepSession));
}

/** Disables a user and ends their sessions; false when they were disabled already. */
export async function disableUser(ctx: Ctx, store: Store, username: string): Promise<boolean> {
  const u = await store.accounts.userByName(username);
  if (!u) throw new DomainError('not_found', 'NOT_FOUND', `No user ${username}.`);
  return store.accounts.disableUser(u.id, ctx.clock.now());
}

/** Enables a disabled user again (they sign in with their password as before); false when they were not disabled. */
export async function enableUser(_ctx: Ctx, store: Store, username: string): Promise<boolean> {
  const u = await store.accounts.userByName(username);
  if (!u) throw new DomainError('not_found', 'NOT_FOUND', `No user ${username}.`);
  return store.accounts.enableUser(u.id);
}

/** Issues an API key (shown once). */
export async function issueApiKey(ctx: Ctx, store: Store, k: { name: string; role: string; regionCode: string | null; agency?: { name: string; kind: string } }): Promise<{ id: number; key: string }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(k.name)) throw invalid('name', '1-64 letters, digits, dot, dash or underscore');
  const role = checkRoleAndScope(k.role, k.regionCode);
  if (role === 'resident') throw invalid('role', 'a resident signs in; keys are for machines and devices');
  // A feed's key belongs to the agency whose data it sends (what decides the kinds it may send).
  if (role === 'agency_feed' && !k.agency) throw invalid('agency', 'a feed key belongs to an agency: give its name and kind');
  if (k.agency && (k.agency.name.trim() === '' || !(AGENCY_KINDS as readonly string[]).includes(k.agency.kind))) throw invalid('agency', `a name, and a kind one of ${AGENCY_KINDS.join(', ')}`);
  if (k.regionCode !== null && !(await store.regions.get(k.regionCode))) throw invalid('region', `no region ${k.regionCode}`);
  if (await store.accounts.apiKeyByName(k.name)) throw new DomainError('conflict', 'API_KEY_NAME_TAKEN', `An API key named ${k.name} exists.`);
  const key = newSecret('ck_');
  const agencyId = k.agency ? await store.accounts.ensureAgency(k.agency.name.trim(), k.agency.kind, k.regionCode ?? '') : null;
  const id = await store.accounts.addApiKey({ name: k.name, keyHash: tokenHash(key), keyPrefix: key.slice(0, 7), role, agencyId, regionCode: k.regionCode, createdAt: ctx.clock.now() });
  return { id, key };
}

/** Revokes the API key named `name`; false when it was revoked already. */
export async function revokeApiKey(ctx: Ctx, store: Store, name: string): Promise<boolean> {
  if (!(await store.accounts.apiKeyByName(name))) throw new DomainError('not_found', 'NOT_FOUND', `No API key named ${name}.`);
  return store.accounts.revokeApiKey(name, ctx.clock.now());
}

/** The principal of an API key in use, or null (unknown or revoked); records its use. */
export async function apiKeyPrincipal(ctx: Ctx, store: Store, key: string): Promise<Principal | null> {
  const k = await store.accounts.apiKeyByHash(tokenHash(key));
  if (!k || k.revokedAt !== null) return null;
  await store.accounts.touchApiKey(k.id, ctx.clock.now());
  return keyPrincipal(k);
}

/** Starts a web session for a signed-in user: its token (for a cookie) and when it expires unless used. */
export async function startSession(ctx: Ctx, store: Store, userId: number): Promise<{ token: string; expiresAt: number }> {
  const token = newSecret('cs_'), now = ctx.clock.now();
  await store.accounts.addSession(tokenHash(token), userId, now, now + SESSION_IDLE_SECONDS);
  return { token, expiresAt: now + SESSION_IDLE_SECONDS };
}

/** The principal of a live session (its user enabled), extending it; null when expired, ended or unknown. */
export async function sessionPrincipal(ctx: Ctx, store: Store, token: string): Promise<Principal | null> {
  const now = ctx.clock.now(), hash = tokenHash(token);
  const s = await store.accounts.sessionByHash(hash, now);
  if (!s) return null;
  const u = await store.accounts.userById(s.userId);
  if (!u || u.disabledAt !== null) return null;
  await store.accounts.touchSession(hash, now, now + SESSION_IDLE_SECONDS);
  return userPrincipal(u);
}

/** Ends a session (sign out). */
export async function endSession(_ctx: Ctx, store: Store, token: string): Promise<void> {
  await store.accounts.deleteSession(tokenHash(token));
}

/**
 * On a store without users: the first administrator (`admin`, scoped to the province), with a one-time password to
 * print once. Null when there are users already, or when another process made them at the same moment.
 */
export async function ensureAdministrator(ctx: Ctx, store: Store, provinceCode: string): Promise<{ username: string; oneTimePassword: string } | null> {
  if ((await store.accounts.countUsers()) > 0) return null;
  try {
    const { oneTimePassword: otp } = await addUser(ctx, store, { username: 'admin', displayName: '系统管理员', agency: { name: '省联防联控指挥部', kind: 'command_centre' }, role: 'administrator', regionCode: provinceCode });
    return { username: 'admin', oneTimePassword: otp! };
  } catch (e) {
    // Several servers starting at once on a new store: one of them makes the administrator (and prints it).
    if ((await store.accounts.countUsers()) > 0) return null;
    throw e;
  }
}
