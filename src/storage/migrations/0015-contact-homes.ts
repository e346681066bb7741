/**
 * Migration 15: where a contact's person lives, on the contact record (`contacts.home_code`: the person's grid, else
 * their community), so the command dashboard counts a region's persons under management from one index of contacts
 * by home instead of looking up each person's home (the province's 66,518 persons under management: 98-170 against
 * ~35 ms at 1,000,000 residents on SQLite; docs/BENCHMARKS.md). The contacts repository writes it with each contact
 * and rewrites it when a person's home is corrected (PersonRepository.update). Its index, ordered by home then person,
 * keeps a person's records together (they share one home), so the province's are grouped by person without a sort and
 * a region's are a range. Migration 13's index of contacts by person stays: the codes' reads by person use it (without
 * it bench:codes' confirm took 1,194 against 869 ms on SQLite). And samples by person with the moment taken, replacing
 * samples by person alone: a region's samples of a day are counted from the index alone.
 */
import { c, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 15,
  name: 'contact-homes',
  tables: [],
  alter: [{ table: 'contacts', addColumns: [c('home_code', 'text')] }],
  indexes: [{ table: 'samples', columns: ['person_id', 'sampled_at'] }],
  statements: [
    'UPDATE contacts SET home_code = (SELECT COALESCE(p.grid_code, p.community_code) FROM persons p WHERE p.id = contacts.person_id)',
    'CREATE INDEX contacts_by_home ON contacts (home_code, person_id, status, kind, index_case_id, identified_at, last_exposure)',
    'DROP INDEX ix_samples_person_id',
  ],
};
