/**
 * Migration 13: the command dashboard's reads at a province's scale (bench:dashboard, 1,000,000 residents and
 * 100,000 tasks; docs/BENCHMARKS.md). Each index holds every column its read needs, so the read touches no table row:
 * - contacts by person, with status, kind, case, identification and last exposure: the province's persons under
 *   management counted in person order, so the persons they name are read in order too, not at random;
 * - persons by community and grid, with their id: a region's residents from the index alone; and persons by id with
 *   their community and grid: where the province's persons under management live, looked up in the index alone
 *   (PostgreSQL; without it, it scanned every row of persons: 310 against 110-130 ms at 500,000 residents, and a
 *   city's residents 120 against 35 ms without the first); SQLite is told to use the second (sql/dashboard.ts);
 * - tasks by level, status and kind, with deadline, status time and unit: counted by level and status in the index's
 *   order (no sort: SQLite sorted 100,000 rows for it), a region's by filtering the index;
 * - samples by the moment taken: the day's tests.
 */
import type { Migration } from '../schema.ts';

export const migration: Migration = {
  version: 13,
  name: 'dashboard',
  tables: [],
  indexes: [
    { table: 'samples', columns: ['sampled_at'] }, { table: 'persons', columns: ['community_code', 'grid_code', 'id'] }, { table: 'persons', columns: ['id', 'community_code', 'grid_code'] },
  ],
  // Named here: the generated names of these would pass PostgreSQL's 63 characters.
  statements: [
    'CREATE INDEX contacts_dashboard ON contacts (person_id, status, kind, index_case_id, identified_at, last_exposure)',
    'CREATE INDEX tasks_dashboard ON tasks (level, status, kind, due_at, status_at, region_code)',
  ],
};
