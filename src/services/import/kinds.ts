/**
 * What each kind of feed file holds: its columns, how a row becomes a record, its natural key within the file, and
 * how a batch of rows is resolved against what is stored (persons by ID number or phone, places by code) and written.
 * A row whose natural key is stored already and whose values are the same changes nothing; one whose values differ
 * updates the stored row, with a correction naming the file and line, or (where a value cannot be corrected by a
 * feed) is refused as a conflict naming the field. Every write comes with its domain event in the same transaction.
 */
import { changesAnything, diff } from '../../domain/corrections.ts';
import { inScope } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import { birthAndSexOf, hashIdNumber, maskIdNumber } from '../../domain/identity.ts';
import type { NewEvent } from '../../domain/events.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import { applyCaseFix } from '../cases/corrections.ts';
import { checkNewCaseIn } from '../cases/confirmCase.ts';
import { applyPersonFix } from '../people/correctPerson.ts';
import {
  CaseKindSchema, CaseOutcomeSchema, DetectionRouteSchema, PlaceCategorySchema, PlaceStatusSchema, PresenceSourceSchema,
  SampleMethodSchema, SeveritySchema, TestResultSchema, VehicleSettingSchema, type ImportKind, type PresenceSource,
} from '../../domain/model/index.ts';
import { presenceKey, type NewPresence } from '../../storage/sql/places.ts';
import type { Repositories } from '../../storage/store.ts';
import { formatTime } from '../../domain/time.ts';
import { FieldReader, type FieldProblem } from './fields.ts';
import type { z } from 'zod';

/** What row parsing and writing may consult: the hash key, the known division codes, who imports, the edition. */
export interface ImportContext {
  idHashKey: string;
  /** Every region code (province to grid). */
  regionCodes: ReadonlySet<string>;
  /** Community codes only (12 digits). */
  communityCodes: ReadonlySet<string>;
  now: number;
  /** Who imports and the server's clock (corrections and events record them). */
  ctx: Ctx;
  edition: ProtocolEdition;
  /** The file's name, for the source of corrections (`import:<file>:<line>`). */
  file: string;
  /**
   * The sender's region (a division code; the API key's region for a batch over the wire), or null/undefined for the
   * whole province (the CLI). Rows may name only divisions and places inside it: the communities and grids of
   * persons, the region of a place (and of a stored place a row would change), the place of a presence record and a
   * case's hospital. Persons are named anywhere (a visitor's case is confirmed where it is found).
   */
  scope?: string | null;
  /**
   * Ids already resolved in this import (its one transaction: no person or place is removed or renumbered meanwhile),
   * so a person seen on many rows is hashed and looked up once: ID number -> person id, place code -> place id.
   * Only found ids are kept, and each map is emptied when it reaches `RESOLVED_MAX` entries (memory stays bounded).
   */
  resolved?: { persons: Map<string, number>; places: Map<string, number> };
}

/** Refuses at `field` a division code outside the sender's region (see `ImportContext.scope`). */
function withinScope(r: FieldReader, field: string, code: string | null, scope: string | null | undefined): void {
  if (code && scope) r.check(inScope(scope, code), field, `${code} is outside this sender's region ${scope}`);
}

/** Entries an import's map of resolved ids holds before it is emptied (about 100 MB at most). */
export const RESOLVED_MAX = 1_000_000;

/** Remembers a resolved id, emptying the map first when it is full. */
function remember(map: Map<string, number>, key: string, id: number): void {
  if (map.size >= RESOLVED_MAX) map.clear();
  map.set(key, id);
}

/** What a batch's write did. */
export interface WriteResult {
  inserted: number;
  /** Rows whose key was stored with other values, now updated (with a correction each). */
  updated: number;
  problems: RowProblem[];
}

/** The source a correction from an imported row records. */
const sourceOf = (ctx: ImportContext, line: number) => `import:${ctx.file}:${line}`;
/** Appends an import's events, by who imports, at the import's time. */
export const emit = (repos: Repositories, ctx: ImportContext, events: NewEvent[]) => repos.events.append(events, actorName(ctx.ctx.actor), ctx.now);

/** A row problem found while resolving references against the store. */
export interface RowProblem extends FieldProblem {
  line: number;
}

/** A parsed row waiting to be written. */
export interface Parsed<T> {
  line: number;
  value: T;
}

export interface KindSpec<T> {
  required: readonly string[];
  optional: readonly string[];
  /** Other headers agencies write for the columns (Chinese), each with the column it stands for; see columns.ts. */
  headers: Readonly<Record<string, string>>;
  /** At least one of these columns must be present (presence: id_number or phone). */
  anyOf?: readonly string[];
  /** The columns that take a value of a closed vocabulary, with its schema (what `parse` checks them by; `--help` lists them). */
  vocabulary?: Readonly<Record<string, z.ZodType<string>>>;
  parse(r: FieldReader, ctx: ImportContext): T;
  /** Natural key within the file: a second row with the same key is rejected as a duplicate. */
  key?(value: T): string;
  /** Resolves references and writes; when it returns problems the caller rolls the whole file back. */
  write(rows: Parsed<T>[], repos: Repositories, ctx: ImportContext): Promise<WriteResult>;
}

