import { describe, expect, it } from 'vitest';
import { IMPORT_KINDS, REGION_LEVELS, type RegionLevel } from './vocab.ts';
import { ACTIONS, actionsOf, AGENCY_KINDS, FEED_KINDS_OF_AGENCY, assertInScope, inScope, levelOfCode, mayAct, narrowScope, PUBLIC_ACTIONS, ROLE_ACTIONS, ROLES, scopeProblem, SIGNED_IN_ACTIONS, type Role } from './access.ts';

const PERSONAL: readonly string[] = ['persons:read', 'persons:read-identity', 'places:read-location', 'cases:read', 'contacts:read', 'chains:export', 'self:read'];

describe('roles and actions', () => {
  it('gives every action to some role or the public, and every role only listed actions', () => {
    const given = new Set([...PUBLIC_ACTIONS, ...SIGNED_IN_ACTIONS, ...Object.values(ROLE_ACTIONS).flat()]);
    expect(ACTIONS.filter((a) => !given.has(a))).toEqual([]);
    for (const role of ROLES) expect(ROLE_ACTIONS[role].filter((a) => !(ACTIONS as readonly string[]).includes(a)), role).toEqual([]);
  });

  it('lets anyone sign in, read health, the protocol and risk areas, look up a trip and read trajectory notices; nothing else without a role', () => {
    expect(ACTIONS.filter((a) => mayAct(null, a))).toEqual(['session:sign-in', 'health:read', 'protocol:read', 'risk-areas:read', 'public:same-trip', 'public:notices']);
    expect(actionsOf(null)).toEqual(ACTIONS.filter((a) => mayAct(null, a)));
  });

  it('lets every role, and no one signed out, see its session, sign out and change its password', () => {
    for (const role of ROLES) for (const a of ['session:read', 'session:sign-out', 'session:change-password'] as const) expect(mayAct(role, a), `${role} ${a}`).toBe(true);
    for (const a of SIGNED_IN_ACTIONS) expect(mayAct(null, a)).toBe(false);
    expect(actionsOf('lab')).toEqual(['session:sign-in', 'session:read', 'session:sign-out', 'session:change-password', 'health:read', 'protocol:read', 'risk-areas:read', 'public:same-trip', 'public:notices', 'regions:read', 'samples:write', 'results:write']);
  });

  it('keeps personal data from administrators and auditors, and residents to themselves', () => {
    for (const role of ['administrator', 'auditor'] as const) expect(ROLE_ACTIONS[role].filter((a) => PERSONAL.includes(a)), role).toEqual([]);
    expect(ACTIONS.filter((a) => mayAct('resident', a) && !PUBLIC_ACTIONS.includes(a) && !SIGNED_IN_ACTIONS.includes(a))).toEqual(['self:read', 'self:appeal', 'self:report']);
    expect(ROLES.filter((r) => mayAct(r, 'persons:read-identity'))).toEqual(['cdc_investigator', 'grid_worker', 'quarantine_staff', 'hospital']);
    expect(ROLES.filter((r) => mayAct(r, 'audit:read'))).toEqual(['auditor']);
    expect(ROLES.filter((r) => mayAct(r, 'codes:keys-rotate'))).toEqual(['administrator']);
  });

  it('lets an enterprise liaison read regions and places, verify codes and check at its checkpoints, and nothing personal', () => {
    expect(ROLE_ACTIONS.enterprise_liaison).toEqual(['regions:read', 'places:read', 'codes:verify', 'checkpoints:read', 'checkpoints:check']);
    expect(ROLES.filter((r) => mayAct(r, 'codes:verify'))).toEqual(['checkpoint_staff', 'enterprise_liaison']);
  });
});

