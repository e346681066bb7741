/**
 * Traces one case: computes its infectious window from the edition, finds its close contacts, secondary contacts
 * and companions with evidence, and stores them. Idempotent: a contact already stored for this case is not written
 * again, so retracing after new presence data writes only what is new.
 */
import type { Case } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { caseWindow, contactIsolationDeadline, type Window } from '../../domain/rules/caseWindow.ts';
import type { Store } from '../../storage/store.ts';
import type { Found } from '../../tracing/tracer.ts';
import type { TracingEngine } from './engine.ts';
import { nowSeconds } from '../../domain/time.ts';

export interface TraceResult {
  caseId: number;
  window: Window;
  found: { close: Found[]; secondary: Found[]; companion: Found[] };
  /** Contacts newly stored by this run (0 when retracing found nothing new). */
  written: number;
  elapsedMs: number;
}

/**
 * Finds the contacts of a case (no storage writes): the query part, shared by trace and benchmarks. First brings the
 * engine's isolation intervals up to date and loads the case's co-residents in the household registry, so known
 * isolation bounds every exposure and co-residents are close contacts.
 */
export async function findContacts(engine: TracingEngine, c: Case, edition: ProtocolEdition): Promise<{ window: Window; found: TraceResult['found'] }> {
  const { coResidents } = await engine.factsFor(c.personId);
  const tracer = engine.tracer();
  const window = caseWindow(c, edition);
  const input = { personId: c.personId, from: window.from, to: window.to, confirmedAt: c.confirmedAt };
  const close = tracer.close(input, { coResidents });
  const secondary = tracer.secondary(input, close, () => contactIsolationDeadline(c.confirmedAt, edition));
  const companion = tracer.companions(input, close);
  return { window, found: { close: close.found(), secondary: secondary.found(), companion: companion.found() } };
}

export async function traceCase(props: { store: Store; engine: TracingEngine; edition: ProtocolEdition; caseId: number; now?: number }): Promise<TraceResult> {
  const { store, engine, edition, caseId } = props;
  const t0 = performance.now();
  await engine.ingestNew(); // trace on every record stored so far; catch-up still retraces other cases they touch
  const c = await store.cases.get(caseId);
  if (!c) throw new RangeError(`no case with id ${caseId}`);
  const { window, found } = await findContacts(engine, c, edition);
  const now = props.now ?? nowSeconds();
  const row = (f: Found, via: number | null) => ({
    personId: f.personId, kind: f.kind, indexCaseId: c.id, viaContactId: via, firstExposure: f.firstExposure, lastExposure: f.lastExposure,
    evidence: f.evidence, status: 'identified' as const, identifiedAt: now,
  });
  const written = await store.transaction(async (tx) => {
    let n = await tx.cases.insertContacts(found.close.map((f) => row(f, null)));
    const closeIds = await tx.cases.contactIds(c.id, 'close');
    n += await tx.cases.insertContacts(found.secondary.map((f) => row(f, f.viaPersonId === null ? null : closeIds.get(f.viaPersonId) ?? null)));
    n += await tx.cases.insertContacts(found.companion.map((f) => row(f, null)));
    return n;
  });
  return { caseId: c.id, window, found, written, elapsedMs: performance.now() - t0 };
}

/**
 * Retraces every case whose tracing reaches into [from, to) (after new presence data covering that span): from the
 * earlier of its infectious window and its companion look-back, to its close contacts' isolation deadline.
 */
export async function retraceAffected(props: { store: Store; engine: TracingEngine; edition: ProtocolEdition; from: number; to: number }): Promise<TraceResult[]> {
  const out: TraceResult[] = [];
  for (const c of await props.store.cases.all()) {
    const w = caseWindow(c, props.edition);
    const earliest = Math.min(w.from, c.confirmedAt - props.edition.companion.lookBackDays * 86400);
    const reach = Math.max(w.to, contactIsolationDeadline(c.confirmedAt, props.edition));
    if (earliest < props.to && reach > props.from) out.push(await traceCase({ ...props, caseId: c.id }));
  }
  return out;
}

/**
 * Takes in the presence records stored since the engine last looked (by any process), together with those a route
 * already took in, and retraces only the cases whose windows their time span touches, writing only contacts not yet stored. What the server runs on an interval
 * and `cordon import presence` runs after an import.
 */
export async function catchUp(props: { store: Store; engine: TracingEngine; edition: ProtocolEdition }): Promise<{ added: number; retraced: number; written: number }> {
  await props.engine.ingestNew();
  const { added, from, to } = props.engine.takeUnretraced();
  if (added === 0) return { added, retraced: 0, written: 0 };
  const results = await retraceAffected({ ...props, from, to });
  return { added, retraced: results.length, written: results.reduce((s, r) => s + r.written, 0) };
}
