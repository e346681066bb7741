import { describe, expect, it } from 'vitest';
import { loadEdition } from '../protocol/editions.ts';
import { clustersWithEvents, enteredEventId, enteredEventKey, eventsFromExposures, exposureKey, type ExposureEvent, type PlacedExposure } from './events.ts';
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

describe('exposure events at their edges', () => {
  const name = (id: number) => `place ${id}`;

  it('keeps in one event an exposure that starts exactly the edition\'s gap after the event\'s last end, not a second later', () => {
    const gap = edition.chains.eventGapHours * H;
    // A dinner at place 7 ends at 2 h; the next meal there starts the gap later: one event of three cases.
    const atGap = eventsFromExposures([x(1, 2, 7, 0), x(1, 3, 7, 2 * H + gap)], name, edition.chains);
    expect(atGap.events).toEqual([{ key: 'place:7@0', name: 'place 7', setting: 'dining_entertainment', placeId: 7, start: 0, end: 4 * H + gap, sources: [1], exposed: [1, 2, 3], origin: 'evidence' }]);
    // A second later they are two exposures of one case each: no event.
    expect(eventsFromExposures([x(1, 2, 7, 0), x(1, 3, 7, 2 * H + gap + 1)], name, edition.chains).events).toEqual([]);
  });

  it('ends an event at a busy place the edition\'s maximum span after its first exposure: a case exposed exactly then is still in it', () => {
    // A market where case 1 infects one case a day, every day from day 0 to day 16: always within the gap of the day before.
    const maxDays = edition.chains.eventMaxDays;
    const daily = Array.from({ length: maxDays + 3 }, (_, d) => x(1, 100 + d, 5, d * D, 'general'));
    const { events, eventOfPair } = eventsFromExposures(daily, name, edition.chains);
    expect(events.map((e) => ({ key: e.key, start: e.start, end: e.end, exposed: e.exposed }))).toEqual([
      { key: 'place:5@0', start: 0, end: maxDays * D + 2 * H, exposed: [1, ...Array.from({ length: maxDays + 1 }, (_, d) => 100 + d)] },
      { key: `place:5@${(maxDays + 1) * D}`, start: (maxDays + 1) * D, end: (maxDays + 2) * D + 2 * H, exposed: [1, 100 + maxDays + 1, 100 + maxDays + 2] },
    ]);
    expect(eventOfPair.get(exposureKey(1, 100 + maxDays, maxDays * D))).toBe('place:5@0');
    expect(eventOfPair.get(exposureKey(1, 100 + maxDays + 1, (maxDays + 1) * D))).toBe(`place:5@${(maxDays + 1) * D}`);
  });

  it('makes an event of exactly the edition\'s minimum of cases exposed besides the source, not one fewer', () => {
    const n = edition.chains.minCasesExposed;
    const meal = (count: number) => Array.from({ length: count }, (_, i) => x(1, 2 + i, 7, i * H));
    expect(eventsFromExposures(meal(n), name, edition.chains).events.map((e) => e.exposed)).toEqual([Array.from({ length: n + 1 }, (_, i) => 1 + i)]);
    expect(eventsFromExposures(meal(n - 1), name, edition.chains).events).toEqual([]);
  });

  it('starts an event at its earliest exposure, even when a later one ended first', () => {
    const long = { ...x(1, 2, 7, 0), end: 10 * H }, short = x(1, 3, 7, H);
    const { events } = eventsFromExposures([long, short], name, edition.chains);
    expect(events.map((e) => [e.key, e.start, e.end])).toEqual([['place:7@0', 0, 10 * H]]);
  });

  it('gives the same events whatever order the exposures come in: by place, then by time', () => {
    const inOrder = [x(6, 7, 3, 0), x(6, 8, 3, H), x(1, 5, 7, 0), x(1, 4, 7, H), x(1, 3, 7, 5 * D), x(1, 2, 7, 5 * D + H)];
    const expected = [
      { key: 'place:3@0', start: 0, exposed: [6, 7, 8] },
      { key: 'place:7@0', start: 0, exposed: [1, 4, 5] },
      { key: `place:7@${5 * D}`, start: 5 * D, exposed: [1, 2, 3] },
    ];
    const brief = (xs: PlacedExposure[]) => eventsFromExposures(xs, name, edition.chains).events.map((e) => ({ key: e.key, start: e.start, exposed: e.exposed }));
    expect(brief(inOrder)).toEqual(expected);
    expect(brief([...inOrder].reverse())).toEqual(expected);
    expect(brief([inOrder[4], inOrder[1], inOrder[5], inOrder[2], inOrder[0], inOrder[3]])).toEqual(expected);
  });

  it('lists an event\'s sources and exposed cases by case number', () => {
    // Three traced index cases at one wedding, each with a guest of its own.
    const { events } = eventsFromExposures([x(9, 3, 7, 0), x(2, 8, 7, H), x(5, 4, 7, 2 * H)], name, edition.chains);
    expect(events.map((e) => [e.sources, e.exposed])).toEqual([[[2, 5, 9], [2, 3, 4, 5, 8, 9]]]);
  });

  it('takes an event\'s setting from most of its exposures: a household where one guest dined is no cluster, a workplace with one household contact is', () => {
    const home = [x(1, 2, 4, 0, 'dining_entertainment'), x(1, 3, 4, H, 'household'), x(1, 4, 4, 2 * H, 'household')];
    const office = [x(6, 7, 5, 0, 'household'), x(6, 8, 5, H, 'work_study'), x(6, 9, 5, 2 * H, 'work_study')];
    const { events } = eventsFromExposures([...home, ...office], name, edition.chains);
    expect(events.map((e) => [e.key, e.setting])).toEqual([['place:5@0', 'work_study']]);
  });

  it('settles a tie between settings by name, whichever exposure came first', () => {
    const a = eventsFromExposures([x(1, 2, 4, 0, 'work_study'), x(1, 3, 4, H, 'dining_entertainment')], name, edition.chains).events;
    const b = eventsFromExposures([x(1, 2, 4, 0, 'dining_entertainment'), x(1, 3, 4, H, 'work_study')], name, edition.chains).events;
    expect([a.map((e) => e.setting), b.map((e) => e.setting)]).toEqual([['dining_entertainment'], ['dining_entertainment']]);
  });
});

