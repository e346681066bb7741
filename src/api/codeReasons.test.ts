/**
 * What ends each reason of a health code, as the API gives it (GET /api/persons/:id/code), on both engines, on the
 * field cases' world with case A confirmed: the case's code ends with discharge; a close contact's with the end of
 * centralized quarantine and its tests negative; every contact's reasons as the domain's rule says.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadEdition } from '../domain/protocol/editions.ts';
import { reasonEnds } from '../domain/rules/healthCode.ts';
import type { CodeCondition } from '../domain/vocab.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { worldWithCaseA, type FieldWorld } from '../../test/fieldCases.ts';

interface Reason { condition: string; untilAt: string | null; ends: { code: string; args: Record<string, number> } }
const e = loadEdition('ed8-delta-2021');

describeEachEngine('api: what ends a code\'s reasons', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  beforeEach(async () => { ({ w, app } = await worldWithCaseA(engine)); });
  afterEach(async () => { await app?.close(); await w?.close(); });
  const reasonsOf = async (label: string): Promise<Reason[]> => {
    const r = await app.inject({ method: 'GET', url: `/api/persons/${await w.id(label)}/code` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().reasons;
  };

  it('says it for the case, a close contact and every contact', async () => {
    expect((await reasonsOf('A')).map((r) => [r.condition, r.ends])).toEqual([['case', { code: 'discharge', args: {} }]]);
    const b = await reasonsOf('B');
    expect(b.find((r) => r.condition === 'close_contact_in_centralized_quarantine')).toMatchObject({ untilAt: expect.any(String), ends: { code: 'period_with_tests', args: {} } });
    // Every contact's reasons: each says what ends it, as the domain's rule does.
    const contacts = (await app.inject({ method: 'GET', url: '/api/contacts?limit=500' })).json().items as { personId: number }[];
    expect(contacts.length).toBeGreaterThanOrEqual(3);
    for (const k of contacts) {
      const reasons = (await app.inject({ method: 'GET', url: `/api/persons/${k.personId}/code` })).json().reasons as Reason[];
      expect(reasons.length).toBeGreaterThan(0);
      for (const r of reasons) expect(r.ends, r.condition).toEqual(reasonEnds({ condition: r.condition as CodeCondition, untilAt: r.untilAt === null ? null : 0 }, e));
    }
  });
});
