/**
 * The itinerary card (通信大数据行程卡): prefecture-level cities where a phone stayed continuously for at least the
 * edition's hours within its look-back days, from telecom stays. Stays in one city separated by at most the
 * edition's gap are one continuous stay. Pure: stays in, cities out.
 */
import type { ProtocolEdition } from '../protocol/schema.ts';
import { DAY, HOUR } from '../time.ts';

/** Prefecture-level city of a division code (GB/T 2260: the first four digits). */
export const cityOf = (regionCode: string): string => regionCode.slice(0, 4);

export interface CityStay {
  cityCode: string;
  start: number;
  end: number;
}

/** Cities with a continuous stay of the edition's minimum inside [now - look-back, now], in order of first qualifying stay. */
export function itineraryCities(stays: CityStay[], e: ProtocolEdition, now: number): { cityCode: string; longestStaySec: number }[] {
  const from = now - e.itinerary.lookBackDays * DAY, minStay = e.itinerary.minStayHours * HOUR, gap = e.itinerary.mergeGapMinutes * 60;
  const sorted = stays.map((s) => ({ cityCode: s.cityCode, start: Math.max(s.start, from), end: Math.min(s.end, now) }))
    .filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const longest = new Map<string, number>();
  let run: { cityCode: string; start: number; end: number } | null = null;
  const close = () => { if (run) longest.set(run.cityCode, Math.max(longest.get(run.cityCode) ?? 0, run.end - run.start)); };
  for (const s of sorted) {
    if (run && run.cityCode === s.cityCode && s.start - run.end <= gap) { run.end = Math.max(run.end, s.end); continue; }
    close();
    run = { ...s };
  }
  close();
  return [...longest].filter(([, sec]) => sec >= minStay).map(([cityCode, longestStaySec]) => ({ cityCode, longestStaySec }));
}
