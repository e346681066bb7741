import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { SettableClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import {
  addUser, apiKeyPrincipal, authenticate, changePassword, disableUser, enableUser, endSession, passwordProblem, ensureAdministrator, hashPassword, issueApiKey, resetPassword, revokeApiKey,
  SESSION_IDLE_SECONDS, sessionPrincipal, startSession, tokenHash, verifyPassword,
} from './accounts.ts';

const NOW = 1_630_000_000;

describe('password hashes', () => {
  it('verifies the password a hash was made from and nothing else, salted, and refuses malformed hashes', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(h);
    for (const bad of ['', 'plain', 'bcrypt$1$2$3$a$b', 'scrypt$x$8$1$AAAA$AAAA']) expect(await verifyPassword('x', bad), bad).toBe(false);
  });
});

describeEachEngine('accounts', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  const clock = new SettableClock(NOW);
  const ctx = systemCtx(clock);
  beforeEach(async () => {
    clock.set(NOW);
    ({ store, close } = await freshStore(engine));
    const r = (code: string, level: 'province' | 'city' | 'county' | 'community' | 'grid', parentCode: string | null) => ({ code, name: code, level, parentCode, functionalZone: false });
    await store.regions.insertMany([r('43', 'province', null), r('4301', 'city', '43'), r('430102', 'county', '4301'), r('430102001001', 'community', '430102'), r('43010200100101', 'grid', '430102001001')]);
  });
  afterEach(async () => close?.());

  it('creates the first administrator once, with a one-time password that must be changed', async () => {
    const first = await ensureAdministrator(ctx, store, '43');
    expect(first?.username).toBe('admin');
    expect(first!.oneTimePassword).toMatch(/^[a-zA-Z2-9]{16}$/);
    expect(await ensureAdministrator(ctx, store, '43')).toBeNull();
    const signedIn = await authenticate(ctx, store, 'admin', first!.oneTimePassword);
    expect(signedIn).toEqual({ principal: { kind: 'user', id: 1, name: 'admin', role: 'administrator', scope: '43', agency: '省联防联控指挥部', mustChangePassword: true }, mustChangePassword: true });
    expect(await store.accounts.userByName('admin')).toMatchObject({ lastLoginAt: NOW });
  });

  it('refuses bad accounts field by field, and a username twice', async () => {
    const ok = { username: 'zhang', displayName: '张三', agency: { name: '芙蓉区社区', kind: 'community' as const }, role: 'grid_worker', regionCode: '43010200100101', password: 'long enough pw' };
    const problem = async (change: Partial<typeof ok>) => addUser(ctx, store, { ...ok, ...change }).then(() => null, (e: { details?: { field: string }[] }) => e.details?.[0].field);
    expect(await problem({ username: 'Zhang' })).toBe('username');
    expect(await problem({ displayName: ' ' })).toBe('displayName');
    expect(await problem({ role: 'mayor' })).toBe('role');
    expect(await problem({ regionCode: '4301' })).toBe('region'); // a grid worker over a city
    expect(await problem({ regionCode: '43010200100199' })).toBe('region'); // no such grid
    expect(await problem({ password: 'short' })).toBe('password');
    expect(await store.accounts.countUsers()).toBe(0);
    expect((await addUser(ctx, store, ok)).oneTimePassword).toBeNull();
    await expect(addUser(ctx, store, ok)).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
  });

  it('signs in with the right password only, not once disabled; a reset password works once set and must be changed', async () => {
    await addUser(ctx, store, { username: 'li', displayName: '李四', agency: { name: '长沙市疾控中心', kind: 'public_health' }, role: 'cdc_investigator', regionCode: '4301', password: 'first password' });
    expect(await authenticate(ctx, store, 'li', 'first password')).toMatchObject({ principal: { name: 'li', role: 'cdc_investigator', scope: '4301' }, mustChangePassword: false });
    expect(await authenticate(ctx, store, 'li', 'first passwore')).toBeNull();
    expect(await authenticate(ctx, store, 'nobody', 'first password')).toBeNull();
    const otp = await resetPassword(ctx, store, 'li');
    expect(await authenticate(ctx, store, 'li', 'first password')).toBeNull();
    expect(await authenticate(ctx, store, 'li', otp)).toMatchObject({ mustChangePassword: true });
    await expect(changePassword(ctx, store, 1, 'short')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await changePassword(ctx, store, 1, 'second password');
    expect(await authenticate(ctx, store, 'li', 'second password')).toMatchObject({ mustChangePassword: false });
    expect(await disableUser(ctx, store, 'li')).toBe(true);
    expect(await authenticate(ctx, store, 'li', 'second password')).toBeNull();
    await expect(disableUser(ctx, store, 'nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Enabled again, the user signs in with the same password; enabling an enabled user changes nothing.
    expect(await enableUser(ctx, store, 'li')).toBe(true);
    expect(await authenticate(ctx, store, 'li', 'second password')).toMatchObject({ mustChangePassword: false });
    expect(await enableUser(ctx, store, 'li')).toBe(false);
    // A password easy to guess is refused however long it is, and so is one made of the username.
    for (const weak of ['aaaaaaaaaa', '1234567890', 'password123', 'qwertyuiop', 'li.si.li.si.1']) {
      expect(passwordProblem(weak, 'li.si'), weak).toMatch(/too easy to guess/);
      await expect(changePassword(ctx, store, 1, weak), weak).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await expect(addUser(ctx, store, { username: 'zhao', displayName: '赵六', agency: { name: '省指挥部', kind: 'command_centre' }, role: 'provincial_command', regionCode: '43', password: 'aaaaaaaaaaaa' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(passwordProblem('short')).toBe('at least 10 characters');
    expect(passwordProblem('a good password')).toBeNull();
    await expect(enableUser(ctx, store, 'nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps a session alive while used within its idle time, and ends it on sign-out or when the user is disabled', async () => {
    await addUser(ctx, store, { username: 'wang', displayName: '王五', agency: { name: '省指挥部', kind: 'command_centre' }, role: 'provincial_command', regionCode: '43', password: 'a good password' });
    const { token, expiresAt } = await startSession(ctx, store, 1);
    expect(token).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(NOW + SESSION_IDLE_SECONDS);
    expect(await store.accounts.sessionByHash(token, NOW)).toBeUndefined(); // stored by its hash only
    clock.set(NOW + SESSION_IDLE_SECONDS - 1);
    expect(await sessionPrincipal(ctx, store, token)).toMatchObject({ kind: 'user', name: 'wang', scope: '43' });
    clock.advance(SESSION_IDLE_SECONDS - 1); // used a moment ago: extended
    expect(await sessionPrincipal(ctx, store, token)).not.toBeNull();
    clock.advance(SESSION_IDLE_SECONDS);
    expect(await sessionPrincipal(ctx, store, token)).toBeNull();
    const again = await startSession(ctx, store, 1);
    await endSession(ctx, store, again.token);
    expect(await sessionPrincipal(ctx, store, again.token)).toBeNull();
    const third = await startSession(ctx, store, 1);
    await disableUser(ctx, store, 'wang');
    expect(await sessionPrincipal(ctx, store, third.token)).toBeNull();
    expect(await sessionPrincipal(ctx, store, 'cs_forged')).toBeNull();
  });

  it('issues an API key once, finds it by the key alone, records its use, and refuses it once revoked', async () => {
    const { key } = await issueApiKey(ctx, store, { name: 'gate-7', role: 'checkpoint_staff', regionCode: '430102' });
    expect(key).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
    expect((await store.accounts.apiKeyByName('gate-7'))).toMatchObject({ keyHash: tokenHash(key), keyPrefix: key.slice(0, 7) });
    clock.advance(60);
    expect(await apiKeyPrincipal(ctx, store, key)).toEqual({ kind: 'api_key', id: 1, name: 'gate-7', role: 'checkpoint_staff', scope: '430102', agency: null, mustChangePassword: false });
    expect(await store.accounts.apiKeyByName('gate-7')).toMatchObject({ lastUsedAt: NOW + 60 });
    expect(await apiKeyPrincipal(ctx, store, key + 'x')).toBeNull();
    await expect(issueApiKey(ctx, store, { name: 'gate-7', role: 'lab', regionCode: '43' })).rejects.toMatchObject({ code: 'API_KEY_NAME_TAKEN' });
    await expect(issueApiKey(ctx, store, { name: 'home', role: 'resident', regionCode: null })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(issueApiKey(ctx, store, { name: 'x y', role: 'lab', regionCode: '43' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await revokeApiKey(ctx, store, 'gate-7')).toBe(true);
    expect(await revokeApiKey(ctx, store, 'gate-7')).toBe(false);
    expect(await apiKeyPrincipal(ctx, store, key)).toBeNull();
    await expect(revokeApiKey(ctx, store, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
