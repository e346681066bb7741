/**
 * What the route fuzz test (src/api/fuzz.test.ts) is made of: the routes as the app registers them, requests
 * generated with fast-check from each route's own zod schemas (plausible values, then mutated into wrong types,
 * missing and extra fields, hostile numbers, strings and times, and bodies that are not JSON at all).
 */
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { z } from 'zod';
import { formatTime } from '../src/domain/time.ts';

/** A route as registered: method, URL pattern (`:name` parameters) and its zod schemas. */
export interface FuzzRoute {
  method: string;
  url: string;
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
}

/**
 * The routes of an app from its `onRoute` calls, one per method and URL. Left out: the documentation under /docs
 * (swagger-ui's own routes and static files) and HEAD routes, which Fastify derives from each GET route and which
 * the GET route's requests exercise instead (see `requestOf`).
 */
export function fuzzRoutes(registered: readonly RouteOptions[]): FuzzRoute[] {
  const seen = new Map<string, FuzzRoute>();
  for (const r of registered) {
    if (r.url === '/docs' || r.url.startsWith('/docs/')) continue;
    const schema = (r.schema ?? {}) as { params?: z.ZodType; querystring?: z.ZodType; body?: z.ZodType };
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      seen.set(`${method} ${r.url}`, { method, url: r.url, params: schema.params, querystring: schema.querystring, body: schema.body });
    }
  }
  return [...seen.values()];
}

/** Values that exist in the seeded store, by what they name; most requests use them, the rest hostile ones. */
export interface Existing {
  personIds: number[];
  placeIds: number[];
  caseIds: number[];
  caseNos: string[];
  contactIds: number[];
  regionCodes: string[];
  placeCodes: string[];
  checkpointCodes: string[];
  sampleNos: string[];
  poolNos: string[];
  orderNos: string[];
  tokens: string[];
  /** The server's now: plausible times are drawn around it. */
  now: number;
}

/** The request a generated case sends, printed compactly when a run fails. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

type JsonSchema = {
  type?: string | string[]; enum?: unknown[]; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; properties?: Record<string, JsonSchema>; required?: string[];
  items?: JsonSchema; additionalProperties?: boolean | JsonSchema; minLength?: number; maxLength?: number; pattern?: string; minimum?: number;
  maximum?: number; exclusiveMinimum?: number; minItems?: number; maxItems?: number;
};

const jsonSchema = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

const EPOCH_MS = 1_764_503_100_000;
/** Times as clients get them wrong: epoch seconds and milliseconds, years 0000, 0021, 2201 and 9999, impossible dates and offsets. */
const BAD_TIMES: unknown[] = [
  EPOCH_MS, String(EPOCH_MS), EPOCH_MS / 1000, String(EPOCH_MS / 1000), '0000-01-01 00:00', '0021-09-18 10:00', '2201-09-18 10:00', '9999-12-31 23:59',
  '1969-12-31 23:59', '1970-01-01T00:00:00Z', '2021-02-29 10:00', '2021-13-01 00:00', '2021-09-18 24:00', '2021-09-18T10:00:00+25:00', '2021-09-18T10:00:00-14:59',
  '2021-09-18T10:00:00.999999999Z', '2021-09-18', '18/09/2021 10:00', '  2026-11-30 10:00  ', '2026-11-30 10:00 +0800', '2026-12-30 10:00',
];
const HUGE_STRING = 'x'.repeat(100_000);
const NESTED: unknown = Array.from({ length: 60 }).reduce<unknown>((inner) => ({ a: [inner] }), null);
/** JSON values where something else belongs: wrong types, limits of numbers, hostile and huge strings, nesting. */
const HOSTILE: unknown[] = [
  null, true, false, 0, -1, -0.5, 1.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, 9e15, -9e15, 1e308, Number.MIN_VALUE,
  '', ' ', '\t\n', '0', '-1', '1e3', '9e15', '9007199254740993', 'true', 'null', 'abc', '识字里', '𠮷𪚥', 'a\u0000b', '\u0000', '\ud800', '\ufeff',
  '../../etc/passwd', '%00', "'; DROP TABLE cases; --", '=HYPERLINK("http://x")', '<script>alert(1)</script>', HUGE_STRING,
  [], [1, 2, 3], [null], ['a'], {}, { a: 1 }, { a: { b: { c: [1, { d: null }] } } }, NESTED, ...BAD_TIMES,
];
const hostile = (): fc.Arbitrary<unknown> => fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const isTimeName = (name: string) => /At$|^at$|^from$|^to$|Exposure$/.test(name);

