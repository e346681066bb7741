/**
 * A resident's appeal against their health code (POST/GET /api/me/appeals), on both engines: it becomes a task for
 * the investigators of the resident's county, due the edition's command.taskWithinHours.code_appeal after it is made
 * (the server's time), with the resident's words; a second appeal while the first is open is refused and writes
 * nothing; once the investigators complete the task, the resident reads their answer and may appeal again. Staff of
 * another county do not see it; a bad reason is refused.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { actorKeys } from '../../test/credentials.ts';
import { residentApp, residentSessions } from '../../test/residents.ts';
import { describeEachEngine } from '../../test/engines.ts';
import { rowCounts } from '../../test/counts.ts';
import type { FieldWorld } from '../../test/fieldCases.ts';
import { parseTime } from '../domain/time.ts';

const NOW = parseTime('2021-09-22 10:00')!;

describeEachEngine('api: a resident\'s appeal against their code', (engine) => {
  let w: FieldWorld, app: FastifyInstance;
  const actors = actorKeys(() => app);
  let sent: { phone: string; text: string }[] = [];
  const residents = residentSessions(() => app, () => w, () => sent);
  const resident = residents.as;
  const signIn = residents.signIn;

  beforeEach(async () => {
    ({ w, app, sent } = await residentApp(engine, NOW));
    await actors.enter(w.s.store, [['cdc_investigator', '430102'], ['cdc_investigator', '430103']]);
  });
  afterEach(async () => { await app?.close(); await w?.close(); });

  it('becomes a task for the investigators of the resident\'s county, one open at a time, answered when they complete it', async () => {
    const cookie = await signIn('L', '13907390007');
    expect((await resident(cookie, 'GET', '/api/me/appeals')).json()).toEqual({ items: [] });
    const made = await resident(cookie, 'POST', '/api/me/appeals', { reason: '  我9月18日不在臭豆腐小馆，当天在外地出差  ' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ reason: '我9月18日不在臭豆腐小馆，当天在外地出差', status: 'assigned', createdAt: '2021-09-22T10:00:00+08:00', dueAt: '2021-09-23T10:00:00+08:00', closedAt: null, answer: null });
    const taskId = made.json().id as number;
    // The county's investigators see it, with L as its subject; another county's do not.
    const seen = await actors.as('cdc_investigator', '430102', 'GET', '/api/tasks?kind=code_appeal');
    expect(seen.json().items).toMatchObject([{ id: taskId, kind: 'code_appeal', level: 'county', regionCode: '430102', subjectPersonId: await w.id('L'), status: 'assigned' }]);
    expect((await actors.as('cdc_investigator', '430103', 'GET', '/api/tasks?kind=code_appeal')).json().items).toEqual([]);
    // A second appeal while the first is open: refused, nothing written.
    const before = await rowCounts(w.s.store);
    const again = await resident(cookie, 'POST', '/api/me/appeals', { reason: '再次申诉' });
    expect({ status: again.statusCode, code: again.json().error.code, taskId: again.json().error.details.taskId }).toEqual({ status: 409, code: 'APPEAL_OPEN', taskId });
    expect(await rowCounts(w.s.store)).toEqual(before);
    // The investigators review and complete it with their answer; the resident reads it, and may appeal again.
    w.clock.set(NOW + 3600);
    for (const step of ['accept', 'start']) expect((await actors.as('cdc_investigator', '430102', 'POST', `/api/tasks/${taskId}/${step}`, {})).statusCode).toBe(200);
    const done = await actors.as('cdc_investigator', '430102', 'POST', `/api/tasks/${taskId}/complete`, { note: '经核查通信数据，当日不在该场所，已更正' });
    expect(done.statusCode, done.body).toBe(200);
    expect((await resident(cookie, 'GET', '/api/me/appeals')).json().items).toMatchObject([{ id: taskId, status: 'done', closedAt: '2021-09-22T11:00:00+08:00', answer: '经核查通信数据，当日不在该场所，已更正' }]);
    expect((await resident(cookie, 'POST', '/api/me/appeals', { reason: '健康码仍为黄码' })).statusCode).toBe(201);
    expect((await resident(cookie, 'GET', '/api/me/appeals')).json().items.map((a: { reason: string }) => a.reason)).toEqual(['健康码仍为黄码', '我9月18日不在臭豆腐小馆，当天在外地出差']);
  });

  it('refuses a reason with nothing to read or too long, and staff cannot appeal for a resident', async () => {
    const cookie = await signIn('L', '13907390007');
    for (const reason of ['   ', '\u200b', 'x'.repeat(501)]) {
      const r = await resident(cookie, 'POST', '/api/me/appeals', { reason });
      expect({ status: r.statusCode, code: r.json().error.code }, JSON.stringify(reason)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await actors.as('cdc_investigator', '430102', 'POST', '/api/me/appeals', { reason: '代为申诉' })).statusCode).toBe(403);
    expect((await resident(cookie, 'GET', '/api/me/appeals')).json()).toEqual({ items: [] });
  });
});
