import { describe, expect, it } from 'vitest';
import { birthAndSexOf, hashIdNumber, idCheckChar, idNumberProblem, listIdMask, maskIdNumber, maskName, maskPhone } from './identity.ts';
import { formatTime, nowSeconds, parseTime } from './time.ts';

describe('identity numbers', () => {
  it('computes the GB 11643 check character', () => {
    // The standard's own worked example: 11010519491231002X.
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(idNumberProblem('11010519491231002X')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
  });

  it('names what is wrong with a bad number', () => {
    expect(idNumberProblem('110105194912310021')).toBe('check digit does not match');
    expect(idNumberProblem('11010519490231002X')).toMatch(/not a real date/);
    // A month 13 or 00 rolls over into another year's month on the same day: refused by its month, with a right check digit.
    for (const body of ['11010519491331002', '11010519490031002']) expect(idNumberProblem(body + idCheckChar(body))).toBe('birth date inside the number is not a real date');
    expect(idNumberProblem('1101051949')).toMatch(/17 digits/);
  });

  it('hashes with a key, masks for display, and reads birth date and sex', () => {
    expect(hashIdNumber('11010519491231002x', 'k1')).toBe(hashIdNumber('11010519491231002X', 'k1'));
    expect(hashIdNumber('11010519491231002X', 'k1')).not.toBe(hashIdNumber('11010519491231002X', 'k2'));
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskName('欧阳修')).toBe('欧**');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(birthAndSexOf('11010519491231002X')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
  });

  it('takes a number with spaces around, and refuses one with anything before or after its 18 characters', () => {
    expect(idNumberProblem(' 11010519491231002X ')).toBeNull();
    expect(hashIdNumber(' 11010519491231002x', 'k1')).toBe(hashIdNumber('11010519491231002X', 'k1'));
    expect(idNumberProblem('A11010519491231002X')).toMatch(/17 digits/);
    expect(idNumberProblem('11010519491231002X1')).toMatch(/17 digits/);
    expect(idNumberProblem('1101051949123100X2')).toMatch(/17 digits/);
  });

  it('refuses birth dates before 1880 and days, months and years that do not exist, whatever the check digit', () => {
    const withCheck = (first17: string) => first17 + idCheckChar(first17);
    expect(idNumberProblem(withCheck('11010518800101002'))).toBeNull();
    expect(idNumberProblem(withCheck('11010518791231002'))).toMatch(/not a real date/);
    for (const date of ['19491301', '19490001', '19490431', '19490100', '00000101']) expect(idNumberProblem(withCheck(`110105${date}002`)), date).toMatch(/not a real date/);
    expect(idNumberProblem(withCheck('11010520000229002'))).toBeNull();
    expect(idNumberProblem(withCheck('11010519000229002'))).toMatch(/not a real date/);
  });

  it('given the server\'s now, refuses a birth date after that day in China time, and takes one born that day', () => {
    const withCheck = (first17: string) => first17 + idCheckChar(first17);
    // 2021-09-25 00:30 CST is still 2021-09-24 in UTC: the day is China's.
    const now = parseTime('2021-09-25 00:30')!;
    expect(idNumberProblem(withCheck('44010620210925001'), now)).toBeNull();
    expect(idNumberProblem(withCheck('44010620210926001'), now)).toBe('birth date inside the number is in the future');
    expect(idNumberProblem(withCheck('44010620210926001'))).toBeNull();
  });

  it('takes a birth date when now is exactly the first second of that day in China time, and refuses it one second before', () => {
    const withCheck = (first17: string) => first17 + idCheckChar(first17);
    const midnight = parseTime('2021-09-26 00:00')!;
    expect(idNumberProblem(withCheck('44010620210926001'), midnight)).toBeNull();
    expect(idNumberProblem(withCheck('44010620210926001'), midnight + 1)).toBeNull();
    expect(idNumberProblem(withCheck('44010620210926001'), midnight - 1)).toBe('birth date inside the number is in the future');
  });

  it('narrows a stored mask for lists to the first 3 and last 2 characters', () => {
    expect(listIdMask(maskIdNumber('11010519491231002X'))).toBe('110*************2X');
  });

  it('masks a one-character name and a short phone whole, and reads sex from the 17th digit', () => {
    expect(maskName('李')).toBe('李');
    expect(maskName('')).toBe('');
    expect(maskName('李四')).toBe('李*');
    expect(maskPhone('123456')).toBe('******');
    expect(maskPhone('1234567')).toBe('123' + '4567');
    expect(maskPhone('12345678')).toBe('123*5678');
    expect(birthAndSexOf('110105194912310011').sex).toBe('male');
    expect(birthAndSexOf('11010519491231002X').sex).toBe('female');
    expect(birthAndSexOf('110105194912310090').sex).toBe('male');
  });
});

describe('time', () => {
  it('reads local times as China Standard Time and honours offsets', () => {
    expect(parseTime('2021-07-22 19:30')).toBe(Date.UTC(2021, 6, 22, 11, 30) / 1000);
    expect(parseTime('2021-07-22T11:30:00Z')).toBe(Date.UTC(2021, 6, 22, 11, 30) / 1000);
    expect(parseTime('2021-07-22T19:30:00+08:00')).toBe(parseTime('2021-07-22 19:30'));
    expect(parseTime('2021-07-22')).toBe(Date.UTC(2021, 6, 21, 16) / 1000);
  });

  it('refuses impossible times', () => {
    for (const bad of ['2021-02-30', '2021-13-01 00:00', '2021-07-22 24:00', '2021-07-22 99:00', '2021-07-22 23:99', '2021-12-32', 'yesterday', '22/07/2021']) expect(parseTime(bad), bad).toBeNull();
  });

  it('takes every real time at the edges of its fields: the first and last of a month, year, hour and minute, and spaces around', () => {
    expect(parseTime('2021-01-01 00:00')).toBe(Date.UTC(2020, 11, 31, 16) / 1000);
    expect(parseTime('2021-12-31 23:59:59')).toBe(Date.UTC(2021, 11, 31, 15, 59, 59) / 1000);
    expect(parseTime('2021-01-31 12:00')).toBe(Date.UTC(2021, 0, 31, 4) / 1000);
    expect(parseTime('2020-02-29 08:00')).toBe(Date.UTC(2020, 1, 29, 0) / 1000);
    expect(parseTime('2021-02-29 08:00')).toBeNull();
    expect(parseTime('  2021-07-22 19:30 ')).toBe(parseTime('2021-07-22 19:30'));
    expect(parseTime('2021-07-22 12:00+00:59')).toBe(Date.UTC(2021, 6, 22, 11, 1) / 1000);
    for (const bad of ['2021-00-10', '2021-07-00', '2021-07-32', '2021-07-22 12:60', '2021-07-22 12:00:60']) expect(parseTime(bad), bad).toBeNull();
  });

  it('takes offsets from -12:00 to +14:00 only, with fewer than 60 minutes, and refuses the rest rather than moving the time', () => {
    expect(parseTime('2021-07-22 12:00+14:00')).toBe(Date.UTC(2021, 6, 21, 22) / 1000);
    expect(parseTime('2021-07-22 12:00-12:00')).toBe(Date.UTC(2021, 6, 23, 0) / 1000);
    expect(parseTime('2021-07-22 12:00+05:45')).toBe(Date.UTC(2021, 6, 22, 6, 15) / 1000);
    expect(parseTime('2021-07-22 12:00-0930')).toBe(Date.UTC(2021, 6, 22, 21, 30) / 1000);
    for (const bad of ['2021-07-22 12:00+14:01', '2021-07-22 12:00-12:01', '2021-07-22 12:00+25:00', '2021-09-12 08:00+99:99', '2021-07-22 12:00+08:60', '2021-07-22 12:00-0060']) {
      expect(parseTime(bad), bad).toBeNull();
    }
  });

  it('gives every day of years 0001-0099, 1599-1601, 1899-1901 and 1999-2101 the instant JavaScript\'s calendar gives, and refuses the days past a month\'s end', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    let checked = 0;
    for (const [from, to] of [[1, 99], [1599, 1601], [1899, 1901], [1999, 2101]]) {
      for (let y = from; y <= to; y++) {
        for (let mo = 1; mo <= 12; mo++) {
          for (let d = 1; d <= 31; d++) {
            const ref = new Date(0);
            ref.setUTCFullYear(y, mo - 1, d);
            ref.setUTCHours(7, 5, 9);
            const real = ref.getUTCDate() === d;
            const got = parseTime(`${pad(y, 4)}-${pad(mo)}-${pad(d)} 15:05:09`);
            if (real) expect(got, `${y}-${mo}-${d}`).toBe(ref.getTime() / 1000);
            else expect(got, `${y}-${mo}-${d}`).toBeNull();
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(208 * 12 * 31);
    expect(parseTime('1900-02-29')).toBeNull();
    expect(parseTime('2000-02-29')).toBe(Date.UTC(2000, 1, 28, 16) / 1000);
    expect(parseTime('2100-02-29')).toBeNull();
  });

  it('formats in China Standard Time', () => {
    expect(formatTime(Date.UTC(2021, 6, 22, 11, 30) / 1000)).toBe('2021-07-22T19:30:00+08:00');
  });
});

describe('identity and time at their edges', () => {
  const withCheck = (first17: string) => first17 + idCheckChar(first17);

  it('refuses a birth date before 1880 and a month 00 or 13 even with the right check digit, and takes 1880-01-01', () => {
    for (const born of ['18791231', '18700101', '20211301', '20210001', '20210230']) {
      expect(idNumberProblem(withCheck(`110101${born}123`)), born).toBe('birth date inside the number is not a real date');
    }
    expect(idNumberProblem(withCheck('11010118800101123'))).toBeNull();
  });

  it('leaves a name of one character as it is (nothing to hide behind its only character)', () => {
    expect([maskName('张'), maskName('张三'), maskName('')]).toEqual(['张', '张*', '']);
  });

  it('reads fractional seconds of any length and refuses text before or after a time', () => {
    expect(parseTime('2021-07-22 19:30:00.125')).toBe(parseTime('2021-07-22 19:30'));
    expect(parseTime('2021-07-22T19:30:05.5+08:00')).toBe(parseTime('2021-07-22 19:30')! + 5);
    for (const bad of ['x2021-07-22', 'on 2021-07-22 19:30', '2021-07-22 19:30 local', '2021-07-22 19:30:00.', '2021-07-22 19:30:00.x', '2021-07-22T19:30+08:00:00']) expect(parseTime(bad), bad).toBeNull();
  });

  it('gives the time now in whole epoch seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const now = nowSeconds();
    expect(Number.isInteger(now)).toBe(true);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });
});
