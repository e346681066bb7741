import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, freshStore } from '../../test/engines.ts';
import type { Store } from '../storage/store.ts';
import { initRegions } from './initRegions.ts';

describeEachEngine('initRegions', (engine) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => ({ store, close } = await freshStore(engine)));
  afterAll(async () => close?.());

  it("loads Hunan's real division tree and grids, once", async () => {
    const counts = await initRegions({ store, gridsPerCommunity: 2 });
    expect(counts).toEqual({ province: 1, city: 14, county: 134, township: 2008, community: 29534, grid: 59068 });
    const xiangtan = await store.regions.list({ level: 'county', parentCode: '4303' }, { limit: 50 });
    expect(xiangtan.items.filter((r) => !r.functionalZone).map((r) => r.name)).toContain('韶山市');
    expect(xiangtan.items.filter((r) => r.functionalZone).map((r) => r.code)).toEqual(['430371', '430372', '430373']);
    expect(await initRegions({ store, gridsPerCommunity: 2 })).toEqual(counts);
    expect((await store.regions.get('43010200100101'))?.name).toBe('识字里社区居委会第1网格');
  });

  it('counts 122 county-level administrative divisions once functional zones are set aside', async () => {
    await initRegions({ store, gridsPerCommunity: 2 }); // loads once, whichever test runs first
    let all: { functionalZone: boolean }[] = [];
    let after: number | undefined;
    do {
      const page = await store.regions.list({ level: 'county' }, { after, limit: 100 });
      all = all.concat(page.items);
      after = page.nextAfter ?? undefined;
    } while (after);
    expect(all.filter((r) => !r.functionalZone)).toHaveLength(122);
  });
});
