/**
 * What each kind of feed file holds: its columns, how a row becomes a record, its natural key within the file, and
 * how a batch of rows is resolved against what is stored (persons by ID number or phone, places by code) and written.
 */
import { birthAndSexOf, hashIdNumber, maskIdNumber } from '../../domain/identity.ts';
import {
  CaseKindSchema, CaseOutcomeSchema, DetectionRouteSchema, PlaceCategorySchema, PlaceStatusSchema, PresenceSourceSchema,
  SampleMethodSchema, SeveritySchema, TestResultSchema, VehicleSettingSchema, type ImportKind,
} from '../../domain/model/index.ts';
import type { Repositories } from '../../storage/store.ts';
import { FieldReader, type FieldProblem } from './fields.ts';

/** What row parsing may consult: the hash key and the known division codes. */
export interface ImportContext {
  idHashKey: string;
  /** Every region code (province to grid). */
  regionCodes: ReadonlySet<string>;
  /** Community codes only (12 digits). */
  communityCodes: ReadonlySet<string>;
  now: number;
}

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
  parse(r: FieldReader, ctx: ImportContext): T;
  /** Natural key within the file: a second row with the same key is rejected as a duplicate. */
  key?(value: T): string;
  /** Resolves references and writes; when it returns problems it has written nothing. */
  write(rows: Parsed<T>[], repos: Repositories, ctx: ImportContext): Promise<{ inserted: number; problems: RowProblem[] }>;
}

/** Resolves the ID numbers of rows to person ids, with a problem for each that is not registered. */
async function personIds<T>(rows: Parsed<T>[], idOf: (v: T) => string, repos: Repositories, ctx: ImportContext, field = 'id_number') {
  const hashes = rows.map((r) => hashIdNumber(idOf(r.value), ctx.idHashKey));
  const ids = await repos.persons.idsByHash(hashes);
  const problems: RowProblem[] = [];
  const out = rows.map((r, i) => {
    const id = ids.get(hashes[i]);
    if (id === undefined) problems.push({ line: r.line, field, reason: 'no registered person with this ID number (import persons first)' });
    return id ?? 0;
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

async function placeIds<T>(rows: Parsed<T>[], codeOf: (v: T) => string | null, repos: Repositories, field: string) {
  const ids = await repos.places.idsByCode(rows.map((r) => codeOf(r.value)).filter((c): c is string => c !== null));
  const problems: RowProblem[] = [];
  const out = rows.map((r) => {
    const code = codeOf(r.value);
    if (code === null) return null;
    const id = ids.get(code);
    if (id === undefined) problems.push({ line: r.line, field, reason: `unknown place code "${code}" (import places first)` });
    return id ?? null;
  });
  return { ids: out, problems };
}

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
      idNumber: r.idNumber('id_number') ?? '', name: r.req('name'), phone: r.phone('phone'), householdCode: r.opt('household_code'),
      community: r.known('community_code', ctx.communityCodes, 'community code') ?? '', grid: r.known('grid_code', ctx.regionCodes, 'grid code', false),
      occupation: r.opt('occupation'), address: r.opt('address'),
    };
    if (row.grid && row.community) r.check(row.grid.startsWith(row.community), 'grid_code', `grid ${row.grid} is not under community ${row.community}`);
    return row;
  },
  key: (v) => v.idNumber,
  async write(rows, repos, ctx) {
    const households = new Map<string, { code: string; communityCode: string; gridCode: string | null; address: string | null }>();
    for (const { value: v } of rows) {
      if (v.householdCode && !households.has(v.householdCode)) households.set(v.householdCode, { code: v.householdCode, communityCode: v.community, gridCode: v.grid, address: v.address });
    }
    await repos.persons.insertHouseholds([...households.values()]);
    const hh = await repos.persons.householdIds([...households.keys()]);
    const inserted = await repos.persons.insertMany(rows.map(({ value: v }) => ({
      idHash: hashIdNumber(v.idNumber, ctx.idHashKey), idMasked: maskIdNumber(v.idNumber), name: v.name, ...birthAndSexOf(v.idNumber),
      phone: v.phone, householdId: v.householdCode ? hh.get(v.householdCode) ?? null : null, communityCode: v.community, gridCode: v.grid,
      occupation: v.occupation, createdAt: ctx.now,
    })));
    return { inserted, problems: [] };
  },
};

