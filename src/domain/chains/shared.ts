/**
 * Shared places: where two cases were present at one place at one time within the source investigation's look-back
 * (`investigation.lookBackDaysBeforeOnset` before the later case's onset, to its isolation), as investigators look for
 * where a case was infected (时空交集). A contact record is found only inside the tracing window (a few days before
 * onset); a case infected at a banquet a week before the case who infected it fell ill is found here. Records at
 * the edition's `chains.nonExposureCategories` are no shared place. Telecom cells are hundreds of metres wide: two
 * cases' overlaps there count only when each lasts the companion rule's `minOverlapMinutes` and they add up to
 * `chains.caseCellMinMinutes` in the window (far below a companion's cumulative hours: among a few confirmed cases a
 * meal in one cell is a lead, among a city's residents it is not), which finds meals, coworkers and households that no
 * venue feed saw, with the setting `companion_cell`. Pure: records in, exposures between cases out (each way).
 */
import type { ProtocolEdition } from '../protocol/schema.ts';
import type { PlacedExposure } from './events.ts';
import type { Exposure } from './infector.ts';
import type { ContactSetting } from '../vocab.ts';

/** A presence record of a case's person: the case it belongs to (its episode), the place and its category (seconds). */
export interface CaseRecord { caseId: number; placeId: number; category: string; start: number; end: number }
/** The window of each case whose records count (seconds): from its look-back before onset to its isolation. */
export interface CaseWindow { from: number; to: number }

/** Per place, each pair of records of two cases that overlap (within both cases' windows), as exposures each way. */
export function sharedPlaceExposures(records: readonly CaseRecord[], windows: ReadonlyMap<number, CaseWindow>, edition: ProtocolEdition): PlacedExposure[] {
  const byCategory: Readonly<Record<string, string>> = edition.closeContact.settingByCategory;
  // Stryker disable next-line StringLiteral: unreachable from consistent input: the edition's schema names a setting for every place category, and places are stored with one of them
  const settingOf = (category: string) => byCategory[category] ?? 'general';
  const skip = new Set<string>(edition.chains.nonExposureCategories);
  const byPlace = new Map<number, CaseRecord[]>();
  for (const r of records) {
    if (skip.has(r.category)) continue;
    const w = windows.get(r.caseId);
    if (!w) continue;
    const start = Math.max(r.start, w.from), end = Math.min(r.end, w.to);
    if (end <= start) continue;
    // Clipped to the case's window (a copy only when the window cuts it: most records lie inside).
    // Stryker disable next-line ConditionalExpression: the `false` variant is equivalent: a copy with the same fields; the directive also hides the `true` variants (a stay not clipped), which shared.test.ts kills
    const clipped = start === r.start && end === r.end ? r : { caseId: r.caseId, placeId: r.placeId, category: r.category, start, end };
    const xs = byPlace.get(r.placeId);
    if (xs) xs.push(clipped); else byPlace.set(r.placeId, [clipped]);
  }
  const out: PlacedExposure[] = [];
  const cells: PlacedExposure[] = [];
  const minCellOverlap = edition.companion.minOverlapMinutes * 60;
  // Stryker disable next-line ArrayDeclaration: equivalent: set anew at each place before it is read
  let open: CaseRecord[] = [];
  for (const [placeId, xs] of byPlace) {
    xs.sort((a, b) => a.start - b.start);
    // Sweep: records still open when the next one starts overlap it.
    // Stryker disable next-line ArrayDeclaration: equivalent: an entry that is no stay has no end, and `undefined > start` drops it at the place's first stay
    open = [];
    for (const r of xs) {
      let kept = 0;
      for (let i = 0; i < open.length; i++) if (open[i].end > r.start) open[kept++] = open[i];
      open.length = kept;
      const cell = r.category === 'telecom_cell', setting = cell ? 'companion_cell' : settingOf(r.category);
      for (let i = 0; i < kept; i++) {
        const o = open[i];
        if (o.caseId === r.caseId) continue;
        const start = r.start, end = Math.min(o.end, r.end);
        if (cell) {
          if (end - start >= minCellOverlap) cells.push({ infector: o.caseId, infectee: r.caseId, placeId, setting, start, end });
          continue;
        }
        out.push({ infector: o.caseId, infectee: r.caseId, placeId, setting, start, end }, { infector: r.caseId, infectee: o.caseId, placeId, setting, start, end });
      }
      open.push(r);
    }
  }
  // Cell overlaps of a pair count when they add up to the edition's minutes between cases.
  const minutes = new Map<string, number>();
  // Stryker disable next-line EqualityOperator: equivalent: a case is never paired with itself (`<=`), and `>=` names each pair the other way round, still once for both orders
  const pair = (x: PlacedExposure) => (x.infector < x.infectee ? `${x.infector}:${x.infectee}` : `${x.infectee}:${x.infector}`);
  for (const x of cells) minutes.set(pair(x), (minutes.get(pair(x)) ?? 0) + (x.end - x.start) / 60);
  for (const x of cells) {
    if (minutes.get(pair(x))! < edition.chains.caseCellMinMinutes) continue;
    out.push(x, { ...x, infector: x.infectee, infectee: x.infector });
  }
  return out;
}

/** A shared place as the inference reads an exposure: its setting, its minutes and window, its place. */
export const asExposure = (x: PlacedExposure): Exposure => ({
  infector: x.infector, infectee: x.infectee, setting: x.setting as ContactSetting, minutes: (x.end - x.start) / 60, start: x.start, end: x.end, placeId: x.placeId,
});
