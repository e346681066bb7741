/**
 * Migration 11: the command mechanism. Directives (a measure issued at a unit, covering units, with a deadline) and
 * the columns tasks were missing: the directive a task decomposes, the role that holds it when no user does, when its
 * status last changed, what it is about, the fact an event-made task comes from (unique: an event handled twice makes
 * no second task), the evidence or last note, the unit it was escalated to, and when it was found past its deadline (escalated once).
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 11,
  name: 'command',
  tables: [
    {
      name: 'directives',
      columns: [
        id, req('kind', 'text'), req('text', 'text'), req('level', 'text'), req('region_code', 'text'), req('units', 'json'), req('due_at', 'time'),
        req('issued_by', 'text'), req('issued_at', 'time'),
      ],
    },
  ],
  alter: [{
    table: 'tasks',
    addColumns: [
      c('directive_id', 'int'), c('owner_role', 'text'), c('status_at', 'time'), c('subject_key', 'text'), c('source_key', 'text'), c('note', 'text'),
      c('escalated_to', 'text'), c('late_at', 'time'),
    ],
  }],
  indexes: [
    { table: 'directives', columns: ['region_code'] },
    { table: 'tasks', columns: ['status', 'due_at'] },
  ],
  // Indexes over columns most tasks leave empty are partial (the event flow's tasks have no directive, parent or
  // escalation; a directive's have no subject or source): a task costs fewer index writes (bench:codes, 10,000 at once).
  // Before this migration a task's first status was called 'open'.
  statements: [
    'CREATE UNIQUE INDEX tasks_source_key ON tasks (source_key)',
    'CREATE INDEX tasks_subject_key ON tasks (subject_key) WHERE subject_key IS NOT NULL',
    'CREATE INDEX tasks_subject_person ON tasks (subject_person_id) WHERE subject_person_id IS NOT NULL',
    'CREATE INDEX tasks_directive_id ON tasks (directive_id) WHERE directive_id IS NOT NULL',
    'CREATE INDEX tasks_parent_id ON tasks (parent_id) WHERE parent_id IS NOT NULL',
    'CREATE INDEX tasks_escalated_to ON tasks (escalated_to) WHERE escalated_to IS NOT NULL',
    "UPDATE tasks SET status = 'assigned' WHERE status = 'open'",
  ],
};
