/** The answers an interview cannot hold, each at its boundary and in every combination of case kind and clinical type. */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, HOUR } from '../time.ts';
import { CLINICAL_TYPES, exposuresAskedFrom, interviewDueAt, interviewProblems, missingForCompletion, type InterviewAnswers } from './interview.ts';

const E = loadEdition('ed8-delta-2021');
const fields = (a: InterviewAnswers, kind: 'confirmed' | 'asymptomatic' = 'confirmed') => interviewProblems(a, { kind }, E).map((p) => p.field);

describe('interviewProblems', () => {
  it('takes a highest temperature within the edition\'s plausible body temperatures, both ends included', () => {
    const { min, max } = E.checkpoint.plausibleTemperatureC;
    for (const t of [min, 36.5, 38.6, max]) expect(fields({ onset: { maxTemperature: t } }), String(t)).toEqual([]);
    for (const t of [min - 0.1, max + 0.1, -1, 373, Number.NaN]) expect(fields({ onset: { maxTemperature: t } }), String(t)).toEqual(['answers.onset.maxTemperature']);
    expect(interviewProblems({ onset: { maxTemperature: max + 0.1 } }, { kind: 'confirmed' }, E)[0].reason).toBe(`${max + 0.1} °C is not a body temperature (${min} to ${max} °C)`);
    expect(fields({})).toEqual([]);
  });

  it('takes only the clinical types of the case\'s kind: asymptomatic for an asymptomatic infection, the others for a confirmed case', () => {
    for (const type of CLINICAL_TYPES) {
      expect(fields({ diagnosis: { clinicalType: type } }, 'confirmed'), `confirmed ${type}`).toEqual(type === 'asymptomatic' ? ['answers.diagnosis.clinicalType'] : []);
      expect(fields({ diagnosis: { clinicalType: type } }, 'asymptomatic'), `asymptomatic ${type}`).toEqual(type === 'asymptomatic' ? [] : ['answers.diagnosis.clinicalType']);
    }
  });

  it('refuses signs for an infection typed asymptomatic, and takes an empty list of signs', () => {
    expect(fields({ onset: { symptoms: ['fever'] }, diagnosis: { clinicalType: 'asymptomatic' } }, 'asymptomatic')).toEqual(['answers.onset.symptoms']);
    expect(fields({ onset: { symptoms: [] }, diagnosis: { clinicalType: 'asymptomatic' } }, 'asymptomatic')).toEqual([]);
    expect(fields({ onset: { symptoms: ['fever'] }, diagnosis: { clinicalType: 'mild' } })).toEqual([]);
    expect(fields({ onset: { symptoms: ['fever'] } }, 'asymptomatic')).toEqual([]);
  });

  it('takes an infection typed asymptomatic whose onset answers hold no list of signs yet', () => {
    expect(fields({ onset: { maxTemperature: 36.5 }, diagnosis: { clinicalType: 'asymptomatic' } }, 'asymptomatic')).toEqual([]);
  });

  it('says each clinical-type refusal in its words', () => {
    expect(interviewProblems({ diagnosis: { clinicalType: 'asymptomatic' } }, { kind: 'confirmed' }, E)).toEqual([{ field: 'answers.diagnosis.clinicalType', reason: 'a confirmed case is mild, moderate, severe or critical; an infection without signs is an asymptomatic case (correct the case\'s kind first)' }]);
    expect(interviewProblems({ diagnosis: { clinicalType: 'severe' } }, { kind: 'asymptomatic' }, E)).toEqual([{ field: 'answers.diagnosis.clinicalType', reason: 'an asymptomatic infection is not severe; a case with signs is a confirmed case (correct the case\'s kind first)' }]);
    expect(interviewProblems({ onset: { symptoms: ['dry_cough'] }, diagnosis: { clinicalType: 'asymptomatic' } }, { kind: 'asymptomatic' }, E)).toEqual([{ field: 'answers.onset.symptoms', reason: 'an infection typed asymptomatic has no signs' }]);
  });
});

describe('the interview\'s deadline, look-back and completion', () => {
  const T = 1_628_000_000;
  it('is due the edition\'s hours after confirmation, and asks about exposures from its days before onset (sampling without onset)', () => {
    expect(interviewDueAt({ confirmedAt: T }, E)).toBe(T + E.investigation.completeWithinHours * HOUR);
    expect(E.investigation.completeWithinHours).toBe(24);
    expect(exposuresAskedFrom({ onsetAt: T, sampledAt: T + 2 * DAY }, E)).toBe(T - E.investigation.lookBackDaysBeforeOnset * DAY);
    expect(exposuresAskedFrom({ onsetAt: null, sampledAt: T + 2 * DAY }, E)).toBe(T + 2 * DAY - E.investigation.lookBackDaysBeforeOnset * DAY);
    expect(E.investigation.lookBackDaysBeforeOnset).toBe(14);
  });

  it('needs the signs (an empty list answers none), the doses (0 answers none), the clinical type and a source or notes to complete', () => {
    const all = ['answers.onset.symptoms', 'answers.vaccination.doses', 'answers.diagnosis.clinicalType', 'answers.exposures.notes'];
    expect(missingForCompletion({})).toEqual(all);
    const done: InterviewAnswers = { onset: { symptoms: [] }, vaccination: { doses: 0 }, diagnosis: { clinicalType: 'mild' }, exposures: { notes: '家中' } };
    expect(missingForCompletion(done)).toEqual([]);
    expect(missingForCompletion({ ...done, exposures: { suspectedSource: '同事' } })).toEqual([]);
    // Blank text is no answer; one of the two is enough.
    expect(missingForCompletion({ ...done, exposures: { suspectedSource: '  ', notes: ' ' } })).toEqual(['answers.exposures.notes']);
    expect(missingForCompletion({ ...done, exposures: { suspectedSource: ' 同事 ', notes: '' } })).toEqual([]);
    expect(missingForCompletion({ ...done, onset: {} })).toEqual(['answers.onset.symptoms']);
    expect(missingForCompletion({ ...done, vaccination: {} })).toEqual(['answers.vaccination.doses']);
    expect(missingForCompletion({ ...done, diagnosis: {} })).toEqual(['answers.diagnosis.clinicalType']);
    expect(missingForCompletion({ ...done, exposures: {} })).toEqual(['answers.exposures.notes']);
  });
});
