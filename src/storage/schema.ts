/**
 * The database schema, described once and rendered to each engine's DDL by its folder. A migration is a list of
 * tables and indexes; applied migrations are recorded in `schema_migrations`.
 */

/** Column types: `id` is the integer primary key; `time` is epoch seconds; `json` is JSON text (JSONB on PostgreSQL). */
export type ColumnType = 'id' | 'int' | 'time' | 'real' | 'text' | 'json';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  notNull?: boolean;
  /** SQL literal default, identical on both engines (a number or a quoted string). */
  default?: string;
  references?: string;
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
  /** Column lists that must be unique together: the natural keys that make re-imports change nothing. */
  unique?: string[][];
}

export interface IndexDef {
  table: string;
  columns: string[];
}

export interface Migration {
  version: number;
  name: string;
  tables: TableDef[];
  indexes: IndexDef[];
  /** Statements run after the tables and indexes (the same SQL on both engines). */
  statements?: string[];
}

const c = (name: string, type: ColumnType, opts: Omit<ColumnDef, 'name' | 'type'> = {}): ColumnDef => ({ name, type, ...opts });
const req = (name: string, type: ColumnType, opts: Omit<ColumnDef, 'name' | 'type' | 'notNull'> = {}): ColumnDef => c(name, type, { ...opts, notNull: true });
const id = c('id', 'id');

