/** Households, persons and vaccinations. */
import type { Person, Sex, Vaccination } from '../../domain/model/index.ts';
import { CODE_COLOURS, type CodeColour } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { inChunks, lookupIds } from './keys.ts';
import { toPage, type Page, type PageRequest } from './paging.ts';
import { codeWithin, homeOf, personInScope, personScopeNeeded, type Scope } from './scope.ts';

interface PersonRow {
  id: number; id_hash: string; id_masked: string; name: string; sex: string; birth_date: string; phone: string | null;
  household_id: number | null; community_code: string; grid_code: string | null; occupation: string | null; created_at: number;
}

const toPerson = (r: PersonRow): Person => ({
  id: r.id, idHash: r.id_hash, idMasked: r.id_masked, name: r.name, sex: r.sex as Sex, birthDate: r.birth_date, phone: r.phone,
  householdId: r.household_id, communityCode: r.community_code, gridCode: r.grid_code, occupation: r.occupation, createdAt: r.created_at,
});

export type NewPerson = Omit<Person, 'id'>;
export type NewHousehold = { code: string; communityCode: string; gridCode: string | null; address: string | null };
export type NewVaccination = Omit<Vaccination, 'id'>;
/** The registered details a correction may change. */
export type PersonUpdate = Partial<Pick<Person, 'name' | 'phone' | 'communityCode' | 'gridCode' | 'occupation' | 'householdId'>>;

export class PersonRepository {
  constructor(private readonly db: Db) {}

  /** Inserts households, skipping codes already present; returns how many were new. */
  insertHouseholds(rows: NewHousehold[]): Promise<number> {
    return this.db.insertMany('households', ['code', 'community_code', 'grid_code', 'address'],
      rows.map((h) => [h.code, h.communityCode, h.gridCode, h.address]), ['code']);
  }

  /** Ids of the households with these codes. */
  householdIds(codes: string[]): Promise<Map<string, number>> {
    return lookupIds(this.db, 'households', 'code', codes);
  }

  /** The households with these codes (those stored): id and community, by code. */
  async householdsByCodes(codes: string[]): Promise<Map<string, { id: number; communityCode: string }>> {
    const rows = await inChunks<{ id: number; code: string; community_code: string }, string>(this.db, [...new Set(codes)],
      (ph) => `SELECT id, code, community_code FROM households WHERE code IN (${ph})`);
    return new Map(rows.map((r) => [r.code, { id: Number(r.id), communityCode: r.community_code }]));
  }

  /** Inserts persons, skipping ID hashes already present; returns how many were new. */
  insertMany(rows: NewPerson[]): Promise<number> {
    return this.db.insertMany(
      'persons',
      ['id_hash', 'id_masked', 'name', 'sex', 'birth_date', 'phone', 'household_id', 'community_code', 'grid_code', 'occupation', 'created_at'],
      rows.map((p) => [p.idHash, p.idMasked, p.name, p.sex, p.birthDate, p.phone, p.householdId, p.communityCode, p.gridCode, p.occupation, p.createdAt]),
      ['id_hash'],
    );
  }

  /** Person ids of these ID hashes (those that exist). */
  idsByHash(hashes: string[]): Promise<Map<string, number>> {
    return lookupIds(this.db, 'persons', 'id_hash', hashes);
  }

  /**
   * Every person holding each of these phone numbers, ids ascending (phones no one holds are absent). A phone is not a
   * key: a family may share one, so a look-up by phone must see all its holders and decide, never take one of them.
   */
  async holdersByPhone(phones: string[]): Promise<Map<string, number[]>> {
    const rows = await inChunks<{ id: number; phone: string }, string>(this.db, [...new Set(phones)], (ph) => `SELECT id, phone FROM persons WHERE phone IN (${ph})`);
    const out = new Map<string, number[]>();
    for (const r of rows) out.set(r.phone, [...(out.get(r.phone) ?? []), r.id]);
    for (const ids of out.values()) ids.sort((a, b) => a - b);
    return out;
  }

