/**
 * Who may do what, where: the agencies users belong to, the roles they hold, the actions routes and commands
 * declare, which role may take which action, and region scope. Pure: the API checks a route's action against the
 * actor's role before the handler runs, and repositories take the actor's scope (a division-code prefix).
 *
 * Region codes nest by prefix (GB/T 2260 and the statistical divisions below it): province 43, city 4301, county
 * 430102, township 430102001, community 430102001001, grid 43010200100101 (a community's code and two digits). An
 * actor whose scope is a code sees that region and everything inside it; the province's scope sees all of Hunan.
 */
import { z } from 'zod';
import { DomainError } from './errors.ts';
import { CODE_LENGTH, REGION_LEVELS, type ImportKind, type RegionLevel } from './vocab.ts';

/** Kinds of agency a user belongs to (the province's joint prevention and control mechanism). */
export const AGENCY_KINDS = ['command_centre', 'public_security', 'telecoms', 'public_health', 'community', 'hospital', 'lab', 'enterprise'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
export const AgencyKindSchema = z.enum(AGENCY_KINDS);

/** Roles, each with the actions it may take (below) and the level of the region it is scoped to. */
export const ROLES = [
  'provincial_command', 'city_command', 'county_command', 'cdc_investigator', 'grid_worker', 'checkpoint_staff',
  'quarantine_staff', 'lab', 'hospital', 'enterprise_liaison', 'auditor', 'administrator', 'resident', 'agency_feed',
] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/**
 * Actions a route or command declares. `*:read` reads masked data; `persons:read-identity` reads full names, phones,
 * ID numbers and addresses (audited, with a purpose); `persons:search` finds persons by ID number, phone, name or
 * address (masked answers, audited); `cases:investigate` enters a case's interview and trajectory; `cases:export`, `contacts:export` and `persons:export` take a list (or a case's contacts) away as CSV or XLSX (masked, audited, at most 50,000 rows); `self:appeal` is a resident's appeal against their own code; the others change
 * state or run work.
 */
export const ACTIONS = [
  'session:sign-in', 'session:read', 'session:sign-out', 'session:change-password',
  'health:read', 'protocol:read', 'risk-areas:read', 'public:same-trip', 'public:notices', 'self:read', 'self:appeal',
  'overview:read', 'regions:read', 'places:read', 'places:read-location', 'persons:read', 'persons:read-identity', 'persons:update', 'persons:search',
  'cases:read', 'cases:confirm', 'cases:update', 'cases:withdraw', 'cases:trace', 'cases:investigate', 'cases:export', 'persons:export',
  'contacts:read', 'contacts:add', 'contacts:update-status', 'contacts:export', 'chains:read', 'chains:export', 'links:write', 'reports:read',
  'codes:read', 'codes:verify', 'codes:verify-id', 'codes:recompute', 'codes:keys-read', 'codes:keys-rotate',
  'checkpoints:read', 'checkpoints:manage', 'checkpoints:check', 'samples:write', 'results:write',
  'risk-areas:grade', 'venue-orders:read', 'venue-orders:write', 'events:read',
  'directives:read', 'directives:issue', 'tasks:read', 'tasks:work', 'tasks:manage', 'inspections:read', 'inspections:write', 'bulletins:read',
  'quarantine:read', 'quarantine:sites', 'quarantine:assign', 'follow-up:read', 'follow-up:report', 'follow-up:remind', 'self:report',
  'hospitals:read', 'hospitals:manage', 'hospitals:treat', 'stranded:read', 'stranded:manage',
  'audit:read', 'metrics:read', 'users:manage', 'api-keys:manage', 'feeds:write',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions anyone may take without signing in: health, the protocol, risk areas, the same-trip look-up and trajectory notices. */
export const PUBLIC_ACTIONS: readonly Action[] = ['session:sign-in', 'health:read', 'protocol:read', 'risk-areas:read', 'public:same-trip', 'public:notices'];

/**
 * Actions every signed-in role may take, whatever it may do besides: see who it is signed in as, sign out, and change
 * its password (the only actions open to a user who must change a one-time password first).
 */
export const SIGNED_IN_ACTIONS: readonly Action[] = ['session:read', 'session:sign-out', 'session:change-password'];

const STAFF_READ: readonly Action[] = ['regions:read', 'places:read', 'persons:read', 'cases:read', 'contacts:read', 'codes:read', 'checkpoints:read', 'venue-orders:read'];
const COMMAND: readonly Action[] = [
  ...STAFF_READ, 'persons:search', 'overview:read', 'cases:export', 'contacts:export', 'persons:export', 'chains:read', 'chains:export', 'reports:read', 'events:read', 'risk-areas:grade', 'venue-orders:write',
  'directives:read', 'directives:issue', 'tasks:read', 'tasks:work', 'tasks:manage', 'inspections:read', 'inspections:write', 'bulletins:read',
  'quarantine:read', 'quarantine:sites', 'quarantine:assign', 'follow-up:read', 'follow-up:remind', 'hospitals:read', 'hospitals:manage', 'stranded:read', 'stranded:manage',
];

/**
 * What each role may do (besides the public actions). Command centres see and decide for their region; investigators
 * work cases, contacts and chains and read identities to call people; grid workers follow their grid's people;
 * checkpoint staff verify codes; labs and hospitals write samples and results; auditors read the audit log and
 * aggregates; administrators manage accounts and keys but read no personal data; residents see only themselves.
 */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  provincial_command: [...COMMAND, 'codes:recompute'],
  city_command: COMMAND,
  county_command: COMMAND,
  cdc_investigator: [
    ...STAFF_READ, 'overview:read', 'places:read-location', 'persons:read-identity', 'persons:search', 'persons:update', 'cases:confirm', 'cases:update', 'cases:withdraw', 'cases:trace', 'cases:investigate',
    'contacts:add', 'contacts:update-status', 'cases:export', 'contacts:export', 'chains:read', 'chains:export', 'links:write', 'reports:read', 'samples:write', 'tasks:read', 'tasks:work',
    'bulletins:read', 'quarantine:read', 'quarantine:assign', 'follow-up:read', 'hospitals:read',
  ],
  grid_worker: [
    'regions:read', 'places:read', 'persons:read', 'persons:read-identity', 'persons:search', 'persons:export', 'contacts:read', 'codes:read', 'contacts:update-status', 'checkpoints:check', 'tasks:read', 'tasks:work', 'quarantine:read',
    'follow-up:read', 'follow-up:report', 'follow-up:remind', 'stranded:read', 'stranded:manage',
  ],
  checkpoint_staff: ['regions:read', 'checkpoints:read', 'checkpoints:check', 'codes:verify', 'codes:verify-id'],
  quarantine_staff: [
    'regions:read', 'persons:read', 'persons:read-identity', 'persons:search', 'contacts:read', 'contacts:update-status', 'codes:read', 'samples:write', 'tasks:read', 'tasks:work',
    'quarantine:read', 'quarantine:assign', 'follow-up:read', 'follow-up:report', 'follow-up:remind', 'stranded:read', 'stranded:manage',
  ],
  lab: ['regions:read', 'samples:write', 'results:write'],
  hospital: ['regions:read', 'persons:read', 'persons:read-identity', 'persons:search', 'cases:read', 'cases:update', 'samples:write', 'results:write', 'hospitals:read', 'hospitals:treat'],
  enterprise_liaison: ['regions:read', 'places:read', 'codes:verify', 'checkpoints:read', 'checkpoints:check'],
  auditor: ['regions:read', 'overview:read', 'reports:read', 'events:read', 'audit:read', 'metrics:read', 'directives:read', 'tasks:read', 'inspections:read', 'bulletins:read'],
  administrator: ['regions:read', 'users:manage', 'api-keys:manage', 'codes:keys-read', 'codes:keys-rotate', 'checkpoints:manage', 'metrics:read'],
  resident: ['self:read', 'self:report', 'self:appeal'],
  // An agency's data feed (a machine, with an API key of its agency): sends batches of the kinds its agency keeps.
  agency_feed: ['feeds:write'],
};

/** The level of region each role is scoped to (null: the resident, scoped to themselves). */
export const ROLE_LEVELS: Record<Role, readonly RegionLevel[] | null> = {
  provincial_command: ['province'],
  city_command: ['city'],
  county_command: ['county'],
  cdc_investigator: ['province', 'city', 'county'],
  grid_worker: ['community', 'grid'],
  checkpoint_staff: REGION_LEVELS,
  quarantine_staff: ['city', 'county', 'township'],
  lab: ['province', 'city', 'county'],
  hospital: ['city', 'county'],
  enterprise_liaison: ['county', 'township', 'community'],
  auditor: ['province', 'city'],
  administrator: ['province'],
  resident: null,
  agency_feed: ['province', 'city', 'county'],
};

/** Whether `role` may take `action` (public actions: every role, and no role; signed-in actions: every role). */
export function mayAct(role: Role | null, action: Action): boolean {
  if (PUBLIC_ACTIONS.includes(action)) return true;
  return role !== null && (SIGNED_IN_ACTIONS.includes(action) || ROLE_ACTIONS[role].includes(action));
}

/** Every action `role` may take, in catalogue order (what the web page shows or hides by). */
export const actionsOf = (role: Role | null): Action[] => ACTIONS.filter((a) => mayAct(role, a));

/** The level of a region code, from its length (null: not a code of the hierarchy). */
export function levelOfCode(code: string): RegionLevel | null {
  if (!/^\d+$/.test(code)) return null;
  return REGION_LEVELS.find((l) => CODE_LENGTH[l] === code.length) ?? null;
}

/** Whether a region (or anything recorded in it) lies inside the scope `scope` (a region code; the region itself counts). */
export function inScope(scope: string, regionCode: string): boolean {
  return regionCode.startsWith(scope);
}

/**
 * The scope a request narrowed to `region` reads: `region` when it lies inside the actor's `scope` (or the actor has
 * none), `scope` when no region is asked for. Errors: OUT_OF_SCOPE (403) naming `field` for a region outside `scope`.
 */
export function narrowScope(scope: string | null | undefined, region: string | undefined, field: string): string | null | undefined {
  if (region === undefined) return scope;
  assertInScope(scope, region, field);
  return region;
}

/** Refuses a `region` (named by the body's or query's `field`) outside the actor's `scope`: 403 OUT_OF_SCOPE. */
export function assertInScope(scope: string | null | undefined, region: string, field: string): void {
  if (scope && !inScope(scope, region)) throw new DomainError('forbidden', 'OUT_OF_SCOPE', `${region} is outside your region (${scope})`, [{ field, reason: `outside ${scope}` }]);
}

/** "a" or "an" before a word (an auditor, an administrator, a grid worker). */
const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** Why a role cannot be scoped to a region, or null when it can. */
export function scopeProblem(role: Role, scope: string | null): string | null {
  const levels = ROLE_LEVELS[role];
  if (levels === null) return scope === null ? null : 'a resident has no region scope';
  if (scope === null) return `${article(role)} ${role} needs a region`;
  const level = levelOfCode(scope);
  if (level === null) return `${scope} is not a region code`;
  return levels.includes(level) ? null : `${article(role)} ${role} is scoped to a ${levels.join(' or ')}, not a ${level}`;
}

/**
 * The feed kinds (`POST /api/feeds/:kind`, `cordon import`) each kind of agency sends: public security (registrations,
 * venue scans, transport), telecoms (cell stays), public health (cases, samples, vaccinations, investigations'
 * presence), communities (residents, households' presence), labs (samples), hospitals (cases, samples), enterprises
 * (their staff's presence); the command centre may send any.
 */
export const FEED_KINDS_OF_AGENCY: Record<AgencyKind, readonly ImportKind[]> = {
  command_centre: ['persons', 'places', 'presence', 'cases', 'samples', 'vaccinations'],
  public_security: ['persons', 'places', 'presence'],
  telecoms: ['places', 'presence'],
  public_health: ['places', 'presence', 'cases', 'samples', 'vaccinations'],
  community: ['persons', 'places', 'presence'],
  hospital: ['cases', 'samples'],
  lab: ['samples'],
  enterprise: ['presence'],
};