/** A time the server would find plausible: within the last 60 days, as `YYYY-MM-DD HH:MM`, or now plus a little. */
const plausibleTime = (now: number) => fc.integer({ min: -60 * 86400, max: 3600 }).map((d) => formatTime(now + d).slice(0, 16).replace('T', ' '));

/** Plausible values for fields named like the things the store holds (existing ones, or new numbers). */
function hinted(name: string, e: Existing): fc.Arbitrary<unknown> | undefined {
  const pick = <T>(xs: T[]) => (xs.length > 0 ? fc.constantFrom(...xs) : undefined);
  const fresh = (prefix: string, xs: string[]) => fc.oneof(fc.nat(9999).map((n) => `${prefix}${n}`), ...(xs.length > 0 ? [fc.constantFrom(...xs)] : []));
  if (name === 'personId') return pick(e.personIds);
  if (name === 'personIds') return fc.subarray(e.personIds);
  if (/placeId$/i.test(name)) return pick(e.placeIds);
  if (/CaseId$/.test(name) || name === 'caseId') return pick(e.caseIds);
  if (name === 'caseNo') return fresh('FZ-', e.caseNos);
  if (name === 'sampleNo') return fresh('FZS-', e.sampleNos);
  if (name === 'poolNo') return fresh('FZP-', e.poolNos);
  if (name === 'orderNo') return fresh('FZO-', e.orderNos);
  if (name === 'code') return fresh('FZC-', e.checkpointCodes);
  if (name === 'regionCode' || name === 'region' || name === 'parent') return pick(e.regionCodes);
  if (name === 'communityCode') return pick(e.regionCodes.filter((c) => c.length === 12));
  if (name === 'gridCode') return pick(e.regionCodes.filter((c) => c.length === 14));
  if (name === 'place') return pick(e.placeCodes);
  if (name === 'phone') return fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`);
  if (name === 'name' || name === 'issuedBy' || name === 'reason') return fc.oneof(fc.constantFrom('张伟', '识字里社区居委会', '阿依古丽·买买提', '𠮷祥', 'corrected after a call'), fc.string({ minLength: 1, maxLength: 40 }));
  if (name === 'poolSize') return fc.constantFrom(5, 10, 20);
  if (name === 'regionCodes') return fc.subarray(e.regionCodes, { minLength: 1 });
  if (name === 'token') return fc.oneof(...(e.tokens.length > 0 ? [fc.constantFrom(...e.tokens)] : []), fc.string());
  if (name === 'temperatureC') return fc.double({ min: 34, max: 42, noNaN: true });
  if (isTimeName(name)) return plausibleTime(e.now);
  return undefined;
}

/** Values that match a JSON schema (refinements aside), with the field's name as a hint of what exists. */
function valid(s: JsonSchema, name: string, e: Existing): fc.Arbitrary<unknown> {
  const types = [s.type ?? []].flat();
  const nullable = types.includes('null') || (s.anyOf ?? []).some((a) => a.type === 'null');
  const hint = hinted(name, e);
  if (hint) return nullable ? fc.oneof({ weight: 4, arbitrary: hint }, { weight: 1, arbitrary: fc.constant(null) }) : hint;
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valid(a, name, e)));
  if (types.length > 1) return fc.oneof(...types.map((type) => valid({ ...s, type }, name, e)));
  switch (types[0]) {
    case 'string':
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? Infinity));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) });
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      return fc.integer({ min, max: Math.max(min, Math.min(s.maximum ?? 1000, 1000)) });
    }
    case 'number': return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': return fc.array(s.items ? valid(s.items, name, e) : fc.jsonValue(), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      if (props.length === 0) return typeof s.additionalProperties === 'object' ? fc.dictionary(fc.string(), valid(s.additionalProperties, name, e), { maxKeys: 3 }) : fc.constant({});
      return fc.record(Object.fromEntries(props.map(([k, p]) => [k, valid(p, k, e)])), { requiredKeys: s.required ?? [] });
    }
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A body built from the schema, then changed: fields deleted, set to hostile values (bad times for time fields), added. */
function mutatedBody(s: JsonSchema, e: Existing): fc.Arbitrary<unknown> {
  const keys = Object.keys(s.properties ?? {});
  const key = fc.oneof({ weight: 4, arbitrary: keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('extra') }, { weight: 1, arbitrary: fc.constantFrom('extra', '__proto__', 'constructor', 'id', '') });
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('delete' as const), key, value: fc.constant(undefined) }),
    fc.record({ op: fc.constant('set' as const), key, value: hostile() }),
    fc.record({ op: fc.constant('set' as const), key, value: fc.constantFrom(...BAD_TIMES) }),
  );
  return fc.tuple(valid(s, '', e), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([body, mutations]) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
    const b: Record<string, unknown> = { ...body };
    for (const m of mutations) {
      if (m.op === 'delete') delete b[m.key];
      else Object.defineProperty(b, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
    return b;
  });
}

const CONTENT_TYPES = [
  'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16',
  'application/json; charset=latin1', 'APPLICATION/JSON', 'application/octet-stream', '',
];
const RAW_BODIES = [
  'not json', '{', '{"a":', '', 'null', '[]', '"x"', '1e400', '{"limit": 1e400}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}',
  'a=1&b=2', '<xml/>', '{"a":1}{"b":2}', '{"reason":"\\ud800"}', '{"reason":"\\u0000"}', '\u0000',
];

/** What a request carries: JSON built from the route's body schema (mutated or not), another JSON value, or raw bytes under any content type. */
function bodyOf(route: FuzzRoute, e: Existing): fc.Arbitrary<{ payload?: string | Buffer; contentType?: string; lengthLie?: boolean }> {
  const schema: JsonSchema = route.body ? jsonSchema(route.body) : { type: 'object', properties: {} };
  const json = (a: fc.Arbitrary<unknown>) => a.map((v) => ({ payload: v === undefined ? undefined : JSON.stringify(v), contentType: 'application/json' }));
  const raw = fc.record({
    payload: fc.oneof(fc.constantFrom(...RAW_BODIES), fc.string({ unit: 'binary', maxLength: 60 }), fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)), valid(schema, '', e).map((v) => JSON.stringify(v) ?? '')),
    contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
    lengthLie: fc.boolean(),
  });
  return fc.oneof(
    { weight: 7, arbitrary: json(valid(schema, '', e)) },
    { weight: 8, arbitrary: json(mutatedBody(schema, e)) },
    { weight: 1, arbitrary: json(hostile()) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 2, arbitrary: raw },
  );
}

/** Percent-encoded text; a lone surrogate (which encodeURIComponent refuses) goes as the bytes Node writes for it. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  }
}

/** Path parameters that exist, by the resource the URL names before them; every known value when the resource is new. */
function existingParams(url: string, param: string, e: Existing): string[] {
  const before = url.split('/:' + param)[0].split('/').pop();
  const ids = (xs: number[]) => xs.map(String);
  const known: Record<string, string[]> = {
    'regions:code': e.regionCodes, 'places:id': ids(e.placeIds), 'persons:id': ids(e.personIds), 'cases:id': ids(e.caseIds), 'contacts:id': ids(e.contactIds),
    'checkpoints:code': e.checkpointCodes, 'samples:sampleNo': e.sampleNos, 'pools:poolNo': e.poolNos, 'venue-orders:orderNo': e.orderNos, 'risk-areas:regionCode': e.regionCodes,
    // The field cases' clock stands on 2026-11-30: a day that has ended, today, a day to come, one before the edition's earliest.
    'bulletins:date': ['2026-11-29', '2026-11-30', '2026-12-01', '2019-11-30'],
  };
  return known[`${before}:${param}`] ?? [...ids(e.personIds), ...ids(e.caseIds), ...e.regionCodes, ...e.caseNos, ...e.sampleNos, ...e.orderNos];
}

/** Path segments as clients and attackers write them; `raw` ones go into the URL unencoded. */
const HOSTILE_SEGMENTS: { text: string; raw: boolean }[] = [
  ...['0', '-1', '9e15', '9007199254740992', '9007199254740993', '2147483648', '1.5', '1e3', '0x10', ' 1', '+1', 'abc', '识字里', '𠮷', '..', 'null', '9'.repeat(500), 'a'.repeat(65), '\u0000', 'a\u0000b']
    .map((text) => ({ text, raw: false })),
  ...['', '../', '..%2F..%2Fetc%2Fpasswd', '%00', '%', '%zz', '%E0%A4%A', '%F0%9F', '../../../etc/passwd', '1/2', '1?x=1', '1#x'].map((text) => ({ text, raw: true })),
];

/** A path segment for parameter `param` of `url`: an existing value (encoded), a hostile one, or random bytes. */
function segment(url: string, param: string, e: Existing): fc.Arbitrary<string> {
  const existing = existingParams(url, param, e);
  return fc.oneof(
    { weight: 8, arbitrary: existing.length > 0 ? fc.constantFrom(...existing).map(encode) : fc.constant('1') },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS).map((s) => (s.raw ? s.text : encode(s.text))) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encode) },
  );
}

/** A query string built from the schema's keys (plausible values), then changed: keys dropped, hostile or repeated values, strangers; some left unencoded. */
function queryOf(route: FuzzRoute, e: Existing): fc.Arbitrary<string> {
  const schema: JsonSchema = route.querystring ? jsonSchema(route.querystring) : { type: 'object', properties: {} };
  const keys = Object.keys(schema.properties ?? {});
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');
  const base = valid(schema, '', e).map((q) => Object.entries(q as Record<string, unknown>).map(([k, v]) => [k, text(v)] as [string, string]));
  const key = fc.oneof(...keys.map((k) => fc.constantFrom(k, `${k}[]`, `${k}[a]`)), fc.constantFrom('x', '__proto__', 'constructor', '', 'at', 'limit', 'after'));
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('drop' as const), key, value: fc.constant('') }),
    fc.record({ op: fc.constant('add' as const), key, value: hostile().map(text) }),
    fc.record({ op: fc.constant('add' as const), key, value: fc.constantFrom(...BAD_TIMES).map(text) }),
  );
  return fc.tuple(base, fc.array(mutation, { maxLength: 3 }), fc.array(fc.nat(7), { minLength: 8, maxLength: 8 })).map(([entries, mutations, raw]) => {
    let q = entries;
    for (const m of mutations) q = m.op === 'drop' ? q.filter(([k]) => k !== m.key) : [...q, [m.key, m.value]];
    return q.map(([k, v], i) => (raw[i % 8] === 0 ? `${k}=${v}` : `${encode(k)}=${encode(v)}`)).join('&');
  });
}

const OTHER_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Requests for one route: its own method (HEAD now and then for a GET route, another method rarely), any path parameters, query and body. */
export function requestOf(route: FuzzRoute, e: Existing): fc.Arbitrary<FuzzRequest> {
  const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const method = fc.oneof(
    { weight: 16, arbitrary: fc.constant(route.method) },
    { weight: route.method === 'GET' ? 2 : 0, arbitrary: fc.constant('HEAD') },
    { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) },
  );
  return fc.tuple(method, fc.tuple(...params.map((p) => segment(route.url, p, e))), queryOf(route, e), bodyOf(route, e)).map(([m, segs, query, body]) => {
    let url = route.url;
    params.forEach((p, i) => { url = url.replace(`:${p}`, segs[i]); });
    if (query) url += `?${query}`;
    const headers: Record<string, string> = {};
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    if (body.lengthLie && body.payload !== undefined && body.payload.length > 1) headers['content-length'] = String(Math.floor(body.payload.length / 2));
    const req: FuzzRequest = { method: m, url, headers, payload: body.payload };
    return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(req) });
  });
}

/** A request in one line, long payloads cut. */
export function describeRequest(r: FuzzRequest): string {
  const p = r.payload === undefined ? '' : Buffer.isBuffer(r.payload) ? `<${r.payload.length} bytes ${r.payload.toString('hex').slice(0, 60)}>` : JSON.stringify(r.payload.length > 300 ? `${r.payload.slice(0, 300)}... (${r.payload.length} chars)` : r.payload);
  return `${r.method} ${r.url.length > 300 ? `${r.url.slice(0, 300)}...` : r.url} ${JSON.stringify(r.headers)} ${p}`;
}
