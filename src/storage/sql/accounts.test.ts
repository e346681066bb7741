import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import type { Store } from '../store.ts';

const NOW = 1_630_000_000;

describeEachEngine('accounts storage', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => { ({ store, close } = await freshStore(engine)); });
  afterEach(async () => close?.());

  it('keeps agencies once per name and region, and users with their agency, role, scope and password state', async () => {
    const cdc = await store.accounts.ensureAgency('长沙市疾控中心', 'public_health', '4301');
    expect(await store.accounts.ensureAgency('长沙市疾控中心', 'public_health', '4301')).toBe(cdc);
    expect(await store.accounts.ensureAgency('长沙市疾控中心', 'public_health', '4302')).not.toBe(cdc);
    const id = await store.accounts.addUser({ username: 'li', displayName: '李四', agencyId: cdc, role: 'cdc_investigator', regionCode: '4301', passwordHash: 'h1', mustChangePassword: true, createdAt: NOW });
    expect(await store.accounts.userByName('li')).toEqual({
      id, username: 'li', displayName: '李四', agencyId: cdc, agencyName: '长沙市疾控中心', agencyKind: 'public_health', role: 'cdc_investigator', regionCode: '4301',
      passwordHash: 'h1', mustChangePassword: true, createdAt: NOW, disabledAt: null, lastLoginAt: null,
    });
    await expect(store.accounts.addUser({ username: 'li', displayName: 'x', agencyId: cdc, role: 'lab', regionCode: '4301', passwordHash: 'h', mustChangePassword: false, createdAt: NOW })).rejects.toThrow();
    expect(await store.accounts.setPassword(id, 'h2', false)).toBe(true);
    expect(await store.accounts.setPassword(id + 100, 'h2', false)).toBe(false);
    await store.accounts.touchLogin(id, NOW + 5);
    expect(await store.accounts.userById(id)).toMatchObject({ passwordHash: 'h2', mustChangePassword: false, lastLoginAt: NOW + 5 });
    expect((await store.accounts.users()).map((u) => u.username)).toEqual(['li']);
    expect(await store.accounts.countUsers()).toBe(1);
  });

  it('ends a disabled user\'s sessions, and finds a session only before it expires', async () => {
    const a = await store.accounts.ensureAgency('省指挥部', 'command_centre', '43');
    const id = await store.accounts.addUser({ username: 'wang', displayName: '王五', agencyId: a, role: 'provincial_command', regionCode: '43', passwordHash: 'h', mustChangePassword: false, createdAt: NOW });
    await store.accounts.addSession('t1', id, NOW, NOW + 3600);
    await store.accounts.addSession('t2', id, NOW, NOW + 60);
    expect(await store.accounts.sessionByHash('t1', NOW + 3599)).toEqual({ userId: id, expiresAt: NOW + 3600 });
    expect(await store.accounts.sessionByHash('t1', NOW + 3600)).toBeUndefined();
    await store.accounts.touchSession('t1', NOW + 100, NOW + 7200);
    expect(await store.accounts.sessionByHash('t1', NOW + 3600)).toEqual({ userId: id, expiresAt: NOW + 7200 });
    expect(await store.accounts.deleteExpiredSessions(NOW + 60)).toBe(1);
    expect(await store.accounts.disableUser(id, NOW + 200)).toBe(true);
    expect(await store.accounts.disableUser(id, NOW + 300)).toBe(false);
    expect(await store.accounts.sessionByHash('t1', NOW + 201)).toBeUndefined();
    expect((await store.accounts.userById(id))!.disabledAt).toBe(NOW + 200);
  });

  it('keeps API keys by hash with a prefix, role and region; revokes by name once', async () => {
    const id = await store.accounts.addApiKey({ name: 'gate-7', keyHash: 'kh', keyPrefix: 'ck_ab12', role: 'checkpoint_staff', agencyId: null, regionCode: '430102', createdAt: NOW });
    expect(await store.accounts.apiKeyByHash('kh')).toEqual({ id, name: 'gate-7', keyHash: 'kh', keyPrefix: 'ck_ab12', role: 'checkpoint_staff', agencyId: null, regionCode: '430102', createdAt: NOW, revokedAt: null, lastUsedAt: null });
    await expect(store.accounts.addApiKey({ name: 'gate-7', keyHash: 'other', keyPrefix: 'ck_cd34', role: 'lab', agencyId: null, regionCode: null, createdAt: NOW })).rejects.toThrow();
    await store.accounts.touchApiKey(id, NOW + 9);
    expect(await store.accounts.revokeApiKey('gate-7', NOW + 10)).toBe(true);
    expect(await store.accounts.revokeApiKey('gate-7', NOW + 11)).toBe(false);
    expect(await store.accounts.apiKeyByName('gate-7')).toMatchObject({ revokedAt: NOW + 10, lastUsedAt: NOW + 9 });
    expect((await store.accounts.apiKeys()).map((k) => k.name)).toEqual(['gate-7']);
  });
});
