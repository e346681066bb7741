/**
 * Migration 14: supervision. An inspection of a unit (or of a place in it) by a supervision team, with its findings;
 * each finding is a rectification task (tasks.kind 'rectification', keyed by `finding:<inspection>:<n>`); a
 * re-inspection is an inspection of one rectification (`task_id`) that passes it (the task is done) or not. And a
 * directive's cancellation (`directives.cancelled_at`: when its root task was cancelled; its deadline follows the root's).
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 14,
  name: 'supervision',
  tables: [
    {
      name: 'inspections',
      columns: [
        id, req('region_code', 'text'), c('place_id', 'int'), req('kind', 'text'), c('task_id', 'int'), c('passed', 'int'), req('summary', 'text'),
        req('findings', 'json'), req('inspector', 'text'), req('inspected_at', 'time'),
      ],
    },
  ],
  alter: [{ table: 'directives', addColumns: [c('cancelled_at', 'time')] }],
  indexes: [{ table: 'inspections', columns: ['region_code'] }],
  statements: ['CREATE INDEX inspections_task_id ON inspections (task_id) WHERE task_id IS NOT NULL'],
};
