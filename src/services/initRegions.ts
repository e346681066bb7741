/**
 * Loads Hunan's real division tree and generated grids into the store, once: a second call finds them there and
 * changes nothing. Returns the number of regions at each level.
 */
import type { Store } from '../storage/store.ts';
import { gridsFor, readDivisions } from './divisions.ts';

export async function initRegions(props: { store: Store; gridsPerCommunity: number }): Promise<Record<string, number>> {
  const { store, gridsPerCommunity } = props;
  if ((await store.meta.get('regions_loaded')) !== '1') {
    const divisions = await readDivisions();
    const grids = gridsFor(divisions.filter((r) => r.level === 'community'), gridsPerCommunity);
    await store.transaction(async (tx) => {
      await tx.regions.insertMany(divisions);
      await tx.regions.insertMany(grids);
      await tx.meta.set('regions_loaded', '1');
    });
  }
  return store.regions.countByLevel();
}
