/**
 * The handlers of the event flow, in the order they run for one event: a contact's status follows the cases it is
 * about (a contact who becomes a case, the contacts of a withdrawn case), tracing follows cases and presence (a new
 * case is traced, a corrected one retraced, new presence retraces the cases it touches), health codes follow every
 * fact they are computed from (after quarantine follows cases and new exposures), risk areas follow cases, places follow venue orders, and tasks follow contacts, pools, risk areas and orders. Each is idempotent: handling an event twice changes
 * nothing the first run did not.
 */
import type { StoredEvent } from '../../domain/events.ts';
import type { ContactStatus } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { actorName } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import type { HealthCodeService } from '../codes/healthCodes.ts';
import { tasksFromEvent } from '../command/tasks.ts';
import { quarantineFromEvent } from '../quarantine/quarantine.ts';
import { applyVenueOrdersIn, gradeRiskAreas, riskAreasGraded } from '../control.ts';
import type { TracingEngine } from '../tracing/engine.ts';
import { catchUp, traceCase } from '../tracing/traceCase.ts';
import type { EventHandler, HandlerScope } from './dispatcher.ts';

export interface HandlerDeps {
  store: Store;
  edition: ProtocolEdition;
  codes: HealthCodeService;
  tracing: () => Promise<TracingEngine>;
}

/** Statuses a contact keeps whatever happens to its person (already ended). */
const FINAL: readonly ContactStatus[] = ['released', 'became_case'];

/** A contact's status follows the cases: its person became a case; its index case was withdrawn. */
function contactStatusHandler(): EventHandler {
  return {
    name: 'contact-status',
    kinds: ['case.recorded', 'case.withdrawn'],
    async handle({ tx, ctx, emit }: HandlerScope, ev: StoredEvent) {
      const now = ctx.clock.now();
      if (ev.kind !== 'case.recorded' && ev.kind !== 'case.withdrawn') return;
      const c = await tx.cases.get(ev.payload.caseId);
      if (!c) return;
      const actor = actorName(ctx.actor);
      const setStatus = async (id: number, from: ContactStatus, to: ContactStatus, reason: string) => {
        await tx.cases.updateContact(id, { status: to, statusAt: now });
        await tx.corrections.record([{ entity: 'contact', entityKey: String(id), changes: { status: [from, to] }, reason, actor, at: now, source: `event:${ev.id}` }]);
      };
      if (ev.kind === 'case.recorded') {
        // Every standing contact record of the person, exposed before this case was confirmed, says the contact became a case.
        for (const k of await tx.cases.contactsOfPerson(c.personId)) {
          if (FINAL.includes(k.status) || k.indexCaseId === c.id || k.firstExposure > c.confirmedAt) continue;
          await setStatus(k.id, k.status, 'became_case', `became case ${c.caseNo}`);
        }
        return;
      }
      // Withdrawn: the case's own contacts are released, and records that said its person became a case say again what they said before.
      const released: number[] = [];
      for (const k of await tx.cases.contactsOfCase(c.id)) {
        if (k.status === 'released') continue;
        await setStatus(k.id, k.status, 'released', `index case ${c.caseNo} withdrawn: ${c.withdrawalReason ?? 'not a case'}`);
        released.push(k.personId);
      }
      for (const k of await tx.cases.contactsOfPerson(c.personId)) {
        if (k.status !== 'became_case') continue;
        const history = (await tx.corrections.of('contact', String(k.id))).filter((x) => 'status' in x.changes);
        const before = [...history].reverse().find((x) => x.changes.status[1] === 'became_case')?.changes.status[0] as ContactStatus | undefined;
        await setStatus(k.id, 'became_case', before ?? 'identified', `case ${c.caseNo} withdrawn`);
      }
      if (released.length > 0) await emit([{ kind: 'contacts.written', payload: { caseId: c.id, personIds: released, path: 'correction' } }]);
    },
  };
}

