/** Corrections: every change to a recorded fact, with who made it, when, why, the values before and after, and its source. */
import type { Changes, CorrectedEntity } from '../../domain/corrections.ts';
import type { Db } from '../db.ts';
import { fromJson } from './paging.ts';

export interface Correction {
  id: number;
  entity: CorrectedEntity;
  /** The entity's id, or its natural key. */
  entityKey: string;
  changes: Changes;
  reason: string | null;
  actor: string;
  at: number;
  /** Where the change came from: `api`, `cli`, `import:<file>:<line>`, `event:<id>`. */
  source: string;
}

export type NewCorrection = Omit<Correction, 'id'>;

interface CorrectionRow { id: number; entity: string; entity_key: string; changes: unknown; reason: string | null; actor: string; at: number; source: string }

const toCorrection = (r: CorrectionRow): Correction => ({
  id: r.id, entity: r.entity as CorrectedEntity, entityKey: r.entity_key, changes: fromJson<Changes>(r.changes), reason: r.reason, actor: r.actor, at: r.at, source: r.source,
});

export class CorrectionRepository {
  constructor(private readonly db: Db) {}

  /** Records corrections (call inside the transaction that makes them). */
  async record(rows: readonly NewCorrection[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertMany('corrections', ['entity', 'entity_key', 'changes', 'reason', 'actor', 'at', 'source'],
      rows.map((r) => [r.entity, r.entityKey, JSON.stringify(r.changes), r.reason, r.actor, r.at, r.source]), []);
  }

  /** Every correction of one entity, oldest first. */
  async of(entity: CorrectedEntity, entityKey: string): Promise<Correction[]> {
    const rows = await this.db.all<CorrectionRow>('SELECT * FROM corrections WHERE entity = ? AND entity_key = ? ORDER BY at, id', [entity, entityKey]);
    return rows.map(toCorrection);
  }
}
