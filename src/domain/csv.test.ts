import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { chainsCsv, type Chain } from './chains/chains.ts';
import { spreadsheetSafe, toCsv } from './csv.ts';

/** The field case's chains: BH-A infected BH-B and `BH-E,7` (a case number with a comma) at the KTV. */
const CASE_NOS = new Map([[1, 'BH-A'], [2, 'BH-B'], [3, 'BH-E,7']]);
const KTV_CHAIN: Chain = {
  id: 4, name: 'BH-A cluster (dining or entertainment at 星光KTV)', naming: { firstCase: 'BH-A', single: false, setting: 'dining_entertainment', place: '星光KTV' }, caseIds: [1, 2, 3], roots: [1], generations: 2, sourceUnknown: 0,
  firstOnset: 0, lastConfirmed: 0, active: false, events: [], sourceLinks: [], exposedAt: [],
  links: [{ infector: 1, infectee: 2, score: -1.48, probability: 0.62, byInvestigator: false, warnings: [] }, { infector: 1, infectee: 3, score: -1.69, probability: 0.514, byInvestigator: false, warnings: [] }],
};

describe('CSV for people', () => {
  it('export-csv-escaping: a case number with a comma is quoted and keeps every column in place; scores and probabilities stay numbers', () => {
    const csv = chainsCsv([KTV_CHAIN], (id) => CASE_NOS.get(id)!, 'en');
    expect(csv.split('\n')[2]).toBe('BH-A,"BH-E,7",4,BH-A cluster (dining or entertainment at 星光KTV),4,-1.69,0.514,false,');
    const rows = parse(csv) as string[][];
    expect(rows.map((r) => r.length)).toEqual([9, 9, 9]);
    expect(rows[2]).toEqual(['BH-A', 'BH-E,7', '4', 'BH-A cluster (dining or entertainment at 星光KTV)', '4', '-1.69', '0.514', 'false', '']);
    // Chinese first: the cluster's name in Chinese unless English is asked for; a comma of its own is quoted.
    const zh = parse(chainsCsv([KTV_CHAIN], (id) => CASE_NOS.get(id)!)) as string[][];
    expect(zh[2]).toEqual(['BH-A', 'BH-E,7', '4', 'BH-A 聚集（星光KTV，同餐饮娱乐）', '4', '-1.69', '0.514', 'false', '']);
  });

  it('export-csv-escaping: text that a spreadsheet would run as a formula is made inert, numbers are not touched', () => {
    const chain = { ...KTV_CHAIN, naming: { firstCase: '=HYPERLINK("http://x","y")', single: false, setting: null, place: null }, links: [{ infector: 1, infectee: 2, score: null, probability: null, byInvestigator: true, warnings: [] }] };
    const rows = parse(chainsCsv([chain], (id) => ['', '+86 13907350099', '@SUM(A1)'][id])) as string[][];
    expect(rows[1]).toEqual(["'+86 13907350099", "'@SUM(A1)", '4', `'=HYPERLINK("http://x","y") 聚集`, '4', '', '', 'true', '']);
  });

  it('quotes commas, quotes and line breaks of every kind (RFC 4180) and writes empty fields for nothing', () => {
    const csv = toCsv(['a', 'b', 'c', 'd', 'e', 'f'], [['x,y', 'say "hi"', 'two\nlines', 'cr\rhere', null, undefined], [1.5, -2, 0, true, false, '']]);
    expect(csv).toBe('a,b,c,d,e,f\n"x,y","say ""hi""","two\nlines","cr\rhere",,\n1.5,-2,0,true,false,\n');
    expect(parse(csv)).toEqual([['a', 'b', 'c', 'd', 'e', 'f'], ['x,y', 'say "hi"', 'two\nlines', 'cr\rhere', '', ''], ['1.5', '-2', '0', 'true', 'false', '']]);
  });

  it('prefixes text starting with =, +, -, @, tab or carriage return, and quotes the result when it needs quotes', () => {
    expect(['=1+2', '+1', '-1.48', '@x', '\tx', '\rx', 'a=b', '1-2', ''].map(spreadsheetSafe)).toEqual(["'=1+2", "'+1", "'-1.48", "'@x", "'\tx", "'\rx", 'a=b', '1-2', '']);
    expect(toCsv(['v'], [['=A1,B1'], [-1.48]])).toBe(`v\n"'=A1,B1"\n-1.48\n`);
  });
});
