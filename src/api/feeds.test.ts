/**
 * Feeds over the wire (POST /api/feeds/:kind): an agency's key sends batches of the kinds its agency keeps, in CSV or
 * NDJSON, all or nothing per batch; a batch sent again under its Idempotency-Key is answered as the first time and
 * changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { idNumber, MINI_REGIONS } from '../../test/fixtures.ts';
import { systemCtx } from '../platform/context.ts';
import { issueApiKey } from '../services/accounts/accounts.ts';
import type { Store } from '../storage/store.ts';

const PERSONS = ['id_number,name,community_code', `${idNumber(1)},周建国,430102001001`, `${idNumber(2)},刘芳,430102001001`].join('\n');

describeEachEngine('api: feeds over the wire', (engine) => {
  let app: FastifyInstance;
  let store: Store;
  let close: () => Promise<void>;
  let community = '', telecoms = '', checkpoint = '';
  beforeEach(async () => {
    ({ app, store, close } = await testApp(engine, async (s) => { await s.regions.insertMany(MINI_REGIONS); }));
    const ctx = systemCtx(app.cordon.clock, 'test');
    community = (await issueApiKey(ctx, store, { name: 'furong-community', role: 'agency_feed', regionCode: '43', agency: { name: '芙蓉区社区', kind: 'community' } })).key;
    telecoms = (await issueApiKey(ctx, store, { name: 'hunan-telecoms', role: 'agency_feed', regionCode: '43', agency: { name: '湖南电信', kind: 'telecoms' } })).key;
    checkpoint = (await issueApiKey(ctx, store, { name: 'gate-1', role: 'checkpoint_staff', regionCode: '43' })).key;
  });
  afterEach(async () => { await close?.(); });

  const send = async (kind: string, body: string, o: { key?: string; idem?: string; type?: string } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${o.key ?? community}`, 'content-type': o.type ?? 'text/csv' };
    if (o.idem !== undefined) headers['idempotency-key'] = o.idem;
    const r = await app.inject({ method: 'POST', url: `/api/feeds/${kind}`, headers, payload: body });
    return { status: r.statusCode, body: r.json(), replayed: r.headers['idempotent-replayed'] };
  };
  const persons = async () => (await store.persons.list({}, { limit: 100 })).items.length;

  it('imports a CSV batch, and answers a batch sent again under its key as the first time, changing nothing', async () => {
    const first = await send('persons', PERSONS, { idem: 'persons-2021-08-01-001' });
    expect(first).toMatchObject({ status: 200, body: { file: 'batch', kind: 'persons', rows: 2, inserted: 2, updated: 0, unchanged: 0 } });
    expect(first.replayed).toBeUndefined();
    expect(await persons()).toBe(2);
    const again = await send('persons', PERSONS, { idem: 'persons-2021-08-01-001' });
    expect(again).toEqual({ status: 200, body: first.body, replayed: 'true' });
    expect(await persons()).toBe(2);
    // The same rows under a new key are a new batch: imported again, nothing new.
    expect((await send('persons', PERSONS, { idem: 'persons-2021-08-01-002' })).body).toMatchObject({ rows: 2, inserted: 0, unchanged: 2 });
  });

  it('imports an NDJSON batch', async () => {
    const body = [{ id_number: idNumber(3), name: '王伟', community_code: '430102001001' }].map((r) => JSON.stringify(r)).join('\n');
    expect(await send('persons', body, { idem: 'nd-1', type: 'application/x-ndjson' })).toMatchObject({ status: 200, body: { rows: 1, inserted: 1 } });
    expect(await persons()).toBe(1);
  });

  it('rejects a batch with one bad row whole, naming the batch line and field, and answers a retry with the same rejection', async () => {
    const bad = `${PERSONS}\n${idNumber(4).slice(0, -1)}X,张三,430102001001`;
    const r = await send('persons', bad, { idem: 'bad-1' });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'IMPORT_REJECTED', details: { total: 1, problems: [expect.objectContaining({ file: 'batch', line: 4, field: 'id_number' })] } });
    expect(await persons()).toBe(0);
    const retry = await send('persons', bad, { idem: 'bad-1' });
    expect({ status: retry.status, body: retry.body, replayed: retry.replayed }).toEqual({ status: 422, body: r.body, replayed: 'true' });
    expect(await persons()).toBe(0);
  });

  it('refuses, changing nothing: a key used for another batch, no key, an unknown kind, a kind the agency does not send, a key that is not a feed\'s, another media type', async () => {
    expect((await send('persons', PERSONS, { idem: 'k-1' })).status).toBe(200);
    const other = `${PERSONS}\n${idNumber(5)},李四,430102001001`;
    expect(await send('persons', other, { idem: 'k-1' })).toMatchObject({ status: 409, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    expect(await send('persons', other)).toMatchObject({ status: 400, body: { error: { code: 'IDEMPOTENCY_KEY_INVALID' } } });
    expect(await send('persons', other, { idem: 'has space' })).toMatchObject({ status: 400, body: { error: { code: 'IDEMPOTENCY_KEY_INVALID' } } });
    expect(await send('people', other, { idem: 'k-2' })).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_FEED_KIND' } } });
    expect(await send('persons', other, { idem: 'k-3', key: telecoms })).toMatchObject({ status: 403, body: { error: { code: 'FEED_KIND_NOT_ALLOWED' } } });
    expect(await send('persons', other, { idem: 'k-4', key: checkpoint })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect((await send('persons', other, { idem: 'k-5', type: 'application/json' })).status).toBeGreaterThanOrEqual(400);
    expect(await persons()).toBe(2);
  });

  it('issues a feed key only with its agency, and never a user of the feed role', async () => {
    const ctx = systemCtx(app.cordon.clock, 'test');
    await expect(issueApiKey(ctx, store, { name: 'no-agency', role: 'agency_feed', regionCode: '43' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(issueApiKey(ctx, store, { name: 'bad-kind', role: 'agency_feed', regionCode: '43', agency: { name: 'x', kind: 'bakery' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('takes from a key with a region only rows inside it: persons of its communities, its places, presence at its places (a county key)', async () => {
    const ctx = systemCtx(app.cordon.clock, 'test');
    await store.regions.insertMany([
      { code: '430103', name: '天心区', level: 'county', parentCode: '4301', functionalZone: false },
      { code: '430103001', name: '坡子街街道', level: 'township', parentCode: '430103', functionalZone: false },
      { code: '430103001001', name: '坡子街社区居委会', level: 'community', parentCode: '430103001', functionalZone: false },
    ]);
    const furong = (await issueApiKey(ctx, store, { name: 'furong-public-security', role: 'agency_feed', regionCode: '430102', agency: { name: '芙蓉区公安分局', kind: 'public_security' } })).key;
    // The province's key registers a place in each community and two residents.
    const places = ['code,name,category,region_code', 'V1,识字里菜场,market,430102001001', 'V2,坡子街超市,mall,430103001001'].join('\n');
    expect((await send('places', places, { idem: 'pl-1' })).status).toBe(200);
    expect((await send('persons', PERSONS, { idem: 'pe-1' })).status).toBe(200);
    const refused = async (kind: string, body: string, idem: string) => {
      const r = await send(kind, body, { idem, key: furong });
      expect(r.status, idem).toBe(422);
      expect(r.body.error.code).toBe('IMPORT_REJECTED');
      return r.body.error.details.problems.map((p: { line: number; field: string; reason: string }) => `${p.line} ${p.field}: ${p.reason}`);
    };
    // Persons of another community, a place of another community or of the whole county, a stored place of another
    // community moved into this one, presence at another community's place: refused at their lines, nothing written.
    expect(await refused('persons', ['id_number,name,community_code', `${idNumber(3)},王伟,430102001001`, `${idNumber(4)},李娜,430103001001`].join('\n'), 's-1'))
      .toEqual(["3 community_code: 430103001001 is outside this sender's region 430102"]);
    expect(await refused('places', ['code,name,category,region_code', 'V3,识字里药店,clinic,430102001001', 'V4,长沙市医院,hospital,4301'].join('\n'), 's-2'))
      .toEqual(["3 region_code: 4301 is outside this sender's region 430102"]);
    expect(await refused('places', ['code,name,category,region_code', 'V2,坡子街超市,mall,430102001001'].join('\n'), 's-3'))
      .toEqual(["2 code: place V2 is stored in region 430103001001, outside this sender's region 430102"]);
    const presence = (place: string) => `${idNumber(1)},${place},2021-07-30 12:00,2021-07-30 12:30,venue_scan`;
    expect(await refused('presence', ['id_number,place_code,start,end,source', presence('V1'), presence('V2')].join('\n'), 's-4'))
      .toEqual(["3 place_code: place V2 is in region 430103001001, outside this sender's region 430102"]);
    expect((await store.stats.totals())).toMatchObject({ persons: 2, places: 2, presence: 0 });
    expect((await store.places.byCodes(['V2'])).get('V2')!.regionCode).toBe('430103001001');
    // A person registered elsewhere is not moved in (nor their phone changed), a household elsewhere not joined, a
    // case of a person living and treated elsewhere not corrected.
    const health = (await issueApiKey(ctx, store, { name: 'hunan-health', role: 'agency_feed', regionCode: '43', agency: { name: '湖南省卫健委', kind: 'public_health' } })).key;
    const furongHealth = (await issueApiKey(ctx, store, { name: 'furong-health', role: 'agency_feed', regionCode: '430102', agency: { name: '芙蓉区卫健局', kind: 'public_health' } })).key;
    expect((await send('persons', ['id_number,name,community_code,household_code', `${idNumber(5)},赵敏,430103001001,HH-T`].join('\n'), { idem: 'pe-2' })).status).toBe(200);
    const caseRow = (severity: string) => ['case_no,id_number,kind,sampled_at,confirmed_at,severity', `HN-9,${idNumber(5)},confirmed,2021-07-29 10:00,2021-07-30 10:00,${severity}`].join('\n');
    expect((await send('cases', caseRow('mild'), { idem: 'c-1', key: health })).status).toBe(200);
    expect(await refused('persons', ['id_number,name,community_code,phone', `${idNumber(5)},赵敏,430102001001,13900000000`].join('\n'), 's-7'))
      .toEqual(["2 id_number: this person is registered in community 430103001001, outside this sender's region 430102"]);
    expect(await refused('persons', ['id_number,name,community_code,household_code', `${idNumber(6)},钱进,430102001001,HH-T`].join('\n'), 's-8'))
      .toEqual(['2 household_code: household HH-T is in community 430103001001, not 430102001001']);
    const c = await send('cases', caseRow('severe'), { idem: 's-9', key: furongHealth });
    expect(c.status).toBe(422);
    expect(c.body.error.details.problems).toEqual([expect.objectContaining({ line: 2, field: 'case_no', reason: "case HN-9 is of a person registered and treated outside this sender's region 430102" })]);
    expect((await store.stats.totals())).toMatchObject({ persons: 3, places: 2, presence: 0 });
    expect((await store.cases.byCaseNos(['HN-9'])).get('HN-9')!.severity).toBe('mild');
    // Inside its region the same key is taken.
    expect(await send('presence', ['id_number,place_code,start,end,source', presence('V1')].join('\n'), { idem: 's-5', key: furong })).toMatchObject({ status: 200, body: { inserted: 1 } });
    expect(await send('persons', ['id_number,name,community_code', `${idNumber(3)},王伟,430102001001`].join('\n'), { idem: 's-6', key: furong })).toMatchObject({ status: 200, body: { inserted: 1 } });
  });
});
