/**
 * The labels of a chart's axis of days. Days of one calendar year read as MM-DD; an axis that spans more than one
 * year names the year on the first day and on the first day shown of each new year (YYYY-MM-DD), so that 01-03 after
 * 12-30 is not read as earlier. A label that is no day (a gap's "…") stays as it is. Pure.
 */
const DAY = /^(\d{4})-\d\d-\d\d$/;

export function dayLabels(days: readonly string[]): string[] {
  const years = new Set(days.flatMap((d) => DAY.exec(d)?.[1] ?? []));
  let year: string | null = null;
  return days.map((d) => {
    const m = DAY.exec(d);
    if (!m) return d;
    if (years.size <= 1) return d.slice(5);
    const first = m[1] !== year;
    year = m[1];
    return first ? d : d.slice(5);
  });
}
