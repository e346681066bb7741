/**
 * Directives and tasks: a directive's tasks stored level by level (each knowing its parent), tasks made by the event
 * flow keyed by their source (a second insert of the same source is skipped), lists within a region scope with their
 * total, status changes, the open tasks past their deadline, and completion counted by level.
 */
import type { Directive, Task } from '../../domain/model/index.ts';
import type { Role } from '../../domain/access.ts';
import { OWNER_ROLE_BY_LEVEL } from '../../domain/rules/command.ts';
import { OPEN_TASK_STATUSES, type ContactStatus, type DirectiveKind, type RegionLevel, type TaskStatus } from '../../domain/vocab.ts';
import type { Db, SqlValue } from '../db.ts';
import { fromJson, toPage, type Page, type PageRequest } from './paging.ts';
import { inChunks } from './keys.ts';
import { homeOf, type Scope } from './scope.ts';

/** Where contact record `c`'s person lives: the home the record carries (migration 15), else read from the person. */
const HOME = `COALESCE(c.home_code, (SELECT ${homeOf('p')} FROM persons p WHERE p.id = c.person_id))`;

interface DirectiveRow { id: number; kind: string; text: string; level: string; region_code: string; units: unknown; due_at: number; issued_by: string; issued_at: number; cancelled_at: number | null }
const toDirective = (r: DirectiveRow): Directive => ({
  id: r.id, kind: r.kind as DirectiveKind, text: r.text, level: r.level as RegionLevel, regionCode: r.region_code, units: fromJson<string[]>(r.units),
  dueAt: r.due_at, issuedBy: r.issued_by, issuedAt: r.issued_at, cancelledAt: r.cancelled_at,
});

interface TaskRow {
  id: number; parent_id: number | null; directive_id: number | null; title: string; kind: string; level: string; region_code: string; owner_user_id: number | null;
  owner_role: string | null; due_at: number; status: string; status_at: number | null; subject_person_id: number | null; subject_key: string | null;
  source_key: string | null; note: string | null; escalated_to: string | null; late_at: number | null; created_at: number;
}
const toTask = (r: TaskRow): Task => ({
  id: r.id, parentId: r.parent_id, directiveId: r.directive_id, title: r.title, kind: r.kind, level: r.level as RegionLevel, regionCode: r.region_code,
  ownerUserId: r.owner_user_id, ownerRole: (r.owner_role ?? OWNER_ROLE_BY_LEVEL[r.level as RegionLevel]) as Role, dueAt: r.due_at, status: r.status as TaskStatus, statusAt: r.status_at ?? r.created_at,
  subjectPersonId: r.subject_person_id, subjectKey: r.subject_key, sourceKey: r.source_key, note: r.note, escalatedTo: r.escalated_to, lateAt: r.late_at, createdAt: r.created_at,
});

/** A task to store (its id, status time and escalation come from the store). */
export type NewTask = Omit<Task, 'id' | 'statusAt' | 'escalatedTo' | 'note' | 'lateAt'>;

const TASK_COLUMNS = [
  'parent_id', 'directive_id', 'title', 'kind', 'level', 'region_code', 'owner_user_id', 'owner_role', 'due_at', 'status', 'status_at', 'subject_person_id',
  'subject_key', 'source_key', 'created_at',
] as const;
const taskValues = (t: NewTask): SqlValue[] => [
  t.parentId, t.directiveId, t.title, t.kind, t.level, t.regionCode, t.ownerUserId, t.ownerRole, t.dueAt, t.status, t.createdAt, t.subjectPersonId, t.subjectKey, t.sourceKey, t.createdAt,
];

/** Filters of a task list. */
export interface TaskFilter {
  status?: TaskStatus;
  /** Open tasks only (neither done nor cancelled). */
  open?: boolean;
  level?: RegionLevel;
  kind?: string;
  directiveId?: number;
  /** Tasks escalated to this unit. */
  escalatedTo?: string;
  /** Tasks held by this user (named as owner). */
  ownerUserId?: number;
  /** Tasks of this unit exactly (not of the units inside it). */
  regionCode?: string;
}

/** Tasks of one level in one status: how many. */
export interface TaskCount { level: RegionLevel; status: TaskStatus; count: number }

