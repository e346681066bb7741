/**
 * The deadline pickers' limits (directive and re-inspection forms): no day before today, and today no hour or minute
 * already past, by the device's clock (the server judges the deadline itself; this only spares a refusal).
 */
import dayjs from 'dayjs';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { deadlineLimits } from '../../web/src/context.ts';

beforeEach(() => { vi.useFakeTimers(); vi.setSystemTime(new Date(2021, 7, 5, 14, 30, 20)); });
afterEach(() => { vi.useRealTimers(); });

it('refuses days before today and keeps today and later', () => {
  expect(deadlineLimits.disabledDate(dayjs(new Date(2021, 7, 4, 23, 59)))).toBe(true);
  expect(deadlineLimits.disabledDate(dayjs(new Date(2021, 7, 5, 0, 0)))).toBe(false);
  expect(deadlineLimits.disabledDate(dayjs(new Date(2021, 7, 6, 9, 0)))).toBe(false);
});

it('today refuses the hours past and, in this hour, the minutes up to now; another day refuses no time', () => {
  const today = deadlineLimits.disabledTime(dayjs(new Date(2021, 7, 5, 16, 0))) as { disabledHours: () => number[]; disabledMinutes: (h: number) => number[] };
  expect(today.disabledHours()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  expect(today.disabledMinutes(14)).toEqual(Array.from({ length: 31 }, (_, i) => i));
  expect(today.disabledMinutes(15)).toEqual([]);
  expect(deadlineLimits.disabledTime(dayjs(new Date(2021, 7, 6, 8, 0)))).toEqual({});
  expect(deadlineLimits.disabledTime(null)).toEqual({});
});

it('refuses the current hour too in its last minute, and offers no "now" button', () => {
  vi.setSystemTime(new Date(2021, 7, 5, 6, 59, 10));
  const today = deadlineLimits.disabledTime(dayjs(new Date(2021, 7, 5, 9, 0))) as { disabledHours: () => number[] };
  expect(today.disabledHours()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(deadlineLimits.showNow).toBe(false);
});
