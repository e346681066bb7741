/**
 * The R(t) chart's days: windows the API left out (no case, no infectiousness) are empty days on the axis, so the
 * line breaks over them; a gap of months is one break.
 */
import { describe, expect, it } from 'vitest';
import { GAP_DAYS_DRAWN, reproductionDays } from '../../web/src/reproductionDays.ts';

const win = (end: string, mean = 1.2) => ({ start: end, end, cases: 1, mean, sd: 0.1, median: mean, lower: mean - 0.2, upper: mean + 0.2, provisional: false });

describe('reproductionDays', () => {
  it('keeps consecutive windows as they are, each by its China day', () => {
    // 2021-08-01T00:00+08:00 is 2021-07-31 in UTC: the day is China's.
    const ws = [win('2021-08-01T00:00:00+08:00'), win('2021-08-02T00:00:00+08:00'), win('2021-08-03T00:00:00+08:00')];
    expect(reproductionDays(ws).map((r) => r.day)).toEqual(['2021-08-01', '2021-08-02', '2021-08-03']);
    expect(reproductionDays(ws).map((r) => r.w)).toEqual(ws);
  });

  it('puts an empty day for each day missing between two windows', () => {
    const ws = [win('2021-08-30T00:00:00+08:00', 1.5), win('2021-09-02T00:00:00+08:00', 0.8)];
    const rows = reproductionDays(ws);
    expect(rows.map((r) => r.day)).toEqual(['2021-08-30', '2021-08-31', '2021-09-01', '2021-09-02']);
    expect(rows.map((r) => r.w?.mean ?? null)).toEqual([1.5, null, null, 0.8]);
  });

  it(`draws a gap of up to ${GAP_DAYS_DRAWN} days day by day, and a longer one as a single break`, () => {
    const last = new Date(Date.parse('2021-08-01T00:00:00+08:00') + (GAP_DAYS_DRAWN + 1) * 86_400_000);
    const within = reproductionDays([win('2021-08-01T00:00:00+08:00'), win(last.toISOString())]);
    expect(within).toHaveLength(GAP_DAYS_DRAWN + 2);
    const months = reproductionDays([win('2021-08-01T00:00:00+08:00'), win('2022-03-10T00:00:00+08:00')]);
    expect(months.map((r) => r.day)).toEqual(['2021-08-01', '…', '2022-03-10']);
    expect(months[1].w).toBeNull();
  });

  it('gives no days for no windows', () => {
    expect(reproductionDays([])).toEqual([]);
  });
});
