/**
 * The labels of a chart's axis of days. Days of one calendar year read as MM-DD; on an axis that spans more than one
 * year every day reads YYYY-MM-DD (the chart shows only some labels, so a year named only where it changes could be on
 * a label it skips, and 11-30 after 2023-03-17 would read as 2023's). A label that is no day (a gap's "…") stays as
 * it is. Pure.
 */
const DAY = /^(\d{4})-\d\d-\d\d$/;

export function dayLabels(days: readonly string[]): string[] {
  const years = new Set(days.flatMap((d) => DAY.exec(d)?.[1] ?? []));
  return days.map((d) => (DAY.test(d) && years.size <= 1 ? d.slice(5) : d));
}
