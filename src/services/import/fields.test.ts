/**
 * The field readers of feed rows, one rule at a time: what each takes, the first value it refuses on either side of
 * each bound, the reason it gives (what a person fixing the file reads), and that a refused field is reported once.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { idNumber } from '../../../test/fixtures.ts';
import { parseTime } from '../../domain/time.ts';
import { FieldReader, FREE_TEXT_MAX_CHARS } from './fields.ts';
import type { ValueType } from './sources.ts';

const reader = (values: Record<string, string>, types: Record<string, ValueType> = {}, latest?: string) =>
  new FieldReader(values, types, latest ? { timeRange: { earliest: parseTime('2019-12-01 00:00')!, latest: parseTime(latest)! } } : {});
/** What one read gives and the problems it leaves. */
const read = <T>(r: FieldReader, f: (r: FieldReader) => T) => ({ value: f(r), problems: r.problems.map((p) => `${p.field}: ${p.reason}`) });

describe('FieldReader', () => {
  it('reads text trimmed, takes an absent or blank field as empty, and says "required" only of required ones', () => {
    expect(read(reader({ name: '  张三 ' }), (r) => r.req('name'))).toEqual({ value: '张三', problems: [] });
    expect(read(reader({ name: '   ' }), (r) => r.opt('name'))).toEqual({ value: null, problems: [] });
    expect(read(reader({}), (r) => r.opt('name'))).toEqual({ value: null, problems: [] });
    expect(read(reader({ name: ' ' }), (r) => r.req('name'))).toEqual({ value: '', problems: ['name: required'] });
  });

  it('reads a code written full-width or with an invisible character as in ASCII, keeping its case, and leaves free text as written', () => {
    expect(read(reader({ place_code: 'ＭＫＴ－１' }), (r) => r.req('place_code'))).toEqual({ value: 'MKT-1', problems: [] });
    expect(read(reader({ place_code: 'ｍｋｔ\u200b－１' }), (r) => r.req('place_code'))).toEqual({ value: 'mkt-1', problems: [] });
    expect(read(reader({ case_no: 'CS\u2014７' }), (r) => r.req('case_no'))).toEqual({ value: 'CS-7', problems: [] });
    expect(read(reader({ id_number: `${idNumber(1).slice(0, 17)}ｘ`.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)) }), (r) => r.opt('id_number')).value).toBe(`${idNumber(1).slice(0, 17)}x`);
    expect(read(reader({ address: '文艺路（１号）' }), (r) => r.opt('address')).value).toBe('文艺路（１号）');
    // Only full-width ASCII becomes ASCII: a superscript or a circled digit is no digit, so no code of ASCII is met.
    expect(read(reader({ place_code: 'ＳＵＰ²' }), (r) => r.req('place_code')).value).toBe('SUP²');
    expect(read(reader({ place_code: '①２' }), (r) => r.req('place_code')).value).toBe('①2');
  });

  it('counts a value\'s length in characters up to its field\'s limit, and refuses the first character over it once', () => {
    expect(read(reader({ name: '张'.repeat(100) }), (r) => r.req('name')).problems).toEqual([]);
    // Characters, not UTF-16 units: 100 characters outside the BMP are 200 units and still fit.
    expect(read(reader({ name: '𠮷'.repeat(100) }), (r) => r.req('name')).problems).toEqual([]);
    expect(read(reader({ name: '张'.repeat(101) }), (r) => r.req('name'))).toEqual({ value: '', problems: ['name: 101 characters, more than the 100 allowed'] });
    expect(read(reader({ address: 'x'.repeat(500) }), (r) => r.opt('address')).problems).toEqual([]);
    expect(read(reader({ address: 'x'.repeat(501) }), (r) => r.opt('address')).problems).toEqual(['address: 501 characters, more than the 500 allowed']);
    expect(read(reader({ case_no: 'C'.repeat(65) }), (r) => r.opt('case_no')).problems).toEqual(['case_no: 65 characters, more than the 64 allowed']);
    expect(read(reader({ notes: 'x'.repeat(FREE_TEXT_MAX_CHARS) }), (r) => r.opt('notes')).problems).toEqual([]);
    expect(read(reader({ notes: 'x'.repeat(FREE_TEXT_MAX_CHARS + 1) }), (r) => r.opt('notes')).problems).toEqual([`notes: ${FREE_TEXT_MAX_CHARS + 1} characters, more than the ${FREE_TEXT_MAX_CHARS} allowed`]);
    // A refused field is reported once: reading it again, or a rule on it, adds nothing.
    const r = reader({ name: '张'.repeat(101) });
    r.req('name');
    expect(r.opt('name')).toBeNull();
    r.check(false, 'name', 'another reason');
    r.check(false, 'phone', 'a rule across fields');
    expect(r.problems.map((p) => p.reason)).toEqual(['101 characters, more than the 100 allowed', 'a rule across fields']);
    r.check(true, 'case_no', 'never said');
    expect(r.problems).toHaveLength(2);
  });

  it('says how a value was given when its cell is not text, and takes numbers only where no digits are lost', () => {
    const as = (type: ValueType, raw: string, f: (r: FieldReader) => unknown = (r) => r.opt('code')) => read(reader({ code: raw, sampled_at: raw, id_number: raw, phone: raw }, { code: type, sampled_at: type, id_number: type, phone: type }), f);
    expect(as('number', '1001')).toEqual({ value: '1001', problems: [] });
    expect(as('number', '9007199254740991').problems).toEqual([]);
    expect(as('number', '9007199254740993').problems).toEqual(['code: given as a number too large to be exact (9007199254740993); write it as text']);
    expect(as('number', '1.2e+21').problems).toEqual(['code: given as a number too large to be exact (1.2e+21); write it as text']);
    expect(as('boolean', 'true').problems).toEqual(['code: given as true (a true/false cell), not a value of this field']);
    expect(as('date', '2021-08-01').problems).toEqual(['code: given as a date cell, not a value of this field']);
    expect(as('object', '{}').problems).toEqual(['code: an object, not a value']);
    expect(as('array', '[]').problems).toEqual(['code: an array, not a value']);
    expect(as('error', '#REF!').problems).toEqual(['code: a spreadsheet error (#REF!), not a value']);
    // Times take a date cell, not a number; ID numbers and phones take neither.
    expect(as('date', '2021-08-01 10:00', (r) => r.time('sampled_at'))).toEqual({ value: parseTime('2021-08-01 10:00'), problems: [] });
    expect(as('number', '44408', (r) => r.time('sampled_at')).problems).toEqual(['sampled_at: given as a number, not a date-time: format the cell as a date, or write YYYY-MM-DD HH:MM']);
    expect(as('number', '430102199001011234', (r) => r.idNumber('id_number')).problems).toEqual(['id_number: given as a number; write it as text: 18-digit numbers lose their last digits']);
    expect(as('number', '13800001111', (r) => r.phone('phone')).problems).toEqual(['phone: given as a number; write it as text: a number loses a leading 0 or +']);
    // Their own reason is for a number only: a date cell there is named as a date cell.
    expect(as('date', '2021-08-01', (r) => r.idNumber('id_number')).problems).toEqual(['id_number: given as a date cell, not a value of this field']);
    expect(as('boolean', 'false', (r) => r.phone('phone')).problems).toEqual(['phone: given as false (a true/false cell), not a value of this field']);
  });

  it('takes a value of a vocabulary or its fallback, and names a value outside it', () => {
    const Kind = z.enum(['confirmed', 'asymptomatic']);
    expect(read(reader({ kind: 'confirmed' }), (r) => r.oneOf('kind', Kind))).toEqual({ value: 'confirmed', problems: [] });
    expect(read(reader({ kind: 'probable' }), (r) => r.oneOf('kind', Kind)).problems).toEqual(['kind: "probable" is not one of the allowed values (confirmed, asymptomatic)']);
    expect(read(reader({}), (r) => r.oneOf('kind', Kind))).toEqual({ value: '', problems: ['kind: required'] });
    expect(read(reader({ kind: '' }), (r) => r.oneOf('kind', Kind, 'asymptomatic'))).toEqual({ value: 'asymptomatic', problems: [] });
    expect(read(reader({ kind: 'probable' }), (r) => r.oneOf('kind', Kind, 'asymptomatic')).problems).toEqual(['kind: "probable" is not one of the allowed values (confirmed, asymptomatic)']);
    // A schema that is no enum has no list to name.
    expect(read(reader({ kind: 'x' }), (r) => r.oneOf('kind', z.string().regex(/^[a-w]+$/))).problems).toEqual(['kind: "x" is not one of the allowed values']);
  });

  it('reads times in China Standard Time within the plausible range, both ends included', () => {
    const latest = '2021-08-20 12:00';
    expect(read(reader({ t: '2021-08-01 10:00' }, {}, latest), (r) => r.time('t', true)).value).toBe(parseTime('2021-08-01T02:00:00Z'));
    expect(read(reader({ t: '' }), (r) => r.time('t'))).toEqual({ value: null, problems: [] });
    expect(read(reader({ t: '' }), (r) => r.time('t', true)).problems).toEqual(['t: required']);
    expect(read(reader({ t: '21-08-01 10:00' }), (r) => r.time('t')).problems).toEqual(['t: "21-08-01 10:00" is not a date-time (YYYY-MM-DD HH:MM[:SS], optional offset)']);
    expect(read(reader({ t: latest }, {}, latest), (r) => r.time('t')).problems).toEqual([]);
    expect(read(reader({ t: '2021-08-20 12:01' }, {}, latest), (r) => r.time('t')).problems).toEqual(["t: 2021-08-20 12:01 is after 2021-08-20 12:00, the latest plausible time (the server's now plus the edition's tolerance)"]);
    expect(read(reader({ t: '2019-12-01 00:00' }, {}, latest), (r) => r.time('t')).problems).toEqual([]);
    expect(read(reader({ t: '2019-11-30 23:59' }, {}, latest), (r) => r.time('t')).problems).toEqual(['t: 2019-11-30 23:59 is before 2019-12-01, the earliest plausible date']);
  });

  it('reads a time, a number or a vocabulary value typed full-width as its ASCII twin, and still refuses one that is wrong in either form', () => {
    const fw = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
    expect(fw('2021-08-01 10:00')).toBe('２０２１－０８－０１\u3000１０：００');
    expect(read(reader({ t: fw('2021-08-01 10:00') }, {}, '2021-08-20 12:00'), (r) => r.time('t', true))).toEqual({ value: parseTime('2021-08-01 10:00'), problems: [] });
    expect(read(reader({ t: '2021-08-01 １０：００+08:00' }), (r) => r.time('t')).value).toBe(parseTime('2021-08-01T02:00:00Z'));
    // Read again in ASCII, still checked: not a date-time, or outside the plausible range.
    expect(read(reader({ t: fw('21-08-01 10:00') }), (r) => r.time('t')).problems).toEqual([`t: "${fw('21-08-01 10:00')}" is not a date-time (YYYY-MM-DD HH:MM[:SS], optional offset)`]);
    expect(read(reader({ t: fw('2021-08-21 10:00') }, {}, '2021-08-20 12:00'), (r) => r.time('t')).problems).toHaveLength(1);
    expect(read(reader({ dose: '２' }), (r) => r.int('dose', { min: 1, max: 10 }))).toEqual({ value: 2, problems: [] });
    expect(read(reader({ dose: '１１' }), (r) => r.int('dose', { min: 1, max: 10 })).problems).toEqual(['dose: 11 is above 10']);
    expect(read(reader({ dose: '２' }), (r) => r.int('dose', { min: 1, max: 10 })).value).toBe(2);
    expect(read(reader({ lat: '２８．１９' }), (r) => r.num('lat', -90, 90))).toEqual({ value: 28.19, problems: [] });
    expect(read(reader({ lat: '②' }), (r) => r.num('lat', -90, 90)).problems).toEqual(['lat: "②" is not a number from -90 to 90']);
    const Kind = z.enum(['venue_scan', 'telecom_stay']);
    expect(read(reader({ source: 'ｖｅｎｕｅ＿ｓｃａｎ' }), (r) => r.oneOf('source', Kind))).toEqual({ value: 'venue_scan', problems: [] });
    expect(read(reader({ source: 'ｖｅｎｕｅ' }), (r) => r.oneOf('source', Kind)).problems).toEqual(['source: "ｖｅｎｕｅ" is not one of the allowed values (venue_scan, telecom_stay)']);
  });

  it('reads whole numbers and decimals within their bounds, both ends included', () => {
    const int = (v: string, required = false) => read(reader({ dose: v }), (r) => r.int('dose', { required, min: 1, max: 10 }));
    expect(int('1')).toEqual({ value: 1, problems: [] });
    expect(int('10')).toEqual({ value: 10, problems: [] });
    expect(int('0').problems).toEqual(['dose: 0 is below 1']);
    expect(int('11').problems).toEqual(['dose: 11 is above 10']);
    expect(int('2.5').problems).toEqual(['dose: "2.5" is not a whole number']);
    expect(int('two').problems).toEqual(['dose: "two" is not a whole number']);
    expect(int('')).toEqual({ value: null, problems: [] });
    expect(int('', true)).toEqual({ value: null, problems: ['dose: required'] });
    expect(read(reader({ n: '-5' }), (r) => r.int('n')).value).toBe(-5);
    const num = (v: string) => read(reader({ lat: v }), (r) => r.num('lat', -90, 90));
    expect(num('-90')).toEqual({ value: -90, problems: [] });
    expect(num('90')).toEqual({ value: 90, problems: [] });
    expect(num('28.19')).toEqual({ value: 28.19, problems: [] });
    expect(num('90.0001').problems).toEqual(['lat: "90.0001" is not a number from -90 to 90']);
    expect(num('-90.0001').problems).toEqual(['lat: "-90.0001" is not a number from -90 to 90']);
    expect(num('Infinity').problems).toEqual(['lat: "Infinity" is not a number from -90 to 90']);
    expect(num('')).toEqual({ value: null, problems: [] });
  });

  it('reads an ID number with its check digit (x as X), its birth date no later than now, and a phone of 5 to 15 digits', () => {
    const id = idNumber(7);
    expect(read(reader({ id_number: id }), (r) => r.idNumber('id_number'))).toEqual({ value: id, problems: [] });
    const withX = ['11010519491231002X', '11010519491231002x'];
    expect(read(reader({ id_number: withX[1] }), (r) => r.idNumber('id_number'))).toEqual({ value: withX[0], problems: [] });
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(read(reader({ id_number: wrong }), (r) => r.idNumber('id_number')).problems).toEqual(['id_number: check digit does not match']);
    expect(read(reader({}), (r) => r.idNumber('id_number'))).toEqual({ value: null, problems: ['id_number: required'] });
    expect(read(reader({}), (r) => r.idNumber('id_number', false))).toEqual({ value: null, problems: [] });
    const born = idNumber(8, '20210820');
    expect(read(reader({ id_number: born }, {}, '2021-08-20 00:00'), (r) => r.idNumber('id_number')).problems).toEqual([]);
    expect(read(reader({ id_number: born }, {}, '2021-08-19 23:59'), (r) => r.idNumber('id_number')).problems).toEqual(['id_number: birth date inside the number is in the future']);
    const phone = (v: string) => read(reader({ phone: v }), (r) => r.phone('phone'));
    expect(phone('12345')).toEqual({ value: '12345', problems: [] });
    expect(phone('1'.repeat(15)).problems).toEqual([]);
    expect(phone('+8613800001111').problems).toEqual([]);
    expect(phone('1234').problems).toEqual(['phone: "1234" is not a phone number']);
    expect(phone('1'.repeat(16)).problems).toEqual([`phone: "${'1'.repeat(16)}" is not a phone number`]);
    expect(phone('138-0000-1111').problems).toEqual(['phone: "138-0000-1111" is not a phone number']);
    expect(phone('')).toEqual({ value: null, problems: [] });
  });

  it('takes a code only from its known set, naming what kind of code it is', () => {
    const known = new Set(['430102001001']);
    expect(read(reader({ community_code: '430102001001' }), (r) => r.known('community_code', known, 'community code'))).toEqual({ value: '430102001001', problems: [] });
    expect(read(reader({ community_code: '430102001999' }), (r) => r.known('community_code', known, 'community code')).problems).toEqual(['community_code: unknown community code "430102001999"']);
    expect(read(reader({}), (r) => r.known('community_code', known, 'community code')).problems).toEqual(['community_code: required']);
    expect(read(reader({}), (r) => r.known('grid_code', known, 'grid code', false))).toEqual({ value: null, problems: [] });
  });
});
