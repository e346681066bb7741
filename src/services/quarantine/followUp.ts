/**
 * Daily follow-up (issue "Quarantine"; PROTOCOL.md, "People under management"): each person in quarantine (an open
 * assignment, centralized or at home) or in home monitoring after release reports a temperature and symptoms every
 * day, recorded by the site's staff, a grid worker or the resident on their own page. A fever (above the edition's
 * limit) or a symptom changes their code and raises a fever check (the event flow: `follow_up.reported`). Who has not
 * reported today, and who is lost to follow-up after the edition's `followUp.lostAfterMissedDays`, are listed; a
 * reminder goes to those who have not reported through the pluggable sender (one per person and day).
 */
import { DomainError } from '../../domain/errors.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { dayBounds, dayOf } from '../../domain/bulletin.ts';
import { followUpStanding, reportFindings, temperatureProblem, type FollowUpStanding, type ReportFindings } from '../../domain/rules/followUp.ts';
import { DAY } from '../../domain/time.ts';
import type { QuarantineKind, ReportSource, Symptom } from '../../domain/vocab.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { FollowUpReport } from '../../storage/sql/followUp.ts';
import type { Store } from '../../storage/store.ts';
import type { EventDispatcher } from '../events/dispatcher.ts';
import type { CodeSender } from '../accounts/residents.ts';

/** What the follow-up use cases work with. */
export interface FollowUpDeps { store: Store; edition: ProtocolEdition; events: EventDispatcher }

/** How messages reach a person's phone: the sign-in codes' sender (an SMS gateway in production; the log by default). */
export type MessageSender = CodeSender;

/** A person under follow-up now: held (with the assignment) or in home monitoring after release, since when, until when. */
export interface UnderFollowUp extends FollowUpStanding {
  personId: number;
  kind: QuarantineKind;
  since: number;
  /** When home monitoring ends (null for a person held: until released). */
  until: number | null;
  assignmentId: number | null;
  siteId: number | null;
  room: string | null;
  lastReportAt: number | null;
  /** What the last report said (degrees Celsius or null when not taken; the symptoms) and what it found; null: none yet. */
  lastReport: ({ temperatureC: number | null } & ReportFindings) | null;
}

/**
 * Persons under follow-up at the server's now within the actor's reach (optionally held at one site, or one person),
 * with where each stands today, by person id from `after` (at most `limit`, in `state`: all, not reported today,
 * lost), and the counts of the whole. Held: an open assignment. In home monitoring: a contact record in home
 * monitoring of a person not held, for the edition's monitoring days of their kind of contact (`followedBy`), from
 * the moment the record moved to home monitoring (their release); or a case discharged or recovered, for the edition's
 * `caseManagement.afterDischarge.days` from the outcome (the management after discharge).
 */
export async function underFollowUp(ctx: Ctx, deps: FollowUpDeps, filter: { siteId?: number; personId?: number; state?: 'all' | 'missed' | 'lost'; after?: number; limit?: number } = {}) {
  const { store, edition } = deps;
  const now = ctx.clock.now();
  const today = dayOf(now);
  const todayStart = dayBounds(today)!.from;
  const lostBefore = todayStart - edition.followUp.lostAfterMissedDays * DAY;
  const days = (as: 'close' | 'secondary') => {
    const f = (as === 'close' ? edition.closeContact : edition.secondaryContact).management.followedBy;
    return f?.kind === 'home_monitoring' ? f.days : 0;
  };
  const r = await store.followUp.standings({
    now, todayStart, lostBefore, monitoringDays: { close: days('close'), secondary: days('secondary'), afterDischarge: edition.caseManagement.afterDischarge.days }, siteId: filter.siteId, personId: filter.personId,
    state: filter.state ?? 'all', after: filter.after, limit: filter.limit ?? 1_000_000,
  }, ctx.scope);
  const last = await store.followUp.lastReportsOf(r.items.map((u) => u.personId));
  const items: UnderFollowUp[] = r.items.map((u) => {
    const l = last.get(u.personId);
    return { ...u, ...followUpStanding(edition, u.since, u.lastReportAt, today), lastReport: l ? { temperatureC: l.temperatureC, ...reportFindings(edition, l.temperatureC, l.symptoms) } : null };
  });
  return { date: today, items, counts: { ...r.counts, missedToday: r.counts.under - r.counts.reportedToday } };
}

