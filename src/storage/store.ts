/**
 * The one storage interface: repositories over a database of either engine. `openStore` picks the engine from the
 * configuration (a PostgreSQL URL, or the embedded SQLite file); nothing outside `storage/` knows which one runs.
 */
import path from 'node:path';
import type { Db, Engine, Lease } from './db.ts';
import { migrate } from './ddl.ts';
import { openPostgres, POSTGRES_DIALECT } from './postgres/driver.ts';
import { AuditRepository } from './sql/audit.ts';
import { AccountRepository } from './sql/accounts.ts';
import { BulletinRepository } from './sql/bulletins.ts';
import { CaseRepository } from './sql/cases.ts';
import { ChainRepository } from './sql/chains.ts';
import { CodeRepository } from './sql/codes.ts';
import { CommandRepository } from './sql/command.ts';
import { SupervisionRepository } from './sql/supervision.ts';
import { QuarantineRepository } from './sql/quarantine.ts';
import { FollowUpRepository } from './sql/followUp.ts';
import { HospitalRepository } from './sql/hospitals.ts';
import { StrandedRepository } from './sql/stranded.ts';
import { DashboardRepository } from './sql/dashboard.ts';
import { FeedBatchRepository } from './sql/feedBatches.ts';
import { PresenceMoveRepository } from './sql/presenceMoves.ts';
import { ControlRepository } from './sql/control.ts';
import { CorrectionRepository } from './sql/corrections.ts';
import { EventRepository } from './sql/events.ts';
import { MetaRepository } from './sql/meta.ts';
import { PersonRepository } from './sql/people.ts';
import { PlaceRepository, PresenceRepository } from './sql/places.ts';
import { RegionRepository } from './sql/regions.ts';
import { StatsRepository } from './sql/stats.ts';
import { SampleRepository } from './sql/testing.ts';
import { TracingRepository } from './sql/tracing.ts';
import { InterviewRepository } from './sql/interviews.ts';
import { NoticeRepository, TrajectoryRepository } from './sql/trajectory.ts';
import { openSqlite, SQLITE_DIALECT } from './sqlite/driver.ts';

export type { Page, PageRequest } from './sql/paging.ts';

/** Repositories bound to one database handle (the store's own, or a transaction's). */
export class Repositories {
  readonly meta: MetaRepository;
  readonly accounts: AccountRepository;
  readonly audit: AuditRepository;
  readonly regions: RegionRepository;
  readonly persons: PersonRepository;
  readonly places: PlaceRepository;
  readonly presence: PresenceRepository;
  readonly cases: CaseRepository;
  readonly samples: SampleRepository;
  readonly stats: StatsRepository;
  readonly codes: CodeRepository;
  readonly chains: ChainRepository;
  readonly control: ControlRepository;
  readonly events: EventRepository;
  readonly corrections: CorrectionRepository;
  readonly tracing: TracingRepository;
  readonly trajectory: TrajectoryRepository;
  readonly notices: NoticeRepository;
  readonly interviews: InterviewRepository;
  readonly command: CommandRepository;
  readonly supervision: SupervisionRepository;
  readonly quarantine: QuarantineRepository;
  readonly followUp: FollowUpRepository;
  readonly hospitals: HospitalRepository;
  readonly stranded: StrandedRepository;
  readonly bulletins: BulletinRepository;
  readonly dashboard: DashboardRepository;
  readonly feedBatches: FeedBatchRepository;
  readonly presenceMoves: PresenceMoveRepository;

