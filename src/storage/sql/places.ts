/** Places, transport trips and presence records. */
import type { Place, PlaceCategory, PlaceStatus, Presence, PresenceSource, VehicleSetting } from '../../domain/model/index.ts';
import type { Db, SqlValue } from '../db.ts';
import { placeInScope, type Scope } from './scope.ts';
import { inChunks, lookupIds } from './keys.ts';
import { toPage, type Page, type PageRequest } from './paging.ts';
import { MOVING_FLOOR } from './presenceMoves.ts';

interface PlaceRow {
  id: number; code: string; name: string; category: string; region_code: string; lng: number | null; lat: number | null;
  status: string; vehicle_setting: string | null;
}

const toPlace = (r: PlaceRow): Place => ({
  id: r.id, code: r.code, name: r.name, category: r.category as PlaceCategory, regionCode: r.region_code, lng: r.lng, lat: r.lat,
  status: r.status as PlaceStatus, vehicleSetting: r.vehicle_setting as VehicleSetting | null,
});

interface PresenceRow {
  id: number; person_id: number; place_id: number; start_at: number; end_at: number; source: string; seat: string | null; carriage: string | null;
}

/**
 * A presence record as the values of its row, in this order: id, person id, place id, start, end (epoch seconds),
 * source, seat, carriage. Scans of millions of records read these rather than objects.
 */
export type PresenceTuple = [id: number, personId: number, placeId: number, start: number, end: number, source: string, seat: string | null, carriage: string | null];
/** The select list of a PresenceTuple. */
const TUPLE = 'id, person_id, place_id, start_at, end_at, source, seat, carriage';
const TUPLE_OF_P = 'p.id, p.person_id, p.place_id, p.start_at, p.end_at, p.source, p.seat, p.carriage';

const tupleToPresence = (r: PresenceTuple): Presence => ({
  id: r[0], personId: r[1], placeId: r[2], start: r[3], end: r[4], source: r[5] as PresenceSource, seat: r[6], carriage: r[7],
});

const toPresence = (r: PresenceRow): Presence => ({
  id: r.id, personId: r.person_id, placeId: r.place_id, start: r.start_at, end: r.end_at, source: r.source as PresenceSource,
  seat: r.seat, carriage: r.carriage,
});

export type NewPlace = Omit<Place, 'id'>;

/**
 * A reader's place in the presence records (`PresenceRepository.watermark`, `scanAfter`): the records it covers have
 * been read. `count` is how many records it covers and `maxId` the highest id among them. On PostgreSQL, `snapshot`
 * is a transaction snapshot (`pg_snapshot` as text): the records of every transaction committed in it are covered
 * (records stored before migration 27 count as written before every snapshot); in the middle of a pass, `pass` says
 * which snapshot is being read up to and the last (transaction, id) read. On SQLite `snapshot` is null and the mark
 * covers every id up to `maxId`.
 */
export interface PresenceMark { maxId: number; count: number; snapshot: string | null; pass?: { to: string; tx: string; id: number } }

/** The natural key of a presence record as text: person, place, start and feed. */
export const presenceKey = (p: Pick<Presence, 'personId' | 'placeId' | 'start' | 'source'>): string => `${p.personId}|${p.placeId}|${p.start}|${p.source}`;
export type NewPresence = Omit<Presence, 'id'>;

export class PlaceRepository {
  constructor(private readonly db: Db) {}

  /** Inserts places, skipping codes already present; returns how many were new. */
  insertMany(rows: NewPlace[]): Promise<number> {
    return this.db.insertMany('places', ['code', 'name', 'category', 'region_code', 'lng', 'lat', 'status', 'vehicle_setting'],
      rows.map((p) => [p.code, p.name, p.category, p.regionCode, p.lng, p.lat, p.status, p.vehicleSetting]), ['code']);
  }

  /** Place ids of these codes (those that exist). */
  idsByCode(codes: Iterable<string>): Promise<Map<string, number>> {
    return lookupIds(this.db, 'places', 'code', codes);
  }

  /** Places of these codes (those that exist). */
  async byCodes(codes: readonly string[]): Promise<Map<string, Place>> {
    const rows = await inChunks<PlaceRow, string>(this.db, [...new Set(codes)], (ph) => `SELECT * FROM places WHERE code IN (${ph})`);
    return new Map(rows.map((r) => [r.code, toPlace(r)]));
  }

