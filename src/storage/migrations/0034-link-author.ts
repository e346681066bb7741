/**
 * Migration 34: who entered an investigator's verdict on a link (the actor's name, as exposure events and corrections
 * keep it). The old `entered_by` column (a user id) was never written; verdicts entered before this have no author.
 */
import { c, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 34,
  name: 'link verdict author',
  tables: [],
  alter: [{ table: 'transmission_links', addColumns: [c('entered_by_actor', 'text')] }],
  indexes: [],
};