  /** `hooks`: where a transaction's repositories collect what to run once it has committed, or rolled back. */
  constructor(protected readonly db: Db, private readonly hooks?: { commit: (() => void)[]; rollback: (() => void)[] }) {
    this.meta = new MetaRepository(db);
    this.accounts = new AccountRepository(db);
    this.audit = new AuditRepository(db);
    this.regions = new RegionRepository(db);
    this.persons = new PersonRepository(db);
    this.places = new PlaceRepository(db);
    this.presence = new PresenceRepository(db);
    this.cases = new CaseRepository(db);
    this.samples = new SampleRepository(db);
    this.stats = new StatsRepository(db);
    this.codes = new CodeRepository(db);
    this.chains = new ChainRepository(db);
    this.command = new CommandRepository(db);
    this.supervision = new SupervisionRepository(db);
    this.quarantine = new QuarantineRepository(db);
    this.followUp = new FollowUpRepository(db);
    this.hospitals = new HospitalRepository(db);
    this.stranded = new StrandedRepository(db);
    this.bulletins = new BulletinRepository(db);
    this.dashboard = new DashboardRepository(db);
    this.feedBatches = new FeedBatchRepository(db);
    this.presenceMoves = new PresenceMoveRepository(db);
    this.control = new ControlRepository(db);
    this.tracing = new TracingRepository(db);
    this.trajectory = new TrajectoryRepository(db);
    this.notices = new NoticeRepository(db);
    this.interviews = new InterviewRepository(db);
    this.events = new EventRepository(db);
    this.corrections = new CorrectionRepository(db);
  }

  /**
   * Runs `fn` once the transaction these repositories belong to has committed (at once outside a transaction), so
   * that in-memory state (a cache) follows only what was stored; nothing runs if it rolls back.
   */
  afterCommit(fn: () => void): void {
    if (this.hooks) this.hooks.commit.push(fn);
    else fn();
  }

  /** Runs `fn` if the transaction these repositories belong to rolls back (never outside a transaction). */
  onRollback(fn: () => void): void {
    this.hooks?.rollback.push(fn);
  }
}

/** An open database with its repositories. */
export class Store extends Repositories {
  get engine(): Engine {
    return this.db.engine;
  }

  /** Runs `fn` with repositories inside one transaction: all of its writes land, or none. */
  async transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    const hooks = { commit: [] as (() => void)[], rollback: [] as (() => void)[] };
    let result: T;
    try {
      result = await this.db.transaction((tx) => fn(new Repositories(tx, hooks)));
    } catch (e) {
      for (const h of hooks.rollback) h();
      throw e;
    }
    for (const h of hooks.commit) h();
    return result;
  }

  /**
   * Whether a process holds the lease `name` now (`now` in seconds), as far as the database shows: on SQLite, its
   * row not run out (a running server holds `scheduler`); on PostgreSQL (advisory locks, not rows) always false.
   */
  async leaseHeld(name: string, now: number): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS held FROM leases WHERE name = ? AND expires_at > ?', [name, now])) !== undefined;
  }

  /** Housekeeping after bulk writes (see Db.maintain). */
  maintain(): Promise<void> {
    return this.db.maintain();
  }

  /** The lease `name`, held by one process at a time on this database (`Db.lease`; the scheduler's timers). */
  lease(name: string, periodSeconds: number): Lease {
    return this.db.lease(name, periodSeconds);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Where to store: a PostgreSQL URL, or the embedded SQLite file (`:memory:` for a throwaway one). */
export type StoreLocation = { postgresUrl: string; schema?: string } | { sqliteFile: string };

/** Where the configuration says to store: PostgreSQL when a URL is set, else `<dataDir>/cordon.sqlite`. */
export function storeLocation(config: { databaseUrl: string | undefined; dataDir: string }): StoreLocation {
  return config.databaseUrl ? { postgresUrl: config.databaseUrl } : { sqliteFile: path.join(config.dataDir, 'cordon.sqlite') };
}

/** Opens the store and brings its schema up to date. */
export async function openStore(where: StoreLocation): Promise<Store> {
  if ('postgresUrl' in where) {
    const db = await openPostgres(where.postgresUrl, { schema: where.schema });
    await migrate(db, POSTGRES_DIALECT);
    return new Store(db);
  }
  const db = openSqlite(where.sqliteFile);
  await migrate(db, SQLITE_DIALECT);
  return new Store(db);
}
