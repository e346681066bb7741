/**
 * A contact's status by hand: every pair of statuses, allowed exactly when the table says so, each refusal with its
 * reason; `became_case` never by hand and never left by hand.
 */
import { describe, expect, it } from 'vitest';
import { CONTACT_STATUSES } from '../vocab.ts';
import { CONTACT_TRANSITIONS, transitionProblem } from './contactStatus.ts';

const ALLOWED: Record<string, string[]> = {
  identified: ['notified', 'in_quarantine', 'home_monitoring', 'released', 'lost_to_follow_up'],
  notified: ['in_quarantine', 'home_monitoring', 'released', 'lost_to_follow_up'],
  in_quarantine: ['home_monitoring', 'released', 'lost_to_follow_up'],
  home_monitoring: ['in_quarantine', 'released', 'lost_to_follow_up'],
  lost_to_follow_up: ['notified', 'in_quarantine', 'home_monitoring', 'released'],
  released: ['identified', 'notified', 'in_quarantine', 'home_monitoring'],
  became_case: [],
};

describe('contact status by hand', () => {
  it('allows exactly the moves of the protocol\'s life of a contact, and says why any other is refused', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...CONTACT_STATUSES].sort());
    // The table itself, as other modules read it: a contact that became a case is moved nowhere by hand.
    expect(CONTACT_TRANSITIONS).toEqual(ALLOWED);
    for (const from of CONTACT_STATUSES) {
      for (const to of CONTACT_STATUSES) {
        const problem = transitionProblem(from, to);
        if (from === to) expect(problem, `${from} -> ${to}`).toBe(`the contact is already ${to.replace(/_/g, ' ')}`);
        else if (to === 'became_case') expect(problem, `${from} -> ${to}`).toBe('a contact becomes a case when the case is recorded, not by a status change');
        else if (ALLOWED[from].includes(to)) expect(problem, `${from} -> ${to}`).toBeNull();
        else expect(problem, `${from} -> ${to}`).toBe(`a contact ${from.replace(/_/g, ' ')} cannot become ${to.replace(/_/g, ' ')}`);
      }
    }
    expect(transitionProblem('lost_to_follow_up', 'identified')).toBe('a contact lost to follow up cannot become identified');
    expect(transitionProblem('in_quarantine', 'in_quarantine')).toBe('the contact is already in quarantine');
  });
});