/** The condition that a task's unit lies inside `scope` (its `region_code` starts with the scope's code); null for none. */
function taskInScope(scope: Scope): { sql: string; params: SqlValue[] } | null {
  if (!scope) return null;
  if (!/^\d{2,14}$/.test(scope)) throw new Error(`not a region scope: ${scope}`);
  return { sql: 'region_code LIKE ?', params: [`${scope}%`] };
}

export class CommandRepository {
  constructor(private readonly db: Db) {}

  async insertDirective(d: Omit<Directive, 'id' | 'cancelledAt'>): Promise<number> {
    const [row] = await this.db.writeReturning<{ id: number }>(
      'INSERT INTO directives (kind, text, level, region_code, units, due_at, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [d.kind, d.text, d.level, d.regionCode, JSON.stringify(d.units), d.dueAt, d.issuedBy, d.issuedAt]);
    return row.id;
  }

  /** A directive's deadline (following its root task's) or its cancellation (when its root task was cancelled). */
  async updateDirective(id: number, fields: { dueAt?: number; cancelledAt?: number }): Promise<void> {
    if (fields.dueAt !== undefined) await this.db.run('UPDATE directives SET due_at = ? WHERE id = ?', [fields.dueAt, id]);
    if (fields.cancelledAt !== undefined) await this.db.run('UPDATE directives SET cancelled_at = ? WHERE id = ?', [fields.cancelledAt, id]);
  }

  /** A directive; undefined when there is none, or it neither lies in nor covers `scope`. */
  async directive(id: number, scope?: Scope): Promise<Directive | undefined> {
    const r = await this.db.get<DirectiveRow>('SELECT * FROM directives WHERE id = ?', [id]);
    const d = r && toDirective(r);
    return d && (!scope || directiveConcerns(d, scope)) ? d : undefined;
  }

  /** Directives issued in `scope` or covering it (a county sees the province's directives that reach it), newest first. */
  async directives(scope: Scope, page: PageRequest): Promise<Page<Directive>> {
    // Directives issued above the scope are kept only when one of their units reaches it: read in batches until a page is full.
    const items: Directive[] = [];
    let before = page.after ?? null;
    for (;;) {
      const params: SqlValue[] = [];
      let where = before !== null ? 'id < ?' : '1 = 1';
      if (before !== null) params.push(before);
      if (scope) { where += " AND (region_code LIKE ? OR ? LIKE region_code || '%')"; params.push(`${scope}%`, scope); }
      const rows = await this.db.all<DirectiveRow>(`SELECT * FROM directives WHERE ${where} ORDER BY id DESC LIMIT ?`, [...params, page.limit + 1]);
      for (const r of rows) {
        const d = toDirective(r);
        if (scope && !directiveConcerns(d, scope)) continue;
        if (items.length === page.limit) return { items, nextAfter: items[items.length - 1].id };
        items.push(d);
      }
      if (rows.length <= page.limit) return { items, nextAfter: null };
      before = rows[rows.length - 1].id;
    }
  }

  /** Stores tasks (rows without a source key, or whose source key is new); the number stored. */
  insertTasks(tasks: readonly NewTask[]): Promise<number> {
    if (tasks.length === 0) return Promise.resolve(0);
    return this.db.insertMany('tasks', TASK_COLUMNS, tasks.map(taskValues), tasks[0].sourceKey === null ? [] : ['source_key']);
  }

  /** The ids of a directive's tasks at one level, by unit code. */
  async directiveTaskIds(directiveId: number, level: RegionLevel): Promise<Map<string, { id: number; dueAt: number }>> {
    const rows = await this.db.all<{ id: number; region_code: string; due_at: number }>('SELECT id, region_code, due_at FROM tasks WHERE directive_id = ? AND level = ?', [directiveId, level]);
    return new Map(rows.map((r) => [r.region_code, { id: r.id, dueAt: r.due_at }]));
  }

  /** The unit of `level` holding the most open tasks (ties: the lowest code); undefined when none holds any. */
  async busiestUnit(level: RegionLevel): Promise<string | undefined> {
    const r = await this.db.get<{ region_code: string }>(
      `SELECT region_code FROM tasks WHERE level = ? AND status IN (${OPEN_TASK_STATUSES.map(() => '?').join(', ')}) GROUP BY region_code ORDER BY COUNT(*) DESC, region_code LIMIT 1`,
      [level, ...OPEN_TASK_STATUSES]);
    return r?.region_code;
  }

  /** A task; undefined when there is none, or none inside `scope`. */
  async task(id: number, scope?: Scope): Promise<Task | undefined> {
    const s = taskInScope(scope);
    const r = await this.db.get<TaskRow>(`SELECT * FROM tasks WHERE id = ?${s ? ` AND ${s.sql}` : ''}`, [id, ...(s?.params ?? [])]);
    return r && toTask(r);
  }



  private where(filter: TaskFilter, scope: Scope): { sql: string; params: SqlValue[] } {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const s = taskInScope(scope);
    if (s) { where.push(s.sql); params.push(...s.params); }
    if (filter.status) { where.push('status = ?'); params.push(filter.status); }
    if (filter.open) { where.push(`status IN (${OPEN_TASK_STATUSES.map(() => '?').join(', ')})`); params.push(...OPEN_TASK_STATUSES); }
    if (filter.level) { where.push('level = ?'); params.push(filter.level); }
    if (filter.kind) { where.push('kind = ?'); params.push(filter.kind); }
    if (filter.directiveId !== undefined) { where.push('directive_id = ?'); params.push(filter.directiveId); }
    if (filter.escalatedTo) { where.push('escalated_to = ?'); params.push(filter.escalatedTo); }
    if (filter.ownerUserId !== undefined) { where.push('owner_user_id = ?'); params.push(filter.ownerUserId); }
    if (filter.regionCode) { where.push('region_code = ?'); params.push(filter.regionCode); }
    return { sql: where.length ? where.join(' AND ') : '1 = 1', params };
  }

  /** Tasks inside `scope` matching `filter`, in id order, with how many match in all. */
  async tasks(filter: TaskFilter, page: PageRequest, scope?: Scope): Promise<Page<Task> & { total: number }> {
    const w = this.where(filter, scope);
    const rows = await this.db.all<TaskRow>(`SELECT * FROM tasks WHERE ${w.sql} AND id > ? ORDER BY id LIMIT ?`, [...w.params, page.after ?? 0, page.limit + 1]);
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks WHERE ${w.sql}`, w.params))!.n;
    return { ...toPage(rows, page.limit, toTask), total };
  }

  /** How many tasks inside `scope` matching `filter` are in each level and status. */
  async counts(filter: TaskFilter, scope?: Scope): Promise<TaskCount[]> {
    const w = this.where(filter, scope);
    const rows = await this.db.all<{ level: string; status: string; n: number }>(`SELECT level, status, COUNT(*) AS n FROM tasks WHERE ${w.sql} GROUP BY level, status`, w.params);
    return rows.map((r) => ({ level: r.level as RegionLevel, status: r.status as TaskStatus, count: r.n }));
  }

  /** The statuses of a task's children. */
  async childStatuses(parentId: number): Promise<TaskStatus[]> {
    return (await this.db.all<{ status: string }>('SELECT status FROM tasks WHERE parent_id = ?', [parentId])).map((r) => r.status as TaskStatus);
  }



  /** Open tasks (assigned, accepted, in progress) whose deadline has passed at `now` and that were not found late before, oldest deadline first. */
  async pastDeadline(now: number, limit: number): Promise<Task[]> {
    return (await this.db.all<TaskRow>("SELECT * FROM tasks WHERE status IN ('assigned', 'accepted', 'in_progress') AND due_at < ? AND late_at IS NULL ORDER BY due_at, id LIMIT ?", [now, limit])).map(toTask);
  }

  /** The open tasks of a directive at units inside `regionCode` (not the unit itself), in id order. */
  async openBelow(directiveId: number, regionCode: string): Promise<Task[]> {
    return (await this.db.all<TaskRow>("SELECT * FROM tasks WHERE directive_id = ? AND region_code LIKE ? AND region_code <> ? AND status NOT IN ('done', 'cancelled') ORDER BY id",
      [directiveId, `${regionCode}%`, regionCode])).map(toTask);
  }

  /** Sets the same fields on many tasks. */
  async updateTasks(ids: readonly number[], fields: Partial<Pick<Task, 'status' | 'statusAt' | 'dueAt'>>): Promise<void> {
    const cols: Record<string, string> = { status: 'status', statusAt: 'status_at', dueAt: 'due_at' };
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      await this.db.run(`UPDATE tasks SET ${entries.map(([k]) => `${cols[k]} = ?`).join(', ')} WHERE id IN (${part.map(() => '?').join(', ')})`, [...entries.map(([, v]) => v as SqlValue), ...part]);
    }
  }

  /**
   * Marks tasks late at `now`: escalated to the unit above (the first `aboveLength` characters of their unit's code),
   * or overdue when `aboveLength` is null (the province). All of `ids` must be at units of one level.
   */
  async markLate(ids: readonly number[], aboveLength: number | null, now: number): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const set = aboveLength === null ? "status = 'overdue', escalated_to = NULL" : "status = 'escalated', escalated_to = substr(region_code, 1, ?)";
      await this.db.run(`UPDATE tasks SET ${set}, status_at = ?, late_at = ? WHERE id IN (${part.map(() => '?').join(', ')})`,
        [...(aboveLength === null ? [] : [aboveLength]), now, now, ...part]);
    }
  }

  /** Those of these persons in centralized quarantine: a close-contact record in quarantine, or an open centralized assignment. */
  async personsInQuarantine(personIds: readonly number[]): Promise<Set<number>> {
    const ids = [...new Set(personIds)];
    const records = await inChunks<{ person_id: number }>(this.db, ids, (ph) => `SELECT DISTINCT person_id FROM contacts WHERE person_id IN (${ph}) AND kind = 'close' AND status = 'in_quarantine'`);
    const held = await inChunks<{ person_id: number }>(this.db, ids, (ph) => `SELECT person_id FROM quarantine_assignments WHERE person_id IN (${ph}) AND ended_at IS NULL AND kind = 'centralized'`);
    return new Set([...records, ...held].map((r) => r.person_id));
  }

  /** Open tasks of a kind about these persons. */
  /** Every task of this kind about this person (open or not), in id order. */
  async tasksOfPerson(kind: string, personId: number): Promise<Task[]> {
    return (await this.db.all<TaskRow>('SELECT * FROM tasks WHERE subject_person_id = ? AND kind = ? ORDER BY id', [personId, kind])).map(toTask);
  }

  async openTasksOfPersons(kind: string, personIds: readonly number[]): Promise<Task[]> {
    return (await inChunks<TaskRow>(this.db, [...new Set(personIds)],
      (ph) => `SELECT * FROM tasks WHERE subject_person_id IN (${ph}) AND kind = ? AND status NOT IN ('done', 'cancelled')`, [kind])).map(toTask);
  }

  /**
   * A case's contacts among `personIds`, with where each lives (`home`: the grid, else the community, as the record
   * carries it; migration 15): what a transfer task is routed by.
   */
  async contactsWithHomes(caseId: number, personIds: readonly number[]): Promise<{ contactId: number; personId: number; kind: string; status: ContactStatus; home: string; lastExposure: number }[]> {
    // One read of the case's contacts (a case's contacts are written together: most of them are asked for).
    const wanted = new Set(personIds);
    const rows = await this.db.all<{ id: number; person_id: number; kind: string; status: string; home: string; last_exposure: number }>(
      `SELECT c.id, c.person_id, c.kind, c.status, ${HOME} AS home, c.last_exposure FROM contacts c WHERE c.index_case_id = ?`, [caseId]);
    return rows.filter((r) => wanted.has(r.person_id)).map((r) => ({ contactId: r.id, personId: r.person_id, kind: r.kind, status: r.status as ContactStatus, home: r.home, lastExposure: Number(r.last_exposure) }));
  }

  /** One contact with where its person lives (`home`, as above). */
  async contactWithHome(contactId: number): Promise<{ contactId: number; personId: number; kind: string; status: string; home: string } | undefined> {
    const r = await this.db.get<{ id: number; person_id: number; kind: string; status: string; home: string }>(`SELECT c.id, c.person_id, c.kind, c.status, ${HOME} AS home FROM contacts c WHERE c.id = ?`, [contactId]);
    return r && { contactId: r.id, personId: r.person_id, kind: r.kind, status: r.status, home: r.home };
  }

  /** Where each of these persons lives (community, grid). */
  async homesOf(personIds: readonly number[]): Promise<Map<number, { communityCode: string; gridCode: string | null }>> {
    const rows = await inChunks<{ id: number; community_code: string; grid_code: string | null }>(this.db, [...new Set(personIds)], (ph) => `SELECT id, community_code, grid_code FROM persons WHERE id IN (${ph})`);
    return new Map(rows.map((r) => [r.id, { communityCode: r.community_code, gridCode: r.grid_code }]));
  }

  /** The members among `personIds` of pooled tubes that tested positive, with the pool and where each lives. */
  async positivePoolMembers(personIds: readonly number[]): Promise<{ personId: number; poolNo: string; resultAt: number; communityCode: string; gridCode: string | null }[]> {
    const rows = await inChunks<{ person_id: number; pool_no: string; result_at: number | null; community_code: string; grid_code: string | null }>(this.db, [...new Set(personIds)],
      (ph) => `SELECT s.person_id, pl.pool_no, pl.result_at, p.community_code, p.grid_code FROM samples s JOIN pools pl ON pl.id = s.pool_id JOIN persons p ON p.id = s.person_id
               WHERE s.person_id IN (${ph}) AND pl.result = 'positive'`);
    return rows.map((r) => ({ personId: r.person_id, poolNo: r.pool_no, resultAt: r.result_at ?? 0, communityCode: r.community_code, gridCode: r.grid_code }));
  }

  /**
   * Positive single-tube samples of these persons taken while they were held in the quarantine they are in now (its
   * start or later), with where they live.
   */
  async positivesOfHeld(personIds: readonly number[]): Promise<{ personId: number; sampleNo: string; communityCode: string; gridCode: string | null }[]> {
    const rows = await inChunks<{ person_id: number; sample_no: string; community_code: string; grid_code: string | null }>(this.db, [...new Set(personIds)],
      (ph) => `SELECT s.person_id, s.sample_no, p.community_code, p.grid_code FROM samples s
               JOIN quarantine_assignments qa ON qa.person_id = s.person_id AND qa.ended_at IS NULL JOIN persons p ON p.id = s.person_id
               WHERE s.person_id IN (${ph}) AND s.pool_id IS NULL AND s.method = 'single' AND s.result = 'positive' AND s.sampled_at >= qa.started_at ORDER BY s.sampled_at, s.id`);
    return rows.map((r) => ({ personId: r.person_id, sampleNo: r.sample_no, communityCode: r.community_code, gridCode: r.grid_code }));
  }

  /** Single-tube results (not pending) of these persons sampled at or after `since`: person id -> the first such sample's number. */
  async singleResultsSince(personIds: readonly number[], since: number): Promise<Map<number, string>> {
    const rows = await inChunks<{ person_id: number; sample_no: string }>(this.db, [...new Set(personIds)],
      (ph) => `SELECT person_id, sample_no FROM samples WHERE person_id IN (${ph}) AND pool_id IS NULL AND result <> 'pending' AND sampled_at >= ? ORDER BY sampled_at`, [since]);
    const out = new Map<number, string>();
    for (const r of rows) if (!out.has(r.person_id)) out.set(r.person_id, r.sample_no);
    return out;
  }

  /** Open tasks (not done or cancelled) of a kind about these subjects. */
  async openTasksAbout(kind: string, subjectKeys: readonly string[]): Promise<Task[]> {
    return (await inChunks<TaskRow, string>(this.db, [...new Set(subjectKeys)],
      (ph) => `SELECT * FROM tasks WHERE subject_key IN (${ph}) AND kind = ? AND status NOT IN ('done', 'cancelled')`, [kind])).map(toTask);
  }

  /** Changes a task's status, owner, deadline, note or escalation. */
  async updateTask(id: number, fields: Partial<Pick<Task, 'status' | 'statusAt' | 'ownerUserId' | 'dueAt' | 'note' | 'escalatedTo' | 'lateAt'>>): Promise<void> {
    const cols: Record<string, string> = { status: 'status', statusAt: 'status_at', ownerUserId: 'owner_user_id', dueAt: 'due_at', note: 'note', escalatedTo: 'escalated_to', lateAt: 'late_at' };
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.db.run(`UPDATE tasks SET ${entries.map(([k]) => `${cols[k]} = ?`).join(', ')} WHERE id = ?`, [...entries.map(([, v]) => v as SqlValue), id]);
  }
}

/** Whether a directive concerns a region scope: issued inside it, or one of its units is inside it or contains it. */
export const directiveConcerns = (d: Directive, scope: string): boolean =>
  d.regionCode.startsWith(scope) || d.units.some((u) => u.startsWith(scope) || scope.startsWith(u));
