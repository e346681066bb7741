/**
 * Traces one case: computes its infectious window from the edition, finds its close contacts, secondary contacts
 * and companions with evidence, and brings the stored contacts of the case in line with what was found, in one
 * transaction with the `contacts.written` event that lets health codes follow: contacts not stored yet are written,
 * stored ones whose exposure or evidence changed are updated, and stored ones tracing no longer finds (the case's
 * window or someone's isolation was corrected) are released, with the correction recorded. Idempotent: retracing
 * without new facts writes nothing and emits nothing.
 */
import type { Case, Contact, ContactStatus } from '../../domain/model/index.ts';
import type { ContactPath } from '../../domain/events.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { caseWindow, contactIsolationDeadline, type Window } from '../../domain/rules/caseWindow.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { NewContact } from '../../storage/sql/cases.ts';
import type { Repositories, Store } from '../../storage/store.ts';
import type { Found } from '../../tracing/tracer.ts';
import type { TracingEngine } from './engine.ts';

export interface TraceResult {
  caseId: number;
  window: Window;
  found: { close: Found[]; secondary: Found[]; companion: Found[] };
  /** Contacts newly stored by this run (0 when retracing found nothing new). */
  written: number;
  /** Stored contacts whose exposure or evidence changed. */
  updated: number;
  /** Stored contacts released because tracing no longer finds them. */
  released: number;
  elapsedMs: number;
}

/** Why a case cannot be traced. */
export class TraceError extends Error {
  constructor(readonly reason: 'unknown_case' | 'withdrawn', message: string) {
    super(message);
    this.name = 'TraceError';
  }
}

/**
 * Finds the contacts of a case (no storage writes): the query part, shared by trace and benchmarks. First brings the
 * engine's isolation intervals up to date and loads the case's co-residents in the household registry, so known
 * isolation bounds every exposure and co-residents are close contacts.
 */
export async function findContacts(engine: TracingEngine, c: Case, edition: ProtocolEdition): Promise<{ window: Window; found: TraceResult['found'] }> {
  const { coResidents } = await engine.factsFor(c.personId);
  const tracer = await engine.tracer();
  const window = caseWindow(c, edition);
  const input = { personId: c.personId, from: window.from, to: window.to, confirmedAt: c.confirmedAt };
  const close = tracer.close(input, { coResidents });
  const secondary = tracer.secondary(input, close, () => contactIsolationDeadline(c.confirmedAt, edition));
  const companion = tracer.companions(input, close);
  return { window, found: { close: close.found(), secondary: secondary.found(), companion: companion.found() } };
}

export interface TraceProps {
  ctx: Ctx;
  store: Store;
  engine: TracingEngine;
  edition: ProtocolEdition;
  caseId: number;
  /** Which path traces (recorded on the event). */
  path: ContactPath;
  /** When the new contacts count as identified: the server's now unless replaying a past outbreak (a case's confirmation). */
  identifiedAt?: number;
  /** The transaction to write in (an event handler's); the trace opens its own when absent. */
  repos?: Repositories;
  /** The event being handled, when an event handler traces: the parent of the `contacts.written` event. */
  parentEventId?: number;
}

/** Traces a case and stores the outcome (see the file's comment). A withdrawn case is not traced. */
export async function traceCase(props: TraceProps): Promise<TraceResult> {
  const { store, engine, edition, caseId, ctx } = props;
  const t0 = performance.now();
  await engine.ingestNew(); // trace on every record stored so far; catch-up still retraces other cases they touch
  const c = await (props.repos ?? store).cases.get(caseId);
  if (!c) throw new TraceError('unknown_case', `no case with id ${caseId}`);
  if (c.withdrawnAt !== null) throw new TraceError('withdrawn', `case ${c.caseNo} was withdrawn`);
  const { window, found } = await findContacts(engine, c, edition);
  const write = (tx: Repositories) => storeContacts(tx, ctx, c, found, props.identifiedAt ?? ctx.clock.now(), props.path, props.parentEventId ?? null);
  const counts = props.repos ? await write(props.repos) : await store.transaction(write);
  return { caseId: c.id, window, found, ...counts, elapsedMs: performance.now() - t0 };
}

const ENDED: readonly ContactStatus[] = ['released', 'became_case'];

