/**
 * A small province for the code benchmarks: N residents in one community, one confirmed case, and a share of the
 * residents traced from it (close contacts: red; companions: yellow); everyone else green. Fixed seed.
 */
import { loadEdition } from '../../src/domain/protocol/editions.ts';
import { MINI_REGIONS, personRow } from '../../test/fixtures.ts';
import { Random } from '../../src/synth/random.ts';
import type { Store } from '../../src/storage/store.ts';
import type { NewPerson } from '../../src/storage/sql/people.ts';


export const edition = loadEdition('ed8-delta-2021');

/** Inserts the fixture's regions and `persons` residents (ids 1..persons); `overrides(id)` changes any field of one. */
export async function seedPersons(store: Store, persons: number, overrides: (id: number) => Partial<NewPerson> = () => ({})): Promise<number[]> {
  await store.regions.insertMany(MINI_REGIONS);
  const rows = Array.from({ length: persons }, (_, i) => personRow(i + 1, { sex: i % 2 ? 'male' : 'female', ...overrides(i + 1) }));
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
