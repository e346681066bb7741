import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../../test/engines.ts';
import { personRow } from '../../../test/fixtures.ts';
import type { Store } from '../store.ts';

const H = 3600;
const NOW = 1_630_000_000;

describeEachEngine('arrival candidates of a grading', (engine) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ store, close } = await freshStore(engine));
    await store.persons.insertMany([1, 2, 3, 4, 5].map((i) => personRow(i)));
    const place = (code: string, regionCode: string) => ({ code, name: code, category: 'restaurant' as const, regionCode, lng: null, lat: null, status: 'open' as const, vehicleSetting: null });
    await store.places.insertMany([place('IN', '430102001001'), place('IN2', '430102001001'), place('NEXT', '430102001002'), place('AWAY', '430202')]);
    const id = async (code: string) => (await store.places.byCode(code))!.id;
    const stay = async (personId: number, code: string, start: number, end: number) => ({ personId, placeId: await id(code), start, end, source: 'venue_scan' as const, seat: null, carriage: null });
    await store.presence.insertMany([
      await stay(1, 'IN', NOW - 30 * H, NOW - 29 * H), await stay(1, 'AWAY', NOW - 5 * H, NOW - 4 * H), // left for another city
      await stay(2, 'IN', NOW - 30 * H, NOW - 29 * H), await stay(2, 'IN2', NOW - 5 * H, NOW - 4 * H), // stayed in the unit
      await stay(3, 'AWAY', NOW - 30 * H, NOW - 29 * H), await stay(3, 'IN', NOW - 5 * H, NOW - 4 * H), // elsewhere first, then came
      await stay(4, 'IN', NOW - 30 * H, NOW - 29 * H), await stay(4, 'NEXT', NOW - 5 * H, NOW - 4 * H), // the next community: outside
      await stay(5, 'IN', NOW - 40 * 24 * H, NOW - 40 * 24 * H + H), await stay(5, 'AWAY', NOW - 5 * H, NOW - 4 * H), // before the look-back
    ]);
  });
  afterEach(async () => close?.());

  it('are those seen in a graded unit and outside it afterwards, within the look-back; not those who stayed or came later', async () => {
    const from = NOW - 14 * 24 * H;
    expect((await store.codes.arrivalCandidates(['430102001001'], from, NOW)).sort()).toEqual([1, 4]);
    // A township holds both communities: the next community is inside it.
    expect((await store.codes.arrivalCandidates(['430102001'], from, NOW)).sort()).toEqual([1]);
    // Two units at once, each its own outside; nobody twice.
    expect((await store.codes.arrivalCandidates(['430102001001', '430102001002', '430102001001'], from, NOW)).sort()).toEqual([1, 4]);
    // Presence after `to` does not count yet.
    expect(await store.codes.arrivalCandidates(['430102001001'], from, NOW - 6 * H)).toEqual([]);
  });
});
