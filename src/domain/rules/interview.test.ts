/** The answers an interview cannot hold, each at its boundary and in every combination of case kind and clinical type. */
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { CLINICAL_TYPES, interviewProblems, type InterviewAnswers } from './interview.ts';

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
});
