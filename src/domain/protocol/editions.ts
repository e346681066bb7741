/** Loads protocol editions from the `protocol/` data folder, validating each against the schema. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProtocolEditionSchema, type ProtocolEdition } from './schema.ts';

/** The folder holding the shipped editions (one JSON file each). */
export const EDITIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../protocol');

/** Raised when an edition file is missing or does not satisfy the schema; lists every problem with its path. */
export class ProtocolEditionError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: invalid protocol edition:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProtocolEditionError';
  }
}

/** Parses and validates one edition from JSON text; `file` names it in errors. */
export function parseEdition(text: string, file: string): ProtocolEdition {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ProtocolEditionError(file, [`not JSON: ${(e as Error).message}`]);
  }
  const parsed = ProtocolEditionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProtocolEditionError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  if (path.basename(file, '.json') !== parsed.data.id) {
    throw new ProtocolEditionError(file, [`id "${parsed.data.id}" does not match the file name`]);
  }
  return parsed.data;
}

/** Ids of the editions shipped in a folder. */
export function listEditions(dir = EDITIONS_DIR): string[] {
  const ids = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  // Stryker disable next-line MethodExpression: equivalent where Node runs Cordon (Linux, macOS): libuv's scandir returns the names sorted already
  return ids.sort();
}

/** Loads one edition by id from a folder (the shipped editions by default). */
export function loadEdition(id: string, dir = EDITIONS_DIR): ProtocolEdition {
  const file = path.join(dir, `${id}.json`);
  if (!fs.existsSync(file)) {
    throw new ProtocolEditionError(file, [`no such edition; available: ${listEditions(dir).join(', ')}`]);
  }
  // Stryker disable next-line StringLiteral: equivalent: without an encoding the file is read as bytes, which JSON.parse reads as the same UTF-8 text
  return parseEdition(fs.readFileSync(file, 'utf8'), file);
}
