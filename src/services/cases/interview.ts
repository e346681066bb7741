/**
 * A case's interview (流调表): read with its deadline, saved as a draft any number of times, and completed once its
 * required answers are in (see domain/rules/interview.ts). Each save names the version it was made from: a save
 * from an older version than the stored one (another investigator saved in between) is refused with STALE_VERSION
 * and changes nothing, so no answer is lost silently. A completed interview stays correctable; its completion time
 * (the server's, never the client's) is kept. Times in the answers must be plausible and not in the future.
 */
import type { Services } from '../../app/container.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Case } from '../../domain/model/index.ts';
import { exposuresAskedFrom, interviewDueAt, interviewProblems, missingForCompletion, type InterviewAnswers } from '../../domain/rules/interview.ts';
import { formatTime } from '../../domain/time.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import type { InterviewRecord } from '../../storage/sql/interviews.ts';
import { assertPlausibleTimes } from '../times.ts';

/** A case's interview as read: the answers (empty before the first save) and where it stands against its deadline. */
export interface InterviewView {
  caseId: number;
  answers: InterviewAnswers;
  /** 0 before the first save. */
  version: number;
  updatedAt: number | null;
  updatedBy: string | null;
  completedAt: number | null;
  completedBy: string | null;
  /** Confirmation plus the edition's investigation.completeWithinHours (epoch seconds). */
  dueAt: number;
  /** Not completed by its deadline: still open after it, or completed after it. */
  late: boolean;
  /** The start of the exposures the interview asks about (epoch seconds). */
  exposuresFrom: number;
}

async function caseInScope(ctx: Ctx, s: Services, caseId: number): Promise<Case> {
  const c = await s.store.cases.get(caseId, ctx.scope);
  if (!c) throw new DomainError('not_found', 'NOT_FOUND', `No case with id ${caseId}.`);
  return c;
}

function view(c: Case, s: Services, r: InterviewRecord<InterviewAnswers> | undefined, now: number): InterviewView {
  const dueAt = interviewDueAt(c, s.edition);
  const completedAt = r?.completedAt ?? null;
  return {
    caseId: c.id, answers: r?.answers ?? {}, version: r?.version ?? 0, updatedAt: r?.updatedAt ?? null, updatedBy: r?.updatedBy ?? null,
    completedAt, completedBy: r?.completedBy ?? null, dueAt, late: (completedAt ?? now) > dueAt, exposuresFrom: exposuresAskedFrom(c, s.edition),
  };
}

/** The case's interview. Throws NOT_FOUND for a case not in the actor's scope. */
export async function readInterview(ctx: Ctx, s: Services, caseId: number): Promise<InterviewView> {
  const c = await caseInScope(ctx, s, caseId);
  return view(c, s, await s.store.interviews.of<InterviewAnswers>(caseId), ctx.clock.now());
}

/**
 * Saves the answers as the next version after `version` (0 for the first save); `complete` also completes the
 * interview. Throws NOT_FOUND (case out of scope), CASE_WITHDRAWN, STALE_VERSION (409: saved by someone else since
 * `version`; details give the stored version), VALIDATION_FAILED (answers that cannot be, see `interviewProblems`, or a
 * completion with required answers missing; each field named), TIME_IMPLAUSIBLE (a time in the future or before the edition).
 */
export async function saveInterview(ctx: Ctx, s: Services, caseId: number, input: { answers: InterviewAnswers; version: number; complete: boolean }): Promise<InterviewView> {
  const c = await caseInScope(ctx, s, caseId);
  if (c.withdrawnAt !== null) throw new DomainError('conflict', 'CASE_WITHDRAWN', `Case ${c.caseNo} was withdrawn: its interview is closed.`);
  const now = ctx.clock.now();
  assertPlausibleTimes(ctx, s.edition, { 'answers.onset.firstCareAt': input.answers.onset?.firstCareAt });
  const wrong = interviewProblems(input.answers, c, s.edition);
  if (wrong.length > 0) throw new DomainError('invalid', 'VALIDATION_FAILED', `The interview of case ${c.caseNo} cannot be: ${wrong.map((p) => `${p.field}: ${p.reason}`).join('; ')}.`, wrong);
  const stored = await s.store.interviews.of<InterviewAnswers>(caseId);
  const stale = () => new DomainError('conflict', 'STALE_VERSION',
    `The interview of case ${c.caseNo} was saved by ${stored?.updatedBy ?? 'someone'} at ${stored ? formatTime(stored.updatedAt) : ''} since version ${input.version}: reload it and save again.`,
    { version: stored?.version ?? 0 });
  if ((stored?.version ?? 0) !== input.version) throw stale();
  const completing = input.complete || stored?.completedAt != null;
  if (completing) {
    const missing = missingForCompletion(input.answers);
    if (missing.length > 0) throw new DomainError('invalid', 'VALIDATION_FAILED', `A completed interview answers ${missing.join(', ')}.`, missing.map((field) => ({ field, reason: 'required to complete the interview' })));
  }
  const by = actorName(ctx.actor);
  const record: InterviewRecord<InterviewAnswers> = {
    caseId, answers: input.answers, version: input.version + 1, updatedAt: now, updatedBy: by,
    completedAt: stored?.completedAt ?? (input.complete ? now : null), completedBy: stored?.completedBy ?? (input.complete ? by : null),
  };
  if (!(await s.store.interviews.save(record))) throw stale();
  return view(c, s, record, now);
}