/**
 * Records a daily report for person `personId` at the server's now: a temperature in degrees Celsius (or null: not
 * taken) and the symptoms, by `source`. The person must be under follow-up and within the actor's reach (a resident:
 * themselves). Emits `follow_up.reported`; the code and a fever check follow before it answers. Errors: NOT_FOUND (no
 * such person in reach), NOT_IN_FOLLOW_UP, VALIDATION_FAILED (a temperature outside the edition's plausible range).
 */
export async function recordReport(ctx: Ctx, deps: FollowUpDeps, props: { personId: number; temperatureC: number | null; symptoms: readonly Symptom[]; note?: string; source: ReportSource }): Promise<FollowUpReport & { findings: ReturnType<typeof reportFindings> }> {
  const { store, edition } = deps;
  if (props.temperatureC !== null) {
    const bad = temperatureProblem(edition, props.temperatureC);
    if (bad) throw new DomainError('invalid', 'VALIDATION_FAILED', `the temperature: ${bad}`, [{ field: 'temperatureC', reason: bad }]);
  }
  const self = props.source === 'resident';
  if (!self && !(await store.persons.get(props.personId, ctx.scope))) {
    // Held at a site of the actor's region, though living elsewhere: within reach too.
    if ((await underFollowUp(ctx, deps, { personId: props.personId })).items.length === 0) throw new DomainError('not_found', 'NOT_FOUND', `No person with id ${props.personId}.`);
  }
  // Whether they are under follow-up is a fact of the person, whatever the actor's reach.
  const [under] = (await underFollowUp({ ...ctx, scope: undefined }, deps, { personId: props.personId })).items;
  if (!under) throw new DomainError('conflict', 'NOT_IN_FOLLOW_UP', `person ${props.personId} is neither in quarantine nor in home monitoring: there is no daily report to record`);
  const now = ctx.clock.now();
  const symptoms = [...new Set(props.symptoms)].sort();
  const findings = reportFindings(edition, props.temperatureC, symptoms);
  const actor = actorName(ctx.actor);
  const report: Omit<FollowUpReport, 'id'> = {
    personId: props.personId, day: dayOf(now), at: now, temperatureC: props.temperatureC, symptoms, note: props.note ?? null, reportedBy: actor, source: props.source,
    assignmentId: under.assignmentId,
  };
  const id = await store.transaction(async (tx) => {
    const reportId = await tx.followUp.insertReport(report);
    await tx.events.append([{ kind: 'follow_up.reported', payload: { reportId, personId: props.personId, fever: findings.fever, symptoms } }], actor, now);
    return reportId;
  });
  await deps.events.settle();
  return { id, ...report, findings };
}

/**
 * Sends a reminder to each person under follow-up within the actor's reach (optionally held at one site) who has
 * not reported today and has not been reminded today, through `sender` to their registered phone; one per person and
 * day (recorded). Returns how many were sent, how many had no phone, and how many were reminded already.
 */
export async function sendReminders(ctx: Ctx, deps: FollowUpDeps, sender: MessageSender, filter: { siteId?: number } = {}): Promise<{ sent: number; noPhone: number; remindedAlready: number }> {
  const { store } = deps;
  const now = ctx.clock.now();
  const today = dayOf(now);
  const missing = (await underFollowUp(ctx, deps, { ...filter, state: 'missed' })).items;
  const reminded = await store.followUp.remindedOn(today, missing.map((u) => u.personId));
  let sent = 0, noPhone = 0;
  const actor = actorName(ctx.actor);
  for (const u of missing.filter((x) => !reminded.has(x.personId))) {
    const person = await store.persons.get(u.personId);
    if (!person?.phone) { noPhone++; continue; }
    if (!(await store.followUp.recordReminder(u.personId, today, now, actor))) continue;
    await sender.send(person.phone, reminderText(u));
    sent++;
  }
  return { sent, noPhone, remindedAlready: reminded.size };
}

/** The reminder's text (Chinese: it reaches residents), naming the days missed when there are some. */
export function reminderText(u: Pick<UnderFollowUp, 'missedDays'>): string {
  return `【健康监测提醒】您今天尚未上报体温和症状，请登录居民页面或联系网格员上报。${u.missedDays > 0 ? `您已连续${u.missedDays}天未上报。` : ''}`;
}