interface PlaceRow { code: string; name: string; category: string; region: string; lng: number | null; lat: number | null; status: string; vehicle: string | null }

const places: KindSpec<PlaceRow> = {
  required: ['code', 'name', 'category', 'region_code'],
  optional: ['lng', 'lat', 'status', 'vehicle_setting'],
  headers: {
    场所编码: 'code', 场所代码: 'code', 场所名称: 'name', 名称: 'name', 场所类别: 'category', 类别: 'category', 区划代码: 'region_code', 行政区划代码: 'region_code',
    经度: 'lng', 纬度: 'lat', 状态: 'status', 场所状态: 'status', 交通工具类型: 'vehicle_setting',
  },
  parse(r, ctx) {
    const row = {
      code: r.req('code'), name: r.req('name'), category: r.oneOf('category', PlaceCategorySchema), region: r.known('region_code', ctx.regionCodes, 'region code') ?? '',
      lng: r.num('lng', -180, 180), lat: r.num('lat', -90, 90), status: r.oneOf('status', PlaceStatusSchema, 'open'),
      vehicle: r.opt('vehicle_setting') === null ? null : r.oneOf('vehicle_setting', VehicleSettingSchema),
    };
    r.check((row.lng === null) === (row.lat === null), 'lat', 'lng and lat must be given together');
    r.check(row.vehicle === null || row.category === 'vehicle', 'vehicle_setting', 'only vehicles have a vehicle setting');
    return row;
  },
  key: (v) => v.code,
  async write(rows, repos) {
    const inserted = await repos.places.insertMany(rows.map(({ value: v }) => ({
      code: v.code, name: v.name, category: v.category as never, regionCode: v.region, lng: v.lng, lat: v.lat, status: v.status as never, vehicleSetting: v.vehicle as never,
    })));
    return { inserted, problems: [] };
  },
};

interface PresenceRow { idNumber: string | null; phone: string | null; place: string; start: number; end: number; source: string; seat: string | null; carriage: string | null }

const presence: KindSpec<PresenceRow> = {
  required: ['place_code', 'start', 'end', 'source'],
  optional: ['id_number', 'phone', 'seat', 'carriage'],
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
    if (row.start !== null && row.end !== null) r.check(row.end >= row.start, 'end', 'end is before start');
    return row;
  },
  async write(rows, repos, ctx) {
    const byId = rows.filter((r) => r.value.idNumber !== null);
    const byPhone = rows.filter((r) => r.value.idNumber === null);
    const idRes = await personIds(byId, (v) => v.idNumber!, repos, ctx);
    const phoneRes = await personsByPhone(byPhone, (v) => v.phone!, repos);
    const problems: RowProblem[] = [...idRes.problems, ...phoneRes.problems];
    const person = new Map<Parsed<PresenceRow>, number>(phoneRes.ids);
    byId.forEach((r, i) => person.set(r, idRes.ids[i]));
    const pl = await placeIds(rows, (v) => v.place, repos, 'place_code');
    problems.push(...pl.problems);
    if (problems.length) return { inserted: 0, problems };
    const inserted = await repos.presence.insertMany(rows.map((r, i) => ({
      personId: person.get(r)!, placeId: pl.ids[i]!, start: r.value.start, end: r.value.end, source: r.value.source as never, seat: r.value.seat, carriage: r.value.carriage,
    })));
    return { inserted, problems: [] };
  },
};