  /** Changes a place's name, region or position. */
  async update(id: number, fields: Partial<Pick<Place, 'name' | 'regionCode' | 'lng' | 'lat'>>): Promise<void> {
    const cols = { name: 'name', regionCode: 'region_code', lng: 'lng', lat: 'lat' } as const;
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined) as [keyof typeof cols, string | number | null][];
    if (entries.length) await this.db.run(`UPDATE places SET ${entries.map(([k]) => `${cols[k]} = ?`).join(', ')} WHERE id = ?`, [...entries.map(([, v]) => v), id]);
  }

  /** A place; undefined when there is none, or none within reach of `scope` (see scope.ts). */
  async get(id: number, scope?: Scope): Promise<Place | undefined> {
    const s = placeInScope(scope);
    const r = await this.db.get<PlaceRow>(`SELECT * FROM places WHERE id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toPlace(r);
  }

  /** The places of these ids (any not found are absent from the map). */
  async byIds(ids: readonly number[]): Promise<Map<number, Place>> {
    const rows = await inChunks<PlaceRow>(this.db, [...new Set(ids)], (ph) => `SELECT * FROM places WHERE id IN (${ph})`);
    return new Map(rows.map((r) => [Number(r.id), toPlace(r)]));
  }

  /** Category and vehicle setting of every place, for the tracing index (id order). */
  async kinds(): Promise<{ id: number; category: PlaceCategory; vehicleSetting: VehicleSetting | null }[]> {
    const rows = await this.db.all<{ id: number; category: string; vehicle_setting: string | null }>('SELECT id, category, vehicle_setting FROM places ORDER BY id');
    return rows.map((r) => ({ id: r.id, category: r.category as PlaceCategory, vehicleSetting: r.vehicle_setting as VehicleSetting | null }));
  }

  /** Highest place id (0 when none): tells the tracing engine whether places were added. */
  async maxId(): Promise<number> {
    return (await this.db.get<{ m: number | null }>('SELECT MAX(id) AS m FROM places'))?.m ?? 0;
  }

  async byCode(code: string): Promise<Place | undefined> {
    const r = await this.db.get<PlaceRow>('SELECT * FROM places WHERE code = ?', [code]);
    return r && toPlace(r);
  }

  /**
   * Places within reach of `scope` whose code is `text` (exact), then those whose name contains it, at most `limit`
   * (the code's match first, then by id). Restricted to one category when given (vehicles: a trip's name carries its
   * number and service date), or to the others than `notCategories`. The name is scanned (no index serves a fragment): places number in the hundreds of
   * thousands at a province's scale.
   */
  async search(text: string, limit: number, filter: { category?: PlaceCategory; notCategories?: readonly PlaceCategory[] } = {}, scope?: Scope): Promise<Place[]> {
    const contains = this.db.engine === 'sqlite' ? 'instr(name, ?) > 0' : 'strpos(name, ?) > 0';
    const where = [`(code = ? OR ${contains})`];
    const params: SqlValue[] = [text, text];
    const s = placeInScope(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.category) { where.push('category = ?'); params.push(filter.category); }
    if (filter.notCategories?.length) { where.push(`category NOT IN (${filter.notCategories.map(() => '?').join(', ')})`); params.push(...filter.notCategories); }
    const rows = await this.db.all<PlaceRow>(`SELECT * FROM places WHERE ${where.join(' AND ')} ORDER BY CASE WHEN code = ? THEN 0 ELSE 1 END, id LIMIT ?`,
      [...params, text, limit]);
    return rows.map(toPlace);
  }

  /** Places filtered by category, status and region (division-code prefix), paged. */
  async list(filter: { category?: PlaceCategory; status?: PlaceStatus; regionCode?: string }, page: PageRequest, scope?: Scope): Promise<Page<Place>> {
    const where = ['id > ?'];
    const params: SqlValue[] = [page.after ?? 0];
    const s = placeInScope(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.category) { where.push('category = ?'); params.push(filter.category); }
    if (filter.status) { where.push('status = ?'); params.push(filter.status); }
    if (filter.regionCode) { where.push('region_code LIKE ?'); params.push(`${filter.regionCode}%`); }
    const rows = await this.db.all<PlaceRow>(`SELECT * FROM places WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toPlace);
  }
}