/** Resolves the ID numbers of rows to person ids, with a problem for each that is not registered. */
async function personIds<T>(rows: Parsed<T>[], idOf: (v: T) => string, repos: Repositories, ctx: ImportContext, field = 'id_number') {
  const known = ctx.resolved?.persons;
  const out = rows.map((r) => known?.get(idOf(r.value)) ?? 0);
  // Only the rows of persons not yet resolved in this import are hashed and looked up.
  const todo = rows.flatMap((r, i) => (out[i] === 0 ? [i] : []));
  const hashes = todo.map((i) => hashIdNumber(idOf(rows[i].value), ctx.idHashKey));
  const ids = todo.length > 0 ? await repos.persons.idsByHash(hashes) : new Map<string, number>();
  const problems: RowProblem[] = [];
  todo.forEach((i, k) => {
    const id = ids.get(hashes[k]);
    if (id === undefined) problems.push({ line: rows[i].line, field, reason: 'no registered person with this ID number (import persons first)' });
    else {
      out[i] = id;
      if (known) remember(known, idOf(rows[i].value), id);
    }
  });
  return { ids: out, problems };
}

/**
 * Resolves the phones of rows to person ids. A phone that several persons hold (a family phone) is refused as
 * ambiguous, never attached to one holder chosen by row order: the row must name its person by ID number.
 */
async function personsByPhone<T>(rows: Parsed<T>[], phoneOf: (v: T) => string, repos: Repositories, field = 'phone') {
  const holders = await repos.persons.holdersByPhone(rows.map((r) => phoneOf(r.value)));
  const problems: RowProblem[] = [];
  const ids = new Map<Parsed<T>, number>();
  for (const r of rows) {
    const found = holders.get(phoneOf(r.value)) ?? [];
    if (found.length === 0) problems.push({ line: r.line, field, reason: 'no registered person with this phone number' });
    else if (found.length > 1) problems.push({ line: r.line, field, reason: `ambiguous: ${found.length} registered persons hold this phone number (a shared phone); give id_number to say whose record this is` });
    else ids.set(r, found[0]);
  }
  return { ids, problems };
}

async function placeIds<T>(rows: Parsed<T>[], codeOf: (v: T) => string | null, repos: Repositories, field: string, ctx?: ImportContext) {
  const known = ctx?.resolved?.places;
  const ids = new Map<string, number>();
  const wanted = new Set<string>();
  for (const r of rows) {
    const code = codeOf(r.value);
    if (code === null) continue;
    const id = known?.get(code);
    if (id === undefined) wanted.add(code);
    else ids.set(code, id);
  }
  // A sender with a region names only its places: the places' regions are read (and only those inside remembered).
  const scope = ctx?.scope;
  const outside = new Map<string, string>();
  if (wanted.size > 0 && scope) {
    for (const [code, place] of await repos.places.byCodes([...wanted])) {
      if (!inScope(scope, place.regionCode)) outside.set(code, place.regionCode);
      else {
        ids.set(code, place.id);
        if (known) remember(known, code, place.id);
      }
    }
  } else if (wanted.size > 0) {
    for (const [code, id] of await repos.places.idsByCode([...wanted])) {
      ids.set(code, id);
      if (known) remember(known, code, id);
    }
  }
  const problems: RowProblem[] = [];
  const out = rows.map((r) => {
    const code = codeOf(r.value);
    if (code === null) return null;
    const id = ids.get(code);
    const region = outside.get(code);
    if (region !== undefined) problems.push({ line: r.line, field, reason: `place ${code} is in region ${region}, outside this sender's region ${scope}` });
    else if (id === undefined) problems.push({ line: r.line, field, reason: `unknown place code "${code}" (import places first)` });
    return id ?? null;
  });
  return { ids: out, problems };
}

/** The value of a required field that was refused or left blank: its problem is recorded, so the row is never written. */
// Stryker disable next-line StringLiteral: equivalent: see above
const REFUSED = '';

/** Chinese headers for the ID number, which every kind but places holds. */
const ID_HEADERS = { 身份证号: 'id_number', 身份证号码: 'id_number', 公民身份号码: 'id_number', 证件号码: 'id_number', 证件号: 'id_number' };
/** Chinese headers for a phone number. */
const PHONE_HEADERS = { 手机号: 'phone', 手机号码: 'phone', 联系电话: 'phone', 电话: 'phone' };

interface PersonRow { idNumber: string; name: string; phone: string | null; householdCode: string | null; community: string; grid: string | null; occupation: string | null; address: string | null }

