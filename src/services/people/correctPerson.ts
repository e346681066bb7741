/**
 * Corrects a person's registered details (name, phone, community, grid, occupation), keeping who, when, why and
 * the values before and after; their health code is evaluated again through the event flow (a move to another
 * community changes which risk areas they live in).
 */
import type { Services } from '../../app/container.ts';
import { inScope } from '../../domain/access.ts';
import { changesAnything, diff, type Changes } from '../../domain/corrections.ts';
import { DomainError, type FieldIssue } from '../../domain/errors.ts';
import type { Person } from '../../domain/model/index.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { PersonUpdate } from '../../storage/sql/people.ts';
import type { Repositories } from '../../storage/store.ts';

/** What is wrong with a person's new details (field issues), given the known community and grid codes. */
export async function personFixIssues(repos: Repositories, before: Person, fix: PersonUpdate): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if (fix.name !== undefined && (fix.name.trim() === '' || fix.name.length > 100)) issues.push({ field: 'name', reason: 'a name of 1 to 100 characters' });
  if (fix.phone !== undefined && fix.phone !== null && !/^\+?\d{5,15}$/.test(fix.phone)) issues.push({ field: 'phone', reason: `"${fix.phone}" is not a phone number` });
  const community = fix.communityCode ?? before.communityCode;
  if (fix.communityCode !== undefined && (await repos.regions.get(fix.communityCode))?.level !== 'community') issues.push({ field: 'communityCode', reason: `unknown community code "${fix.communityCode}"` });
  const grid = fix.gridCode === undefined ? before.gridCode : fix.gridCode;
  if (grid !== null && (fix.gridCode !== undefined || fix.communityCode !== undefined)) {
    if ((await repos.regions.get(grid))?.level !== 'grid') issues.push({ field: 'gridCode', reason: `unknown grid code "${grid}"` });
    else if (!grid.startsWith(community)) issues.push({ field: 'gridCode', reason: `grid ${grid} is not under community ${community}` });
  }
  return issues;
}

/**
 * Applies a correction inside the caller's transaction (a use case's, or an import's); returns the changes (empty when
 * the values were already so). `source`: where it came from (`api`, `cli`, `import:<file>:<line>`).
 */
export async function applyPersonFix(tx: Repositories, ctx: Ctx, before: Person, fix: PersonUpdate, reason: string | null, source: string): Promise<Changes> {
  const changes = diff(before, fix);
  if (!changesAnything(changes)) return changes;
  const now = ctx.clock.now();
  await tx.persons.update(before.id, Object.fromEntries(Object.keys(changes).map((k) => [k, fix[k as keyof PersonUpdate]])) as PersonUpdate);
  await tx.corrections.record([{ entity: 'person', entityKey: String(before.id), changes, reason, actor: actorName(ctx.actor), at: now, source }]);
  await tx.events.append([{ kind: 'person.corrected', payload: { personId: before.id, fields: Object.keys(changes) } }], actorName(ctx.actor), now);
  return changes;
}

/** Corrects a person's details (see the file's comment); returns the person as stored now and what changed. */
export async function correctPerson(ctx: Ctx, s: Services, props: { personId: number; fix: PersonUpdate; reason: string }): Promise<{ person: Person; changes: Changes }> {
  const before = await s.store.persons.get(props.personId, ctx.scope);
  if (!before) throw new DomainError('not_found', 'NOT_FOUND', `No person with id ${props.personId}.`);
  // A correction stays inside the actor's region: a person may move within it, not out of it (they would be lost to
  // the actor and handed to a region that did not take them).
  if (ctx.scope) {
    const community = props.fix.communityCode ?? before.communityCode;
    const grid = props.fix.gridCode === undefined ? before.gridCode : props.fix.gridCode;
    const stays = ctx.scope.length > 12 ? grid === ctx.scope : inScope(ctx.scope, community);
    if (!stays) {
      const field = props.fix.communityCode !== undefined && !(ctx.scope.length > 12) ? 'communityCode' : 'gridCode';
      throw new DomainError('forbidden', 'OUT_OF_SCOPE', `outside your region (${ctx.scope}): the person would move out of it`, [{ field, reason: `outside ${ctx.scope}` }]);
    }
  }
  const issues = await personFixIssues(s.store, before, props.fix);
  if (issues.length) throw new DomainError('invalid', 'VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.reason}`).join('; '), issues);
  const changes = await s.store.transaction((tx) => applyPersonFix(tx, ctx, before, props.fix, props.reason, ctx.actor.kind));
  await s.events.settle();
  return { person: (await s.store.persons.get(before.id))!, changes };
}
