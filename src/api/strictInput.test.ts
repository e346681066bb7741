/**
 * Input a route does not take is refused, not ignored, on both engines: a JSON body whose bytes are not UTF-8
 * (MALFORMED_BODY). Each answers 400 and changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowCounts } from '../../test/counts.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { fieldApp, fieldWorld, type FieldWorld } from '../../test/fieldCases.ts';

describeEachEngine('api: strict input', (engine) => {
  let w: FieldWorld;
  let app: FastifyInstance;
  beforeAll(async () => {
    w = await fieldWorld(engine);
    app = await fieldApp(w);
  });
  afterAll(async () => { await app?.close(); await w?.close(); });
  const answer = (r: { statusCode: number; json: () => { error?: { code?: string } } }) => ({ status: r.statusCode, code: r.json().error?.code });

  it('refuses a JSON body whose bytes are not UTF-8 with MALFORMED_BODY (not read as U+FFFD), and stores nothing of it', async () => {
    const personId = await w.id('RA');
    const before = await w.s.store.persons.get(personId);
    const counts = await rowCounts(w.s.store);
    // A lone byte, a broken two-byte sequence, 张 cut short, an encoded UTF-16 surrogate, an overlong '/'.
    for (const bytes of [[0xff], [0xc3, 0x28], [0xe5, 0xbc], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const payload = Buffer.concat([Buffer.from('{"occupation":"'), Buffer.from(bytes), Buffer.from('","reason":"corrected by the community"}')]);
      const r = await app.inject({ method: 'PATCH', url: `/api/persons/${personId}`, headers: { 'content-type': 'application/json' }, payload });
      expect(answer(r), Buffer.from(bytes).toString('hex')).toEqual({ status: 400, code: 'MALFORMED_BODY' });
      expect(r.json().error.message).toContain('UTF-8');
    }
    expect(await w.s.store.persons.get(personId)).toEqual(before);
    expect(await rowCounts(w.s.store)).toEqual(counts);
    // UTF-8 itself, characters beyond the BMP included, is read as sent.
    const ok = await app.inject({ method: 'PATCH', url: `/api/persons/${personId}`, headers: { 'content-type': 'application/json; charset=utf-8' }, payload: Buffer.from(JSON.stringify({ occupation: '𠮷祥快递', reason: 'corrected by the community' })) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await w.s.store.persons.get(personId))!.occupation).toBe('𠮷祥快递');
  });
});
