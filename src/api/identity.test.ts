/**
 * Personal data through the API on both engines: masked by default so that no shown field narrows an ID number to a
 * few candidates; the full identity only for roles that need it, with a purpose, each read in the audit log before it
 * is answered; the log for auditors, verified.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from '../../test/apps.ts';
import { injectAsGiven, roleKeys } from '../../test/credentials.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { idNumber, MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import { idCheckChar, maskIdNumber } from '../domain/identity.ts';
import type { Role } from '../domain/access.ts';
import type { Store } from '../storage/store.ts';
import { EXPORTS_PER_MINUTE } from './routes/common.ts';

describeEachEngine('api: personal data', (engine) => {
  let app: FastifyInstance, store: Store, close: () => Promise<void>;
  let keys: Map<Role, string>;
  const as = (role: Role, url: string) => injectAsGiven(app)({ method: 'GET', url, headers: { authorization: `Bearer ${keys.get(role)}` } });

  beforeAll(async () => {
    ({ app, store, close } = await testApp(engine, async (s) => {
      await s.regions.insertMany(MINI_REGIONS);
      await s.persons.insertMany([personRow(1, { name: '周建国', sex: 'male', birthDate: '1986-04-12', phone: '13907390000', idMasked: maskIdNumber(idNumber(1, '19860412')) })]);
    }));
    keys = await roleKeys(store, '43', ['cdc_investigator', 'provincial_command', 'auditor', 'lab']);
  });
  afterAll(async () => close());

  it('masks a person so that the shown fields leave tens of thousands of ID numbers, not a few', async () => {
    const p = (await as('provincial_command', '/api/persons/1')).json() as { idMasked: string; sex: string; birthDecade: number; communityCode: string; name: string; phone: string };
    expect(p).toMatchObject({ name: '周**', phone: '139****0000', sex: 'male', birthDecade: 1980 });
    expect(p.idMasked).toMatch(/^430\*{13}[0-9X]{2}$/);
    // Every ID number consistent with what is shown: the county from the community's code, a birth date in the
    // decade, a sequence ending in the shown digit with the sex's parity, and the shown check character.
    const county = p.communityCode.slice(0, 6), [seqLast, check] = p.idMasked.slice(-2);
    let candidates = 0;
    for (let day = Date.UTC(p.birthDecade, 0, 1); day < Date.UTC(p.birthDecade + 10, 0, 1); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10).replace(/-/g, '');
      for (let seq = 0; seq < 100; seq++) {
        if (Number(seqLast) % 2 !== (p.sex === 'male' ? 1 : 0)) continue;
        const first17 = `${county}${date}${String(seq).padStart(2, '0')}${seqLast}`;
        if (idCheckChar(first17) === check) candidates++;
      }
    }
    expect(candidates).toBeGreaterThan(10_000);
  });

  it('gives the full identity to an investigator with a purpose, recorded in the audit log first; not to roles without the need', async () => {
    expect((await as('cdc_investigator', '/api/persons/1/identity')).statusCode).toBe(400);
    expect((await as('cdc_investigator', '/api/persons/1/identity?purpose=x')).json().error.code).toBe('VALIDATION_FAILED');
    // A purpose is one line of plain text: it cannot pose as another audit entry, nor read backwards.
    for (const purpose of ['routine call\n999\tapi:someone\tforged', 'a\ttabbed purpose', 'calling \u202ekcab']) {
      expect((await as('cdc_investigator', `/api/persons/1/identity?purpose=${encodeURIComponent(purpose)}`)).json().error.code, purpose).toBe('VALIDATION_FAILED');
    }
    const r = await as('cdc_investigator', '/api/persons/1/identity?purpose=calling%20a%20close%20contact');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: 1, name: '周建国', phone: '13907390000', birthDate: '1986-04-12', audit: { purpose: 'calling a close contact' } });
    for (const role of ['provincial_command', 'auditor', 'lab'] as const) expect((await as(role, '/api/persons/1/identity?purpose=curious%20about%20it')).json().error.code, role).toBe('FORBIDDEN');
    expect((await as('cdc_investigator', '/api/persons/999/identity?purpose=calling%20a%20contact')).statusCode).toBe(404);
    const log = (await as('auditor', '/api/audit?subject=person:1')).json() as { items: { id: number; actor: string; action: string; purpose: string; requestId: string }[] };
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ id: r.json().audit.id, action: 'persons:read-identity', purpose: 'calling a close contact' });
    expect(log.items[0].actor).toMatch(/^api:key:test-cdc_investigator-43-/);
    expect(log.items[0].requestId).toBeTruthy();
    // An auditor of another district sees no entry about this resident; one of the resident's own district does.
    const auditorOf = async (scope: string) => (await roleKeys(store, scope, ['auditor'])).get('auditor')!;
    const page = async (key: string) => (await injectAsGiven(app)({ method: 'GET', url: '/api/audit?subject=person:1', headers: { authorization: `Bearer ${key}` } })).json() as { items: { id: number }[] };
    expect((await page(await auditorOf('430103'))).items).toEqual([]);
    expect((await page(await auditorOf('430102'))).items.map((x) => x.id)).toEqual([r.json().audit.id]);
    // The chain is intact (other tests of this file may have added entries before this one: the order is shuffled).
    const verified = (await as('auditor', '/api/audit/verify')).json() as { entries: number; broken: unknown };
    expect(verified.broken).toBeNull();
    expect(verified.entries).toBeGreaterThanOrEqual(1);
    expect((await as('cdc_investigator', '/api/audit')).json().error.code).toBe('FORBIDDEN');
  });

  it('audits every export, and limits one actor to EXPORTS_PER_MINUTE a minute', async () => {
    expect((await as('cdc_investigator', '/api/chains/export?format=csv')).statusCode).toBe(200);
    const log = (await as('auditor', '/api/audit?subject=export:chains')).json() as { items: { action: string; detail: string; actor: string }[] };
    expect(log.items.at(-1)).toMatchObject({ action: 'chains:export', detail: 'format=csv; chains=0' });
    expect(log.items.at(-1)!.actor).toMatch(/^api:key:test-cdc_investigator-43-/);
    for (let i = 1; i < EXPORTS_PER_MINUTE; i++) expect((await as('cdc_investigator', '/api/chains/export')).statusCode).toBe(200);
    const limited = await as('cdc_investigator', '/api/chains/export');
    expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    // Another actor is not held up, and the refused export was not recorded.
    expect((await as('provincial_command', '/api/chains/export')).statusCode).toBe(200);
    expect((await as('auditor', '/api/audit?subject=export:chains&limit=100')).json().items).toHaveLength(EXPORTS_PER_MINUTE + 1);
    expect((await as('auditor', '/api/audit/verify')).json().broken).toBeNull();
  });
});
