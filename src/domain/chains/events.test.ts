import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { clustersWithEvents, eventsFromExposures, exposureKey, type ExposureEvent, type PlacedExposure } from './events.ts';
import { sharedPlaceExposures } from './shared.ts';

const edition = loadEdition('ed8-delta-2021');
const H = 3600, D = 86400;
const x = (infector: number, infectee: number, placeId: number, start: number, setting = 'dining_entertainment'): PlacedExposure => ({ infector, infectee, placeId, setting, start, end: start + 2 * H });

describe('exposure events from exposures at places', () => {
  it('groups exposures at one place within the edition\'s gap, keeps events of enough cases in a cluster setting, and maps each exposure to its event', () => {
    const gap = edition.chains.eventGapHours * H;
    const xs = [
      x(1, 2, 7, 0), x(1, 3, 7, H), x(1, 4, 7, 2 * H + gap), // one event at place 7: the last within the gap of the second's end
      x(1, 5, 7, 10 * D), // ten days later at place 7: one case exposed, no event
      x(8, 9, 3, 0, 'household'), x(8, 10, 3, 0, 'household'), // a household of three: its spread stays in its infector's cluster
    ];
    const { events, eventOfPair } = eventsFromExposures(xs, (id) => `place ${id}`, edition.chains);
    expect(events).toEqual([{ key: 'place:7@0', name: 'place 7', setting: 'dining_entertainment', placeId: 7, start: 0, end: 4 * H + gap, sources: [1], exposed: [1, 2, 3, 4], origin: 'evidence' }]);
    expect(eventOfPair.get(exposureKey(1, 4, 2 * H + gap))).toBe('place:7@0');
    expect(eventOfPair.has(exposureKey(1, 5, 10 * D))).toBe(false);
    expect(eventOfPair.has(exposureKey(8, 9, 0))).toBe(false);
  });

  it('cuts a cluster at an event: the exposed form one cluster with a source that has no source of its own, apart from a source that has', () => {
    // 1 (imported, root) infected 2 at home; 2 hosted a dinner (event E) where 3 and 4 were infected; 5 (root) and 6 met at
    // an investigator's event F whose source 5 has no source: 5 joins F. 7 was listed at F too, and also at G (later).
    const infectorOf = new Map<number, number | null>([[1, null], [2, 1], [3, 2], [4, 2], [5, null], [6, null], [7, null]]);
    const E: ExposureEvent = { key: 'place:9@0', name: 'dinner', setting: 'dining_entertainment', placeId: 9, start: 0, end: H, sources: [2], exposed: [2, 3, 4], origin: 'evidence' };
    const F: ExposureEvent = { key: 'entered:1', name: 'F', setting: 'manual', placeId: null, start: 0, end: H, sources: [5], exposed: [6, 7], origin: 'investigator' };
    const G: ExposureEvent = { key: 'entered:2', name: 'G', setting: 'manual', placeId: null, start: D, end: D + H, sources: [], exposed: [7], origin: 'investigator' };
    const eventOfPair = new Map([[exposureKey(2, 3, 0), E.key], [exposureKey(2, 4, 0), E.key]]);
    const start = new Map<number, number | undefined>([[3, 0], [4, 0]]);
    const { cluster, eventOf } = clustersWithEvents([1, 2, 3, 4, 5, 6, 7], infectorOf, [E, F, G], eventOfPair, 2, start);
    expect(cluster.get(1)).toBe(cluster.get(2));
    expect(cluster.get(3)).toBe(cluster.get(4));
    expect(cluster.get(3)).not.toBe(cluster.get(2)); // 2 has a source (1): the dinner is a cluster of its own
    expect(new Set([5, 6, 7].map((id) => cluster.get(id)))).toEqual(new Set([cluster.get(5)]));
    expect(eventOf.get(7)).toBe('entered:1'); // the first event that began
    // With one case infected there the dinner is no cluster: 3 follows 2.
    const one = clustersWithEvents([1, 2, 3, 4], new Map([[1, null], [2, 1], [3, 2], [4, null]]), [E], eventOfPair, 2, start);
    expect(one.cluster.get(3)).toBe(one.cluster.get(2));
    expect(one.eventOf.has(3)).toBe(false);
  });
});

describe('shared places of cases', () => {
  const windows = new Map([[1, { from: 0, to: 20 * D }], [2, { from: 0, to: 20 * D }], [3, { from: 5 * D, to: 20 * D }]]);

  it('pairs overlapping records at one place each way, clipped to both windows; a fever clinic and a short cell overlap are none', () => {
    const out = sharedPlaceExposures([
      { caseId: 1, placeId: 4, category: 'restaurant', start: D, end: D + 3 * H },
      { caseId: 2, placeId: 4, category: 'restaurant', start: D + H, end: D + 5 * H },
      { caseId: 3, placeId: 4, category: 'restaurant', start: D, end: D + 3 * H }, // before case 3's window
      { caseId: 1, placeId: 5, category: 'clinic', start: 2 * D, end: 2 * D + H },
      { caseId: 2, placeId: 5, category: 'clinic', start: 2 * D, end: 2 * D + H },
      { caseId: 1, placeId: 6, category: 'telecom_cell', start: 3 * D, end: 3 * D + 9 * H },
      { caseId: 2, placeId: 6, category: 'telecom_cell', start: 3 * D + 9 * H - (edition.companion.minOverlapMinutes - 1) * 60, end: 3 * D + 10 * H },
    ], windows, edition);
    expect(out).toEqual([
      { infector: 1, infectee: 2, placeId: 4, setting: 'dining_entertainment', start: D + H, end: D + 3 * H },
      { infector: 2, infectee: 1, placeId: 4, setting: 'dining_entertainment', start: D + H, end: D + 3 * H },
    ]);
  });

  it('counts cell overlaps between cases of the companion rule\'s minutes each when they add up to the edition\'s minutes between cases', () => {
    // 40-minute overlaps with a threshold of 60 minutes: one is no shared place, two are (each way).
    const ed = { ...edition, chains: { ...edition.chains, caseCellMinMinutes: 60 } };
    const meal = (d: number, minutes: number) => [1, 2].map((caseId) => ({ caseId, placeId: 6, category: 'telecom_cell', start: d * D, end: d * D + minutes * 60 }));
    expect(sharedPlaceExposures(meal(1, 40), windows, ed)).toEqual([]);
    const two = sharedPlaceExposures([...meal(1, 40), ...meal(2, 40)], windows, ed);
    expect(two).toHaveLength(4);
    expect(two.every((e) => e.setting === 'companion_cell' && e.placeId === 6)).toBe(true);
    expect(new Set(two.map((e) => `${e.infector}>${e.infectee}`))).toEqual(new Set(['1>2', '2>1']));
    // Overlaps shorter than the companion rule's minimum do not add up, however many.
    const short = edition.companion.minOverlapMinutes - 1;
    expect(sharedPlaceExposures(Array.from({ length: 10 }, (_, d) => meal(d, short)).flat(), windows, ed)).toEqual([]);
    // The edition's own threshold: one overlap of it between two cases is a lead.
    expect(sharedPlaceExposures(meal(1, edition.chains.caseCellMinMinutes), windows, edition)).toHaveLength(2);
  });
});
