/**
 * A small province for the code benchmarks: N residents in one community, one confirmed case, and a share of the
 * residents traced from it (close contacts: red; companions: yellow); everyone else green. Fixed seed.
 */
import { loadEdition } from '../../src/domain/protocol/editions.ts';
import type { Region } from '../../src/domain/model/index.ts';
import { Random } from '../../src/synth/random.ts';
import type { Store } from '../../src/storage/store.ts';

export const REGIONS: Region[] = [
  { code: '43', name: '湖南省', level: 'province', parentCode: null, functionalZone: false },
  { code: '4301', name: '长沙市', level: 'city', parentCode: '43', functionalZone: false },
  { code: '430102', name: '芙蓉区', level: 'county', parentCode: '4301', functionalZone: false },
  { code: '430102001', name: '文艺路街道', level: 'township', parentCode: '430102', functionalZone: false },
  { code: '430102001001', name: '识字里社区居委会', level: 'community', parentCode: '430102001', functionalZone: false },
];

export const edition = loadEdition('ed8-delta-2021');

/** Inserts `persons` residents (ids 1..persons) and regions. */
export async function seedPersons(store: Store, persons: number): Promise<number[]> {
  await store.regions.insertMany(REGIONS);
  const rows = Array.from({ length: persons }, (_, i) => ({
    idHash: `bench-${String(i + 1).padStart(58, "0")}`, idMasked: '430***********0000', name: `居民${i + 1}`, sex: (i % 2 ? 'male' : 'female') as 'male' | 'female',
    birthDate: '1990-01-01', phone: null, householdId: null, communityCode: '430102001001', gridCode: null, occupation: null, createdAt: 1_627_000_000,
  }));
  for (let i = 0; i < rows.length; i += 5000) await store.persons.insertMany(rows.slice(i, i + 5000));
  return Array.from({ length: persons }, (_, i) => i + 1);
}

/**
 * Person 1 is a case confirmed at `now - 1 h`; a `redShare` of the others are its close contacts and a
 * `yellowShare` its companions (drawn with the seed). Returns the expected colour of every person.
 */
export async function seedContacts(store: Store, ids: number[], now: number, seed: number, redShare: number, yellowShare: number): Promise<Map<number, 'green' | 'yellow' | 'red'>> {
  const rnd = new Random(seed);
  await store.cases.insertMany([{
    caseNo: 'BENCH-1', personId: 1, kind: 'confirmed', onsetAt: now - 2 * 86400, sampledAt: now - 86400, confirmedAt: now - 3600, isolatedAt: now - 3600,
    severity: 'mild', hospitalPlaceId: null, outcome: 'in_treatment', detectedBy: 'symptoms',
  }]);
  const expected = new Map<number, 'green' | 'yellow' | 'red'>([[1, 'red']]);
  const contacts = [];
  for (const id of ids.slice(1)) {
    const u = rnd.next();
    const kind = u < redShare ? 'close' as const : u < redShare + yellowShare ? 'companion' as const : null;
    expected.set(id, kind === 'close' ? 'red' : kind === 'companion' ? 'yellow' : 'green');
    if (kind) contacts.push({ personId: id, kind, indexCaseId: 1, viaContactId: null, firstExposure: now - 30 * 3600, lastExposure: now - 28 * 3600, evidence: [], status: 'identified' as const, identifiedAt: now - 1800 });
  }
  for (let i = 0; i < contacts.length; i += 5000) await store.cases.insertContacts(contacts.slice(i, i + 5000));
  return expected;
}