const persons: KindSpec<PersonRow> = {
  required: ['id_number', 'name', 'community_code'],
  optional: ['phone', 'household_code', 'grid_code', 'occupation', 'address'],
  headers: {
    ...ID_HEADERS, ...PHONE_HEADERS, 姓名: 'name', 社区代码: 'community_code', 社区编码: 'community_code', 户编号: 'household_code', 户号: 'household_code',
    网格代码: 'grid_code', 网格编码: 'grid_code', 职业: 'occupation', 住址: 'address', 现住址: 'address', 地址: 'address',
  },
  parse(r, ctx) {
    const row = {
      idNumber: r.idNumber('id_number') ?? REFUSED, name: r.req('name'), phone: r.phone('phone'), householdCode: r.opt('household_code'),
      community: r.known('community_code', ctx.communityCodes, 'community code') ?? REFUSED, grid: r.known('grid_code', ctx.regionCodes, 'grid code', false),
      occupation: r.opt('occupation'), address: r.opt('address'),
    };
    if (row.grid && row.community) r.check(row.grid.startsWith(row.community), 'grid_code', `grid ${row.grid} is not under community ${row.community}`);
    withinScope(r, 'community_code', row.community, ctx.scope);
    return row;
  },
  key: (v) => v.idNumber,
  async write(rows, repos, ctx) {
    const households = new Map<string, { code: string; communityCode: string; gridCode: string | null; address: string | null }>();
    for (const { value: v } of rows) {
      if (v.householdCode && !households.has(v.householdCode)) households.set(v.householdCode, { code: v.householdCode, communityCode: v.community, gridCode: v.grid, address: v.address });
    }
    await repos.persons.insertHouseholds([...households.values()]);
    const stored = await repos.persons.householdsByCodes([...households.keys()]);
    const hh = new Map([...stored].map(([code, h]) => [code, h.id]));
    const hashes = rows.map(({ value: v }) => hashIdNumber(v.idNumber, ctx.idHashKey));
    // A household is in one community: a row may not join a person of another community to it (co-residents are
    // close contacts, so it would reach into another community's tracing); and a sender with a region may not change
    // a person registered outside it (their community, phone, household).
    const problems: RowProblem[] = [];
    for (const { line, value: v } of rows) {
      const h = v.householdCode ? stored.get(v.householdCode) : undefined;
      if (h && h.communityCode !== v.community) problems.push({ line, field: 'household_code', reason: `household ${v.householdCode} is in community ${h.communityCode}, not ${v.community}` });
    }
    if (ctx.scope) {
      const before = await repos.persons.byHashes(hashes);
      rows.forEach(({ line }, i) => {
        const p = before.get(hashes[i]);
        if (p && !inScope(ctx.scope!, p.communityCode)) problems.push({ line, field: 'id_number', reason: `this person is registered in community ${p.communityCode}, outside this sender's region ${ctx.scope}` });
      });
    }
    if (problems.length) return { inserted: 0, updated: 0, problems: problems.sort((a, b) => a.line - b.line) };
    const inserted = await repos.persons.insertMany(rows.map(({ value: v }, i) => ({
      idHash: hashes[i], idMasked: maskIdNumber(v.idNumber), name: v.name, ...birthAndSexOf(v.idNumber),
      phone: v.phone, householdId: v.householdCode ? hh.get(v.householdCode) ?? null : null, communityCode: v.community, gridCode: v.grid,
      occupation: v.occupation, createdAt: ctx.now,
    })));
    // Stryker disable next-line ConditionalExpression: equivalent: with every row new, the stored rows equal them and nothing is corrected (the check saves the reads)
    if (inserted === rows.length) return { inserted, updated: 0, problems: [] };
    // Some were stored already: those whose registered details differ are corrected (file and line as the source);
    // the rows just inserted equal their stored values, so they change nothing here.
    const registered = await repos.persons.byHashes(hashes);
    let updated = 0;
    for (const [i, { line, value: v }] of rows.entries()) {
      const before = registered.get(hashes[i]);
      // Stryker disable next-line ConditionalExpression: the `false` variant is equivalent: every row is stored by now, inserted or before; the directive also hides the `true` variant (no row corrected), which feedKinds.test.ts and importFlow.test.ts kill
      if (!before) continue;
      const fix = { name: v.name, phone: v.phone, communityCode: v.community, gridCode: v.grid, occupation: v.occupation, householdId: v.householdCode ? hh.get(v.householdCode) ?? null : null };
      if (changesAnything(await applyPersonFix(repos, ctx.ctx, before, fix, 'corrected by a feed', sourceOf(ctx, line)))) updated++;
    }
    return { inserted, updated, problems: [] };
  },
};

interface PlaceRow { code: string; name: string; category: string; region: string; lng: number | null; lat: number | null; status: string; vehicle: string | null }