/** Tracing follows cases and presence. */
function tracingHandler(deps: HandlerDeps): EventHandler {
  return {
    name: 'tracing',
    kinds: ['case.recorded', 'case.corrected', 'presence.recorded'],
    async handle({ tx, ctx, eventId }: HandlerScope, ev: StoredEvent) {
      const engine = await deps.tracing();
      const common = { ctx, store: deps.store, engine, edition: deps.edition, repos: tx, parentEventId: eventId };
      if (ev.kind === 'presence.recorded') {
        await catchUp(common);
        return;
      }
      if (ev.kind !== 'case.recorded' && ev.kind !== 'case.corrected') return;
      const c = await tx.cases.get(ev.payload.caseId);
      if (!c || c.withdrawnAt !== null) return;
      if (ev.kind === 'case.recorded') {
        const identifiedAt = ev.payload.traceAs === 'confirmation' ? Math.min(c.confirmedAt, ctx.clock.now()) : ctx.clock.now();
        await traceCase({ ...common, caseId: c.id, path: ev.payload.traceAs === 'confirmation' ? 'import' : 'confirm', identifiedAt });
        return;
      }
      if (!ev.payload.retrace) return;
      await traceCase({ ...common, caseId: c.id, path: 'correction' });
      // The person's isolation may have moved: the cases that have them as a close contact reach secondary contacts through them.
      const through = new Set((await tx.cases.contactsOfPerson(c.personId)).filter((k) => k.kind === 'close').map((k) => k.indexCaseId));
      for (const other of through) {
        const oc = await tx.cases.get(other);
        if (oc && oc.withdrawnAt === null) await traceCase({ ...common, caseId: other, path: 'correction' });
      }
    },
  };
}

/** Health codes follow every fact they are computed from. */
function codesHandler(deps: HandlerDeps): EventHandler {
  return {
    name: 'codes',
    kinds: ['case.recorded', 'case.corrected', 'case.withdrawn', 'contacts.written', 'contact.status_changed', 'person.corrected', 'test.recorded', 'check.recorded', 'risk_areas.graded', 'quarantine.changed', 'follow_up.reported'],
    async handle({ tx, ctx, eventId }: HandlerScope, ev: StoredEvent) {
      const now = ctx.clock.now();
      const recompute = (ids: readonly number[], cause: string) => deps.codes.recomputeIn(tx, ids, cause, now, eventId);
      const caseNo = async (id: number) => (await tx.cases.get(id))?.caseNo ?? `#${id}`;
      switch (ev.kind) {
        case 'case.recorded': return void await recompute([ev.payload.personId], `case ${await caseNo(ev.payload.caseId)} recorded`);
        case 'case.corrected': return void await recompute([ev.payload.personId], `case ${await caseNo(ev.payload.caseId)} corrected (${ev.payload.fields.join(', ')})`);
        case 'case.withdrawn': return void await recompute([ev.payload.personId], `case ${await caseNo(ev.payload.caseId)} withdrawn`);
        case 'contacts.written': return void await recompute(ev.payload.personIds, `contacts of case ${await caseNo(ev.payload.caseId)} (${ev.payload.path.replace('_', '-')})`);
        case 'contact.status_changed': return void await recompute([ev.payload.personId], `contact status ${ev.payload.status}`);
        case 'person.corrected': return void await recompute([ev.payload.personId], `person corrected (${ev.payload.fields.join(', ')})`);
        case 'test.recorded': return void await recompute(ev.payload.personIds, 'test result recorded');
        case 'quarantine.changed': return void await recompute([ev.payload.personId], `quarantine ${ev.payload.change}`);
        case 'follow_up.reported': {
          const { fever, symptoms } = ev.payload;
          return void await recompute([ev.payload.personId], `follow-up report${fever ? ', fever' : ''}${symptoms.length ? `, ${symptoms.join(', ').replace(/_/g, ' ')}` : ''}`);
        }
        case 'risk_areas.graded': {
          // Those seen in a unit whose grading changed: arrival reasons appear or lapse.
          const units = ev.payload.units;
          const cause = `risk areas graded: ${units.slice(0, 3).map((u) => `${u.regionCode} ${u.level}`).join(', ')}${units.length > 3 ? ` and ${units.length - 3} more` : ''}`;
          return void await deps.codes.recomputeVisitorsIn(tx, units.map((u) => u.regionCode), cause, now, eventId);
        }
        case 'check.recorded':
          if (ev.payload.personId !== null && ev.payload.fever) {
            const cp = await tx.control.checkpointById(ev.payload.checkpointId);
            await recompute([ev.payload.personId], `temperature ${ev.payload.temperatureC ?? '?'} C at checkpoint ${cp?.code ?? ev.payload.checkpointId}`);
          }
          return;
        default: return;
      }
    },
  };
}

