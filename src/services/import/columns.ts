/**
 * Which column of a kind each column of a file holds: the kind's own names, the Chinese headers agencies write (each
 * kind's `headers` in kinds.ts), and a user's column map for any other layout (`cordon import --columns map.json`).
 * A map is checked before the file is read: a name that is not a column of the kind, or two names for one column, is
 * refused with the reason.
 */
import { asciiTwin } from '../../domain/text.ts';
import type { FieldProblem } from './fields.ts';
import type { KindSpec } from './kinds.ts';

/** A user's column map: a column name as the file writes it, and the kind's column it holds. */
export type ColumnMap = Readonly<Record<string, string>>;

/** The renaming a file's header goes through, and the problems with the user's map (none when it is sound). */
export interface ColumnNames {
  /** The kind's column a file's column stands for (the name itself when neither the map nor the kind knows it). */
  rename(header: string): string;
  /** Problems with the map: `field` is the name the problem is about. */
  problems: FieldProblem[];
}

/** Builds the renaming for one kind from its Chinese headers and an optional user map (which wins over them). */
export function columnNames(spec: Pick<KindSpec<unknown>, 'required' | 'optional' | 'headers'>, map: ColumnMap = {}): ColumnNames {
  const columns = [...spec.required, ...spec.optional];
  const problems: FieldProblem[] = [];
  const sources = new Map<string, string[]>();
  for (const [from, to] of Object.entries(map)) {
    if (
      // Stryker disable next-line ConditionalExpression: equivalent as false: a value that is no string is in no list of column names either (as true it is killed)
      typeof to !== 'string'
      || !columns.includes(to)) {
      problems.push({ field: from, reason: `mapped to ${JSON.stringify(to)}, which is not a column of this kind (${columns.join(', ')})` });
      continue;
    }
    sources.set(to, [...(sources.get(to) ?? []), from]);
  }
  for (const [to, from] of sources) {
    if (from.length > 1) problems.push({ field: to, reason: `${from.map((f) => `"${f}"`).join(' and ')} are each mapped to it; map only one` });
  }
  const names = new Map([...Object.entries(spec.headers), ...Object.entries(map)]);
  // A header or a map's name typed full-width ("ｉｄ＿ｎｕｍｂｅｒ", "开始时间（ＣＳＴ）") is also known by its ASCII twin;
  // a full-width header of no known name becomes its twin only when that is all ASCII (a column's own name).
  const twins = new Map([...names].map(([from, to]) => [asciiTwin(from) ?? from, to]));
  return {
    rename: (header) => {
      const twin = asciiTwin(header);
      return names.get(header) ?? twins.get(twin ?? header) ?? (twin !== null && asciiTwin(twin) === null ? twin : header);
    },
    problems,
  };
}