const places: KindSpec<PlaceRow> = {
  required: ['code', 'name', 'category', 'region_code'],
  optional: ['lng', 'lat', 'status', 'vehicle_setting'],
  vocabulary: { category: PlaceCategorySchema, status: PlaceStatusSchema, vehicle_setting: VehicleSettingSchema },
  headers: {
    场所编码: 'code', 场所代码: 'code', 场所名称: 'name', 名称: 'name', 场所类别: 'category', 类别: 'category', 区划代码: 'region_code', 行政区划代码: 'region_code',
    经度: 'lng', 纬度: 'lat', 状态: 'status', 场所状态: 'status', 交通工具类型: 'vehicle_setting',
  },
  parse(r, ctx) {
    const row = {
      code: r.req('code'), name: r.req('name'), category: r.oneOf('category', PlaceCategorySchema), region: r.known('region_code', ctx.regionCodes, 'region code') ?? REFUSED,
      lng: r.num('lng', -180, 180), lat: r.num('lat', -90, 90), status: r.oneOf('status', PlaceStatusSchema, 'open'),
      vehicle: r.opt('vehicle_setting') === null ? null : r.oneOf('vehicle_setting', VehicleSettingSchema),
    };
    // Given together: judged on what the row holds, so a longitude out of range is not also called a missing one.
    r.check((r.opt('lng') === null) === (r.opt('lat') === null), 'lat', 'lng and lat must be given together');
    r.check(row.vehicle === null || row.category === 'vehicle', 'vehicle_setting', 'only vehicles have a vehicle setting');
    withinScope(r, 'region_code', row.region, ctx.scope);
    return row;
  },
  key: (v) => v.code,
  async write(rows, repos, ctx) {
    const inserted = await repos.places.insertMany(rows.map(({ value: v }) => ({
      code: v.code, name: v.name, category: v.category as never, regionCode: v.region, lng: v.lng, lat: v.lat, status: v.status as never, vehicleSetting: v.vehicle as never,
    })));
    // Stryker disable next-line ConditionalExpression: equivalent: with every row new, the stored rows equal them and nothing is corrected (the check saves the reads)
    if (inserted === rows.length) return { inserted, updated: 0, problems: [] };
    // Stored places: a new name, region or position is a correction; a new category or vehicle setting would change
    // who was a contact there, so it is a conflict for a person to resolve, not something a feed changes.
    const stored = await repos.places.byCodes(rows.map((r) => r.value.code));
    const problems: RowProblem[] = [];
    let updated = 0;
    for (const { line, value: v } of rows) {
      const before = stored.get(v.code);
      // Stryker disable next-line ConditionalExpression: equivalent: every row is stored by now, inserted or before
      if (!before) continue;
      if (ctx.scope && !inScope(ctx.scope, before.regionCode)) {
        problems.push({ line, field: 'code', reason: `place ${v.code} is stored in region ${before.regionCode}, outside this sender's region ${ctx.scope}` });
        continue;
      }
      if (before.category !== v.category) problems.push({ line, field: 'category', reason: `place ${v.code} is stored as ${before.category}; a feed cannot change a place's category` });
      if ((before.vehicleSetting ?? null) !== v.vehicle) problems.push({ line, field: 'vehicle_setting', reason: `place ${v.code} is stored with vehicle setting ${before.vehicleSetting ?? 'none'}; a feed cannot change it` });
      const changes = diff(before, { name: v.name, regionCode: v.region, lng: v.lng, lat: v.lat });
      if (problems.length || !changesAnything(changes)) continue;
      await repos.places.update(before.id, { name: v.name, regionCode: v.region, lng: v.lng, lat: v.lat });
      await repos.corrections.record([{ entity: 'place', entityKey: v.code, changes, reason: 'corrected by a feed', actor: actorName(ctx.ctx.actor), at: ctx.now, source: sourceOf(ctx, line) }]);
      updated++;
    }
    return { inserted, updated, problems };
  },
};

export interface PresenceRow { idNumber: string | null; phone: string | null; place: string; start: number; end: number; source: string; seat: string | null; carriage: string | null }

/**
 * Resolves presence rows to records: persons by ID number or phone, places by code (reads only). Problems name each
 * row that cannot be resolved; `records` is then incomplete and must not be written.
 */
export async function resolvePresence(rows: Parsed<PresenceRow>[], repos: Repositories, ctx: ImportContext): Promise<{ records: NewPresence[]; problems: RowProblem[] }> {
  const byId = rows.filter((r) => r.value.idNumber !== null);
  const byPhone = rows.filter((r) => r.value.idNumber === null);
  const idRes = await personIds(byId, (v) => v.idNumber!, repos, ctx);
  const phoneRes = await personsByPhone(byPhone, (v) => v.phone!, repos);
  const problems: RowProblem[] = [...idRes.problems, ...phoneRes.problems];
  const person = new Map<Parsed<PresenceRow>, number>(phoneRes.ids);
  byId.forEach((r, i) => person.set(r, idRes.ids[i]));
  const pl = await placeIds(rows, (v) => v.place, repos, 'place_code', ctx);
  problems.push(...pl.problems);
  if (problems.length) return { records: [], problems };
  const records = rows.map((r, i) => ({
    personId: person.get(r)!, placeId: pl.ids[i]!, start: r.value.start, end: r.value.end, source: r.value.source as PresenceSource, seat: r.value.seat, carriage: r.value.carriage,
  }));
  return { records, problems };
}

/**
 * Inserts presence records (with their rows' lines) in the caller's transaction, skipping keys stored already: the
 * same record again changes nothing; one stored with another end, seat or carriage is a problem at its line (the
 * tracing done on the stored record would not follow a silent change), and so is one whose stored record `pending`
 * names, with the file of the import still writing it (it may yet be taken back). With problems, the caller rolls back.
 */
export async function insertPresence(
  repos: Repositories, lines: readonly number[], records: NewPresence[], pending?: (storedIds: number[]) => Promise<Map<number, string>>,
): Promise<{ inserted: number; problems: RowProblem[] }> {
  const inserted = await repos.presence.insertMany(records);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: with every row new, each stored record equals its row (the check saves the reads)
  if (inserted === records.length) return { inserted, problems: [] };
  const stored = await repos.presence.byKeys(records);
  const elsewhere = pending ? await pending([...stored.values()].map((p) => p.id)) : new Map<number, string>();
  const problems: RowProblem[] = [];
  records.forEach((rec, i) => {
    const before = stored.get(presenceKey(rec));
    // Stryker disable next-line ConditionalExpression: equivalent: every record is stored by now, inserted or before
    if (!before) return;
    const file = elsewhere.get(before.id);
    if (file !== undefined) problems.push({ line: lines[i], field: 'start', reason: `another import (${file}) is writing this person's record of this place, start and feed right now; import again once it has ended` });
    else problems.push(...presenceConflicts(lines[i], before, rec));
  });
  return { inserted, problems };
}