describe('region scope', () => {
  it('reads a code\'s level from its length', () => {
    expect(['43', '4301', '430102', '430102001', '430102001001', '43010200100101'].map(levelOfCode)).toEqual(['province', 'city', 'county', 'township', 'community', 'grid']);
    expect(['', '4', '43010', '43a1', '4301020010010101'].map(levelOfCode)).toEqual([null, null, null, null, null]);
  });

  it('holds a region and everything inside it, nothing beside it', () => {
    expect(inScope('4301', '430102001001')).toBe(true);
    expect(inScope('4301', '4301')).toBe(true);
    expect(inScope('430102', '430103001')).toBe(false);
    expect(inScope('43', '4401')).toBe(false);
  });

  it('scopes each role to its levels and a resident to none', () => {
    expect(scopeProblem('grid_worker', '43010200100101')).toBeNull();
    expect(scopeProblem('grid_worker', '4301')).toBe('a grid_worker is scoped to a community or grid, not a city');
    expect(scopeProblem('city_command', null)).toBe('a city_command needs a region');
    expect(scopeProblem('county_command', '4301x')).toBe('4301x is not a region code');
    expect(scopeProblem('resident', null)).toBeNull();
    expect(scopeProblem('resident', '43')).toBe('a resident has no region scope');
    expect(scopeProblem('provincial_command', '43')).toBeNull();
  });

  // Command centres at their own level; investigators and labs from the province to the county; quarantine staff from
  // the city to the township; hospitals at the city or county; enterprise liaisons from the county to the community;
  // auditors at the province or a city; administrators at the province; checkpoint staff at any level; an agency's
  // feed from the province to the county.
  const SCOPED: Record<Exclude<Role, 'resident'>, RegionLevel[]> = {
    provincial_command: ['province'], city_command: ['city'], county_command: ['county'], cdc_investigator: ['province', 'city', 'county'],
    grid_worker: ['community', 'grid'], checkpoint_staff: [...REGION_LEVELS], quarantine_staff: ['city', 'county', 'township'], lab: ['province', 'city', 'county'],
    hospital: ['city', 'county'], enterprise_liaison: ['county', 'township', 'community'], auditor: ['province', 'city'], administrator: ['province'],
    agency_feed: ['province', 'city', 'county'],
  };
  const CODE_OF: Record<RegionLevel, string> = { province: '43', city: '4301', county: '430102', township: '430102001', community: '430102001001', grid: '43010200100101' };

  it.each(Object.entries(SCOPED))('scopes a %s to a region of its levels only, and says which levels otherwise', (role, levels) => {
    for (const level of REGION_LEVELS) {
      const problem = scopeProblem(role as Role, CODE_OF[level]);
      if (levels.includes(level)) expect(problem, level).toBeNull();
      else expect(problem, level).toMatch(new RegExp(`^an? ${role} is scoped to a ${levels.join(' or ')}, not a ${level}$`));
    }
  });

  it('puts "an" before a role that starts with a vowel', () => {
    expect(scopeProblem('auditor', null)).toBe('an auditor needs a region');
    expect(scopeProblem('administrator', '4301')).toBe('an administrator is scoped to a province, not a city');
    expect(scopeProblem('lab', null)).toBe('a lab needs a region');
  });
});

describe('a region asked for inside the actor\'s region', () => {
  const county = '430102', community = '430102001001';
  it('passes a region inside the scope, or any region for an actor with none', () => {
    expect(() => assertInScope(county, community, 'regionCode')).not.toThrow();
    expect(() => assertInScope(null, community, 'regionCode')).not.toThrow();
    expect(narrowScope(county, community, 'region')).toBe(community);
    expect(narrowScope(county, undefined, 'region')).toBe(county);
  });
  it('refuses one outside with 403 OUT_OF_SCOPE naming the field', () => {
    const refusal = (() => { try { assertInScope(county, '430200000000', 'sealedRegionCode'); } catch (e) { return e; } return null; })();
    expect(refusal).toMatchObject({ kind: 'forbidden', code: 'OUT_OF_SCOPE', details: [{ field: 'sealedRegionCode', reason: `outside ${county}` }] });
    expect(() => narrowScope(county, '430200000000', 'region')).toThrow(/outside your region/);
  });
});

describe('the feed kinds each kind of agency sends', () => {
  const senders = (kind: (typeof IMPORT_KINDS)[number]) => AGENCY_KINDS.filter((a) => FEED_KINDS_OF_AGENCY[a].includes(kind));

  it('lets the command centre send every kind, and each other agency the kinds it keeps', () => {
    expect(FEED_KINDS_OF_AGENCY.command_centre).toEqual([...IMPORT_KINDS]);
    // Residents: registrations (public security) and residents' lists (communities).
    expect(senders('persons')).toEqual(['command_centre', 'public_security', 'community']);
    // Places and presence: venue scans and transport, cell stays, investigations, households; enterprises send their
    // staff's presence but not the places.
    expect(senders('places')).toEqual(['command_centre', 'public_security', 'telecoms', 'public_health', 'community']);
    expect(senders('presence')).toEqual(['command_centre', 'public_security', 'telecoms', 'public_health', 'community', 'enterprise']);
    // Cases from public health and hospitals; samples from them and the labs; vaccinations from public health.
    expect(senders('cases')).toEqual(['command_centre', 'public_health', 'hospital']);
    expect(senders('samples')).toEqual(['command_centre', 'public_health', 'hospital', 'lab']);
    expect(senders('vaccinations')).toEqual(['command_centre', 'public_health']);
  });
});
