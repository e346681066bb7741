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

/**
 * What the answers say that cannot be, on any save (draft or completion), as `answers.section.field` paths with the
 * reason: a highest temperature outside the edition's plausible body temperatures (`checkpoint.plausibleTemperatureC`);
 * a clinical type that contradicts the case's kind (a confirmed case has signs, so its type is mild or worse; an
 * asymptomatic infection's type is asymptomatic: a case whose kind is wrong is corrected first); signs listed for an
 * infection typed asymptomatic.
 */
export function interviewProblems(a: InterviewAnswers, c: Pick<Case, 'kind'>, edition: ProtocolEdition): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  const t = a.onset?.maxTemperature;
  const { min, max } = edition.checkpoint.plausibleTemperatureC;
  if (t !== undefined && !(t >= min && t <= max)) out.push({ field: 'answers.onset.maxTemperature', reason: `${t} °C is not a body temperature (${min} to ${max} °C)` });
  const type = a.diagnosis?.clinicalType;
  if (type === 'asymptomatic' && c.kind === 'confirmed') {
    out.push({ field: 'answers.diagnosis.clinicalType', reason: 'a confirmed case is mild, moderate, severe or critical; an infection without signs is an asymptomatic case (correct the case\'s kind first)' });
  }
  if (type !== undefined && type !== 'asymptomatic' && c.kind === 'asymptomatic') {
    out.push({ field: 'answers.diagnosis.clinicalType', reason: `an asymptomatic infection is not ${type}; a case with signs is a confirmed case (correct the case's kind first)` });
  }
  if (type === 'asymptomatic' && (a.onset?.symptoms?.length ?? 0) > 0) out.push({ field: 'answers.onset.symptoms', reason: 'an infection typed asymptomatic has no signs' });
  return out;
}
