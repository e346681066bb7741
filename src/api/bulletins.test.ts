/**
 * The bulletin routes on both engines: command centres, investigators and auditors read a day's bulletin as JSON or
 * as text (Chinese, then English, `text/plain; charset=utf-8`) and today's live; a grid worker, a checkpoint, a lab
 * and a resident are refused (403); a malformed date is 400 naming the field, a day not begun 404, a day before the
 * edition's earliest 422; the days kept are listed with their total; the OpenAPI document shows the bulletin's shape.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { bulletinWorld, type BulletinWorld } from '../../test/bulletinWorld.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { newSecret, tokenHash } from '../services/accounts/accounts.ts';
import type { Role } from '../domain/access.ts';
import { loadEdition } from '../domain/protocol/editions.ts';
import { buildApp } from './app.ts';

const GRID = '43010200100101';

describeEachEngine('api: daily bulletin', (engine) => {
  let w: BulletinWorld, app: FastifyInstance;
  const keys = new Map<string, string>();
  const as = (who: string, url: string) => injectAsGiven(app)({ method: 'GET', url, headers: { authorization: `Bearer ${keys.get(who)}` } });

  beforeEach(async () => {
    w = await bulletinWorld(engine);
    app = await buildApp({ store: w.s.store, edition: loadEdition('ed8-delta-2021'), engine: await w.s.tracing(), services: w.s, webDir: undefined, version: 'test' });
    const grants: [Role, string][] = [['provincial_command', '43'], ['city_command', '4302'], ['cdc_investigator', '43'], ['auditor', '43'], ['grid_worker', GRID], ['checkpoint_staff', '43'], ['lab', '43']];
    for (const [role, scope] of grants) for (const [, key] of await roleKeys(w.s.store, scope, [role])) keys.set(role, key);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });

  it('gives a day\'s bulletin as JSON and as text to the roles that read it, the same province-wide figures to each, and refuses the others', async () => {
    const r = await as('provincial_command', '/api/bulletins/2021-08-05');
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json() as { date: string; final: boolean; from: string; to: string; generatedAt: string; figures: { newConfirmed: { total: number } }; textZh: string; textEn: string };
    expect(b).toMatchObject({ date: '2021-08-05', final: true, from: '2021-08-05T00:00:00+08:00', to: '2021-08-06T00:00:00+08:00', generatedAt: '2021-08-06T10:00:00+08:00' });
    expect(b.figures.newConfirmed.total).toBe(4);
    expect(b.textZh).toMatch(/^2021年8月5日0—24时，全省新增本土确诊病例4例（长沙市3例、株洲市1例；其中无症状感染者转确诊1例）/);
    expect(b.textEn).toMatch(/^From 00:00 to 24:00 on 5 August 2021, Hunan reported 4 new locally transmitted confirmed cases \(Changsha 3, Zhuzhou 1; 1 of them previously an asymptomatic infection\)/);
    const text = await as('provincial_command', '/api/bulletins/2021-08-05?format=text');
    expect([text.statusCode, text.headers['content-type']]).toEqual([200, 'text/plain; charset=utf-8']);
    expect(text.body).toBe(`${b.textZh}\n\n${b.textEn}\n`);
    // A city command, an investigator and an auditor read the same bulletin (aggregates of the province).
    for (const role of ['city_command', 'cdc_investigator', 'auditor']) expect((await as(role, '/api/bulletins/2021-08-05')).json(), role).toEqual(b);
    for (const role of ['grid_worker', 'checkpoint_staff', 'lab']) {
      const refused = await as(role, '/api/bulletins/2021-08-05');
      expect([refused.statusCode, refused.json().error.code], role).toEqual([403, 'FORBIDDEN']);
      expect((await as(role, '/api/bulletins/today?format=text')).statusCode, role).toBe(403);
    }
    const session = newSecret('cr_');
    await w.s.store.accounts.addResidentSession(tokenHash(session), 1, 0, 4_000_000_000);
    const resident = await injectAsGiven(app)({ method: 'GET', url: '/api/bulletins/today', headers: { cookie: `cordon_session=${session}` } });
    expect([resident.statusCode, resident.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await injectAsGiven(app)({ method: 'GET', url: '/api/bulletins/today' })).statusCode).toBe(401);
  });

  it('gives today\'s bulletin live (by the server\'s clock), and lists only the days kept', async () => {
    const today = await as('auditor', '/api/bulletins/today');
    expect(today.statusCode, today.body).toBe(200);
    expect(today.json()).toMatchObject({ date: '2021-08-06', final: false, generatedAt: '2021-08-06T10:00:00+08:00' });
    const text = await as('auditor', '/api/bulletins/today?format=text');
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    // Today's is counted up to the server's now (10:00), and says so.
    expect(text.body).toMatch(/^2021年8月6日0时至10时，全省新增本土确诊病例2例（长沙市2例；其中无症状感染者转确诊1例），无新增本土无症状感染者。[^\n]*截至8月6日10时，[^\n]*\n\nFrom 00:00 to 10:00 on 6 August 2021, Hunan reported 2 new [^\n]*As of 10:00 on 6 August 2021/);
    expect((await as('auditor', '/api/bulletins')).json()).toEqual({ items: [], nextAfter: null, total: 0 });
    await as('auditor', '/api/bulletins/2021-08-04');
    await as('auditor', '/api/bulletins/2021-08-05');
    const page = (await as('auditor', '/api/bulletins?limit=1')).json() as { items: { id: number; date: string; generatedAt: string }[]; nextAfter: number; total: number };
    expect([page.items.map((i) => i.date), page.total]).toEqual([['2021-08-04'], 2]);
    expect((await as('auditor', `/api/bulletins?limit=1&after=${page.nextAfter}`)).json()).toMatchObject({ items: [{ date: '2021-08-05' }], nextAfter: null, total: 2 });
  });

  it('refuses a malformed date (400 naming it), a day not begun (404), a day before the edition\'s earliest (422) and an unknown format', async () => {
    for (const date of ['2021-8-5', '2021-02-30', 'yesterday', '20210805']) {
      const r = await as('provincial_command', `/api/bulletins/${date}`);
      expect([r.statusCode, r.json().error.code], date).toEqual([400, 'VALIDATION_FAILED']);
      expect((r.json().error.details as { field: string }[]).map((d) => d.field), date).toEqual(['date']);
    }
    const future = await as('provincial_command', '/api/bulletins/2021-08-07');
    expect([future.statusCode, future.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const early = await as('provincial_command', '/api/bulletins/1999-12-31');
    expect([early.statusCode, early.json().error.code]).toEqual([422, 'TIME_IMPLAUSIBLE']);
    const format = await as('provincial_command', '/api/bulletins/today?format=pdf');
    expect([format.statusCode, format.json().error.details[0].field]).toEqual([400, 'format']);
    expect((await as('provincial_command', '/api/bulletins')).json().total).toBe(0);
    // The OpenAPI document shows the bulletin's shape.
    const spec = (await injectAsGiven(app)({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> };
    expect(Object.keys(spec.paths['/api/bulletins/{date}'].get.responses['200'].content['application/json'].schema.properties)).toEqual(['date', 'from', 'to', 'final', 'generatedAt', 'figures', 'textZh', 'textEn']);
  });
});
