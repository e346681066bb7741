/**
 * The command mechanism's pure rules, each at its edges: who holds a unit's task by level, the unit above and the
 * county of every level's code (and of what is no code), every task transition allowed and refused with its words,
 * the statuses that await a transfer, and a deadline against its parent's at, before and after it.
 */
import { describe, expect, it } from 'vitest';
import { OPEN_TASK_STATUSES, TASK_STATUSES, type TaskStatus } from '../vocab.ts';
import { parseTime } from '../time.ts';
import { awaitsTransfer, countyOf, deadlineProblem, OWNER_ROLE_BY_LEVEL, TASK_TRANSITIONS, taskTransitionProblem, unitAbove, unitsAbove } from './command.ts';

const CODES = { province: '43', city: '4301', county: '430102', township: '430102001', community: '430102001001', grid: '43010200100101' };

describe('command rules', () => {
  it('counts a task open until it is done or cancelled, whatever else it is', () => {
    expect(OPEN_TASK_STATUSES).toEqual(['assigned', 'accepted', 'in_progress', 'overdue', 'escalated']);
  });

  it('gives a unit\'s task to the command of its level, a township\'s to its county\'s, a community\'s and a grid\'s to the grid worker', () => {
    expect(OWNER_ROLE_BY_LEVEL).toEqual({
      province: 'provincial_command', city: 'city_command', county: 'county_command', township: 'county_command', community: 'grid_worker', grid: 'grid_worker',
    });
  });

  it('names the unit above each level\'s code and its county, and none for the province or what is no code', () => {
    expect([CODES.grid, CODES.community, CODES.township, CODES.county, CODES.city, CODES.province].map(unitAbove))
      .toEqual([CODES.community, CODES.township, CODES.county, CODES.city, CODES.province, null]);
    for (const bad of ['', '4', '430', '4301020', '4301020010', '430102001001011', '44', 'ab', '4301020010010101']) expect(unitAbove(bad), bad).toBeNull();
    expect([CODES.grid, CODES.community, CODES.township, CODES.county].map(countyOf)).toEqual(Array(4).fill(CODES.county));
    expect([CODES.city, CODES.province, '4301020', '', 'abcdefgh'].map(countyOf)).toEqual([null, null, null, null, null]);
  });

  it('lists the units above each level\'s code from the province down to the one directly above, never the unit itself', () => {
    expect(unitsAbove(CODES.grid)).toEqual([CODES.province, CODES.city, CODES.county, CODES.township, CODES.community]);
    expect(unitsAbove(CODES.community)).toEqual([CODES.province, CODES.city, CODES.county, CODES.township]);
    expect(unitsAbove(CODES.township)).toEqual([CODES.province, CODES.city, CODES.county]);
    expect(unitsAbove(CODES.county)).toEqual([CODES.province, CODES.city]);
    expect(unitsAbove(CODES.city)).toEqual([CODES.province]);
    expect(unitsAbove(CODES.province)).toEqual([]);
  });

  it('lets a task move only forward: open ones to later steps or cancelled, late ones taken up, done and cancelled final', () => {
    const allowed: Record<TaskStatus, TaskStatus[]> = {
      assigned: ['accepted', 'in_progress', 'done', 'cancelled'], accepted: ['in_progress', 'done', 'cancelled'], in_progress: ['done', 'cancelled'],
      escalated: ['accepted', 'in_progress', 'done', 'cancelled'], overdue: ['accepted', 'in_progress', 'done', 'cancelled'], done: [], cancelled: [],
    };
    expect(TASK_TRANSITIONS).toEqual(allowed);
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        const problem = taskTransitionProblem(from, to);
        expect(problem === null, `${from} -> ${to}`).toBe(allowed[from].includes(to));
      }
    }
    expect(taskTransitionProblem('in_progress', 'in_progress')).toBe('the task is already in progress');
    expect(taskTransitionProblem('done', 'done')).toBe('the task is already done');
    expect(taskTransitionProblem('done', 'accepted')).toBe('the task is done and can no longer change');
    expect(taskTransitionProblem('cancelled', 'in_progress')).toBe('the task is cancelled and can no longer change');
    expect(taskTransitionProblem('in_progress', 'accepted')).toBe('a task in progress cannot become accepted');
    expect(taskTransitionProblem('accepted', 'assigned')).toBe('a task accepted cannot become assigned');
    expect(taskTransitionProblem('in_progress', 'escalated')).toBe('a task in progress cannot become escalated');
  });

  it('awaits a transfer only for a contact identified or notified', () => {
    expect(['identified', 'notified', 'in_quarantine', 'home_monitoring', 'released', 'became_case', 'lost_to_follow_up', 'unreachable'].filter((s) => awaitsTransfer(s as never)))
      .toEqual(['identified', 'notified']);
  });

  it('fits a deadline under its parent\'s up to the same second, says the parent\'s in China time when it does not, and fits any without a parent', () => {
    const parent = parseTime('2021-08-05 18:00')!;
    expect(deadlineProblem(parent - 1, parent)).toBeNull();
    expect(deadlineProblem(parent, parent)).toBeNull();
    expect(deadlineProblem(parent + 1, parent)).toBe('the deadline is after the parent task\'s (2021-08-05T18:00:00+08:00)');
    expect(deadlineProblem(parent + 10 ** 9, null)).toBeNull();
  });
});
