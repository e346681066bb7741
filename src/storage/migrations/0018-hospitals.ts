/**
 * Migration 18: designated hospitals (issue "Quarantine"). A hospital (designated or a shelter hospital) of a region
 * with its beds and intensive-care beds; an admission of a case (at most one open per case: a partial unique index)
 * with its current severity, discharge and outcome, and the end of the follow-up after discharge; the severity over
 * time; treatments, each with a flag for traditional Chinese medicine; expert teams (members as JSON) dispatched to a
 * hospital for a period.
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 18,
  name: 'hospitals',
  tables: [
    {
      name: 'hospitals',
      columns: [
        id, req('name', 'text'), req('kind', 'text'), req('region_code', 'text'), c('address', 'text'), req('beds', 'int'), req('icu_beds', 'int'),
        req('designated_at', 'time'),
      ],
    },
    {
      name: 'admissions',
      columns: [
        id, req('case_id', 'int', { references: 'cases' }), req('hospital_id', 'int', { references: 'hospitals' }), req('admitted_at', 'time'), req('severity', 'text'),
        c('discharged_at', 'time'), c('outcome', 'text'), c('follow_up_until', 'time'), req('admitted_by', 'text'), c('note', 'text'),
      ],
    },
    {
      name: 'severity_changes',
      columns: [id, req('admission_id', 'int', { references: 'admissions' }), req('severity', 'text'), req('at', 'time'), req('recorded_by', 'text'), c('note', 'text')],
    },
    {
      name: 'treatments',
      columns: [
        id, req('admission_id', 'int', { references: 'admissions' }), req('kind', 'text'), req('tcm', 'int'), req('started_at', 'time'), req('recorded_by', 'text'), c('note', 'text'),
      ],
    },
    {
      name: 'expert_teams',
      columns: [
        id, req('name', 'text'), req('specialty', 'text'), req('members', 'json'), req('hospital_id', 'int', { references: 'hospitals' }), req('from_at', 'time'), c('to_at', 'time'),
        req('dispatched_by', 'text'),
      ],
    },
  ],
  indexes: [
    { table: 'hospitals', columns: ['region_code'] },
    { table: 'admissions', columns: ['hospital_id'] },
    { table: 'severity_changes', columns: ['admission_id'] },
    { table: 'treatments', columns: ['admission_id'] },
    { table: 'expert_teams', columns: ['hospital_id'] },
  ],
  statements: [
    'CREATE UNIQUE INDEX hospitals_name ON hospitals (region_code, name)',
    'CREATE UNIQUE INDEX admissions_open ON admissions (case_id) WHERE discharged_at IS NULL',
  ],
};
