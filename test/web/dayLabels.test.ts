/**
 * A chart's axis of days: MM-DD within one year, YYYY-MM-DD on an axis of more than one.
 */
import { describe, expect, it } from 'vitest';
import { dayLabels } from '../../web/src/dayLabels.ts';

describe('dayLabels', () => {
  it('reads MM-DD when every day is of one year, and leaves a label that is no day as it is', () => {
    expect(dayLabels(['2021-07-30', '2021-07-31', '…', '2021-08-02'])).toEqual(['07-30', '07-31', '…', '08-02']);
    expect(dayLabels([])).toEqual([]);
  });

  it('names the year on every day when the axis spans more than one (the chart skips labels it has no room for)', () => {
    expect(dayLabels(['2021-12-30', '2021-12-31', '2022-01-01', '2022-01-02'])).toEqual(['2021-12-30', '2021-12-31', '2022-01-01', '2022-01-02']);
    expect(dayLabels(['2023-03-17', '…', '2026-11-30'])).toEqual(['2023-03-17', '…', '2026-11-30']);
  });
});
