/**
 * A resident's appeal against their health code (issue "web app", public pages): it becomes a task for the
 * investigators of the county the resident lives in (`code_appeal`, owned by the role `cdc_investigator`, due the
 * edition's `command.taskWithinHours.code_appeal` after it is made), with the resident's own words as its text and
 * the resident as its subject, so the investigators open the person and the code's reasons from the task. One appeal
 * is open at a time: another while one is open is refused with APPEAL_OPEN (409), nothing written.
 */
import type { Services } from '../../app/container.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Task } from '../../domain/model/index.ts';
import { levelOfCode } from '../../domain/access.ts';
import { formatTime, HOUR } from '../../domain/time.ts';
import type { Ctx } from '../../platform/context.ts';

/** The task kind of an appeal. */
export const APPEAL_TASK_KIND = 'code_appeal';

/** The resident's appeals (their tasks), newest first. */
export async function appealsOf(s: Services, personId: number): Promise<Task[]> {
  return (await s.store.command.tasksOfPerson(APPEAL_TASK_KIND, personId)).sort((a, b) => b.id - a.id);
}

/**
 * Files the appeal of person `personId` with `reason` (their words) for the investigators of their county. Throws
 * NOT_FOUND for a person not on record, APPEAL_OPEN while an earlier appeal is not done or cancelled.
 */
export async function appealCode(ctx: Ctx, s: Services, personId: number, reason: string): Promise<Task> {
  const person = await s.store.persons.get(personId);
  if (!person) throw new DomainError('not_found', 'NOT_FOUND', `No person with id ${personId}.`);
  const county = person.communityCode.slice(0, 6);
  const now = ctx.clock.now();
  await s.store.transaction(async (tx) => {
    const open = await tx.command.openTasksOfPersons(APPEAL_TASK_KIND, [personId]);
    if (open.length > 0) throw new DomainError('conflict', 'APPEAL_OPEN', `An appeal made at ${formatTime(open[0].createdAt)} is still being reviewed.`, { taskId: open[0].id });
    await tx.command.insertTasks([{
      parentId: null, directiveId: null, ownerUserId: null, status: 'assigned', createdAt: now, title: reason, kind: APPEAL_TASK_KIND,
      level: levelOfCode(county)!, regionCode: county, ownerRole: 'cdc_investigator',
      dueAt: now + s.edition.command.taskWithinHours.code_appeal * HOUR, subjectPersonId: personId, subjectKey: String(personId), sourceKey: `appeal:${personId}:${now}`,
    }]);
  });
  return (await appealsOf(s, personId))[0];
}