interface CaseRow {
  caseNo: string; idNumber: string; kind: string; onset: number | null; sampled: number; confirmed: number; isolated: number | null;
  severity: string; hospital: string | null; outcome: string; detectedBy: string | null;
}

const cases: KindSpec<CaseRow> = {
  required: ['case_no', 'id_number', 'kind', 'sampled_at', 'confirmed_at'],
  optional: ['onset_at', 'isolated_at', 'severity', 'hospital_code', 'outcome', 'detected_by'],
  headers: {
    ...ID_HEADERS, 病例编号: 'case_no', 病例类型: 'kind', 发病时间: 'onset_at', 采样时间: 'sampled_at', 确诊时间: 'confirmed_at', 隔离时间: 'isolated_at',
    病情: 'severity', 临床分型: 'severity', 救治医院编码: 'hospital_code', 医院编码: 'hospital_code', 转归: 'outcome', 发现途径: 'detected_by',
  },
  parse(r) {
    const row = {
      caseNo: r.req('case_no'), idNumber: r.idNumber('id_number') ?? '', kind: r.oneOf('kind', CaseKindSchema), onset: r.time('onset_at'),
      sampled: r.time('sampled_at', true), confirmed: r.time('confirmed_at', true), isolated: r.time('isolated_at'),
      severity: r.oneOf('severity', SeveritySchema, 'mild'), hospital: r.opt('hospital_code'), outcome: r.oneOf('outcome', CaseOutcomeSchema, 'in_treatment'),
      detectedBy: r.opt('detected_by') === null ? null : r.oneOf('detected_by', DetectionRouteSchema),
    };
    if (row.sampled !== null && row.confirmed !== null) r.check(row.confirmed >= row.sampled, 'confirmed_at', 'confirmed before the sample was taken');
    r.check(!(row.kind === 'asymptomatic' && row.onset !== null), 'onset_at', 'an asymptomatic infection has no onset');
    return row;
  },
  key: (v) => v.caseNo,
  async write(rows, repos, ctx) {
    const ids = await personIds(rows, (v) => v.idNumber, repos, ctx);
    const hospitals = await placeIds(rows, (v) => v.hospital, repos, 'hospital_code');
    const problems = [...ids.problems, ...hospitals.problems];
    if (problems.length) return { inserted: 0, problems };
    const inserted = await repos.cases.insertMany(rows.map(({ value: v }, i) => ({
      caseNo: v.caseNo, personId: ids.ids[i], kind: v.kind as never, onsetAt: v.onset, sampledAt: v.sampled, confirmedAt: v.confirmed, isolatedAt: v.isolated,
      severity: v.severity as never, hospitalPlaceId: hospitals.ids[i], outcome: v.outcome as never, detectedBy: v.detectedBy as never,
    })));
    return { inserted, problems: [] };
  },
};

interface SampleRow { sampleNo: string; idNumber: string; sampled: number; method: string; poolNo: string | null; poolSize: number | null; result: string; resultAt: number | null; lab: string | null }

