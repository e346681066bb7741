/**
 * Risk areas and venue orders: grading the units touched by cases (storing every change, so the history stays), the
 * published list, and closing or rectifying places by category and region for a period.
 */
import { diff } from '../domain/corrections.ts';
import { DomainError } from '../domain/errors.ts';
import { caseWindow } from '../domain/rules/caseWindow.ts';
import { gradeUnits } from '../domain/rules/riskAreas.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { RiskArea, VenueOrder } from '../domain/model/index.ts';
import { PLACE_CATEGORIES, type PlaceStatus } from '../domain/vocab.ts';
import { actorName, type Ctx } from '../platform/context.ts';
import type { Repositories, Store } from '../storage/store.ts';
import type { EventDispatcher } from './events/dispatcher.ts';
import { assertPlausibleTimes } from './times.ts';

/** Grades risk areas at `now` from stored cases; stores the units whose level changed. Returns the changes. */
export async function gradeRiskAreas(store: Store, edition: ProtocolEdition, now: number): Promise<Omit<RiskArea, 'id'>[]> {
  const rs = edition.riskAreas.ruleSet;
  const cases = (await store.cases.all()).filter((c) => c.confirmedAt <= now && c.withdrawnAt === null);
  const homes: { regionCode: string; confirmedAt: number }[] = [];
  const stays: { regionCode: string; at: number }[] = [];
  for (const c of cases) {
    const person = await store.persons.get(c.personId);
    if (person) homes.push({ regionCode: person.communityCode, confirmedAt: c.confirmedAt });
    if (rs.mediumMinStayMinutes === null) continue;
    const w = caseWindow(c, edition);
    for (const p of await store.presence.placesOf(c.personId, w.from, w.to)) {
      if (p.source === 'telecom_stay' || p.source === 'household' || p.end - p.start < rs.mediumMinStayMinutes * 60) continue;
      stays.push({ regionCode: p.regionCode, at: Math.min(p.end, w.to) });
    }
  }
  const grades = gradeUnits(homes, stays, rs, now);
  const current = new Map((await store.control.riskAreasAt(now)).map((r) => [r.regionCode, r]));
  const changes: Omit<RiskArea, 'id'>[] = [];
  for (const [unit, g] of grades) {
    const before = current.get(unit);
    if (before ? before.level === g.level : g.level === 'low') continue;
    changes.push({ regionCode: unit, unitName: null, level: g.level, since: now, reviewAt: g.reviewAt, ruleSet: rs.id, reason: g.reason });
  }
  // Units graded before but untouched by any case now (cases removed, or an edition change) go back to low.
  for (const [unit, r] of current) {
    if (!grades.has(unit) && r.level !== 'low') changes.push({ regionCode: unit, unitName: r.unitName, level: 'low', since: now, reviewAt: null, ruleSet: rs.id, reason: 'no case in this unit' });
  }
  if (changes.length > 0) await store.control.insertRiskAreas(changes);
  return changes;
}

/** The published list at `now`: units graded medium or high, highest first. */
export async function publishedRiskAreas(store: Store, now: number): Promise<RiskArea[]> {
  const rank = { high: 0, medium: 1, low: 2 };
  return (await store.control.riskAreasAt(now)).filter((r) => r.level !== 'low').sort((a, b) => rank[a.level] - rank[b.level] || a.regionCode.localeCompare(b.regionCode));
}

/** Why an order was refused. */
export class VenueOrderError extends Error {
  constructor(readonly reason: 'duplicate' | 'unknown_region' | 'bad_period', message: string) {
    super(message);
    this.name = 'VenueOrderError';
  }
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
