/**
 * Risk areas and venue orders: grading the units touched by cases (storing every change, so the history stays), the
 * published list, and closing or rectifying places by category and region for a period.
 */
import { inScope } from '../domain/access.ts';
import { diff } from '../domain/corrections.ts';
import type { NewEvent } from '../domain/events.ts';
import { DomainError } from '../domain/errors.ts';
import { caseWindow } from '../domain/rules/caseWindow.ts';
import { gradeUnits, riskReasonText } from '../domain/rules/riskAreas.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { RiskArea, VenueOrder } from '../domain/model/index.ts';
import { PLACE_CATEGORIES, type PlaceStatus } from '../domain/vocab.ts';
import { actorName, type Ctx } from '../platform/context.ts';
import type { Repositories, Store } from '../storage/store.ts';
import type { EventDispatcher } from './events/dispatcher.ts';
import { assertPlausibleTimes } from './times.ts';

/**
 * Grades risk areas at `now` from the cases that stand; stores a grading for each unit whose level, reason or review
 * time changed (a unit that keeps its level keeps its `since`: a new case there moves the review time, a withdrawn one
 * changes the reason). Returns the gradings stored. Runs on the store or inside a transaction (`repos`): the event
 * flow grades after every change of a case; the server also grades every ten minutes, so levels step down on time.
 */
export async function gradeRiskAreas(repos: Repositories, edition: ProtocolEdition, now: number): Promise<Omit<RiskArea, 'id'>[]> {
  const changes = await gradingChanges(repos, edition, now);
  if (changes.length > 0) await repos.control.insertRiskAreas(changes);
  return changes;
}

/** The gradings that grading at `now` would store (a unit whose level, reason or review time would change), storing nothing. */
async function gradingChanges(repos: Pick<Repositories, 'cases' | 'persons' | 'presence' | 'control'>, edition: ProtocolEdition, now: number): Promise<Omit<RiskArea, 'id'>[]> {
  const rs = edition.riskAreas.ruleSet;
  const cases = (await repos.cases.standing()).filter((c) => c.confirmedAt <= now);
  const communities = await repos.persons.communitiesOf(cases.map((c) => c.personId));
  const homes: { regionCode: string; confirmedAt: number }[] = [];
  const stays: { regionCode: string; at: number }[] = [];
  for (const c of cases) {
    const community = communities.get(c.personId);
    if (community !== undefined) homes.push({ regionCode: community, confirmedAt: c.confirmedAt });
    if (rs.mediumMinStayMinutes === null) continue;
    const w = caseWindow(c, edition);
    for (const p of await repos.presence.placesOf(c.personId, w.from, w.to)) {
      if (p.source === 'telecom_stay' || p.source === 'household' || p.end - p.start < rs.mediumMinStayMinutes * 60) continue;
      stays.push({ regionCode: p.regionCode, at: Math.min(p.end, w.to) });
    }
  }
  const grades = gradeUnits(homes, stays, rs, now);
  const current = new Map((await repos.control.riskAreasAt(now)).map((r) => [r.regionCode, r]));
  const changes: Omit<RiskArea, 'id'>[] = [];
  for (const [unit, g] of grades) {
    const before = current.get(unit);
    if (!before && g.level === 'low') continue;
    if (before && before.level === g.level && before.reason === g.reason && before.reviewAt === g.reviewAt) continue;
    const since = before && before.level === g.level ? before.since : now;
    changes.push({ regionCode: unit, unitName: before?.unitName ?? null, level: g.level, since, reviewAt: g.reviewAt, ruleSet: rs.id, reason: g.reason, reasonCode: g.reasonCode, reasonArgs: g.reasonArgs });
  }
  // Units graded before but untouched by any standing case now (cases withdrawn, or an edition change) go back to low.
  for (const [unit, r] of current) {
    if (!grades.has(unit) && r.level !== 'low') changes.push({ regionCode: unit, unitName: r.unitName, level: 'low', since: now, reviewAt: null, ruleSet: rs.id, reason: riskReasonText('no_case', {}), reasonCode: 'no_case', reasonArgs: {} });
  }
  return changes;
}

/**
 * Grades risk areas at the server's `now` (gradeRiskAreas) in one transaction with the event `risk_areas.graded`
 * naming the units whose grading changed, then lets the event flow make the codes of those seen there follow. The
 * event flow grades after every change of a case on its own; this is the server's ten-minute timer (levels step down
 * on time), `POST /api/risk-areas/grade` and `cordon risk-areas --grade`. Returns the gradings stored.
 */
