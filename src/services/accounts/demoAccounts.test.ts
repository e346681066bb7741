// The demo's staff accounts: one per staff role, each scoped to a region of its role's level, all signing in with the
// password printed for it alone; made once.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { MINI_REGIONS } from '../../../test/fixtures.ts';
import { levelOfCode, ROLES, scopeProblem, type Role } from '../../domain/access.ts';
import { SettableClock } from '../../platform/clock.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { authenticate } from './accounts.ts';
import { createDemoAccounts } from './demoAccounts.ts';

describeEachEngine('demo accounts', (engine) => {
  let store: Store, close: () => Promise<void>;
  const ctx = systemCtx(new SettableClock(1_630_000_000));
  beforeEach(async () => { ({ store, close } = await freshStore(engine)); await store.regions.insertMany(MINI_REGIONS); });
  afterEach(async () => close());

  it('makes one account per staff role along one branch of the regions, each signing in with its own password and no other\'s; once', async () => {
    const made = (await createDemoAccounts(ctx, store))!;
    // Not the administrator (made on first start), residents (they sign in with a code) or a feed (a machine's key).
    expect(made.accounts.map((a) => a.role).sort()).toEqual(ROLES.filter((r) => r !== 'administrator' && r !== 'resident' && r !== 'agency_feed').sort());
    for (const a of made.accounts) expect(a.password, a.username).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(new Set(made.accounts.map((a) => a.password)).size).toBe(made.accounts.length);
    for (const [i, a] of made.accounts.entries()) {
      expect(scopeProblem(a.role, a.region), a.username).toBeNull();
      expect(MINI_REGIONS.map((r) => r.code)).toContain(a.region);
      const signedIn = await authenticate(ctx, store, a.username, a.password);
      expect(signedIn, a.username).toMatchObject({ principal: { role: a.role, scope: a.region }, mustChangePassword: false });
      // Another account's password does not open this one.
      expect(await authenticate(ctx, store, a.username, made.accounts[(i + 1) % made.accounts.length].password), a.username).toBeNull();
    }
    const region = (role: Role) => made.accounts.find((a) => a.role === role)!.region;
    expect([region('provincial_command'), region('city_command'), region('county_command'), region('grid_worker')]).toEqual(['43', '4301', '430102', '43010200100101']);
    expect(levelOfCode(region('checkpoint_staff'))).toBe('county');
    expect(await createDemoAccounts(ctx, store)).toBeNull();
    expect(await authenticate(ctx, store, 'demo.lab', 'wrong password')).toBeNull();
  });

  it('goes down to the grid holding the most open tasks, so that the demo\'s grid worker has work to see', async () => {
    const task = (regionCode: string, status: 'assigned' | 'done') => ({
      parentId: null, directiveId: null, title: 'x', kind: 'door_to_door', level: 'grid' as const, regionCode, ownerUserId: null, ownerRole: 'grid_worker' as const,
      dueAt: 1_630_100_000, status, subjectPersonId: null, subjectKey: null, sourceKey: null, createdAt: 1_630_000_000,
    });
    await store.regions.insertMany([{ code: '43010200100102', name: '识字里社区居委会第2网格', level: 'grid', parentCode: '430102001001', functionalZone: false }]);
    await store.command.insertTasks([task('43010200100101', 'assigned'), task('43010200100102', 'assigned'), task('43010200100102', 'assigned'), task('43010200100101', 'done'), task('43010200100101', 'done')]);
    const made = (await createDemoAccounts(ctx, store))!;
    const region = (role: Role) => made.accounts.find((a) => a.role === role)!.region;
    expect([region('provincial_command'), region('city_command'), region('county_command'), region('grid_worker')]).toEqual(['43', '4301', '430102', '43010200100102']);
  });
});