const samples: KindSpec<SampleRow> = {
  required: ['sample_no', 'id_number', 'sampled_at', 'method', 'result'],
  optional: ['pool_no', 'pool_size', 'result_at', 'lab'],
  headers: {
    ...ID_HEADERS, 样本编号: 'sample_no', 采样时间: 'sampled_at', 检测方式: 'method', 采样方式: 'method', 混管编号: 'pool_no', 混管人数: 'pool_size',
    检测结果: 'result', 结果时间: 'result_at', 报告时间: 'result_at', 检测机构: 'lab', 实验室: 'lab',
  },
  parse(r) {
    const row = {
      sampleNo: r.req('sample_no'), idNumber: r.idNumber('id_number') ?? '', sampled: r.time('sampled_at', true), method: r.oneOf('method', SampleMethodSchema),
      poolNo: r.opt('pool_no'), poolSize: r.int('pool_size', { min: 1, max: 50 }), result: r.oneOf('result', TestResultSchema), resultAt: r.time('result_at'), lab: r.opt('lab'),
    };
    r.check(row.method !== 'pooled' || row.poolNo !== null, 'pool_no', 'a pooled sample names its pool');
    r.check(row.method !== 'single' || row.poolNo === null, 'pool_no', 'a single-tube sample has no pool');
    if (row.resultAt !== null && row.sampled !== null) r.check(row.resultAt >= row.sampled, 'result_at', 'result before the sample was taken');
    return row;
  },
  key: (v) => v.sampleNo,
  async write(rows, repos, ctx) {
    const ids = await personIds(rows, (v) => v.idNumber, repos, ctx);
    const problems = [...ids.problems];
    const pools = new Map<string, { poolNo: string; size: number; sampledAt: number; result: string; resultAt: number | null; lab: string | null; line: number }>();
    for (const { line, value: v } of rows) {
      if (!v.poolNo) continue;
      const seen = pools.get(v.poolNo);
      if (!seen) pools.set(v.poolNo, { poolNo: v.poolNo, size: v.poolSize ?? 0, sampledAt: v.sampled, result: v.result, resultAt: v.resultAt, lab: v.lab, line });
      else if (seen.result !== v.result) problems.push({ line, field: 'result', reason: `pool ${v.poolNo} already has result "${seen.result}" (line ${seen.line})` });
      else seen.size = Math.max(seen.size, v.poolSize ?? 0);
    }
    if (problems.length) return { inserted: 0, problems };
    const members = new Map<string, number>();
    for (const { value: v } of rows) if (v.poolNo) members.set(v.poolNo, (members.get(v.poolNo) ?? 0) + 1);
    await repos.samples.insertPools([...pools.values()].map((p) => ({ ...p, size: Math.max(p.size, members.get(p.poolNo) ?? 1), result: p.result as never })));
    const poolIds = await repos.samples.poolIds(pools.keys());
    const inserted = await repos.samples.insertMany(rows.map(({ value: v }, i) => ({
      sampleNo: v.sampleNo, personId: ids.ids[i], method: v.method as never, poolId: v.poolNo ? poolIds.get(v.poolNo)! : null, sampledAt: v.sampled,
      result: v.result as never, resultAt: v.resultAt, lab: v.lab,
    })));
    return { inserted, problems: [] };
  },
};

interface VaccinationRow { idNumber: string; dose: number; vaccine: string; at: number; site: string | null }

const vaccinations: KindSpec<VaccinationRow> = {
  required: ['id_number', 'dose', 'vaccine', 'vaccinated_at'],
  optional: ['site'],
  headers: { ...ID_HEADERS, 剂次: 'dose', 疫苗名称: 'vaccine', 疫苗: 'vaccine', 接种时间: 'vaccinated_at', 接种点: 'site', 接种单位: 'site' },
  parse(r) {
    return { idNumber: r.idNumber('id_number') ?? '', dose: r.int('dose', { required: true, min: 1, max: 10 }) ?? 0, vaccine: r.req('vaccine'), at: r.time('vaccinated_at', true), site: r.opt('site') };
  },
  key: (v) => `${v.idNumber}#${v.dose}`,
  async write(rows, repos, ctx) {
    const ids = await personIds(rows, (v) => v.idNumber, repos, ctx);
    if (ids.problems.length) return { inserted: 0, problems: ids.problems };
    const inserted = await repos.persons.insertVaccinations(rows.map(({ value: v }, i) => ({ personId: ids.ids[i], dose: v.dose, vaccine: v.vaccine, vaccinatedAt: v.at, site: v.site })));
    return { inserted, problems: [] };
  },
};

/** The spec of every importable kind. */
export const KINDS: Record<ImportKind, KindSpec<never>> = {
  persons, places, presence, cases, samples, vaccinations,
} as unknown as Record<ImportKind, KindSpec<never>>;