/** Keys per read of `PresenceRepository.byKeys` on SQLite (four parameters each). */
const PRESENCE_KEYS_PER_READ = 250;
const PRESENCE_BY_KEYS_SQL = `SELECT p.* FROM (VALUES ${Array.from({ length: PRESENCE_KEYS_PER_READ }, () => '(?, ?, ?, ?)').join(', ')}) AS k
  JOIN presence p ON p.person_id = k.column1 AND p.place_id = k.column2 AND p.start_at = k.column3 AND p.source = k.column4`;

export class PresenceRepository {
  constructor(private readonly db: Db) {}

  /** Inserts presence records, skipping (person, place, start, source) already present; returns how many were new. */
  insertMany(rows: NewPresence[]): Promise<number> {
    return this.db.insertMany('presence', ['person_id', 'place_id', 'start_at', 'end_at', 'source', 'seat', 'carriage'],
      rows.map((p) => [p.personId, p.placeId, p.start, p.end, p.source, p.seat, p.carriage]), ['person_id', 'place_id', 'start_at', 'source']);
  }

  /**
   * The stored records with the natural keys of these (person, place, start, feed), by `presenceKey`: each key looked
   * up in the unique index on the four columns. (It read every record of the keys' persons before and kept the wanted
   * ones: a re-import of a feed, every row already stored, read each person's whole history once per chunk, so 200,000
   * rows of 2,000 persons took 34 s in one transaction and 76 s in steps.) On SQLite the keys go as a VALUES list
   * joined to the table, `PRESENCE_KEYS_PER_READ` at a time and the last slice padded with its last key, so that one
   * prepared statement serves every read; on PostgreSQL as four arrays unnested in one statement.
   */
  async byKeys(keys: readonly Pick<Presence, 'personId' | 'placeId' | 'start' | 'source'>[]): Promise<Map<string, Presence>> {
    const out = new Map<string, Presence>();
    const unique = [...new Map(keys.map((k) => [presenceKey(k), k])).values()];
    if (unique.length === 0) return out;
    const rows: PresenceRow[] = [];
    if (this.db.engine === 'postgres') {
      rows.push(...await this.db.all<PresenceRow>(
        `SELECT p.* FROM unnest(?::integer[], ?::integer[], ?::bigint[], ?::text[]) AS k(person_id, place_id, start_at, source)
         JOIN presence p ON p.person_id = k.person_id AND p.place_id = k.place_id AND p.start_at = k.start_at AND p.source = k.source`,
        [unique.map((k) => k.personId), unique.map((k) => k.placeId), unique.map((k) => k.start), unique.map((k) => k.source)] as unknown as SqlValue[]));
    } else {
      for (let i = 0; i < unique.length; i += PRESENCE_KEYS_PER_READ) {
        const part = unique.slice(i, i + PRESENCE_KEYS_PER_READ);
        while (part.length < PRESENCE_KEYS_PER_READ) part.push(part[part.length - 1]);
        rows.push(...await this.db.all<PresenceRow>(PRESENCE_BY_KEYS_SQL, part.flatMap((k) => [k.personId, k.placeId, k.start, k.source])));
      }
    }
    for (const r of rows) {
      const p = toPresence(r);
      out.set(presenceKey(p), p);
    }
    return out;
  }

  /** A person's presence records in time order. */
  async ofPerson(personId: number, from = Number.MIN_SAFE_INTEGER, to = Number.MAX_SAFE_INTEGER): Promise<Presence[]> {
    const rows = await this.db.all<PresenceRow>(
      'SELECT * FROM presence WHERE person_id = ? AND end_at >= ? AND start_at <= ? ORDER BY start_at', [personId, from, to]);
    return rows.map(toPresence);
  }

