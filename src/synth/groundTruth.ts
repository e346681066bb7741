/** Reads the ground truth a generated province writes beside its feeds (ground-truth.ndjson, one infection a line). */
import fs from 'node:fs';
import { parseTime } from '../domain/time.ts';

/** One true infection: who, infected by whom (null: imported or seeded), confirmed when (null: never). */
export interface TrueInfection { idNumber: string; infectorIdNumber: string | null; confirmedAt: number | null }

/** A ground-truth file that cannot be read: `file:line field: reason`. */
export class GroundTruthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GroundTruthError';
  }
}

/** The infections of a ground-truth file; a missing, unreadable or empty file, or a bad line, is a GroundTruthError. */
export function readGroundTruth(file: string): TrueInfection[] {
  if (!fs.existsSync(file)) throw new GroundTruthError(`${file}: no such file`);
  if (!fs.statSync(file).isFile()) throw new GroundTruthError(`${file}: not a file`);
  const infections = fs.readFileSync(file, 'utf8').split('\n').flatMap((line, k) => {
    if (!line.trim()) return [];
    let o: { id_number?: unknown; infector_id_number?: unknown; confirmed_at?: unknown };
    try { o = JSON.parse(line) as typeof o; } catch { throw new GroundTruthError(`${file}:${k + 1}: not JSON`); }
    if (typeof o.id_number !== 'string') throw new GroundTruthError(`${file}:${k + 1} id_number: missing`);
    const confirmedAt = typeof o.confirmed_at === 'string' ? parseTime(o.confirmed_at) : null;
    if (typeof o.confirmed_at === 'string' && confirmedAt === null) throw new GroundTruthError(`${file}:${k + 1} confirmed_at: not a date-time`);
    return [{ idNumber: o.id_number, infectorIdNumber: typeof o.infector_id_number === 'string' ? o.infector_id_number : null, confirmedAt }];
  });
  if (infections.length === 0) throw new GroundTruthError(`${file}: no infections (an empty file)`);
  return infections;
}
