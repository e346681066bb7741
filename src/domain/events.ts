/**
 * Domain events: every change of a fact is recorded as one of these, in the same transaction as the change (the
 * outbox), and handlers derive what follows from them (tracing, contacts' status, health codes, places' status), at
 * least once and idempotently. Payloads carry ids, not copies of rows: a handler reads the facts as they are when it
 * runs. The shape is what a durable stream (NATS JetStream) would carry: a kind, a JSON payload, who and when.
 */
import { z } from 'zod';

const Id = z.number().int().positive();

/** How contacts came to be written (the paths of DESIGN.md's event flow). */
export const CONTACT_PATHS = ['confirm', 'retrace', 'catch_up', 'import', 'investigator', 'correction', 'upgrade'] as const;
export type ContactPath = (typeof CONTACT_PATHS)[number];

/** Every event kind with its payload. */
export const EVENT_PAYLOADS = {
  /** A case was recorded (confirmed through the API, imported, or a reinfection); `traceAs`: the time its contacts are identified at. */
  'case.recorded': z.object({ caseId: Id, personId: Id, traceAs: z.enum(['now', 'confirmation']) }),
  /** A case's facts changed (outcome, isolation, severity, hospital, kind, times); `retrace` when its window or isolation moved. */
  'case.corrected': z.object({ caseId: Id, personId: Id, fields: z.array(z.string()), retrace: z.boolean() }),
  /** A case was withdrawn as not a case: its contacts are released. */
  'case.withdrawn': z.object({ caseId: Id, personId: Id }),
  /** Contacts were written (new, changed or released) for a case by one of the paths. */
  'contacts.written': z.object({ caseId: Id, personIds: z.array(Id), path: z.enum(CONTACT_PATHS) }),
  /** A contact's status changed (notified, in quarantine, released, lost to follow-up ...). */
  'contact.status_changed': z.object({ contactId: Id, personId: Id, status: z.string() }),
  /** Presence records were stored (a feed import, a registration at a checkpoint): tracing takes them in. */
  'presence.recorded': z.object({ count: z.number().int().nonnegative(), from: z.number().int(), to: z.number().int() }),
  /** A person's registered details were corrected. */
  'person.corrected': z.object({ personId: Id, fields: z.array(z.string()) }),
  /** Samples or results were recorded for these persons. */
  'test.recorded': z.object({ personIds: z.array(Id) }),
  /** A check at a checkpoint was recorded; `fever` when its temperature was above the edition's limit. */
  'check.recorded': z.object({ personId: Id.nullable(), checkpointId: Id, fever: z.boolean(), temperatureC: z.number().nullable() }),
  /** A venue order was issued, lifted or changed. */
  'venue_order.changed': z.object({ orderNo: z.string() }),
  /** Risk areas were graded anew: the units whose grading changed, with their level now (codes of those seen there follow). */
  'risk_areas.graded': z.object({ units: z.array(z.object({ regionCode: z.string(), level: z.enum(['low', 'medium', 'high']) })) }),
  /**
   * The contacts of a `contacts.written` event are to get their tasks: handled in a transaction of its own, after the
   * codes of the contacts have been committed (a case's 10,000 contacts' codes do not wait for their tasks).
   */
  'contacts.to_route': z.object({ caseId: Id, personIds: z.array(Id) }),
  /** A directive was issued and decomposed into `tasks` tasks. */
  'directive.issued': z.object({ directiveId: Id, tasks: z.number().int().nonnegative() }),
  /** A task was accepted, worked, done, reassigned, re-timed or cancelled (`status`: its status after). */
  'task.changed': z.object({ taskId: Id, status: z.string() }),
  /** Open tasks ran past their deadline and were escalated to the level above (or marked overdue at the top). */
  'tasks.escalated': z.object({ taskIds: z.array(Id) }),
  /**
   * A person was put in quarantine (at a site's room, or at home), released from it, their schedule moved by the records
   * that keep them there (a new exposure, a record gone), or their quarantine ended (a case now, no record keeping
   * them): their code follows.
   */
  'quarantine.changed': z.object({ assignmentId: Id, personId: Id, change: z.enum(['assigned', 'released', 'rescheduled', 'ended']) }),
  /**
   * A daily follow-up report was recorded: `fever` when its temperature was above the edition's limit, with the
   * symptoms reported. The person's code follows; an abnormal report raises a fever check.
   */
  'follow_up.reported': z.object({ reportId: Id, personId: Id, fever: z.boolean(), symptoms: z.array(z.string()) }),
  /** An investigator's verdict on a link between two cases. */
  'link.set': z.object({ infectorCaseId: Id, infecteeCaseId: Id }),
  /** An investigator entered an exposure event (a place and window, its source cases and exposed cases). */
  'exposure_event.entered': z.object({ eventId: Id }),
  /** An investigator withdrew an exposure event entered by mistake (it is kept in the corrections). */
  'exposure_event.withdrawn': z.object({ eventId: Id }),
} as const;

export type EventKind = keyof typeof EVENT_PAYLOADS;
export const EVENT_KINDS = Object.keys(EVENT_PAYLOADS) as EventKind[];
export type EventPayload<K extends EventKind> = z.infer<(typeof EVENT_PAYLOADS)[K]>;

/** A new event, as a use case emits it. */
export type NewEvent = { [K in EventKind]: { kind: K; payload: EventPayload<K> } }[EventKind];

/** An event as stored in the outbox. */
export type StoredEvent = NewEvent & { id: number; actor: string; at: number; attempts: number };