export async function gradeRiskAreasNow(ctx: Ctx, deps: { store: Store; edition: ProtocolEdition; events: EventDispatcher }): Promise<Omit<RiskArea, 'id'>[]> {
  const now = ctx.clock.now();
  const changes = await deps.store.transaction(async (tx) => {
    const graded = await gradeRiskAreas(tx, deps.edition, now);
    if (graded.length > 0) await tx.events.append([riskAreasGraded(graded)], actorName(ctx.actor), now);
    return graded;
  });
  if (changes.length > 0) await deps.events.settle();
  return changes;
}

/** The event of gradings stored. */
export function riskAreasGraded(changes: readonly Omit<RiskArea, 'id'>[]): NewEvent {
  return { kind: 'risk_areas.graded', payload: { units: changes.map((c) => ({ regionCode: c.regionCode, level: c.level })) } };
}

const RISK_RANK = { high: 0, medium: 1, low: 2 };
const published = <T extends Omit<RiskArea, 'id'>>(areas: T[]): T[] =>
  areas.filter((r) => r.level !== 'low').sort((a, b) => RISK_RANK[a.level] - RISK_RANK[b.level] || a.regionCode.localeCompare(b.regionCode));

/** The published list at `now` as stored: units graded medium or high, highest first. */
export async function publishedRiskAreas(store: Store, now: number): Promise<RiskArea[]> {
  return published(await store.control.riskAreasAt(now));
}

/**
 * The published list at `at`, seen from the server's `now`: up to now, as it was stored (the record of what was
 * published); for a moment still to come, worked out from the cases that stand now, stored nowhere: the levels that
 * will have stepped down by then have (a what-if read; the server's timer stores them when the time comes).
 */
export async function riskAreasAsOf(store: Store, edition: ProtocolEdition, at: number, now: number): Promise<Omit<RiskArea, 'id'>[]> {
  if (at <= now) return publishedRiskAreas(store, at);
  const byUnit = new Map<string, Omit<RiskArea, 'id'>>((await store.control.riskAreasAt(now)).map((r) => [r.regionCode, r]));
  for (const c of await gradingChanges(store, edition, at)) byUnit.set(c.regionCode, c);
  return published([...byUnit.values()]);
}

/** Why an order was refused. */
export class VenueOrderError extends Error {
  constructor(readonly reason: 'duplicate' | 'unknown_region' | 'bad_period', message: string) {
    super(message);
    this.name = 'VenueOrderError';
  }
}

/** Refuses (OUT_OF_SCOPE) regions outside the actor's region: an order binds only where its issuer is responsible. */
function assertInScope(ctx: Ctx, regionCodes: readonly string[]): void {
  const outside = regionCodes.filter((r) => !inScope(ctx.scope ?? '', r));
  if (outside.length > 0) throw new DomainError('forbidden', 'OUT_OF_SCOPE', `outside your region (${ctx.scope}): ${outside.join(', ')}`, outside.map((r) => ({ field: 'regionCodes', reason: `${r} is outside ${ctx.scope}` })));
}

/** What venue-order use cases work with. */
export interface VenueOrderDeps { store: Store; edition: ProtocolEdition; events: EventDispatcher }

/**
 * Records an order (its start plausible, as for a what-if read; its period and regions checked) with a `venue_order.changed` event in one transaction; places'
 * statuses follow through the event's handler before this returns. Returns the order and the places under orders.
 */
export async function issueVenueOrder(ctx: Ctx, deps: VenueOrderDeps, order: Omit<VenueOrder, 'id' | 'issuedBy'> & { issuedBy: string }): Promise<{ order: VenueOrder; placesUnderOrders: number }> {
  const { store } = deps;
  assertPlausibleTimes(ctx, deps.edition, { startsAt: order.startsAt, endsAt: order.endsAt }, { whatIf: true });
  if (order.endsAt !== null && order.endsAt <= order.startsAt) throw new VenueOrderError('bad_period', 'the order ends before it starts');
  const known = await store.regions.codes(['province', 'city', 'county', 'township', 'community']);
  const unknown = order.regionCodes.filter((r) => !known.has(r));
  if (unknown.length > 0) throw new VenueOrderError('unknown_region', `unknown region code(s): ${unknown.join(', ')}`);
  assertInScope(ctx, order.regionCodes);
  await store.transaction(async (tx) => {
    if ((await tx.control.insertOrder(order)) === 0) throw new VenueOrderError('duplicate', `order ${order.orderNo} is already recorded`);
    await tx.events.append([{ kind: 'venue_order.changed', payload: { orderNo: order.orderNo } }], actorName(ctx.actor), ctx.clock.now());
  });
  await deps.events.settle();
  return { order: (await store.control.orderByNo(order.orderNo))!, placesUnderOrders: await store.control.placesUnderOrders() };
}

