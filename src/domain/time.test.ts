/**
 * Weeks in China time: a week starts on Monday 00:00 China Standard Time, whatever the moment's UTC date.
 */
import { describe, expect, it } from 'vitest';
import { chinaWeekStart, formatTime, parseTime } from './time.ts';

const at = (text: string) => parseTime(text)!;

describe('chinaWeekStart', () => {
  it('gives Monday 00:00 China time of the week, for moments on either side of the UTC date line', () => {
    // 2021-08-02 was a Monday.
    expect(formatTime(chinaWeekStart(at('2021-08-02 00:00')))).toBe('2021-08-02T00:00:00+08:00');
    expect(formatTime(chinaWeekStart(at('2021-08-02 07:59')))).toBe('2021-08-02T00:00:00+08:00'); // still Sunday in UTC
    expect(formatTime(chinaWeekStart(at('2021-08-08 23:59:59')))).toBe('2021-08-02T00:00:00+08:00'); // Sunday night
    expect(formatTime(chinaWeekStart(at('2021-08-09 00:00')))).toBe('2021-08-09T00:00:00+08:00');
    expect(formatTime(chinaWeekStart(at('2021-08-01 23:59:59')))).toBe('2021-07-26T00:00:00+08:00');
  });

  it('counts weeks before 1970 the same way (epoch day 0, a Thursday, is in the week of Monday 1969-12-29)', () => {
    expect(formatTime(chinaWeekStart(0))).toBe('1969-12-29T00:00:00+08:00');
    expect(formatTime(chinaWeekStart(at('1969-12-28 12:00')))).toBe('1969-12-22T00:00:00+08:00');
  });
});