/** Brings a case's stored contacts in line with what tracing found; emits `contacts.written` naming every person touched. */
async function storeContacts(tx: Repositories, ctx: Ctx, c: Case, found: TraceResult['found'], identifiedAt: number, path: ContactPath, parentEventId: number | null): Promise<{ written: number; updated: number; released: number }> {
  const stored = await tx.cases.contactsOfCase(c.id);
  const byKey = new Map(stored.map((s) => [`${s.kind}:${s.personId}`, s]));
  const caseSince = await tx.cases.standingCaseSince();
  const touched = new Set<number>();
  let written = 0, updated = 0;
  const row = (f: Found, via: number | null): NewContact => ({
    personId: f.personId, kind: f.kind, indexCaseId: c.id, viaContactId: via, firstExposure: f.firstExposure, lastExposure: f.lastExposure, evidence: f.evidence,
    // A contact who is already a case, confirmed since the exposure, became one.
    status: (caseSince.get(f.personId) ?? -Infinity) >= f.firstExposure ? 'became_case' : 'identified', identifiedAt,
  });
  const apply = async (list: Found[], via: (f: Found) => number | null) => {
    const fresh: NewContact[] = [];
    for (const f of list) {
      const was = byKey.get(`${f.kind}:${f.personId}`);
      const r = row(f, via(f));
      if (!was) { fresh.push(r); touched.add(f.personId); continue; }
      byKey.delete(`${f.kind}:${f.personId}`);
      if (was.origin !== 'tracing') continue;
      const changed = was.firstExposure !== r.firstExposure || was.lastExposure !== r.lastExposure || was.viaContactId !== r.viaContactId
        || JSON.stringify(was.evidence) !== JSON.stringify(r.evidence);
      const revived = was.status === 'released' && (await releasedByTracing(tx, was));
      if (!changed && !revived) continue;
      await tx.cases.updateContact(was.id, {
        firstExposure: r.firstExposure, lastExposure: r.lastExposure, viaContactId: r.viaContactId, evidence: r.evidence,
        ...(revived ? { status: 'identified', statusAt: ctx.clock.now() } : {}),
      });
      if (revived) await tx.corrections.record([{ entity: 'contact', entityKey: String(was.id), changes: { status: ['released', 'identified'] }, reason: `found again when case ${c.caseNo} was traced`, actor: actorName(ctx.actor), at: ctx.clock.now(), source: `trace:${path}` }]);
      updated++;
      touched.add(f.personId);
    }
    written += await tx.cases.insertContacts(fresh);
  };
  await apply(found.close, () => null);
  const closeIds = await tx.cases.contactIds(c.id, 'close');
  await apply(found.secondary, (f) => (f.viaPersonId === null ? null : closeIds.get(f.viaPersonId) ?? null));
  await apply(found.companion, () => null);
  // What tracing found before and finds no more: released, with the reason kept.
  let released = 0;
  const now = ctx.clock.now();
  for (const gone of byKey.values()) {
    if (gone.origin !== 'tracing' || ENDED.includes(gone.status)) continue;
    await tx.cases.updateContact(gone.id, { status: 'released', statusAt: now });
    await tx.corrections.record([{
      entity: 'contact', entityKey: String(gone.id), changes: { status: [gone.status, 'released'] },
      reason: `no longer a contact when case ${c.caseNo} was traced again`, actor: actorName(ctx.actor), at: now, source: `trace:${path}`,
    }]);
    released++;
    touched.add(gone.personId);
  }
  if (touched.size > 0) await tx.events.append([{ kind: 'contacts.written', payload: { caseId: c.id, personIds: [...touched], path } }], actorName(ctx.actor), now, parentEventId);
  return { written, updated, released };
}

/** Whether a released contact was released by tracing (and so comes back when tracing finds it again), not by a person. */
async function releasedByTracing(tx: Repositories, contact: Contact): Promise<boolean> {
  const last = (await tx.corrections.of('contact', String(contact.id))).filter((x) => 'status' in x.changes).at(-1);
  return last !== undefined && last.source.startsWith('trace:');
}

/**
 * Retraces every standing case whose tracing reaches into [from, to) (after new presence data covering that span):
 * from the earlier of its infectious window and its companion look-back, to its close contacts' isolation deadline.
 */
export async function retraceAffected(props: Omit<TraceProps, 'caseId'> & { from: number; to: number }): Promise<TraceResult[]> {
  const out: TraceResult[] = [];
  for (const c of await (props.repos ?? props.store).cases.all()) {
    if (c.withdrawnAt !== null) continue;
    const w = caseWindow(c, props.edition);
    const earliest = Math.min(w.from, c.confirmedAt - props.edition.companion.lookBackDays * 86400);
    const reach = Math.max(w.to, contactIsolationDeadline(c.confirmedAt, props.edition));
    if (earliest < props.to && reach > props.from) out.push(await traceCase({ ...props, caseId: c.id }));
  }
  return out;
}

/**
 * Takes in the presence records stored since the engine last looked (by any process), together with those a route
 * already took in, and retraces only the cases whose windows their time span touches, writing only what changed.
 * Every record is handed to exactly one retrace (the engine keeps the account), so a second call for the same
 * records does nothing. What the `presence.recorded` handler and the server's catch-up timer run.
 */
export async function catchUp(props: Omit<TraceProps, 'caseId' | 'path'>): Promise<{ added: number; retraced: number; written: number }> {
  await props.engine.ingestNew();
  const u = props.engine.takeUnretraced();
  if (u.added === 0) return { added: 0, retraced: 0, written: 0 };
  // If the retrace's transaction rolls back, the records go back to the account for the next catch-up.
  props.repos?.onRollback(() => props.engine.restoreUnretraced(u));
  let results: TraceResult[];
  try {
    results = await retraceAffected({ ...props, path: 'catch_up', from: u.from, to: u.to });
  } catch (e) {
    if (!props.repos) props.engine.restoreUnretraced(u);
    throw e;
  }
  return { added: u.added, retraced: results.length, written: results.reduce((s, r) => s + r.written, 0) };
}
