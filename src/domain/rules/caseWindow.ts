/**
 * The window in which a case counts as infectious, per the protocol edition: from N days before onset (before
 * sampling when asymptomatic; from the last negative test when found by routine screening, where the edition says so)
 * until the case was isolated (or confirmed, when no isolation time is recorded).
 */
import type { Case } from '../model/index.ts';
import type { ProtocolEdition } from '../protocol/schema.ts';
import { DAY } from '../time.ts';

export interface Window {
  from: number;
  to: number;
}

export function caseWindow(c: Pick<Case, 'onsetAt' | 'sampledAt' | 'confirmedAt' | 'isolatedAt' | 'detectedBy'>, edition: ProtocolEdition, lastNegativeAt?: number | null): Window {
  const to = c.isolatedAt ?? c.confirmedAt;
  if (edition.caseWindow.fromLastNegativeWhenScreened && c.detectedBy === 'routine_screening' && lastNegativeAt != null) {
    return { from: lastNegativeAt, to };
  }
  const anchor = c.onsetAt ?? c.sampledAt;
  return { from: anchor - edition.caseWindow.daysBeforeOnset * DAY, to };
}

/**
 * When a close contact stops exposing others: their isolation, which the protocol expects within the edition's
 * transfer deadline after the index case is confirmed, unless an isolation time is known.
 */
export function contactIsolationDeadline(indexConfirmedAt: number, edition: ProtocolEdition, isolatedAt?: number | null): number {
  return isolatedAt ?? indexConfirmedAt + edition.closeContact.transferWithinHours * 3600;
}
