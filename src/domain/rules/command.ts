/**
 * The command mechanism's rules (PROTOCOL.md, "Command and coordination"): every measure is decomposed level by level
 * (province -> city -> county -> township/street -> community/village -> grid) with responsibility at each level; a
 * task past its deadline goes up to the level above. Pure: who owns a unit's task, the unit above, which status may
 * follow which, and whether a deadline fits under its parent's.
 */
import { levelOfCode, type Role } from '../access.ts';
import { formatTime } from '../time.ts';
import { CODE_LENGTH, REGION_LEVELS, type ContactStatus, type TaskStatus } from '../vocab.ts';

/**
 * The role that holds a unit's task when no user is named, by the unit's level. A township (street) has no account
 * of its own in Cordon yet: its county's command holds its tasks.
 */
export const OWNER_ROLE_BY_LEVEL = {
  province: 'provincial_command', city: 'city_command', county: 'county_command', township: 'county_command', community: 'grid_worker', grid: 'grid_worker',
} as const satisfies Record<string, Role>;

/** The code of the unit directly above `code` (a grid's community, a county's city ...); null for the province or a non-code. */
export function unitAbove(code: string): string | null {
  const level = levelOfCode(code);
  // Stryker disable next-line ConditionalExpression: equivalent: without the test indexOf(null) is -1 and REGION_LEVELS[-2] is undefined too
  const above = level === null ? undefined : REGION_LEVELS[REGION_LEVELS.indexOf(level) - 1];
  return above ? code.slice(0, CODE_LENGTH[above]) : null;
}

/** The codes of the units above `code`, from the province down to the unit directly above it (none for the province). */
export function unitsAbove(code: string): string[] {
  return REGION_LEVELS.filter((l) => CODE_LENGTH[l] < code.length).map((l) => code.slice(0, CODE_LENGTH[l]));
}

/** The code of `code`'s unit at the county level (itself for a county); null when the unit lies above a county. */
export function countyOf(code: string): string | null {
  return code.length >= 6 && levelOfCode(code) !== null ? code.slice(0, 6) : null;
}

/** Statuses a task may move to from each status; done and cancelled are final. */
export const TASK_TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  assigned: ['accepted', 'in_progress', 'done', 'cancelled'],
  accepted: ['in_progress', 'done', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  // Late work is still work: an escalated or overdue task can be taken up and finished.
  escalated: ['accepted', 'in_progress', 'done', 'cancelled'],
  overdue: ['accepted', 'in_progress', 'done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** Whether a close contact in `status` still awaits transfer to quarantine (identified or notified, not yet moved). */
export const awaitsTransfer = (status: ContactStatus): boolean => status === 'identified' || status === 'notified';

/** A task status in words (in progress). */
const inWords = (status: TaskStatus): string => status.replace('_', ' ');

/** Why a task cannot move from `from` to `to`, or null when it can. */
export function taskTransitionProblem(from: TaskStatus, to: TaskStatus): string | null {
  if (from === to) return `the task is already ${inWords(from)}`;
  if (TASK_TRANSITIONS[from].includes(to)) return null;
  return TASK_TRANSITIONS[from].length === 0 ? `the task is ${from} and can no longer change` : `a task ${inWords(from)} cannot become ${inWords(to)}`;
}

/** Why a deadline does not fit under its parent's (epoch seconds), or null when it does (no parent: any). */
export function deadlineProblem(dueAt: number, parentDueAt: number | null): string | null {
  return parentDueAt !== null && dueAt > parentDueAt ? `the deadline is after the parent task's (${formatTime(parentDueAt)})` : null;
}
