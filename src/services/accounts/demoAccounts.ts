/**
 * Accounts for the demo province: one user per staff role, each scoped to a region of its level along one branch of
 * the hierarchy (the province, its first city, that city's first county, and so on down to a grid), each with its
 * own random password printed once when the demo is loaded (one account's password opens no other). Residents sign
 * in by ID number and a one-time code, so have no demo account.
 */
import { randomBytes } from 'node:crypto';
import type { AgencyKind, Role } from '../../domain/access.ts';
import { CODE_LENGTH, type RegionLevel } from '../../domain/vocab.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { addUser } from './accounts.ts';

/** The demo's staff: username, role, the level of region it is scoped to, its agency, and a display name. */
export const DEMO_STAFF: readonly { username: string; role: Role; level: RegionLevel; agency: AgencyKind; agencyName: string; displayName: string }[] = [
  { username: 'demo.province', role: 'provincial_command', level: 'province', agency: 'command_centre', agencyName: '省联防联控指挥部', displayName: '省指挥部值班员' },
  { username: 'demo.city', role: 'city_command', level: 'city', agency: 'command_centre', agencyName: '市联防联控指挥部', displayName: '市指挥部值班员' },
  { username: 'demo.county', role: 'county_command', level: 'county', agency: 'command_centre', agencyName: '区县联防联控指挥部', displayName: '区县指挥部值班员' },
  { username: 'demo.cdc', role: 'cdc_investigator', level: 'city', agency: 'public_health', agencyName: '市疾病预防控制中心', displayName: '流调队员' },
  { username: 'demo.grid', role: 'grid_worker', level: 'grid', agency: 'community', agencyName: '社区居委会', displayName: '网格员' },
  { username: 'demo.checkpoint', role: 'checkpoint_staff', level: 'county', agency: 'public_security', agencyName: '公安检查站', displayName: '查验点民警' },
  { username: 'demo.quarantine', role: 'quarantine_staff', level: 'city', agency: 'public_health', agencyName: '集中隔离点', displayName: '隔离点工作人员' },
  { username: 'demo.lab', role: 'lab', level: 'city', agency: 'lab', agencyName: '核酸检测实验室', displayName: '检测人员' },
  { username: 'demo.hospital', role: 'hospital', level: 'city', agency: 'hospital', agencyName: '定点救治医院', displayName: '医院联络员' },
  { username: 'demo.enterprise', role: 'enterprise_liaison', level: 'county', agency: 'enterprise', agencyName: '园区企业', displayName: '企业联络员' },
  { username: 'demo.auditor', role: 'auditor', level: 'province', agency: 'command_centre', agencyName: '省联防联控指挥部', displayName: '审计员' },
];

/** A random password of 16 letters and digits (the demo's, printed once). */
const demoPassword = (): string => randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');

/**
 * Creates the demo's staff accounts (skipping usernames that exist) along one branch of the store's regions: through
 * the grid (else community) holding the most open tasks, so that the demo's grid worker and commands have work to see,
 * or the first branch when there are none; returns the accounts made, each with its own password, or null when none
 * was made.
 */
export async function createDemoAccounts(ctx: Ctx, store: Store): Promise<{ accounts: { username: string; role: Role; region: string; password: string }[] } | null> {
  // One branch: down to the busiest unit by its code's prefixes, then the first region of each level under the one above.
  const busiest = (await store.command.busiestUnit('grid')) ?? (await store.command.busiestUnit('community'));
  const branch: Partial<Record<RegionLevel, string>> = {};
  let parent: string | undefined;
  for (const level of ['province', 'city', 'county', 'township', 'community', 'grid'] as const) {
    const along = busiest && busiest.length >= CODE_LENGTH[level] ? busiest.slice(0, CODE_LENGTH[level]) : undefined;
    const first = along ?? (await store.regions.list(parent ? { level, parentCode: parent } : { level }, { limit: 1 })).items[0]?.code;
    if (!first) break;
    branch[level] = parent = first;
  }
  const accounts: { username: string; role: Role; region: string; password: string }[] = [];
  for (const s of DEMO_STAFF) {
    const region = branch[s.level];
    if (!region || await store.accounts.userByName(s.username)) continue;
    const password = demoPassword();
    await addUser(ctx, store, { username: s.username, displayName: s.displayName, agency: { name: s.agencyName, kind: s.agency }, role: s.role, regionCode: region, password });
    accounts.push({ username: s.username, role: s.role, region, password });
  }
  return accounts.length ? { accounts } : null;
}
