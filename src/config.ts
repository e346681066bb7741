/**
 * Cordon's configuration, read once from the environment into a typed object.
 * Start-up fails listing every bad variable; no other module reads `process.env`.
 */
import path from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  CORDON_DATA_DIR: z.string().min(1).default('./data'),
  CORDON_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL; leave unset for the embedded SQLite database')
    .optional(),
  CORDON_PROTOCOL_EDITION: z.string().min(1).default('ed8-delta-2021'),
  CORDON_ID_HASH_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  CORDON_GRIDS_PER_COMMUNITY: z.coerce.number().int().min(1).max(99).default(4),
  CORDON_DEMO_PERSONS: z.coerce.number().int().min(0).default(20000),
  CORDON_TRACE_CATCHUP_SECONDS: z.coerce.number().int().min(0).default(30),
  CORDON_PRESENCE_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(28),
  CORDON_HOUSEKEEPING_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  CORDON_LEASE_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
  CORDON_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  CORDON_NATS_URL: z.string().regex(/^(nats|tls):\/\/[^\s]+$/, 'must start with nats:// or tls://').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The typed configuration every entry point receives. */
export interface Config {
  /** TCP port of the HTTP server (PORT, default 8080). */
  port: number;
  /** Interface the HTTP server binds (HOST, default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network). */
  host: string;
  /** Folder for the embedded database, secrets and snapshots (CORDON_DATA_DIR, default ./data). */
  dataDir: string;
  /** Whether CORDON_DATA_DIR was set (the CLI creates a database only where it was told to, or with init/start). */
  dataDirConfigured: boolean;
  /** PostgreSQL URL; undefined selects the embedded SQLite file under dataDir (CORDON_DATABASE_URL). */
  databaseUrl: string | undefined;
  /** Protocol edition in force (CORDON_PROTOCOL_EDITION, default ed8-delta-2021). */
  protocolEdition: string;
  /** Key for hashing ID numbers; when unset a random key is created once in dataDir (CORDON_ID_HASH_KEY). */
  idHashKey: string | undefined;
  /** Grids generated under each community on init (CORDON_GRIDS_PER_COMMUNITY, default 4). */
  gridsPerCommunity: number;
  /** Persons in the built-in demo province (CORDON_DEMO_PERSONS, default 20000). */
  demoPersons: number;
  /**
   * How often the server takes in presence records stored by other processes and retraces the cases they touch
   * (CORDON_TRACE_CATCHUP_SECONDS, default 30; 0 = never).
   */
  traceCatchUpSeconds: number;
  /**
   * How long presence records are kept (CORDON_PRESENCE_RETENTION_DAYS, default 28 days; 0 = kept forever): a
   * daily job deletes those that ended earlier, and the server's tracing index forgets them too.
   */
  presenceRetentionDays: number;
  /**
   * How often the scheduler runs its timers: codes whose validity ran out, venue orders, overdue tasks, the day's
   * bulletin (CORDON_HOUSEKEEPING_SECONDS, default 60); risk areas are graded every tenth run, old presence deleted
   * once a day.
   */
  housekeepingSeconds: number;
  /**
   * The scheduler's lease (CORDON_LEASE_SECONDS, default 15): one scheduler process at a time runs the timers; when it
   * dies, another takes over within this many seconds.
   */
  leaseSeconds: number;
  /**
   * Redis for the server's claims of verified tokens, instead of the database (CORDON_REDIS_URL; unset: the
   * database). Every server process of an installation must use the same one.
   */
  redisUrl: string | undefined;
  /**
   * NATS with JetStream for the agencies' feed streams (CORDON_NATS_URL, e.g. nats://127.0.0.1:4222; unset: feeds come
   * by file and over HTTP only): a worker writes the batches published there (`src/services/import/feedStream.ts`).
   */
  natsUrl: string | undefined;
  /** Log level for pino (LOG_LEVEL, default info). */
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

/** Thrown when the environment holds invalid values; the message lists every one of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment (the process's by default), failing with every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.CORDON_DATA_DIR),
    dataDirConfigured: cleaned.CORDON_DATA_DIR !== undefined,
    databaseUrl: e.CORDON_DATABASE_URL,
    protocolEdition: e.CORDON_PROTOCOL_EDITION,
    idHashKey: e.CORDON_ID_HASH_KEY,
    gridsPerCommunity: e.CORDON_GRIDS_PER_COMMUNITY,
    demoPersons: e.CORDON_DEMO_PERSONS,
    traceCatchUpSeconds: e.CORDON_TRACE_CATCHUP_SECONDS,
    presenceRetentionDays: e.CORDON_PRESENCE_RETENTION_DAYS,
    housekeepingSeconds: e.CORDON_HOUSEKEEPING_SECONDS,
    leaseSeconds: e.CORDON_LEASE_SECONDS,
    redisUrl: e.CORDON_REDIS_URL,
    natsUrl: e.CORDON_NATS_URL,
    logLevel: e.LOG_LEVEL,
  };
}
