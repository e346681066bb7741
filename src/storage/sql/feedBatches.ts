/** Feed batches received over HTTP, by sending key and idempotency key (migration 29). */
import type { Db } from '../db.ts';
import { fromJson } from './paging.ts';

/** What became of a batch: imported (with the import's counts) or rejected (with its problems); kept as answered. */
export interface FeedBatch {
  apiKeyId: number;
  idempotencyKey: string;
  kind: string;
  bodySha256: string;
  outcome: 'imported' | 'rejected';
  result: unknown;
  receivedAt: number;
}

interface Row { api_key_id: number; idempotency_key: string; kind: string; body_sha256: string; outcome: string; result: unknown; received_at: number }

export class FeedBatchRepository {
  constructor(private readonly db: Db) {}

  /** The batch a key sent under an idempotency key, if any. */
  async find(apiKeyId: number, idempotencyKey: string): Promise<FeedBatch | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM feed_batches WHERE api_key_id = ? AND idempotency_key = ?', [apiKeyId, idempotencyKey]);
    return r && {
      apiKeyId: Number(r.api_key_id), idempotencyKey: r.idempotency_key, kind: r.kind, bodySha256: r.body_sha256, outcome: r.outcome as FeedBatch['outcome'],
      result: fromJson(r.result), receivedAt: Number(r.received_at),
    };
  }

  /** Records a batch's outcome; false when the key had a batch under this idempotency key already (kept as it was). */
  async record(b: FeedBatch): Promise<boolean> {
    const n = await this.db.insertMany('feed_batches', ['api_key_id', 'idempotency_key', 'kind', 'body_sha256', 'outcome', 'result', 'received_at'],
      [[b.apiKeyId, b.idempotencyKey, b.kind, b.bodySha256, b.outcome, JSON.stringify(b.result), b.receivedAt]], ['api_key_id', 'idempotency_key']);
    return n > 0;
  }
}
