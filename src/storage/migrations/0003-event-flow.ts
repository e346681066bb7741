/**
 * Migration 3: the event flow and corrections. Every change of a fact is written with a domain event in the same
 * transaction (`outbox`); handlers mark events done. Every correction keeps who, when, why, before and after
 * (`corrections`); an event emitted by a handler names its parent, and a code transition the event that caused it. Cases can be withdrawn, carry an outcome time, and a person can be a case again after recovery
 * (reinfection), so a person is no longer unique among cases. Contacts record where they came from and when their
 * status last changed. Checkpoints without a place get one, so every registration becomes presence.
 */
import { c, id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 3,
  name: 'event flow and corrections',
  tables: [
    {
      name: 'outbox',
      columns: [
        // parent_id: the event whose handler emitted this one (what a request caused can be followed down).
        id, req('kind', 'text'), req('payload', 'json'), req('actor', 'text'), req('at', 'time'), c('parent_id', 'int'), c('done_at', 'time'),
        req('attempts', 'int', { default: '0' }), c('last_error', 'text'), c('next_attempt_at', 'time'),
      ],
    },
    {
      name: 'corrections',
      columns: [
        id, req('entity', 'text'), req('entity_key', 'text'), req('changes', 'json'), c('reason', 'text'), req('actor', 'text'), req('at', 'time'),
        req('source', 'text'),
      ],
    },
  ],
  alter: [
    {
      table: 'cases',
      addColumns: [c('outcome_at', 'time'), c('withdrawn_at', 'time'), c('withdrawal_reason', 'text')],
      dropUnique: [['person_id']],
    },
    { table: 'contacts', addColumns: [req('origin', 'text', { default: "'tracing'" }), c('status_at', 'time')] },
    // The event whose handling changed the code.
    { table: 'code_transitions', addColumns: [c('event_id', 'int')] },
  ],
  indexes: [
    { table: 'outbox', columns: ['done_at', 'id'] },
    { table: 'outbox', columns: ['parent_id'] },
    { table: 'code_transitions', columns: ['event_id'] },
    { table: 'corrections', columns: ['entity', 'entity_key'] },
    { table: 'cases', columns: ['person_id'] },
  ],
  statements: [
    "UPDATE contacts SET status = 'lost_to_follow_up' WHERE status = 'unreachable'",
    `INSERT INTO places (code, name, category, region_code, status)
       SELECT 'CP-' || code, name, CASE kind WHEN 'airport' THEN 'airport' WHEN 'rail_station' THEN 'rail_station' WHEN 'bus_station' THEN 'bus_station'
         WHEN 'tollgate' THEN 'tollgate' WHEN 'community_gate' THEN 'compound_gate' WHEN 'medical_institution' THEN 'clinic' WHEN 'cargo' THEN 'airport'
         ELSE 'compound_gate' END, region_code, 'open'
       FROM checkpoints WHERE place_id IS NULL AND NOT EXISTS (SELECT 1 FROM places p WHERE p.code = 'CP-' || checkpoints.code)`,
    "UPDATE checkpoints SET place_id = (SELECT p.id FROM places p WHERE p.code = 'CP-' || checkpoints.code) WHERE place_id IS NULL",
  ],
};
