/**
 * Exposure events: a place and a time window where cases met (one infectious, others exposed), as Go.Data's events.
 * An event is a node of the chains: the cases exposed at one event form one cluster, named after its place, even when
 * no case-to-case link is known. Events come from the evidence of contact records between cases (presence and
 * investigators' trajectories), or are entered by an investigator (a gathering, a venue, a journey from an affected
 * area). Which settings make clusters of their own, which place categories are no exposure (a screening queue, a fever
 * clinic), how far apart two exposures at one place may be and still be one event, and how many cases make an event,
 * are the edition's `chains` section. Pure.
 */
import type { ProtocolEdition } from '../protocol/schema.ts';

/** One exposure between two cases at a place (seconds): the evidence of a contact record. */
export interface PlacedExposure { infector: number; infectee: number; placeId: number; setting: string; start: number; end: number }

/** The key of the exposure event an investigator entered with this id (`entered:<id>`). */
export const enteredEventKey = (id: number): string => `entered:${id}`;
/** The id of an investigator's exposure event from its key; null for a key of an event from evidence. */
export const enteredEventId = (key: string): number | null => (/^entered:\d+$/.test(key) ? Number(key.slice('entered:'.length)) : null);

/** An exposure event. `key` is stable: `place:<id>@<start>` for events from evidence, `entered:<id>` for an investigator's. */
export interface ExposureEvent {
  key: string;
  name: string;
  setting: string;
  placeId: number | null;
  start: number;
  end: number;
  /** Cases known to have been infectious there (an entered event's sources; for events from evidence, the traced index cases). */
  sources: number[];
  /** Cases exposed there (an investigator's list, or every case that met another case there). */
  exposed: number[];
  origin: 'evidence' | 'investigator';
}

/**
 * Events from exposures at places: per place, exposures whose windows overlap or lie at most `chains.eventGapHours`
 * apart are one event, for at most `chains.eventMaxDays` from its first exposure (a place busy every day, a market or
 * a ward, makes one event a fortnight, not one for ever); an event is kept when at least `chains.minCasesExposed` cases other than the first source
 * were exposed there and its most frequent setting is one of `chains.clusterSettings`. Exposures at places of
 * `chains.nonExposureCategories` are no events (the caller drops them: it knows the places' categories).
 * Returns the events and, per exposure (`infector>infectee@start`, see `exposureKey`), the key of its event.
 */
