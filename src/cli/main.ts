/**
 * The `cordon` command: one file per group of commands under `commands/`, on top of the services. Every command has
 * --help; configuration comes from the environment (see README), options override it where offered. Data goes to
 * stdout, banners and progress to stderr.
 */
import { Command } from 'commander';
import { isStorageUnavailable } from '../storage/db.ts';
import { VERSION } from '../api/main.ts';
import { ConfigError } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { ProtocolEditionError } from '../domain/protocol/editions.ts';
import { ImportRejectedError } from '../services/import/importFile.ts';
import { ResultError } from '../services/codes/results.ts';
import { VenueOrderError } from '../services/control.ts';
import { TraceError } from '../services/tracing/traceCase.ts';
import { GroundTruthError } from '../synth/groundTruth.ts';
import { accountCommands } from './commands/accounts.ts';
import { auditCommands } from './commands/audit.ts';
import { chainCommands } from './commands/chains.ts';
import { codeCommands } from './commands/codes.ts';
import { controlCommands } from './commands/control.ts';
import { correctionCommands } from './commands/corrections.ts';
import { dataCommands } from './commands/data.ts';
import { processCommands } from './commands/process.ts';
import { CliError } from './shared.ts';

const program = new Command('cordon').version(VERSION).description('Cordon: joint prevention and control platform');
processCommands(program);
dataCommands(program);
codeCommands(program);
controlCommands(program);
chainCommands(program);
correctionCommands(program);
accountCommands(program);
auditCommands(program);

/** Errors a user can act on: their message, without a stack. */
const EXPECTED = [ImportRejectedError, ConfigError, ProtocolEditionError, CliError, GroundTruthError, DomainError, TraceError, VenueOrderError, ResultError];

/**
 * What the system said, in one line, when a user can act on it: a file that is a folder or cannot be written (Node's
 * errors of a system call), a database that is busy or cannot be reached. Undefined for anything else.
 */
function systemMessage(e: unknown): string | undefined {
  if (isStorageUnavailable(e)) return `cordon: the database is busy or cannot be reached (${(e as Error).message}); try again`;
  const sys = e as { syscall?: unknown; code?: unknown; message?: unknown } | null;
  return typeof sys?.syscall === 'string' && typeof sys.code === 'string' ? `cordon: ${String(sys.message)}` : undefined;
}

program.parseAsync(process.argv).catch((e: unknown) => {
  if (EXPECTED.some((k) => e instanceof k)) process.stderr.write(`${(e as Error).message}\n`);
  else process.stderr.write(`${systemMessage(e) ?? `cordon: ${(e as Error).stack ?? e}`}\n`);
  process.exit(1);
});