/** The problems of a presence row whose key is stored with another end, seat or carriage: one per field that differs. */
function presenceConflicts(line: number, stored: Pick<NewPresence, 'end' | 'seat' | 'carriage'>, row: Pick<NewPresence, 'end' | 'seat' | 'carriage'>): RowProblem[] {
  return (['end', 'seat', 'carriage'] as const).flatMap((f) => ((stored[f] ?? null) !== (row[f] ?? null)
    ? [{ line, field: f, reason: `the stored record of this person, place, start and feed has ${f} ${f === 'end' ? formatTime(stored.end).slice(0, 16).replace('T', ' ') : stored[f] ?? 'none'}; presence is not corrected by a feed` }]
    : []));
}

const presence: KindSpec<PresenceRow> = {
  required: ['place_code', 'start', 'end', 'source'],
  optional: ['id_number', 'phone', 'seat', 'carriage'],
  vocabulary: { source: PresenceSourceSchema },
  headers: {
    ...ID_HEADERS, ...PHONE_HEADERS, 场所编码: 'place_code', 场所代码: 'place_code', 开始时间: 'start', 进入时间: 'start', 结束时间: 'end', 离开时间: 'end',
    来源: 'source', 数据来源: 'source', 座位号: 'seat', 车厢号: 'carriage',
  },
  anyOf: ['id_number', 'phone'],
  parse(r) {
    const row = {
      idNumber: r.idNumber('id_number', false), phone: r.phone('phone'), place: r.req('place_code'), start: r.time('start', true), end: r.time('end', true),
      source: r.oneOf('source', PresenceSourceSchema), seat: r.opt('seat'), carriage: r.opt('carriage'),
    };
    r.check(row.idNumber !== null || row.phone !== null, 'id_number', 'either id_number or phone is required');
    if (
      // Stryker disable next-line ConditionalExpression: equivalent as true: a missing start (already refused) reads as 0, and every end is after it
      row.start !== null
      && row.end !== null) r.check(row.end >= row.start, 'end', 'end is before start');
    return row;
  },
  async write(rows, repos, ctx) {
    const { records, problems } = await resolvePresence(rows, repos, ctx);
    if (problems.length) return { inserted: 0, updated: 0, problems };
    const { inserted, problems: conflicts } = await insertPresence(repos, rows.map((r) => r.line), records);
    if (conflicts.length) return { inserted: 0, updated: 0, problems: conflicts };
    if (inserted > 0) {
      await emit(repos, ctx, [{ kind: 'presence.recorded', payload: { count: inserted, from: Math.min(...records.map((r) => r.start)), to: Math.max(...records.map((r) => r.end)) } }]);
    }
    return { inserted, updated: 0, problems: [] };
  },
};

interface CaseRow {
  caseNo: string; idNumber: string; kind: string; onset: number | null; sampled: number; confirmed: number; isolated: number | null;
  /** Null when the row does not give it (a re-import then leaves the stored value alone). */
  severity: string | null; hospital: string | null; outcome: string | null; outcomeAt: number | null; detectedBy: string | null;
}

/** The field of a case report a domain error's details name, in the file's column names. */
const CASE_COLUMN: Record<string, string> = {
  onsetAt: 'onset_at', sampledAt: 'sampled_at', confirmedAt: 'confirmed_at', isolatedAt: 'isolated_at', outcomeAt: 'outcome_at', hospitalPlaceId: 'hospital_code',
};

/** A domain error as row problems (one per field it names). */
function problemsOf(e: unknown, line: number, fallbackField: string): RowProblem[] {
  // Stryker disable next-line ConditionalExpression: unreachable in tests: only a storage failure inside the case rules throws anything else
  if (!(e instanceof DomainError)) throw e;
  const issues = Array.isArray(e.details) ? e.details : [];
  if (issues.length === 0) return [{ line, field: fallbackField, reason: e.message }];
  return issues.map((i) => ({ line, field: CASE_COLUMN[i.field] ?? i.field, reason: i.reason }));
}