/** Places follow the venue orders in force. */
function venueOrderHandler(): EventHandler {
  return {
    name: 'venue-orders',
    kinds: ['venue_order.changed'],
    async handle({ tx, ctx }: HandlerScope) {
      await applyVenueOrdersIn(tx, ctx.clock.now());
    },
  };
}

/** The events after which risk areas are graded again. */
const RISK_KINDS = ['case.recorded', 'case.corrected', 'case.withdrawn', 'person.corrected'] as const;

/**
 * Risk areas follow the cases: graded again after a case is recorded, corrected or withdrawn, or a person moves; a
 * change emits `risk_areas.graded`, after which the codes of those seen there follow. The grading reads every
 * standing case, so when a later such event waits untried (an import of many cases) it is left to that one: one
 * grading per batch, not one per case.
 */
function riskAreasHandler(deps: HandlerDeps): EventHandler {
  return {
    name: 'risk-areas',
    kinds: RISK_KINDS,
    async handle({ tx, ctx, eventId, emit }: HandlerScope) {
      if (await tx.events.laterUntried(eventId, RISK_KINDS)) return;
      const changes = await gradeRiskAreas(tx, deps.edition, ctx.clock.now());
      if (changes.length > 0) await emit([riskAreasGraded(changes)]);
    },
  };
}

/**
 * Work follows the facts (the command mechanism): new close contacts become transfer tasks for their grids, a positive
 * pool single-tube retests, a graded risk area a sealing task, a venue order inspection tasks; see tasksFromEvent.
 */
function tasksHandler(deps: HandlerDeps): EventHandler {
  return {
    name: 'tasks',
    kinds: ['case.recorded', 'case.corrected', 'contacts.written', 'contacts.to_route', 'contact.status_changed', 'test.recorded', 'risk_areas.graded', 'venue_order.changed', 'follow_up.reported'],
    async handle({ tx, ctx, emit }: HandlerScope, ev: StoredEvent) {
      // A case's contacts get their tasks after their codes are committed: in the next event's transaction.
      if (ev.kind === 'contacts.written') return void await emit([{ kind: 'contacts.to_route', payload: { caseId: ev.payload.caseId, personIds: ev.payload.personIds } }]);
      await tasksFromEvent(tx, deps.edition, ev, ctx.clock.now(), actorName(ctx.actor));
    },
  };
}

/**
 * Quarantine follows cases and contacts: a person who became a case, or whom no record keeps there, leaves it; a new
 * exposure of a person held extends their period (quarantineFromEvent). Before the codes, which then read the assignment as it stands.
 */
function quarantineHandler(deps: HandlerDeps): EventHandler {
  return {
    name: 'quarantine',
    kinds: ['case.recorded', 'case.withdrawn', 'contact.status_changed', 'contacts.written'],
    async handle({ tx, ctx, emit }: HandlerScope, ev: StoredEvent) {
      const events = await quarantineFromEvent(tx, deps.edition, ev, ctx.clock.now(), actorName(ctx.actor));
      if (events.length > 0) await emit(events);
    },
  };
}

/** Every handler, in the order they run for one event. */
export function eventHandlers(deps: HandlerDeps): EventHandler[] {
  return [contactStatusHandler(), tracingHandler(deps), quarantineHandler(deps), codesHandler(deps), riskAreasHandler(deps), venueOrderHandler(), tasksHandler(deps)];
}
