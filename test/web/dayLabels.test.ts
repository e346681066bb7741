/**
 * A chart's axis of days: MM-DD within one year, the year named where it starts and where it changes.
 */
import { describe, expect, it } from 'vitest';
import { dayLabels } from '../../web/src/dayLabels.ts';

describe('dayLabels', () => {
  it('reads MM-DD when every day is of one year, and leaves a label that is no day as it is', () => {
    expect(dayLabels(['2021-07-30', '2021-07-31', '…', '2021-08-02'])).toEqual(['07-30', '07-31', '…', '08-02']);
    expect(dayLabels([])).toEqual([]);
  });

  it('names the year on the first day and on the first day of each new year when the axis spans years', () => {
    expect(dayLabels(['2021-12-30', '2021-12-31', '2022-01-01', '2022-01-02'])).toEqual(['2021-12-30', '12-31', '2022-01-01', '01-02']);
    // Across a gap: the first day after it is of a new year.
    expect(dayLabels(['2021-11-02', '…', '2022-03-01', '2022-03-02'])).toEqual(['2021-11-02', '…', '2022-03-01', '03-02']);
  });
});
