/**
 * Stranded visitors (issue "Quarantine"; the seed: stranded tourists moved to designated hotels with free meals,
 * medicine and counselling): a visitor caught in a sealed area is registered by their ID number (stored as its keyed
 * hash and masked form; the origin province is the number's first two digits) and lodged at a room of a quarantine
 * site within reach; the care given is logged; they are released with their journey home. Each change is recorded.
 */
import { assertInScope } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import { hashIdNumber, idNumberProblem, listIdMask, maskIdNumber, normaliseIdNumber } from '../../domain/identity.ts';
import { provinceOf } from '../../domain/provinces.ts';
import { isSealedArea, labelProblem, normalizeRoom, roomProblem } from '../../domain/rules/quarantine.ts';
import type { CareKind } from '../../domain/vocab.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { StrandedVisitor } from '../../storage/sql/stranded.ts';
import type { Store } from '../../storage/store.ts';
import { recordAudit } from '../audit/audit.ts';
import { publishedRiskAreas } from '../control.ts';
import { siteWithinReach } from './quarantine.ts';

/** What the stranded-visitor use cases work with (the ID numbers' hash key included). */
export interface StrandedDeps { store: Store; idHashKey: string }

/**
 * Registers a visitor stranded in sealed area `sealedRegionCode` (a region of the actor's, sealed now: `isSealedArea`
 * over the published medium- and high-risk areas) and lodges them at room `room` of site `siteId` (within reach, open,
 * with room for them). A visitor is someone the persons register does not hold: a resident (a case or a contact
 * among them) is managed through their own record, not as a visitor. Errors: VALIDATION_FAILED (an ID number that is
 * not one or whose birth date is after today, a room's label that cannot be stored), OUT_OF_SCOPE, UNKNOWN_REFERENCE
 * (no such region or site within reach), NOT_SEALED (no medium- or high-risk area there now), NOT_A_VISITOR (the
 * register holds the person), ALREADY_LODGED, SITE_CLOSED, ROOM_FULL, SITE_FULL.
 */
export async function registerVisitor(ctx: Ctx, deps: StrandedDeps, props: { idNumber: string; name: string; phone?: string; sealedRegionCode: string; siteId: number; room: string; note?: string }): Promise<StrandedVisitor> {
  const { store } = deps;
  const now = ctx.clock.now();
  const bad = idNumberProblem(props.idNumber, now);
  if (bad) throw new DomainError('invalid', 'VALIDATION_FAILED', `the ID number: ${bad}`, [{ field: 'idNumber', reason: bad }]);
  const id = normaliseIdNumber(props.idNumber);
  const origin = provinceOf(id);
  if (!origin) throw new DomainError('invalid', 'VALIDATION_FAILED', 'the ID number names no province in its first two digits', [{ field: 'idNumber', reason: 'no province in its first two digits' }]);
  const room = normalizeRoom(props.room);
  const badRoom = labelProblem(room, 'room', 40);
  if (badRoom) throw new DomainError('invalid', 'VALIDATION_FAILED', `the room: ${badRoom}`, [{ field: 'room', reason: badRoom }]);
  assertInScope(ctx.scope, props.sealedRegionCode, 'sealedRegionCode');
  if (!(await store.regions.get(props.sealedRegionCode))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `no region ${props.sealedRegionCode}`, [{ field: 'sealedRegionCode', reason: 'no such region' }]);
  const code = props.sealedRegionCode;
  if (!isSealedArea(code, (await publishedRiskAreas(store, now)).map((a) => a.regionCode))) throw new DomainError('conflict', 'NOT_SEALED', `${code} is not a medium- or high-risk area now, nor a township or community holding one: a visitor there is free to go home`, [{ field: 'sealedRegionCode', reason: 'not a sealed area now' }]);
  const site = await siteWithinReach(ctx, store, props.siteId);
  const idHash = hashIdNumber(id, deps.idHashKey);
  // Looking the ID number up in the register is a search by identity: recorded, whatever it finds.
  const [resident] = (await store.persons.byHashes([idHash])).values();
  await recordAudit(ctx, store, { action: 'stranded:manage', subject: resident ? `person:${resident.id}` : `id-number:${maskIdNumber(id)}`, purpose: 'stranded visitor registered: is the ID number a registered resident?' });
  if (resident) throw new DomainError('conflict', 'NOT_A_VISITOR', 'the persons register holds this ID number: a resident is managed through their own record (quarantine, hospital), not lodged as a visitor', [{ field: 'idNumber', reason: 'a registered resident' }]);
  const actor = actorName(ctx.actor);
  const visitor: Omit<StrandedVisitor, 'id'> = {
    idHash, idMasked: maskIdNumber(id), name: props.name, phone: props.phone ?? null, originProvince: origin, sealedRegionCode: props.sealedRegionCode,
    siteId: site.id, room, registeredAt: now, registeredBy: actor, releasedAt: null, journeyHome: null, note: props.note ?? null,
  };
  const visitorId = await store.transaction(async (tx) => {
    await tx.quarantine.lockSite(site.id);
    if (await tx.stranded.openByHash(visitor.idHash)) throw new DomainError('conflict', 'ALREADY_LODGED', `${listIdMask(visitor.idMasked)} is lodged already`, [{ field: 'idNumber', reason: 'lodged already' }]);
    const problem = roomProblem(site, room, await tx.quarantine.occupancy(site.id, room), now);
    if (problem) throw new DomainError('conflict', problem.code, problem.message);
    const newId = await tx.stranded.insert(visitor);
    await tx.corrections.record([{ entity: 'stranded_visitor', entityKey: String(newId), changes: { lodged: [null, `${site.name} ${room}`] }, reason: props.note ?? 'stranded in a sealed area', actor, at: now, source: ctx.actor.kind }]);
    return newId;
  });
  return { id: visitorId, ...visitor };
}