  /**
   * The presence of these persons overlapping [from, to] at places not of the categories left out (the chains' shared
   * places: a source investigation over the cases' persons). Places are left out by a list of their ids, not by a join
   * with places, which cost more than the rows it saved (140,000 records: 380 ms with the join, 160 ms without,
   * `bench:chains`); the caller reads the places it needs.
   */
  async ofPersons(personIds: readonly number[], from: number, to: number, notCategories: readonly string[]): Promise<{ personId: number; placeId: number; start: number; end: number }[]> {
    const rows = await inChunks<{ person_id: number; place_id: number; start_at: number; end_at: number }>(this.db, [...new Set(personIds)],
      (ph) => `SELECT person_id, place_id, start_at, end_at FROM presence
               WHERE person_id IN (${ph}) AND end_at >= ? AND start_at <= ?${notCategories.length ? ` AND place_id NOT IN (SELECT id FROM places WHERE category IN (${notCategories.map(() => '?').join(', ')}))` : ''}`,
      [from, to, ...notCategories]);
    return rows.map((r) => ({ personId: Number(r.person_id), placeId: Number(r.place_id), start: Number(r.start_at), end: Number(r.end_at) }));
  }

  /** A person's presence overlapping [from, to), with each place's division code and category, in time order. */
  async placesOf(personId: number, from: number, to: number): Promise<{ placeId: number; regionCode: string; category: string; source: string; start: number; end: number }[]> {
    const rows = await this.db.all<{ place_id: number; region_code: string; category: string; source: string; start_at: number; end_at: number }>(
      `SELECT p.place_id, pl.region_code, pl.category, p.source, p.start_at, p.end_at FROM presence p JOIN places pl ON pl.id = p.place_id
       WHERE p.person_id = ? AND p.end_at > ? AND p.start_at < ? ORDER BY p.start_at`, [personId, from, to]);
    return rows.map((r) => ({ placeId: r.place_id, regionCode: r.region_code, category: r.category, source: r.source, start: r.start_at, end: r.end_at }));
  }

  /** A person's telecom stays overlapping [from, to), with the division code of each stay's cell, in time order. */
  async telecomStays(personId: number, from: number, to: number): Promise<{ regionCode: string; start: number; end: number }[]> {
    const rows = await this.db.all<{ region_code: string; start_at: number; end_at: number }>(
      `SELECT pl.region_code, p.start_at, p.end_at FROM presence p JOIN places pl ON pl.id = p.place_id
       WHERE p.person_id = ? AND p.source = 'telecom_stay' AND p.end_at > ? AND p.start_at < ? ORDER BY p.start_at`, [personId, from, to]);
    return rows.map((r) => ({ regionCode: r.region_code, start: r.start_at, end: r.end_at }));
  }

  /** Deletes the presence records that ended before `cutoff` (epoch seconds); how many. */
  deleteEndedBefore(cutoff: number): Promise<number> {
    return this.db.run('DELETE FROM presence WHERE end_at < ?', [cutoff]);
  }

  /**
   * Where a reader of presence records stands now: the records it may read without missing one that commits later,
   * and how many there are (what a tracing-index snapshot must match to be reused). On PostgreSQL: the records of
   * the transactions committed in the current snapshot (ids are taken at insert and seen at commit, so id order is
   * not the order records appear in); on SQLite: up to the highest id (writers are serialized there, so ids appear in
   * order). Read it, then `scanTo` the records it covers and `scanAfter` it for the rest: each record is read once.
   */
  async watermark(): Promise<PresenceMark> {
    if (this.db.engine === 'postgres') {
      // One statement, one snapshot: the snapshot, the count and the highest id agree.
      const r = await this.db.get<{ snap: string; n: number; max_id: number | null }>(
        'SELECT pg_current_snapshot()::text AS snap, COUNT(*) AS n, MAX(id) AS max_id FROM presence');
      return { maxId: r?.max_id ?? 0, count: r?.n ?? 0, snapshot: r!.snap };
    }
    // Below the rows of an import still being moved (they may yet be taken back; see presenceMoves.ts).
    const r = await this.db.get<{ max_id: number | null; n: number }>(`SELECT MAX(id) AS max_id, COUNT(*) AS n FROM presence WHERE id < ${MOVING_FLOOR}`);
    return { maxId: r?.max_id ?? 0, count: r?.n ?? 0, snapshot: null };
  }

  /** Every presence record `mark` (from `watermark`) covers, in id order, in batches. */
  async *scanTo(mark: PresenceMark, batch = 50_000): AsyncGenerator<Presence[]> {
    for await (const rows of this.scanTuplesTo(mark, batch)) yield rows.map(tupleToPresence);
  }

