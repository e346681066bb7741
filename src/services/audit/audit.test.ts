// The audit log on both engines: entries chained by hash, appends from many requests at once keep one chain, and an
// edited, removed or reordered entry is found by verification.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { SettableClock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../storage/db.ts';
import type { Store } from '../../storage/store.ts';
import { auditHash, recordAudit, verifyAuditChain } from './audit.ts';

const NOW = 1_630_000_000;

describeEachEngine('audit log', (engine) => {
  let store: Store, close: () => Promise<void>;
  const clock = new SettableClock(NOW);
  const ctx: Ctx = { actor: { kind: 'api', name: 'li.si' }, clock };
  const db = () => (store as unknown as { db: Db }).db;
  beforeEach(async () => { ({ store, close } = await freshStore(engine)); });
  afterEach(async () => close());

  it('records actor, time, subject, purpose and request, each entry chained to the one before', async () => {
    const first = await recordAudit(ctx, store, { action: 'persons:read-identity', subject: 'person:7', purpose: 'calling a close contact', requestId: 'req-1' });
    clock.advance(60);
    const second = await recordAudit(ctx, store, { action: 'chains:export', subject: 'export:chains', purpose: null, detail: 'format=csv' });
    expect(first).toMatchObject({ at: NOW, actor: 'api:li.si', action: 'persons:read-identity', subject: 'person:7', purpose: 'calling a close contact', requestId: 'req-1', prevHash: '' });
    expect(second).toMatchObject({ at: NOW + 60, prevHash: first.hash, detail: 'format=csv', requestId: null });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.hash).toBe(auditHash(first.hash, second));
    expect((await store.audit.list({ subject: 'person:7' }, { limit: 10 })).items.map((e) => e.id)).toEqual([first.id]);
    expect(await verifyAuditChain(store)).toEqual({ entries: 2, head: second.hash, broken: null });
  });

  it('keeps one chain when many requests append at once', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => recordAudit(ctx, store, { action: 'persons:read-identity', subject: `person:${i}`, purpose: 'follow-up' })));
    const v = await verifyAuditChain(store);
    expect(v).toMatchObject({ entries: 40, broken: null });
  });

  it('finds an edited entry, a removed one and two swapped ones, at the first entry that no longer follows', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await recordAudit(ctx, store, { action: 'persons:read-identity', subject: `person:${i}`, purpose: 'follow-up' })).id);
    await db().run('UPDATE audit_log SET purpose = ? WHERE id = ?', ['nothing to see', ids[2]]);
    expect(await verifyAuditChain(store)).toMatchObject({ entries: 2, broken: { id: ids[2], reason: expect.stringContaining('edited') } });
    await db().run('UPDATE audit_log SET purpose = ? WHERE id = ?', ['follow-up', ids[2]]);
    expect((await verifyAuditChain(store)).broken).toBeNull();
    // Swapping two entries' contents (as a reordering would) breaks the link at the first.
    const rows = await db().all<{ subject: string; hash: string; prev_hash: string }>('SELECT subject, hash, prev_hash FROM audit_log WHERE id IN (?, ?) ORDER BY id', [ids[3], ids[4]]);
    await db().run('UPDATE audit_log SET subject = ?, hash = ?, prev_hash = ? WHERE id = ?', [rows[1].subject, rows[1].hash, rows[1].prev_hash, ids[3]]);
    expect((await verifyAuditChain(store)).broken).toMatchObject({ id: ids[3], reason: expect.stringContaining('does not follow') });
    await db().run('UPDATE audit_log SET subject = ?, hash = ?, prev_hash = ? WHERE id = ?', [rows[0].subject, rows[0].hash, rows[0].prev_hash, ids[3]]);
    await db().run('DELETE FROM audit_log WHERE id = ?', [ids[1]]);
    expect(await verifyAuditChain(store)).toMatchObject({ entries: 1, broken: { id: ids[2], reason: expect.stringContaining('does not follow') } });
  });
});
