/**
 * Migrations applied to a store that already holds data: a database made by migration 2 (one case per person,
 * checkpoints without places) is brought to the event flow's schema with its rows intact, on both engines.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import { MIGRATIONS } from './migrations/index.ts';
import { describeEachEngine, PG_URL } from '../../test/engines.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import type { Db } from './db.ts';
import { migrate } from './ddl.ts';
import { openPostgres, POSTGRES_DIALECT } from './postgres/driver.ts';
import { openSqlite, SQLITE_DIALECT } from './sqlite/driver.ts';
import { openStore, Store } from './store.ts';

describeEachEngine('migrations of a store holding data', (engine) => {
  it('moves a version-2 store to the latest: cases keep their rows, contacts learn where their person lives, a person may have a second case, checkpoints get places, risk areas keep their English reason, users keep their rows without a password', async () => {
    const schema = `cordon_m_${randomBytes(5).toString('hex')}`;
    const db: Db = engine === 'sqlite' ? openSqlite(':memory:') : await openPostgres(PG_URL!, { schema });
    const dialect = engine === 'sqlite' ? SQLITE_DIALECT : POSTGRES_DIALECT;
    try {
      expect(await migrate(db, dialect, 2)).toEqual([1, 2]);
      const old = new Store(db);
      await old.regions.insertMany(MINI_REGIONS);
      await old.persons.insertMany([personRow(1), personRow(2)]);
      await db.run(`INSERT INTO cases (case_no, person_id, kind, onset_at, sampled_at, confirmed_at, isolated_at, severity, hospital_place_id, outcome, detected_by)
        VALUES ('OLD-1', 1, 'confirmed', 100, 200, 300, 300, 'mild', NULL, 'recovered', 'symptoms')`);
      await db.run("INSERT INTO contacts (person_id, kind, index_case_id, via_contact_id, first_exposure, last_exposure, evidence, status, identified_at) VALUES (2, 'close', 1, NULL, 1, 2, '[]', 'unreachable', 3)");
      await db.run("INSERT INTO checkpoints (code, name, kind, place_id, region_code) VALUES ('G1', '北门', 'community_gate', NULL, '430102001001')");
      await db.run("INSERT INTO risk_areas (region_code, unit_name, level, since, review_at, rule_set, reason) VALUES ('430102001001', NULL, 'medium', 10, 20, 'street-2021', '1 new case(s) within 14 days, 1 cumulative')");
      // A reinfection is impossible before: one case per person.
      await expect(db.run("INSERT INTO cases (case_no, person_id, kind, sampled_at, confirmed_at, severity, outcome) VALUES ('OLD-2', 1, 'confirmed', 400, 500, 'mild', 'in_treatment')")).rejects.toThrow();
      await db.run("INSERT INTO agencies (name, kind, region_code) VALUES ('省指挥部', 'command_centre', '43')");
      await db.run("INSERT INTO users (username, display_name, agency_id, role, region_code) VALUES ('old', '旧用户', 1, 'provincial_command', '43')");
      await db.run("INSERT INTO tasks (parent_id, title, kind, level, region_code, owner_user_id, due_at, status, subject_person_id, created_at) VALUES (NULL, '排查', 'door_to_door', 'grid', '43010200100101', NULL, 900, 'open', NULL, 800)");
      expect(await migrate(db, dialect)).toEqual(MIGRATIONS.map((m) => m.version).filter((v) => v >= 3));
      expect(await migrate(db, dialect)).toEqual([]);
      const store = new Store(db);
      expect(await store.cases.get(1)).toMatchObject({ caseNo: 'OLD-1', personId: 1, outcome: 'recovered', outcomeAt: null, withdrawnAt: null });
      await store.cases.insertMany([{ caseNo: 'NEW-2', personId: 1, kind: 'confirmed', onsetAt: null, sampledAt: 400, confirmedAt: 500, isolatedAt: null, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null }]);
      expect((await store.cases.ofPerson(1)).map((c) => c.caseNo)).toEqual(['OLD-1', 'NEW-2']);
      expect(await store.cases.insertMany([{ caseNo: 'NEW-2', personId: 2, kind: 'confirmed', onsetAt: null, sampledAt: 400, confirmedAt: 500, isolatedAt: null, severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: null }])).toBe(0);
      expect(await store.cases.contact(1)).toMatchObject({ status: 'lost_to_follow_up', origin: 'tracing', statusAt: null });
      // The contact record says where its person lives (migration 15: their grid, else their community).
      const person2 = (await store.persons.get(2))!;
      expect(await db.get('SELECT home_code FROM contacts WHERE id = 1')).toEqual({ home_code: person2.gridCode ?? person2.communityCode });
      const gate = (await store.control.checkpointByCode('G1'))!;
      expect(gate.placeId).not.toBeNull();
      // A grading from before reason codes reads as its sentence (code 'text', no numbers); a new one keeps its code.
      expect(await store.control.riskAreasAt(30)).toEqual([expect.objectContaining({ reason: '1 new case(s) within 14 days, 1 cumulative', reasonCode: 'text', reasonArgs: {} })]);
      await store.control.insertRiskAreas([{ regionCode: '430102001001', unitName: null, level: 'low', since: 40, reviewAt: null, ruleSet: 'street-2021', reason: 'no new case in 14 days', reasonCode: 'no_recent_case', reasonArgs: { windowDays: 14 } }]);
      expect(await store.control.riskAreasAt(50)).toEqual([expect.objectContaining({ level: 'low', reasonCode: 'no_recent_case', reasonArgs: { windowDays: 14 } })]);
      expect(await store.places.get(gate.placeId!)).toMatchObject({ code: 'CP-G1', category: 'compound_gate', regionCode: '430102001001' });
      // A task from before the command mechanism: its first status now says assigned, held by the grid's role.
      expect(await store.command.task(1)).toMatchObject({ status: 'assigned', statusAt: 800, ownerRole: 'grid_worker', directiveId: null, sourceKey: null, escalatedTo: null });
      // A user from before accounts: kept, with no password (cannot sign in until one is set) and nothing to change.
      expect(await store.accounts.userByName('old')).toMatchObject({ displayName: '旧用户', passwordHash: null, mustChangePassword: false, createdAt: null, disabledAt: null });
    } finally {
      await db.close();
      if (engine === 'postgres') {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      }
    }
  });

  it('migrates a fresh store to the latest version in one go', async () => {
    const store = await openStore({ sqliteFile: ':memory:' });
    expect((await store.events.counts(5))).toEqual({ pending: 0, parked: 0 });
    await store.close();
  });
});
