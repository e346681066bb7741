/** Supervision: inspections of units and places with their findings, and re-inspections of rectifications. */
import type { Db } from '../db.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';
import type { Scope } from './scope.ts';

/** A finding of an inspection: what is wrong, the hours given to put it right, and the rectification task made of it. */
export interface Finding { text: string; withinHours: number; taskId: number | null }

/**
 * An inspection of the unit `regionCode` (or of the place `placeId` in it): `kind` 'inspection' with findings, or
 * 're-inspection' of the rectification task `taskId`, which `passed` or not. Times in epoch seconds.
 */
export interface Inspection {
  id: number; regionCode: string; placeId: number | null; kind: 'inspection' | 're-inspection'; taskId: number | null; passed: boolean | null;
  summary: string; findings: Finding[]; inspector: string; inspectedAt: number;
}

interface InspectionRow { id: number; region_code: string; place_id: number | null; kind: string; task_id: number | null; passed: number | null; summary: string; findings: unknown; inspector: string; inspected_at: number }
const toInspection = (r: InspectionRow): Inspection => ({
  id: r.id, regionCode: r.region_code, placeId: r.place_id, kind: r.kind as Inspection['kind'], taskId: r.task_id, passed: r.passed === null ? null : r.passed === 1,
  summary: r.summary, findings: fromJson<Finding[]>(r.findings), inspector: r.inspector, inspectedAt: r.inspected_at,
});

export class SupervisionRepository {
  constructor(private readonly db: Db) {}

  async insert(i: Omit<Inspection, 'id'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      'INSERT INTO inspections (region_code, place_id, kind, task_id, passed, summary, findings, inspector, inspected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [i.regionCode, i.placeId, i.kind, i.taskId, i.passed === null ? null : i.passed ? 1 : 0, i.summary, JSON.stringify(i.findings), i.inspector, i.inspectedAt]);
    return row.id;
  }

  /** The findings' tasks, once made (the inspection is stored first: the tasks' keys name it). */
  async setFindings(id: number, findings: Finding[]): Promise<void> {
    await this.db.run('UPDATE inspections SET findings = ? WHERE id = ?', [JSON.stringify(findings), id]);
  }

  /** An inspection; undefined when there is none, or none inside `scope`. */
  async get(id: number, scope?: Scope): Promise<Inspection | undefined> {
    const r = await this.db.get<InspectionRow>(`SELECT * FROM inspections WHERE id = ?${scope ? ' AND region_code LIKE ?' : ''}`, scope ? [id, `${scope}%`] : [id]);
    return r && toInspection(r);
  }

  /** Inspections inside `scope` (optionally of one unit and what lies in it, or the re-inspections of one task), in id order. */
  async list(filter: { regionCode?: string; taskId?: number }, page: PageRequest, scope?: Scope): Promise<Page<Inspection>> {
    const where = ['id > ?'];
    const params: (string | number)[] = [page.after ?? 0];
    if (scope) { where.push('region_code LIKE ?'); params.push(`${scope}%`); }
    if (filter.regionCode) { where.push('region_code LIKE ?'); params.push(`${filter.regionCode}%`); }
    if (filter.taskId !== undefined) { where.push('task_id = ?'); params.push(filter.taskId); }
    const rows = await this.db.all<InspectionRow>(`SELECT * FROM inspections WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, page.limit + 1]);
    return toPage(rows, page.limit, toInspection);
  }
}