describe('clusters cut at exposure events, at their edges', () => {
  const evidence = (key: string, sources: number[], exposed: number[]): ExposureEvent => ({ key, name: key, setting: 'dining_entertainment', placeId: 9, start: 0, end: H, sources, exposed, origin: 'evidence' });
  const entered = (key: string, start: number, sources: number[], exposed: number[]): ExposureEvent => ({ key, name: key, setting: 'manual', placeId: null, start, end: start + H, sources, exposed, origin: 'investigator' });
  const atZero = (ids: number[]) => new Map<number, number | undefined>(ids.map((id) => [id, 0]));

  it('keeps a case at the investigator\'s event that lists it, even when inferred infected at an event from evidence', () => {
    // Case 1 infected 2, 3 and 4 at a dinner (from evidence); an investigator lists 4 at a funeral (entered).
    const dinner = evidence('place:9@0', [1], [1, 2, 3, 4]), funeral = entered('entered:1', D, [], [4]);
    const pairs = new Map([2, 3, 4].map((id) => [exposureKey(1, id, 0), dinner.key]));
    const infectorOf = new Map<number, number | null>([[1, null], [2, 1], [3, 1], [4, 1]]);
    const { eventOf } = clustersWithEvents([1, 2, 3, 4], infectorOf, [dinner, funeral], pairs, 2, atZero([2, 3, 4]));
    expect([...eventOf].sort((a, b) => a[0] - b[0])).toEqual([[2, 'place:9@0'], [3, 'place:9@0'], [4, 'entered:1']]);
  });

  it('assigns a case listed at two investigator\'s events to the one that began first, whatever order they are listed in', () => {
    const later = entered('entered:1', 5 * D, [], [7]), earlier = entered('entered:2', 2 * D, [], [7]);
    const infectorOf = new Map<number, number | null>([[7, null]]);
    for (const events of [[later, earlier], [earlier, later]]) {
      expect(clustersWithEvents([7], infectorOf, events, new Map(), 2, new Map()).eventOf.get(7)).toBe('entered:2');
    }
    // Two that began at once: the same one whichever is listed first.
    const a = entered('entered:3', D, [], [7]), b = entered('entered:4', D, [], [7]);
    const first = clustersWithEvents([7], infectorOf, [a, b], new Map(), 2, new Map()).eventOf.get(7);
    expect(clustersWithEvents([7], infectorOf, [b, a], new Map(), 2, new Map()).eventOf.get(7)).toBe(first);
  });

  it('assigns no event to cases infected at home, at no event: they stay in their infector\'s cluster', () => {
    const infectorOf = new Map<number, number | null>([[1, null], [2, 1], [3, 1]]);
    const { cluster, eventOf } = clustersWithEvents([1, 2, 3], infectorOf, [], new Map(), 2, atZero([2, 3]));
    expect(eventOf.size).toBe(0);
    expect([...cluster.values()]).toEqual([0, 0, 0]);
  });

  it('joins no cluster through an infector that is not among the cases', () => {
    // Cases 3 and 4 were infected by case 99, which is not among these cases (another region's case, not shown).
    const { cluster } = clustersWithEvents([3, 4], new Map([[3, 99], [4, 99]]), [], new Map(), 2, atZero([3, 4]));
    expect([...cluster]).toEqual([[3, 0], [4, 1]]);
    // Two cases with no infector known are two clusters too.
    expect([...clustersWithEvents([5, 6], new Map([[5, null], [6, null]]), [], new Map(), 2, new Map()).cluster]).toEqual([[5, 0], [6, 1]]);
  });

  it('puts an event\'s source whose infector is not among the cases in the event\'s cluster, as a source with no source', () => {
    const dinner = evidence('place:9@0', [5], [5, 6, 7]);
    const pairs = new Map([6, 7].map((id) => [exposureKey(5, id, 0), dinner.key]));
    const { cluster } = clustersWithEvents([5, 6, 7], new Map([[5, 99], [6, 5], [7, 5]]), [dinner], pairs, 2, atZero([6, 7]));
    expect([...cluster.values()]).toEqual([0, 0, 0]);
  });

  it('does not join the sources of an event too few were infected at', () => {
    // Cases 1 and 5 (no source of their own) were at a dinner; only case 3 was infected there (by 1): no cluster of its own.
    const dinner = evidence('place:9@0', [1, 5], [1, 3, 5]);
    const pairs = new Map([[exposureKey(1, 3, 0), dinner.key]]);
    const { cluster, eventOf } = clustersWithEvents([1, 3, 5], new Map([[1, null], [3, 1], [5, null]]), [dinner], pairs, 2, atZero([3]));
    expect(eventOf.size).toBe(0);
    expect([...cluster]).toEqual([[1, 0], [3, 0], [5, 1]]);
  });
});

describe('the key of an investigator\'s exposure event', () => {
  it('carries its id there and back, and no id for an event from evidence or a key that is not whole', () => {
    expect(enteredEventKey(42)).toBe('entered:42');
    expect(enteredEventId(enteredEventKey(42))).toBe(42);
    expect(enteredEventId('place:7@1627776000')).toBeNull();
    for (const bad of ['entered:', 'entered:4x', 'xentered:4', 'entered:4:5']) expect(enteredEventId(bad), bad).toBeNull();
  });
});