const cases: KindSpec<CaseRow> = {
  required: ['case_no', 'id_number', 'kind', 'sampled_at', 'confirmed_at'],
  optional: ['onset_at', 'isolated_at', 'severity', 'hospital_code', 'outcome', 'outcome_at', 'detected_by'],
  vocabulary: { kind: CaseKindSchema, severity: SeveritySchema, outcome: CaseOutcomeSchema, detected_by: DetectionRouteSchema },
  headers: {
    ...ID_HEADERS, 病例编号: 'case_no', 病例类型: 'kind', 发病时间: 'onset_at', 采样时间: 'sampled_at', 确诊时间: 'confirmed_at', 隔离时间: 'isolated_at',
    病情: 'severity', 临床分型: 'severity', 救治医院编码: 'hospital_code', 医院编码: 'hospital_code', 转归: 'outcome', 转归时间: 'outcome_at', 发现途径: 'detected_by',
  },
  parse(r) {
    const row = {
      caseNo: r.req('case_no'), idNumber: r.idNumber('id_number') ?? REFUSED, kind: r.oneOf('kind', CaseKindSchema), onset: r.time('onset_at'),
      sampled: r.time('sampled_at', true), confirmed: r.time('confirmed_at', true), isolated: r.time('isolated_at'),
      severity: r.opt('severity') === null ? null : r.oneOf('severity', SeveritySchema), hospital: r.opt('hospital_code'),
      outcome: r.opt('outcome') === null ? null : r.oneOf('outcome', CaseOutcomeSchema), outcomeAt: r.time('outcome_at'),
      detectedBy: r.opt('detected_by') === null ? null : r.oneOf('detected_by', DetectionRouteSchema),
    };
    if (
      // Stryker disable next-line ConditionalExpression: equivalent as true: a missing sampling time (already refused) reads as 0, and every confirmation is after it
      row.sampled !== null
      && row.confirmed !== null) r.check(row.confirmed >= row.sampled, 'confirmed_at', 'confirmed before the sample was taken');
    r.check(!(row.kind === 'asymptomatic' && row.onset !== null), 'onset_at', 'an asymptomatic infection has no onset');
    r.check(row.outcomeAt === null || (row.outcome !== null && row.outcome !== 'in_treatment'), 'outcome_at', 'an outcome time needs an outcome other than in_treatment');
    return row;
  },
  key: (v) => v.caseNo,
  async write(rows, repos, ctx) {
    const ids = await personIds(rows, (v) => v.idNumber, repos, ctx);
    const hospitals = await placeIds(rows, (v) => v.hospital, repos, 'hospital_code', ctx);
    const problems = [...ids.problems, ...hospitals.problems];
    if (problems.length) return { inserted: 0, updated: 0, problems };
    const stored = await repos.cases.byCaseNos(rows.map((r) => r.value.caseNo));
    // A sender with a region corrects only the cases it may see: of a person registered inside it, or treated at a
    // hospital inside it (a visitor's case). A new case may be of anyone (a visitor is confirmed where found).
    const outOfScope = new Set<string>();
    if (ctx.scope && stored.size > 0) {
      const scope = ctx.scope;
      const persons = await repos.persons.byIds([...stored.values()].map((c) => c.personId));
      const hospitalsOf = await repos.places.byIds([...stored.values()].flatMap((c) => (c.hospitalPlaceId === null ? [] : [c.hospitalPlaceId])));
      for (const [caseNo, c] of stored) {
        const home = persons.get(c.personId)?.communityCode ?? '';
        const hospital = c.hospitalPlaceId === null ? '' : hospitalsOf.get(c.hospitalPlaceId)?.regionCode ?? '';
        if (!inScope(scope, home) && !(hospital && inScope(scope, hospital))) outOfScope.add(caseNo);
      }
    }
    const fresh: { row: Parsed<CaseRow>; personId: number; hospital: number | null }[] = [];
    const newCaseOf = new Map<number, number>(); // person -> line of the new case in this batch
    let updated = 0;
    for (const [i, row] of rows.entries()) {
      const { line, value: v } = row;
      const before = stored.get(v.caseNo);
      if (before) {
        if (outOfScope.has(v.caseNo)) { problems.push({ line, field: 'case_no', reason: `case ${v.caseNo} is of a person registered and treated outside this sender's region ${ctx.scope}` }); continue; }
        // A case reported again: what differs is a correction (outcome, isolation, times ...), through the same rules.
        if (before.personId !== ids.ids[i]) { problems.push({ line, field: 'id_number', reason: `case ${v.caseNo} is recorded for another person` }); continue; }
        const fix = {
          kind: v.kind as never, onsetAt: v.onset, sampledAt: v.sampled, confirmedAt: v.confirmed, isolatedAt: v.isolated,
          ...(v.severity !== null ? { severity: v.severity as never } : {}), ...(v.hospital !== null ? { hospitalPlaceId: hospitals.ids[i] } : {}),
          ...(v.outcome !== null ? { outcome: v.outcome as never, ...(v.outcomeAt !== null ? { outcomeAt: v.outcomeAt } : {}) } : {}),
          ...(v.detectedBy !== null ? { detectedBy: v.detectedBy as never } : {}),
        };
        try {
          if (changesAnything(await applyCaseFix(repos, ctx.ctx, ctx.edition, before, fix, 'corrected by a feed', sourceOf(ctx, line)))) updated++;
        } catch (e) {
          problems.push(...problemsOf(e, line, 'case_no'));
        }
        continue;
      }
      const other = newCaseOf.get(ids.ids[i]);
      if (other !== undefined) { problems.push({ line, field: 'id_number', reason: `the same person has a new case at line ${other}` }); continue; }
      const report = {
        caseNo: v.caseNo, personId: ids.ids[i], kind: v.kind as never, onsetAt: v.onset, sampledAt: v.sampled, confirmedAt: v.confirmed, isolatedAt: v.isolated,
        severity: (v.severity ?? 'mild') as never, hospitalPlaceId: hospitals.ids[i], detectedBy: v.detectedBy as never,
      };
      try {
        await checkNewCaseIn(repos, ctx.ctx, ctx.edition, report);
      } catch (e) {
        problems.push(...problemsOf(e, line, 'id_number'));
        continue;
      }
      newCaseOf.set(ids.ids[i], line);
      fresh.push({ row, personId: ids.ids[i], hospital: hospitals.ids[i] });
    }
    if (problems.length) return { inserted: 0, updated: 0, problems };
    const inserted = await repos.cases.insertMany(fresh.map(({ row: { value: v }, personId, hospital }) => ({
      caseNo: v.caseNo, personId, kind: v.kind as never, onsetAt: v.onset, sampledAt: v.sampled, confirmedAt: v.confirmed, isolatedAt: v.isolated,
      severity: (v.severity ?? 'mild') as never, hospitalPlaceId: hospital, outcome: (v.outcome ?? 'in_treatment') as never,
      // A final outcome reported without its time is dated when the server first learnt of it (the import); a correction can move it earlier.
      outcomeAt: v.outcome !== null && v.outcome !== 'in_treatment' ? v.outcomeAt ?? ctx.now : null, detectedBy: v.detectedBy as never,
    })));
    // Imported cases are traced as of their confirmation (a replay of what the health commission reported).
    const recorded = await repos.cases.byCaseNos(fresh.map((f) => f.row.value.caseNo));
    await emit(repos, ctx, [...recorded.values()].map((c) => ({ kind: 'case.recorded', payload: { caseId: c.id, personId: c.personId, traceAs: 'confirmation' } })));
    return { inserted, updated, problems: [] };
  },
};

