/**
 * A case's interview (流调表), after PROTOCOL.md "Epidemiological investigation": the county CDC completes it within
 * the edition's `investigation.completeWithinHours` (24) of the case's confirmation, covering demographics, onset and
 * care seeking, signs, vaccination, lab results, the exposures in the `investigation.lookBackDaysBeforeOnset` (14)
 * days before onset (the trajectory rows hold them place by place), diagnosis and outcome (the case's own record).
 *
 * A draft may leave anything out; a completed interview answers what the protocol asks of every case: the signs (an
 * empty list: none), the vaccination doses, the clinical type, and the exposures (a suspected source or notes).
 */
import type { Case } from '../model/index.ts';
import type { ProtocolEdition } from '../protocol/schema.ts';
import { DAY, HOUR } from '../time.ts';
import { SYMPTOMS } from '../vocab.ts';

/** The signs an interview records: fever, and the symptoms a daily follow-up records (several may apply; none: an empty list). */
export const INTERVIEW_SIGNS = ['fever', ...SYMPTOMS] as const;
export type InterviewSign = (typeof INTERVIEW_SIGNS)[number];

/** The clinical type of the diagnosis (the treatment guideline's grades; asymptomatic for an infection without signs). */
export const CLINICAL_TYPES = ['asymptomatic', 'mild', 'moderate', 'severe', 'critical'] as const;
export type ClinicalType = (typeof CLINICAL_TYPES)[number];

/** The answers of an interview, by section; every field may be left out of a draft. Times are epoch seconds. */
export interface InterviewAnswers {
  demographics?: { occupation?: string; workplace?: string; householdSize?: number };
  onset?: { symptoms?: InterviewSign[]; maxTemperature?: number; firstCareAt?: number; careSeeking?: string };
  vaccination?: { doses?: number; lastDoseDate?: string };
  lab?: { ctValue?: number; notes?: string };
  exposures?: { suspectedSource?: string; notes?: string };
  diagnosis?: { clinicalType?: ClinicalType; notes?: string };
}

/** When the interview is due: the case's confirmation plus the edition's `investigation.completeWithinHours`. */
export function interviewDueAt(c: Pick<Case, 'confirmedAt'>, edition: ProtocolEdition): number {
  return c.confirmedAt + edition.investigation.completeWithinHours * HOUR;
}

/** From when the interview asks about exposures: onset (sampling for a case without onset) less the look-back days. */
export function exposuresAskedFrom(c: Pick<Case, 'onsetAt' | 'sampledAt'>, edition: ProtocolEdition): number {
  return (c.onsetAt ?? c.sampledAt) - edition.investigation.lookBackDaysBeforeOnset * DAY;
}

/** The fields a completed interview must answer that these answers leave out, as `answers.section.field` paths. */
export function missingForCompletion(a: InterviewAnswers): string[] {
  const missing: string[] = [];
  if (!a.onset?.symptoms) missing.push('answers.onset.symptoms');
  if (a.vaccination?.doses === undefined) missing.push('answers.vaccination.doses');
  if (!a.diagnosis?.clinicalType) missing.push('answers.diagnosis.clinicalType');
  if (!a.exposures?.suspectedSource?.trim() && !a.exposures?.notes?.trim()) missing.push('answers.exposures.notes');
  return missing;
}