/** Every migration, oldest first. Append; never edit one that has shipped. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'domain model',
    tables: [
      { name: 'meta', columns: [c('key', 'text', { notNull: true }), c('value', 'text')], unique: [['key']] },
      {
        name: 'regions',
        columns: [id, req('code', 'text'), req('name', 'text'), req('level', 'text'), c('parent_code', 'text'), req('functional_zone', 'int', { default: '0' })],
        unique: [['code']],
      },
      { name: 'households', columns: [id, req('code', 'text'), req('community_code', 'text'), c('grid_code', 'text'), c('address', 'text')], unique: [['code']] },
      {
        name: 'persons',
        columns: [
          id, req('id_hash', 'text'), req('id_masked', 'text'), req('name', 'text'), req('sex', 'text'), req('birth_date', 'text'),
          c('phone', 'text'), c('household_id', 'int', { references: 'households' }), req('community_code', 'text'), c('grid_code', 'text'),
          c('occupation', 'text'), req('created_at', 'time'),
        ],
        unique: [['id_hash']],
      },
      {
        name: 'places',
        columns: [
          id, req('code', 'text'), req('name', 'text'), req('category', 'text'), req('region_code', 'text'), c('lng', 'real'), c('lat', 'real'),
          req('status', 'text', { default: "'open'" }), c('vehicle_setting', 'text'),
        ],
        unique: [['code']],
      },
      {
        name: 'trips',
        columns: [
          id, req('mode', 'text'), req('number', 'text'), req('service_date', 'text'), req('place_id', 'int', { references: 'places' }),
          req('departs_at', 'time'), req('arrives_at', 'time'), c('from_code', 'text'), c('to_code', 'text'), req('layout', 'json'),
        ],
        unique: [['mode', 'number', 'service_date']],
      },
      {
        name: 'presence',
        columns: [
          id, req('person_id', 'int', { references: 'persons' }), req('place_id', 'int', { references: 'places' }), req('start_at', 'time'),
          req('end_at', 'time'), req('source', 'text'), c('seat', 'text'), c('carriage', 'text'),
        ],
        unique: [['person_id', 'place_id', 'start_at', 'source']],
      },
      {
        name: 'cases',
        columns: [
          id, req('case_no', 'text'), req('person_id', 'int', { references: 'persons' }), req('kind', 'text'), c('onset_at', 'time'),
          req('sampled_at', 'time'), req('confirmed_at', 'time'), c('isolated_at', 'time'), req('severity', 'text'),
          c('hospital_place_id', 'int', { references: 'places' }), req('outcome', 'text'), c('detected_by', 'text'),
        ],
        unique: [['case_no'], ['person_id']],
      },
      {
        name: 'contacts',
        columns: [
          id, req('person_id', 'int', { references: 'persons' }), req('kind', 'text'), req('index_case_id', 'int', { references: 'cases' }),
          c('via_contact_id', 'int'), req('first_exposure', 'time'), req('last_exposure', 'time'), req('evidence', 'json'),
          req('status', 'text'), req('identified_at', 'time'),
        ],
        unique: [['index_case_id', 'person_id', 'kind']],
      },
      {
        name: 'transmission_links',
        columns: [
          id, req('infector_case_id', 'int', { references: 'cases' }), req('infectee_case_id', 'int', { references: 'cases' }),
          req('verdict', 'text'), c('note', 'text'), c('entered_by', 'int'), req('entered_at', 'time'),
        ],
        unique: [['infector_case_id', 'infectee_case_id']],
      },
      {
        name: 'pools',
        columns: [id, req('pool_no', 'text'), req('size', 'int'), req('sampled_at', 'time'), req('result', 'text'), c('result_at', 'time'), c('lab', 'text')],
        unique: [['pool_no']],
      },
      {
        name: 'samples',
        columns: [
          id, req('sample_no', 'text'), req('person_id', 'int', { references: 'persons' }), req('method', 'text'),
          c('pool_id', 'int', { references: 'pools' }), req('sampled_at', 'time'), req('result', 'text'), c('result_at', 'time'), c('lab', 'text'),
        ],
        unique: [['sample_no']],
      },
      {
        name: 'vaccinations',
        columns: [id, req('person_id', 'int', { references: 'persons' }), req('dose', 'int'), req('vaccine', 'text'), req('vaccinated_at', 'time'), c('site', 'text')],
        unique: [['person_id', 'dose']],
      },
      { name: 'quarantine_sites', columns: [id, req('name', 'text'), c('place_id', 'int'), req('region_code', 'text'), req('rooms', 'int')] },
      {
        name: 'quarantine_assignments',
        columns: [
          id, req('person_id', 'int', { references: 'persons' }), req('kind', 'text'), c('site_id', 'int', { references: 'quarantine_sites' }),
          req('counted_from', 'time'), req('started_at', 'time'), req('planned_end', 'time'), c('ended_at', 'time'), req('reason', 'text'),
        ],
      },
      {
        name: 'health_codes',
        columns: [id, req('person_id', 'int', { references: 'persons' }), req('colour', 'text'), req('reasons', 'json'), req('since', 'time'), c('valid_until', 'time')],
      },
      {
        name: 'risk_areas',
        columns: [id, req('region_code', 'text'), c('unit_name', 'text'), req('level', 'text'), req('since', 'time'), c('review_at', 'time'), req('rule_set', 'text'), req('reason', 'text')],
      },
      {
        name: 'venue_orders',
        columns: [id, req('order_no', 'text'), req('action', 'text'), req('categories', 'json'), req('region_codes', 'json'), req('starts_at', 'time'), c('ends_at', 'time'), req('issued_by', 'text')],
        unique: [['order_no']],
      },
      { name: 'checkpoints', columns: [id, req('code', 'text'), req('name', 'text'), req('kind', 'text'), c('place_id', 'int'), req('region_code', 'text')], unique: [['code']] },
      {
        name: 'check_records',
        columns: [id, req('checkpoint_id', 'int', { references: 'checkpoints' }), c('person_id', 'int'), req('at', 'time'), c('temperature_c', 'real'), req('verdict', 'text'), req('reasons', 'json')],
      },
      { name: 'agencies', columns: [id, req('name', 'text'), req('kind', 'text'), req('region_code', 'text')] },
      {
        name: 'users',
        columns: [id, req('username', 'text'), req('display_name', 'text'), req('agency_id', 'int', { references: 'agencies' }), req('role', 'text'), req('region_code', 'text')],
        unique: [['username']],
      },
      {
        name: 'tasks',
        columns: [
          id, c('parent_id', 'int'), req('title', 'text'), req('kind', 'text'), req('level', 'text'), req('region_code', 'text'), c('owner_user_id', 'int'),
          req('due_at', 'time'), req('status', 'text'), c('subject_person_id', 'int'), req('created_at', 'time'),
        ],
      },
      { name: 'audit_log', columns: [id, req('at', 'time'), c('user_id', 'int'), req('action', 'text'), req('subject', 'text'), c('detail', 'text')] },
    ],
    indexes: [
      { table: 'regions', columns: ['parent_code'] },
      { table: 'regions', columns: ['level'] },
      { table: 'persons', columns: ['community_code'] },
      { table: 'persons', columns: ['phone'] },
      { table: 'places', columns: ['region_code'] },
      { table: 'places', columns: ['category'] },
      { table: 'presence', columns: ['place_id', 'start_at'] },
      { table: 'cases', columns: ['confirmed_at'] },
      { table: 'contacts', columns: ['person_id'] },
      { table: 'samples', columns: ['person_id'] },
      { table: 'health_codes', columns: ['person_id', 'since'] },
      { table: 'tasks', columns: ['region_code', 'status'] },
    ],
  },
  {
    version: 2,
    name: 'health codes and their signing keys',
    tables: [
      {
        name: 'signing_keys',
        columns: [id, req('kid', 'text'), req('public_key', 'text'), req('private_key', 'text'), req('created_at', 'time'), c('retired_at', 'time')],
        unique: [['kid']],
      },
      {
        // Every person's code now: what online verification compares a token with.
        name: 'current_codes',
        columns: [id, req('person_id', 'int', { references: 'persons' }), req('colour', 'text'), req('reasons', 'json'), req('since', 'time'), req('valid_until', 'time')],
        unique: [['person_id']],
      },
      {
        // Every change of a code, with what caused it.
        name: 'code_transitions',
        columns: [
          id, req('person_id', 'int', { references: 'persons' }), c('from_colour', 'text'), req('colour', 'text'), req('reasons', 'json'),
          req('cause', 'text'), req('at', 'time'),
        ],
      },
    ],
    indexes: [
      { table: 'code_transitions', columns: ['person_id', 'at'] },
      { table: 'risk_areas', columns: ['region_code', 'since'] },
      { table: 'check_records', columns: ['checkpoint_id', 'at'] },
      { table: 'contacts', columns: ['identified_at'] },
    ],
    // Superseded by current_codes and code_transitions (it was never written).
    statements: ['DROP TABLE IF EXISTS health_codes'],
  },
  {
    version: 3,
    name: 'tracing look-ups: persons by household',
    tables: [],
    // A case's co-residents are close contacts: found per trace by household, which scanned every person without it
    // (about 200 ms per case at 1,000,000 residents on SQLite).
    indexes: [{ table: 'persons', columns: ['household_id'] }],
  },
];

/** Name of an index: table and columns, so that re-running a migration finds it. */
export function indexName(ix: IndexDef): string {
  return `ix_${ix.table}_${ix.columns.join('_')}`;
}