interface SampleRow { sampleNo: string; idNumber: string; sampled: number; method: string; poolNo: string | null; poolSize: number | null; result: string; resultAt: number | null; lab: string | null }

const samples: KindSpec<SampleRow> = {
  required: ['sample_no', 'id_number', 'sampled_at', 'method', 'result'],
  optional: ['pool_no', 'pool_size', 'result_at', 'lab'],
  vocabulary: { method: SampleMethodSchema, result: TestResultSchema },
  headers: {
    ...ID_HEADERS, 样本编号: 'sample_no', 采样时间: 'sampled_at', 检测方式: 'method', 采样方式: 'method', 混管编号: 'pool_no', 混管人数: 'pool_size',
    检测结果: 'result', 结果时间: 'result_at', 报告时间: 'result_at', 检测机构: 'lab', 实验室: 'lab',
  },
  parse(r) {
    const row = {
      sampleNo: r.req('sample_no'), idNumber: r.idNumber('id_number') ?? REFUSED, sampled: r.time('sampled_at', true), method: r.oneOf('method', SampleMethodSchema),
      poolNo: r.opt('pool_no'), poolSize: r.int('pool_size', { min: 1, max: 50 }), result: r.oneOf('result', TestResultSchema), resultAt: r.time('result_at'), lab: r.opt('lab'),
    };
    r.check(row.method !== 'pooled' || row.poolNo !== null, 'pool_no', 'a pooled sample names its pool');
    r.check(row.method !== 'single' || row.poolNo === null, 'pool_no', 'a single-tube sample has no pool');
    if (row.resultAt !== null &&
      // Stryker disable next-line ConditionalExpression: equivalent as true: a missing sampling time (already refused) reads as 0, and every result is after it
      row.sampled !== null) r.check(row.resultAt >= row.sampled, 'result_at', 'result before the sample was taken');
    return row;
  },
  key: (v) => v.sampleNo,
  async write(rows, repos, ctx) {
    const ids = await personIds(rows, (v) => v.idNumber, repos, ctx);
    const problems = [...ids.problems];
    // Pooled tubes: one of the edition's sizes (its low-risk size when the file does not say), never more samples
    // than that, one result each.
    const sizes = [...new Set(Object.values(ctx.edition.testing.poolSize))].filter((n) => n > 1);
    const pools = new Map<string, { poolNo: string; size: number | null; sampledAt: number; result: string; resultAt: number | null; lab: string | null; line: number }>();
    for (const { line, value: v } of rows) {
      if (!v.poolNo) continue;
      if (v.poolSize !== null && !sizes.includes(v.poolSize)) problems.push({ line, field: 'pool_size', reason: `a pooled tube takes ${sizes.join(', ')} samples under edition ${ctx.edition.id}, not ${v.poolSize}` });
      const seen = pools.get(v.poolNo);
      if (!seen) { pools.set(v.poolNo, { poolNo: v.poolNo, size: v.poolSize, sampledAt: v.sampled, result: v.result, resultAt: v.resultAt, lab: v.lab, line }); continue; }
      if (seen.result !== v.result) problems.push({ line, field: 'result', reason: `pool ${v.poolNo} already has result "${seen.result}" (line ${seen.line})` });
      if (v.poolSize !== null && seen.size !== null && v.poolSize !== seen.size) problems.push({ line, field: 'pool_size', reason: `pool ${v.poolNo} has size ${seen.size} at line ${seen.line}` });
      seen.size ??= v.poolSize;
    }
    const storedPools = new Map<string, { id: number; size: number; members: number }>();
    for (const p of pools.values()) {
      const stored = await repos.samples.poolByNo(p.poolNo);
      if (stored) storedPools.set(p.poolNo, { id: stored.id, size: stored.size, members: await repos.samples.membersOf(stored.id) });
    }
    const storedSamples = await repos.samples.bySampleNos(rows.map((r) => r.value.sampleNo));
    const added = new Map<string, number>();
    for (const { value: v } of rows) if (v.poolNo && !storedSamples.has(v.sampleNo)) added.set(v.poolNo, (added.get(v.poolNo) ?? 0) + 1);
    for (const [poolNo, n] of added) {
      const p = pools.get(poolNo)!, st = storedPools.get(poolNo);
      const size = st?.size ?? p.size ?? ctx.edition.testing.poolSize.low;
      const members = (st?.members ?? 0) + n;
      if (members > size) problems.push({ line: p.line, field: 'pool_no', reason: `pool ${poolNo} would hold ${members} samples, more than its size ${size}` });
    }
    // Stryker disable next-line ConditionalExpression: equivalent for what is stored: the problems refuse the file below and its transaction rolls back (the check saves the writes)
    if (problems.length) return { inserted: 0, updated: 0, problems };
    // Stryker disable next-line MethodExpression: equivalent: a stored pool inserted again is ignored (insertPools skips pool numbers it holds)
    await repos.samples.insertPools([...pools.values()].filter((p) => !storedPools.has(p.poolNo))
      .map((p) => ({ poolNo: p.poolNo, size: p.size ?? ctx.edition.testing.poolSize.low, sampledAt: p.sampledAt, result: p.result as never, resultAt: p.resultAt, lab: p.lab })));
    const poolIds = await repos.samples.poolIds(pools.keys());
    const touched = new Set<number>();
    let updated = 0;
    const fresh: { v: SampleRow; personId: number }[] = [];
    for (const [i, row] of rows.entries()) {
      const { line, value: v } = row;
      const before = storedSamples.get(v.sampleNo);
      if (!before) { fresh.push({ v, personId: ids.ids[i] }); touched.add(ids.ids[i]); continue; }
      // A sample reported again: its result (and when) may have come in or been corrected; nothing else may differ.
      const fixed = { personId: before.personId !== ids.ids[i] ? 'id_number' : null, sampledAt: before.sampledAt !== v.sampled ? 'sampled_at' : null, method: before.method !== v.method ? 'method' : null, poolId: before.poolId !== (v.poolNo ? poolIds.get(v.poolNo) ?? null : null) ? 'pool_no' : null };
      for (const field of Object.values(fixed)) if (field) problems.push({ line, field, reason: `sample ${v.sampleNo} is stored with another ${field.replace('_', ' ')}; only its result can change` });
      // Stryker disable next-line ConditionalExpression: equivalent for what is stored: the problems refuse the file and its transaction rolls back
      if (problems.length) continue;
      const changes = diff(before, { result: v.result as never, resultAt: v.resultAt, lab: v.lab });
      if (!changesAnything(changes)) continue;
      await repos.samples.update(before.id, { result: v.result as never, resultAt: v.resultAt, lab: v.lab });
      if (before.result !== 'pending') await repos.corrections.record([{ entity: 'sample', entityKey: v.sampleNo, changes, reason: 'reported again by a feed', actor: actorName(ctx.ctx.actor), at: ctx.now, source: sourceOf(ctx, line) }]);
      touched.add(before.personId);
      updated++;
    }
    if (problems.length) return { inserted: 0, updated: 0, problems };
    const inserted = await repos.samples.insertMany(fresh.map(({ v, personId }) => ({
      sampleNo: v.sampleNo, personId, method: v.method as never, poolId: v.poolNo ? poolIds.get(v.poolNo)! : null, sampledAt: v.sampled,
      result: v.result as never, resultAt: v.resultAt, lab: v.lab,
    })));
    if (touched.size > 0) await emit(repos, ctx, [{ kind: 'test.recorded', payload: { personIds: [...touched] } }]);
    return { inserted, updated, problems: [] };
  },
};

