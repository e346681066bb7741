/** Small builders for tests: valid ID numbers and a minimal region tree. */
import { idCheckChar } from '../src/domain/identity.ts';
import type { Region } from '../src/domain/model/index.ts';
import type { NewPerson } from '../src/storage/sql/people.ts';

/** A valid ID number: a Changsha county prefix, a birth date, a sequence number and the right check digit. */
export function idNumber(seq: number, birth = '19900101', county = '430102'): string {
  const first17 = `${county}${birth}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** Province, Changsha, Furong district, one street, two communities and a grid. */
export const MINI_REGIONS: Region[] = [
  { code: '43', name: '湖南省', level: 'province', parentCode: null, functionalZone: false },
  { code: '4301', name: '长沙市', level: 'city', parentCode: '43', functionalZone: false },
  { code: '430102', name: '芙蓉区', level: 'county', parentCode: '4301', functionalZone: false },
  { code: '430102001', name: '文艺路街道', level: 'township', parentCode: '430102', functionalZone: false },
  { code: '430102001001', name: '识字里社区居委会', level: 'community', parentCode: '430102001', functionalZone: false },
  { code: '430102001002', name: '文艺新村社区居委会', level: 'community', parentCode: '430102001', functionalZone: false },
  { code: '43010200100101', name: '识字里社区居委会第1网格', level: 'grid', parentCode: '430102001001', functionalZone: false },
];

/**
 * A resident of the fixture's first community for tests and benchmarks that write persons directly: a distinct id
 * hash from `i` (its 8 digits, 8 times), so ids 1, 2, ... follow the order of insertion; `overrides` change any field.
 */
export function personRow(i: number, overrides: Partial<NewPerson> = {}): NewPerson {
  return {
    idHash: String(i).padStart(8, '0').repeat(8), idMasked: `430***********000${i}`, name: `居民${i}`, sex: 'female', birthDate: '1990-01-01', phone: null,
    householdId: null, communityCode: '430102001001', gridCode: null, occupation: null, createdAt: 1_627_000_000, ...overrides,
  };
}

/**
 * When China time is less than `minutes` before midnight, waits until just after it, and says how long it waited (ms).
 * A test whose figures are "today's" or "yesterday's" (new cases today, yesterday's bulletin, the days before today)
 * is then not run across a change of China day, which would change them under it. A hook or test calling it needs a
 * timeout `minutes` longer than its own.
 */
export async function clearOfChinaMidnight(minutes: number): Promise<number> {
  const day = 86_400_000;
  const untilMidnight = day - ((Date.now() + 8 * 3_600_000) % day);
  if (untilMidnight > minutes * 60_000) return 0;
  const wait = untilMidnight + 5_000;
  await new Promise((resolve) => setTimeout(resolve, wait));
  return wait;
}