/** A visitor within reach, lodged now: NOT_FOUND when none, INVALID_TRANSITION when released already. */
async function lodged(ctx: Ctx, store: Store, visitorId: number): Promise<StrandedVisitor> {
  const v = await store.stranded.get(visitorId, ctx.scope);
  if (!v) throw new DomainError('not_found', 'NOT_FOUND', `No stranded visitor with id ${visitorId}.`);
  if (v.releasedAt !== null) throw new DomainError('conflict', 'INVALID_TRANSITION', 'the visitor has gone home already');
  return v;
}

/** Logs care given to a lodged visitor now (a meal, medicine, counselling). Errors: NOT_FOUND, INVALID_TRANSITION. */
export async function recordCare(ctx: Ctx, deps: StrandedDeps, props: { visitorId: number; kind: CareKind; note?: string }): Promise<number> {
  const v = await lodged(ctx, deps.store, props.visitorId);
  return deps.store.transaction((tx) => tx.stranded.insertCare({ visitorId: v.id, kind: props.kind, at: ctx.clock.now(), givenBy: actorName(ctx.actor), note: props.note ?? null }));
}

/** Releases a lodged visitor now with their journey home (a train, a flight, a car). Errors: NOT_FOUND, INVALID_TRANSITION. */
export async function releaseVisitor(ctx: Ctx, deps: StrandedDeps, props: { visitorId: number; journeyHome: string; note: string }): Promise<void> {
  const v = await lodged(ctx, deps.store, props.visitorId);
  const now = ctx.clock.now();
  const actor = actorName(ctx.actor);
  await deps.store.transaction(async (tx) => {
    if (!(await tx.stranded.release(v.id, now, props.journeyHome))) throw new DomainError('conflict', 'INVALID_TRANSITION', 'the visitor has gone home already');
    await tx.corrections.record([{ entity: 'stranded_visitor', entityKey: String(v.id), changes: { releasedAt: [null, now], journeyHome: [null, props.journeyHome] }, reason: props.note, actor, at: now, source: ctx.actor.kind }]);
  });
}