/**
 * Lifts an order now, or moves its end to `endsAt` (plausible, not before its start, not in the past), keeping who,
 * when, why and the end before and after; places follow at once.
 */
export async function changeVenueOrderEnd(ctx: Ctx, deps: VenueOrderDeps, props: { orderNo: string; endsAt?: number | null; reason: string }): Promise<{ order: VenueOrder; placesUnderOrders: number }> {
  const { store } = deps;
  const now = ctx.clock.now();
  if (props.endsAt != null) assertPlausibleTimes(ctx, deps.edition, { endsAt: props.endsAt }, { whatIf: true });
  const order = await store.control.orderByNo(props.orderNo);
  if (!order) throw new DomainError('not_found', 'NOT_FOUND', `No venue order ${props.orderNo}.`);
  assertInScope(ctx, order.regionCodes);
  const endsAt = props.endsAt === undefined ? Math.max(now, order.startsAt) : props.endsAt;
  if (endsAt !== null && endsAt < now) throw new VenueOrderError('bad_period', 'an order cannot be made to end in the past');
  if (endsAt !== null && endsAt <= order.startsAt && order.startsAt > now) throw new VenueOrderError('bad_period', 'the order would end before it starts');
  if (order.endsAt !== null && order.endsAt <= now) throw new DomainError('conflict', 'ORDER_ENDED', `Order ${order.orderNo} already ended.`);
  const changes = diff(order, { endsAt });
  if (Object.keys(changes).length > 0) {
    await store.transaction(async (tx) => {
      await tx.control.setOrderEnd(order.orderNo, endsAt);
      await tx.corrections.record([{ entity: 'venue_order', entityKey: order.orderNo, changes, reason: props.reason, actor: actorName(ctx.actor), at: now, source: ctx.actor.kind }]);
      await tx.events.append([{ kind: 'venue_order.changed', payload: { orderNo: order.orderNo } }], actorName(ctx.actor), now);
    });
    await deps.events.settle();
  }
  return { order: (await store.control.orderByNo(order.orderNo))!, placesUnderOrders: await store.control.placesUnderOrders() };
}

/**
 * Sets every place's status from the orders in force at `now`: closed where a close order covers its category and
 * region, rectifying where only a rectify order does, open elsewhere (among the categories orders have named). In
 * one transaction of its own (the timer's call: orders start and end by the clock).
 */
export function applyVenueOrders(store: Store, now: number): Promise<number> {
  return store.transaction((tx) => applyVenueOrdersIn(tx, now));
}

/** The same inside the caller's transaction (an event handler's), so nobody sees the reset. */
export async function applyVenueOrdersIn(tx: Repositories, now: number): Promise<number> {
  const all = await tx.control.orders();
  if (all.length === 0) return 0;
  const active = await tx.control.ordersAt(now);
  const named = PLACE_CATEGORIES.filter((c) => all.some((o) => o.categories.includes(c)));
  // Reset the categories orders have ever named, then apply rectify, then close (close wins).
  await tx.control.setPlaceStatus(named, [''], 'open');
  let under = 0;
  for (const action of ['rectify', 'close'] as const) {
    const status: PlaceStatus = action === 'close' ? 'closed' : 'rectifying';
    for (const o of active.filter((x) => x.action === action)) under += await tx.control.setPlaceStatus(o.categories, o.regionCodes, status);
  }
  return under;
}

/** The order in force at `now` that closes `place`, if any (a scan there is refused, citing it). */
export async function closingOrder(store: Store, place: { category: string; regionCode: string }, now: number): Promise<VenueOrder | undefined> {
  return (await store.control.ordersAt(now)).find((o) => o.action === 'close' && o.categories.includes(place.category as never) && o.regionCodes.some((r) => place.regionCode.startsWith(r)));
}
