/**
 * Migration 17: daily follow-up (issue "Quarantine"). A report of a person in quarantine or home monitoring: the
 * server's time and China Standard Time day it was recorded, a temperature (degrees Celsius, or none taken), the
 * symptoms (a JSON array of `SYMPTOMS`), a note, who recorded it and as what (site staff, grid worker, the resident).
 * Each person's last report (one row per person, kept with every report: the lists join it rather than reading every
 * report). A reminder sent to a person who had not reported: one per person and day. And an index of the contact records in
 * home monitoring (those followed up after release).
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 17,
  name: 'follow-up',
  tables: [
    {
      name: 'follow_up_reports',
      columns: [
        id, req('person_id', 'int', { references: 'persons' }), req('day', 'text'), req('at', 'time'), c('temperature_c', 'real'), req('symptoms', 'json'),
        c('note', 'text'), req('reported_by', 'text'), req('source', 'text'), c('assignment_id', 'int'),
      ],
    },
    {
      name: 'follow_up_last',
      columns: [req('person_id', 'int', { references: 'persons' }), req('last_at', 'time')],
      unique: [['person_id']],
    },
    {
      name: 'follow_up_reminders',
      columns: [id, req('person_id', 'int', { references: 'persons' }), req('day', 'text'), req('sent_at', 'time'), req('sent_by', 'text')],
      unique: [['person_id', 'day']],
    },
  ],
  indexes: [],
  statements: [
    'CREATE INDEX follow_up_reports_by_person ON follow_up_reports (person_id, at)',
    'CREATE INDEX follow_up_reports_by_day ON follow_up_reports (day, person_id)',
    "CREATE INDEX contacts_home_monitoring ON contacts (person_id) WHERE status = 'home_monitoring'",
  ],
};