  /**
   * Persons living under `scope` found by one of: a phone number (any of the forms in `phones`, exact), a full name
   * (exact), or a fragment of their household's registered address (contained anywhere in it). Ids ascending, at most
   * `limit`. A phone or name reads through its index; an address fragment scans the households (a third as many rows
   * as persons), then reads their members.
   */
  async find(by: { phones: readonly string[] } | { name: string } | { address: string }, limit: number, scope?: Scope): Promise<Person[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if ('phones' in by) {
      if (by.phones.length === 0) return [];
      where.push(`persons.phone IN (${by.phones.map(() => '?').join(', ')})`);
      params.push(...by.phones);
    } else if ('name' in by) {
      where.push('persons.name = ?');
      params.push(by.name);
    } else {
      const contains = this.db.engine === 'sqlite' ? 'instr(h.address, ?) > 0' : 'strpos(h.address, ?) > 0';
      const hs = personInScope(scope, 'h');
      where.push(`persons.household_id IN (SELECT h.id FROM households h WHERE ${contains}${hs ? ` AND ${hs.sql}` : ''})`);
      params.push(by.address, ...(hs?.params ?? []));
    }
    const s = personInScope(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    const rows = await this.db.all<PersonRow>(`SELECT * FROM persons WHERE ${where.join(' AND ')} ORDER BY persons.id LIMIT ?`, [...params, limit]);
    return rows.map(toPerson);
  }

  /** Changes a person's registered details. */
  async update(id: number, fields: PersonUpdate): Promise<void> {
    const cols: Record<keyof PersonUpdate, string> = {
      name: 'name', phone: 'phone', communityCode: 'community_code', gridCode: 'grid_code', occupation: 'occupation', householdId: 'household_id',
    };
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.db.run(`UPDATE persons SET ${entries.map(([k]) => `${cols[k as keyof PersonUpdate]} = ?`).join(', ')} WHERE id = ?`, [...entries.map(([, v]) => v as string | number | null), id]);
    // Their contact records say where they live (the dashboard counts by it): moved with them.
    if (fields.communityCode !== undefined || fields.gridCode !== undefined) {
      await this.db.run(`UPDATE contacts SET home_code = (SELECT ${homeOf('p')} FROM persons p WHERE p.id = contacts.person_id) WHERE person_id = ?`, [id]);
    }
  }

  /** Persons of these ID hashes (those that exist). */
  async byHashes(hashes: readonly string[]): Promise<Map<string, Person>> {
    const rows = await inChunks<PersonRow, string>(this.db, hashes, (ph) => `SELECT * FROM persons WHERE id_hash IN (${ph})`);
    return new Map(rows.map((r) => [r.id_hash, toPerson(r)]));
  }

  /** Persons of these ids (those that exist), unscoped: the caller has scoped what names them. */
  async byIds(ids: readonly number[]): Promise<Map<number, Person>> {
    const rows = await inChunks<PersonRow>(this.db, [...new Set(ids)], (ph) => `SELECT * FROM persons WHERE id IN (${ph})`);
    return new Map(rows.map((r) => [r.id, toPerson(r)]));
  }

  /** Households of these ids, with their codes and addresses. */
  async households(ids: readonly number[]): Promise<Map<number, NewHousehold & { id: number }>> {
    const rows = await inChunks<{ id: number; code: string; community_code: string; grid_code: string | null; address: string | null }>(this.db, ids,
      (ph) => `SELECT id, code, community_code, grid_code, address FROM households WHERE id IN (${ph})`);
    return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, communityCode: r.community_code, gridCode: r.grid_code, address: r.address }]));
  }

  /** Sets a household's address. */
  async setHouseholdAddress(id: number, address: string | null): Promise<void> {
    await this.db.run('UPDATE households SET address = ? WHERE id = ?', [address, id]);
  }

  /** Each person's community (division code), for the ids given; ids not stored are absent. */
  async communitiesOf(ids: readonly number[]): Promise<Map<number, string>> {
    const rows = await inChunks<{ id: number; community_code: string }>(this.db, [...new Set(ids)], (ph) => `SELECT id, community_code FROM persons WHERE id IN (${ph})`);
    return new Map(rows.map((r) => [r.id, r.community_code]));
  }

  /**
   * What a checkpoint sees to match each person (their name and masked ID number), by id (unknown ids absent): one
   * query for the verifications of one turn of the event loop.
   */
  async hintsOf(ids: readonly number[]): Promise<Map<number, { name: string; idMasked: string }>> {
    const rows = await inChunks<{ id: number; name: string; id_masked: string }>(this.db, ids, (ph) => `SELECT id, name, id_masked FROM persons WHERE id IN (${ph})`);
    return new Map(rows.map((r) => [r.id, { name: r.name, idMasked: r.id_masked }]));
  }

  /** A person; undefined when there is none, or none under `scope` (the actor's region; see scope.ts). */
  async get(id: number, scope?: Scope): Promise<Person | undefined> {
    const s = personInScope(scope);
    const r = await this.db.get<PersonRow>(`SELECT * FROM persons WHERE id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toPerson(r);
  }

  /** Persons living under a region (any level: matched by division-code prefix), and under `scope`, paged. */
  /**
   * Persons in id order after `page.after`, within `filter.regionCode` and the scope; with `filter.colour`, only those
   * whose current health code has that colour (a person without a current code counts as green: no reason holds).
   * Each shape reads the least rows (bench:lists): within a county or narrower, the region's persons from the
   * community index, each probed in the codes by colour (migration 26); across a city or the province, red and yellow
   * are read from the codes by colour and kept when in the region, and green in id order (most residents are green,
   * so a page is found within a few hundred rows; SQLite is kept off the community index there, whose whole city it
   * would read and sort).
   */
  async list(filter: { regionCode?: string; colour?: CodeColour }, page: PageRequest, scope?: Scope): Promise<Page<Person>> {
    const narrowest = [filter.regionCode, await personScopeNeeded(this.db, scope)].filter((c): c is string => !!c);
    const wide = narrowest.every((c) => c.length <= 4);
    const byId = wide && filter.colour === 'green' && this.db.engine === 'sqlite';
    const conds = narrowest.map((c) => (byId ? codeWithin('+p.community_code', c) : personInScope(c, 'p')!));
    const where = conds.map((c) => ` AND ${c.sql}`).join('');
    const params = conds.flatMap((c) => c.params);
    const after = page.after ?? 0;
    let rows: PersonRow[];
    if ((filter.colour === 'yellow' || filter.colour === 'red') && wide) {
      rows = await this.db.all<PersonRow>(
        `SELECT p.* FROM current_codes cc JOIN persons p ON p.id = cc.person_id
         WHERE cc.colour = ? AND cc.person_id > ?${where} ORDER BY cc.person_id LIMIT ?`, [filter.colour, after, ...params, page.limit + 1]);
    } else {
      const colour = filter.colour === 'green'
        ? CODE_COLOURS.filter((c) => c !== 'green').map((c) => ` AND NOT EXISTS (SELECT 1 FROM current_codes cc WHERE cc.colour = '${c}' AND cc.person_id = p.id)`).join('')
        : filter.colour ? ' AND EXISTS (SELECT 1 FROM current_codes cc WHERE cc.colour = ? AND cc.person_id = p.id)' : '';
      rows = await this.db.all<PersonRow>(`SELECT p.* FROM persons p WHERE p.id > ?${where}${colour} ORDER BY p.id LIMIT ?`,
        [after, ...params, ...(filter.colour && filter.colour !== 'green' ? [filter.colour] : []), page.limit + 1]);
    }
    return toPage(rows, page.limit, toPerson);
  }

  /** Inserts vaccinations, skipping (person, dose) pairs already present. */
  insertVaccinations(rows: NewVaccination[]): Promise<number> {
    return this.db.insertMany('vaccinations', ['person_id', 'dose', 'vaccine', 'vaccinated_at', 'site'],
      rows.map((v) => [v.personId, v.dose, v.vaccine, v.vaccinatedAt, v.site]), ['person_id', 'dose']);
  }

  /** Vaccinations of these persons, by (person, dose). */
  async vaccinationsOfPersons(personIds: readonly number[]): Promise<Map<string, Vaccination>> {
    const rows = await inChunks<{ id: number; person_id: number; dose: number; vaccine: string; vaccinated_at: number; site: string | null }>(this.db, [...new Set(personIds)],
      (ph) => `SELECT * FROM vaccinations WHERE person_id IN (${ph})`);
    return new Map(rows.map((r) => [`${r.person_id}#${r.dose}`, { id: r.id, personId: r.person_id, dose: r.dose, vaccine: r.vaccine, vaccinatedAt: r.vaccinated_at, site: r.site }]));
  }

  /** Changes a vaccination's vaccine, time or site. */
  async updateVaccination(id: number, fields: Partial<Pick<Vaccination, 'vaccine' | 'vaccinatedAt' | 'site'>>): Promise<void> {
    const cols = { vaccine: 'vaccine', vaccinatedAt: 'vaccinated_at', site: 'site' } as const;
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined) as [keyof typeof cols, string | number | null][];
    if (entries.length) await this.db.run(`UPDATE vaccinations SET ${entries.map(([k]) => `${cols[k]} = ?`).join(', ')} WHERE id = ?`, [...entries.map(([, v]) => v), id]);
  }

  async vaccinationsOf(personId: number): Promise<Vaccination[]> {
    const rows = await this.db.all<{ id: number; person_id: number; dose: number; vaccine: string; vaccinated_at: number; site: string | null }>(
      'SELECT * FROM vaccinations WHERE person_id = ? ORDER BY dose', [personId]);
    return rows.map((r) => ({ id: r.id, personId: r.person_id, dose: r.dose, vaccine: r.vaccine, vaccinatedAt: r.vaccinated_at, site: r.site }));
  }
}