interface VaccinationRow { idNumber: string; dose: number; vaccine: string; at: number; site: string | null }

const vaccinations: KindSpec<VaccinationRow> = {
  required: ['id_number', 'dose', 'vaccine', 'vaccinated_at'],
  optional: ['site'],
  headers: { ...ID_HEADERS, 剂次: 'dose', 疫苗名称: 'vaccine', 疫苗: 'vaccine', 接种时间: 'vaccinated_at', 接种点: 'site', 接种单位: 'site' },
  parse(r) {
    return { idNumber: r.idNumber('id_number') ?? REFUSED, dose: r.int('dose', { required: true, min: 1, max: 10 }) ?? 0, vaccine: r.req('vaccine'), at: r.time('vaccinated_at', true), site: r.opt('site') };
  },
  key: (v) => `${v.idNumber}#${v.dose}`,
  async write(rows, repos, ctx) {
    const ids = await personIds(rows, (v) => v.idNumber, repos, ctx);
    if (ids.problems.length) return { inserted: 0, updated: 0, problems: ids.problems };
    const inserted = await repos.persons.insertVaccinations(rows.map(({ value: v }, i) => ({ personId: ids.ids[i], dose: v.dose, vaccine: v.vaccine, vaccinatedAt: v.at, site: v.site })));
    // Stryker disable next-line ConditionalExpression: equivalent: with every row new, the stored rows equal them and nothing is corrected (the check saves the reads)
    if (inserted === rows.length) return { inserted, updated: 0, problems: [] };
    const stored = await repos.persons.vaccinationsOfPersons(ids.ids);
    let updated = 0;
    for (const [i, { line, value: v }] of rows.entries()) {
      const before = stored.get(`${ids.ids[i]}#${v.dose}`);
      // Stryker disable next-line ConditionalExpression: equivalent: every row is stored by now, inserted or before
      if (!before) continue;
      const changes = diff(before, { vaccine: v.vaccine, vaccinatedAt: v.at, site: v.site });
      if (!changesAnything(changes)) continue;
      await repos.persons.updateVaccination(before.id, { vaccine: v.vaccine, vaccinatedAt: v.at, site: v.site });
      await repos.corrections.record([{ entity: 'vaccination', entityKey: `${ids.ids[i]}#${v.dose}`, changes, reason: 'corrected by a feed', actor: actorName(ctx.ctx.actor), at: ctx.now, source: sourceOf(ctx, line) }]);
      updated++;
    }
    return { inserted, updated, problems: [] };
  },
};

/** The spec of every importable kind. */
export const KINDS: Record<ImportKind, KindSpec<never>> = {
  persons, places, presence, cases, samples, vaccinations,
} as unknown as Record<ImportKind, KindSpec<never>>;