  /** `scanTo` with each record as a PresenceTuple (no object per record: what the tracing index reads). */
  async *scanTuplesTo(mark: PresenceMark, batch = 50_000): AsyncGenerator<PresenceTuple[]> {
    for (let after = 0; ;) {
      const rows = mark.snapshot !== null
        ? await this.db.rows<PresenceTuple>(`SELECT ${TUPLE} FROM presence WHERE id > ? AND pg_visible_in_snapshot(tx, ?::pg_snapshot) ORDER BY id LIMIT ?`, [after, mark.snapshot, batch])
        : await this.db.rows<PresenceTuple>(`SELECT ${TUPLE} FROM presence WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`, [after, mark.maxId, batch]);
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1][0];
    }
  }

  /**
   * The presence records stored after `mark`, in batches, each with the mark that stands after it (keep the last one
   * for the next call; on PostgreSQL the last item may carry no records, only the new mark). Visibility-safe: on
   * PostgreSQL a pass reads the records of the transactions committed since `mark`'s snapshot, whatever their ids,
   * so a long import that commits after a later, shorter one is read when it commits, never skipped.
   */
  async *scanAfter(mark: PresenceMark, batch = 50_000): AsyncGenerator<{ records: Presence[]; mark: PresenceMark }> {
    for await (const { records, mark: at } of this.scanTuplesAfter(mark, batch)) yield { records: records.map(tupleToPresence), mark: at };
  }

  /** `scanAfter` with each record as a PresenceTuple (no object per record: what the tracing index reads). */
  async *scanTuplesAfter(mark: PresenceMark, batch = 50_000): AsyncGenerator<{ records: PresenceTuple[]; mark: PresenceMark }> {
    if (mark.snapshot === null) {
      for (let at = mark; ;) {
        const rows = await this.db.rows<PresenceTuple>(`SELECT ${TUPLE} FROM presence WHERE id > ? AND id < ${MOVING_FLOOR} ORDER BY id LIMIT ?`, [at.maxId, batch]);
        if (rows.length === 0) return;
        at = { maxId: rows[rows.length - 1][0], count: at.count + rows.length, snapshot: null };
        yield { records: rows, mark: at };
      }
    }
    // A pass from `mark.snapshot` up to the snapshot now (or the one a broken-off pass was reading up to), in
    // (transaction, id) order; the rows of transactions committed in the later snapshot are all there to read.
    let at = mark;
    const to = at.pass?.to ?? (await this.db.get<{ snap: string }>('SELECT pg_current_snapshot()::text AS snap'))!.snap;
    for (;;) {
      const after = at.pass ?? { tx: '0', id: 0 };
      const rows = await this.db.rows<[...PresenceTuple, string]>(
        `SELECT ${TUPLE_OF_P}, p.tx::text AS tx_text FROM presence p
         WHERE p.tx >= pg_snapshot_xmin(?::pg_snapshot) AND (p.tx, p.id) > (?::xid8, ?)
           AND NOT pg_visible_in_snapshot(p.tx, ?::pg_snapshot) AND pg_visible_in_snapshot(p.tx, ?::pg_snapshot)
         ORDER BY p.tx, p.id LIMIT ?`, [at.snapshot, after.tx, after.id, at.snapshot, to, batch]);
      const last = rows.at(-1);
      const count = at.count + rows.length;
      const maxId = rows.reduce((m, r) => Math.max(m, r[0]), at.maxId);
      const records = rows.map((r) => r.slice(0, 8) as PresenceTuple);
      if (rows.length < batch || !last) {
        yield { records, mark: { maxId, count, snapshot: to } };
        return;
      }
      at = { maxId, count, snapshot: at.snapshot, pass: { to, tx: last[8], id: last[0] } };
      yield { records, mark: at };
    }
  }

  /** A page of presence records, optionally of one person or one place. */
  async list(filter: { personId?: number; placeId?: number }, page: PageRequest): Promise<Page<Presence>> {
    const where = ['id > ?'];
    const params: number[] = [page.after ?? 0];
    if (filter.personId) { where.push('person_id = ?'); params.push(filter.personId); }
    if (filter.placeId) { where.push('place_id = ?'); params.push(filter.placeId); }
    const rows = await this.db.all<PresenceRow>(`SELECT * FROM presence WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toPresence);
  }
}
