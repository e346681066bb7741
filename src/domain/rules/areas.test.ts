import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { DAY, HOUR } from '../time.ts';
import { itineraryCities } from './itinerary.ts';
import { gradeUnits } from './riskAreas.ts';

const T0 = 1_628_000_000;
const delta = loadEdition('ed8-delta-2021'), ed8 = loadEdition('ed8-2021'), ed9 = loadEdition('ed9-2022');

describe('risk-area grading by rule set', () => {
  it('street-2021: a community with a case is medium; above the cumulative threshold with a cluster, high; low after the window', () => {
    const rs = delta.riskAreas.ruleSet;
    const one = gradeUnits([{ regionCode: '430102001001', confirmedAt: T0 }], [], rs, T0 + DAY);
    expect(one.get('430102001001')).toMatchObject({ level: 'medium', reviewAt: T0 + rs.downgradeDays.medium * DAY });
    const many = Array.from({ length: rs.highCumulativeCasesAbove! + 1 }, (_, i) => ({ regionCode: '430102001002', confirmedAt: T0 - i * HOUR }));
    expect(gradeUnits(many, [], rs, T0 + HOUR).get('430102001002')?.level).toBe('high');
    expect(gradeUnits(many, [], rs, T0 + (rs.windowDays + 1) * DAY).get('430102001002')?.level).toBe('low');
  });

  it('county-2020: grades the county, not the community', () => {
    const g = gradeUnits([{ regionCode: '430102001001', confirmedAt: T0 }, { regionCode: '430102001002', confirmedAt: T0 }], [], ed8.riskAreas.ruleSet, T0 + DAY);
    expect([...g.keys()]).toEqual(['430102']);
  });

  it('ed9: high where a case lives, stepping down to medium after 7 days and to low 3 days later; medium where a case stayed', () => {
    const rs = ed9.riskAreas.ruleSet;
    const cases = [{ regionCode: '430102001001', confirmedAt: T0 }];
    const stays = [{ regionCode: '430102001002', at: T0 - HOUR }];
    expect(gradeUnits(cases, stays, rs, T0 + DAY).get('430102001001')?.level).toBe('high');
    expect(gradeUnits(cases, stays, rs, T0 + DAY).get('430102001002')?.level).toBe('medium');
    expect(gradeUnits(cases, stays, rs, T0 + (rs.downgradeDays.high * DAY) + HOUR).get('430102001001')?.level).toBe('medium');
    expect(gradeUnits(cases, stays, rs, T0 + (rs.downgradeDays.high + rs.mediumAfterHighDays!) * DAY + HOUR).get('430102001001')?.level).toBe('low');
    expect(gradeUnits(cases, stays, rs, T0 + (rs.downgradeDays.medium + 1) * DAY).get('430102001002')?.level).toBe('low');
  });
});

describe('itinerary card cities', () => {
  const now = T0 + 20 * DAY;
  it('lists cities with a continuous stay of the edition\'s hours, joining stays across short gaps', () => {
    const stays = [
      { cityCode: '4301', start: now - 2 * DAY, end: now - 2 * DAY + 2 * HOUR },
      { cityCode: '4301', start: now - 2 * DAY + 2 * HOUR + 10 * 60, end: now - 2 * DAY + 5 * HOUR }, // joined: 5 h
      { cityCode: '4308', start: now - DAY, end: now - DAY + 3 * HOUR }, // 3 h: not listed
      { cityCode: '4302', start: now - 10 * DAY, end: now - 10 * DAY + 6 * HOUR }, // inside 14 days, outside 7
    ];
    expect(itineraryCities(stays, delta, now).map((c) => c.cityCode).sort()).toEqual(['4301', '4302']);
    expect(itineraryCities(stays, ed9, now).map((c) => c.cityCode)).toEqual(['4301']);
  });
});