export function eventsFromExposures(exposures: readonly PlacedExposure[], placeName: (placeId: number) => string, chains: ProtocolEdition['chains']): { events: ExposureEvent[]; eventOfPair: Map<string, string> } {
  const gap = chains.eventGapHours * 3600, maxSpan = chains.eventMaxDays * 86400;
  const byPlace = new Map<number, PlacedExposure[]>();
  for (const x of exposures) {
    const xs = byPlace.get(x.placeId) ?? [];
    xs.push(x);
    byPlace.set(x.placeId, xs);
  }
  const events: ExposureEvent[] = [];
  const eventOfPair = new Map<string, string>();
  for (const [placeId, xs] of [...byPlace].sort((a, b) => a[0] - b[0])) {
    xs.sort((a, b) => a.start - b.start ||
      // Stryker disable next-line ArithmeticOperator: equivalent: exposures of one start make the same groups in any order (an event's start, end, cases and setting do not depend on it); these tie-breaks only fix the order of eventOfPair's entries, which callers read by key
      a.end - b.end || a.infector - b.infector || a.infectee - b.infectee);
    // Stryker disable next-line ArrayDeclaration: equivalent: the first exposure closes whatever the group held (groupEnd is -Infinity), and a group of anything but exposures has no setting among clusterSettings: no event
    let group: PlacedExposure[] = [];
    let groupEnd = -Infinity;
    const close = () => {
      if (group.length === 0) return;
      const cases = new Set(group.flatMap((x) => [x.infector, x.infectee]));
      const settings = new Map<string, number>();
      for (const x of group) settings.set(x.setting, (settings.get(x.setting) ?? 0) + 1);
      const setting = [...settings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
      // The cases exposed besides one source: an event of two cases is one link, not a cluster of its own.
      if (cases.size - 1 >= chains.minCasesExposed && (chains.clusterSettings as readonly string[]).includes(setting)) {
        const start = group[0].start;
        const key = `place:${placeId}@${start}`;
        events.push({
          key, name: placeName(placeId), setting, placeId, start, end: Math.max(...group.map((x) => x.end)),
          sources: [...new Set(group.map((x) => x.infector))].sort((a, b) => a - b), exposed: [...cases].sort((a, b) => a - b), origin: 'evidence',
        });
        for (const x of group) eventOfPair.set(exposureKey(x.infector, x.infectee, x.start), key);
      }
      group = [];
    };
    for (const x of xs) {
      if (x.start > groupEnd + gap || (
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: the group is never empty here (an empty one has groupEnd -Infinity, and the first test starts a group); the guard keeps group[0] from being read on an empty group. The directive also hides the `false` variant of the whole test and `group.length <= 0`, both killed by the maximum-span test in events.test.ts
        group.length > 0 &&
        x.start > group[0].start + maxSpan)) { close(); groupEnd = -Infinity; }
      group.push(x);
      groupEnd = Math.max(groupEnd, x.end);
    }
    close();
  }
  return { events, eventOfPair };
}

/** The key of one exposure: `infector>infectee@start` (seconds). */
export const exposureKey = (infector: number, infectee: number, start: number) => `${infector}>${infectee}@${start}`;

/**
 * The cluster of every case: cases joined to their source, where a case's source is the event it was exposed at or,
 * failing that, its infector. An investigator's event that lists the case as exposed comes first (of several, the one
 * that began first: a case is infected once, at its first exposure); then the event of the exposure by which its
 * infector infected it (`eventOfPair`, by the start of that exposure, `exposureStart`), when at least `minCasesExposed` cases were so infected at that event; then its
 * infector. An event's source cases that have no source of their own
 * (an imported case, the first case of an outbreak) belong to the event's cluster; a source with a source of its own
 * stays in its own cluster, and the event starts a cluster of its own below it. Returns the cluster number of every
 * case (0, 1, ..., numbered by first case) and the event each case was assigned to, if any.
 */
export function clustersWithEvents(caseIds: readonly number[], infectorOf: ReadonlyMap<number, number | null>, events: readonly ExposureEvent[], eventOfPair: ReadonlyMap<string, string>, minCasesExposed: number, exposureStart: ReadonlyMap<number, number | undefined>): { cluster: Map<number, number>; eventOf: Map<number, string> } {
  const known = new Set(caseIds);
  const entered = [...events].filter((e) => e.origin === 'investigator').sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
  const eventOf = new Map<number, string>();
  for (const e of entered) for (const id of e.exposed) if (known.has(id) && !eventOf.has(id)) eventOf.set(id, e.key);
  const byPair = new Map<string, number[]>();
  for (const id of caseIds) {
    const inf = infectorOf.get(id) ?? null;
    if (eventOf.has(id) ||
      // Stryker disable next-line ConditionalExpression: equivalent: the key of a null infector (`null>id@start`) names no exposure in eventOfPair
      inf === null) continue;
    const at = exposureStart.get(id);
    // Stryker disable next-line ConditionalExpression: the `false` variant is equivalent: the key of an unknown start (`infector>id@undefined`) names no exposure in eventOfPair; the directive also hides the `true` variant, which events.test.ts and chains.test.ts kill
    const e = at === undefined ? undefined : eventOfPair.get(exposureKey(inf, id, at));
    if (e) byPair.set(e, [...(byPair.get(e) ?? []), id]);
  }
  // An event from evidence is a cluster of its own only when enough of its cases were infected there (as inferred).
  for (const [e, ids] of byPair) if (ids.length >= minCasesExposed) for (const id of ids) eventOf.set(id, e);
  // Union-find over case ids and event keys.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    // Path compression: a long chain of infectors is walked once, not once per case.
    // Stryker disable next-line ConditionalExpression: equivalent: path compression only shortens later walks to the same root (the directive also hides `true` for `x !== r`, which loops for ever at a case that is its own root)
    while (x !== r && parent.has(x)) { const next = parent.get(x)!; parent.set(x, r); x = next; }
    return r;
  };
  const union = (a: string, b: string) => {
    // Stryker disable next-line ConditionalExpression: the `false` variant is equivalent: find() reads a key without a parent as its own root; the directive also hides the `true` variant (a joined node cut from its tree), which chains.test.ts kills
    if (!parent.has(a)) parent.set(a, a);
    // Stryker disable next-line ConditionalExpression: the `false` variant is equivalent: see above; the `true` variant, hidden with it, is killed by events.test.ts and chains.test.ts
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a), rb = find(b);
    // Stryker disable next-line ConditionalExpression: the `true` variant is equivalent: a root joined to itself keeps itself as parent; the directive also hides the `false` variant (no join), which chains.test.ts kills
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const id of caseIds) parent.set(
    // Stryker disable next-line StringLiteral: equivalent: find() reads a case without a parent as its own root, so the line only spells that out
    `c${id}`,
    `c${id}`);
  const hasSource = (id: number) => eventOf.has(id) || (
    // Stryker disable next-line ConditionalExpression: the `true` variant of the null test is equivalent: the cases are ids, never null (the test is for the type checker); the directive also hides the `false` variant of the whole test, which events.test.ts kills
    (infectorOf.get(id) ?? null) !== null &&
    known.has(infectorOf.get(id)!));
  for (const id of caseIds) {
    const e = eventOf.get(id);
    if (e) { union(`c${id}`, `e${e}`); continue; }
    const inf = infectorOf.get(id) ?? null;
    if (
      // Stryker disable next-line ConditionalExpression: the `true` variant of the null test is equivalent: the cases are ids, never null (the test is for the type checker); the directive also hides the `true` and `false` variants of the whole test, which events.test.ts kills
      inf !== null &&
      known.has(inf)) union(`c${inf}`, `c${id}`);
  }
  const used = new Set(eventOf.values());
  for (const e of events) {
    if (!used.has(e.key)) continue;
    for (const s of e.sources) if (known.has(s) && !hasSource(s)) union(`e${e.key}`, `c${s}`);
  }
  const number = new Map<string, number>();
  const cluster = new Map<number, number>();
  for (const id of caseIds) {
    const r = find(`c${id}`);
    if (!number.has(r)) number.set(r, number.size);
    cluster.set(id, number.get(r)!);
  }
  return { cluster, eventOf };
}
