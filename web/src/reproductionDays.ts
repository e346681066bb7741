/**
 * The days of the R(t) chart's axis: each window by its last day (China's calendar), with the days between two windows
 * that are not consecutive as empty days. The API leaves out windows that say nothing of R (no case and almost no
 * infectiousness: the weeks after an outbreak, the months between two), so drawn one after another two weeks months
 * apart would be joined by a line. Pure.
 */
import type { ChainsOut } from './api.ts';

type Window = ChainsOut['reproduction']['windows'][number];

/** Days missing between two windows that are drawn one by one; a longer gap is one break, labelled "…". */
export const GAP_DAYS_DRAWN = 31;

const DAY_MS = 86_400_000;

/** An instant's calendar day in China (YYYY-MM-DD). */
const chinaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** One entry per day of the axis, in order: its day (YYYY-MM-DD, or "…" for a long gap) and its window, or null. */
export function reproductionDays(windows: readonly Window[]): { day: string; w: Window | null }[] {
  const out: { day: string; w: Window | null }[] = [];
  let before: number | null = null;
  for (const w of windows) {
    const end = Date.parse(w.end);
    if (before !== null) {
      const missing = Math.round((end - before) / DAY_MS) - 1;
      if (missing > GAP_DAYS_DRAWN) out.push({ day: '…', w: null });
      else for (let k = 1; k <= missing; k++) out.push({ day: chinaDay(before + k * DAY_MS), w: null });
    }
    out.push({ day: chinaDay(end), w });
    before = end;
  }
  return out;
}
