/**
 * A contact's status through its life, and which changes a person may make. `became_case` is set by the event flow
 * when the contact's person becomes a case (and undone if that case is withdrawn), never by hand. Pure.
 */
import type { ContactStatus } from '../vocab.ts';

/** From each status, the statuses a worker may move a contact to (a mistaken release can be corrected). */
export const CONTACT_TRANSITIONS: Record<ContactStatus, readonly ContactStatus[]> = {
  identified: ['notified', 'in_quarantine', 'home_monitoring', 'released', 'lost_to_follow_up'],
  notified: ['in_quarantine', 'home_monitoring', 'released', 'lost_to_follow_up'],
  in_quarantine: ['home_monitoring', 'released', 'lost_to_follow_up'],
  home_monitoring: ['in_quarantine', 'released', 'lost_to_follow_up'],
  lost_to_follow_up: ['notified', 'in_quarantine', 'home_monitoring', 'released'],
  released: ['identified', 'notified', 'in_quarantine', 'home_monitoring'],
  became_case: [],
};

/** Why `from` cannot become `to` by hand, or null when it can. */
export function transitionProblem(from: ContactStatus, to: ContactStatus): string | null {
  if (from === to) return `the contact is already ${to.replace(/_/g, ' ')}`;
  if (to === 'became_case') return 'a contact becomes a case when the case is recorded, not by a status change';
  if (!CONTACT_TRANSITIONS[from].includes(to)) return `a contact ${from.replace(/_/g, ' ')} cannot become ${to.replace(/_/g, ' ')}`;
  return null;
}
