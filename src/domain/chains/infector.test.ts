import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { inferInfectors, logGammaPdf } from './infector.ts';

const edition = loadEdition('ed8-delta-2021');
const D = 86400;

describe('infector inference', () => {
  it('integrates the serial-interval density to about 1', () => {
    let sum = 0;
    for (let x = 0.005; x < 40; x += 0.01) sum += Math.exp(logGammaPdf(x, 2.9, 1.9)) * 0.01;
    expect(sum).toBeCloseTo(1, 2);
  });

  it('prefers the household over a brief venue overlap, and a plausible interval over an implausible one', () => {
    const cases = [{ id: 1, onset: 0 }, { id: 2, onset: 0.5 * D }, { id: 3, onset: 3 * D }];
    const r = inferInfectors({
      cases, edition,
      exposures: [{ infector: 1, infectee: 3, setting: 'household', minutes: 600 }, { infector: 2, infectee: 3, setting: 'dining_entertainment', minutes: 20 }],
    });
    expect(r.find((x) => x.caseId === 3)).toMatchObject({ infector: 1, sourceUnknown: false });
    expect(r.find((x) => x.caseId === 3)!.candidates.map((c) => c.infector)).toEqual([1, 2]);
    expect(r.find((x) => x.caseId === 1)).toMatchObject({ infector: null, sourceUnknown: true });
  });

  it('never picks a later case, and lets investigators confirm or reject links', () => {
    const cases = [{ id: 1, onset: 5 * D }, { id: 2, onset: 2 * D }, { id: 3, onset: 0 }];
    const exposures = [{ infector: 1, infectee: 2, setting: 'household' as const, minutes: 600 }, { infector: 3, infectee: 2, setting: 'work_study' as const, minutes: 480 }];
    expect(inferInfectors({ cases, exposures, edition }).find((x) => x.caseId === 2)!.infector).toBe(3);
    const rejected = inferInfectors({ cases, exposures, edition, links: [{ infector: 3, infectee: 2, verdict: 'rejected' }] });
    expect(rejected.find((x) => x.caseId === 2)).toMatchObject({ infector: null, sourceUnknown: true });
    const confirmed = inferInfectors({ cases, exposures: [], edition, links: [{ infector: 1, infectee: 2, verdict: 'confirmed' }] });
    expect(confirmed.find((x) => x.caseId === 2)).toMatchObject({ infector: 1, byInvestigator: true });
  });
});
