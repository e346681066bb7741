/**
 * A batch of an agency's feed sent over HTTP (`POST /api/feeds/:kind`): the same kinds, columns and checks as a file
 * imported with `cordon import`, all or nothing per batch (a bad row rejects the batch, naming its line, and nothing
 * is written). The sender names each batch with an idempotency key: a batch sent again under its key (a retry after a
 * lost answer) gets the first outcome again and changes nothing; the same key with other content is refused
 * (IDEMPOTENCY_KEY_REUSED). A feed key sends only the kinds its agency keeps (`FEED_KINDS_OF_AGENCY`).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FEED_KINDS_OF_AGENCY, type AgencyKind } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { IMPORT_KINDS, type ImportKind } from '../../domain/vocab.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Store } from '../../storage/store.ts';
import { importFile, ImportRejectedError, type ImportResult } from './importFile.ts';

/** The formats a batch comes in: CSV with its header line, or NDJSON (one JSON object a line). */
export type FeedFormat = 'csv' | 'ndjson';

export interface FeedBatchProps {
  ctx: Ctx;
  store: Store;
  edition: ProtocolEdition;
  idHashKey: string;
  /** The feed kind named by the sender (refused with UNKNOWN_FEED_KIND unless one of IMPORT_KINDS). */
  kind: string;
  format: FeedFormat;
  body: Buffer;
  /** The sender's name for this batch (1-128 visible ASCII characters). */
  idempotencyKey: string;
  /** The API key that sent it: idempotency keys are the sender's own. */
  apiKeyId: number;
}

/** What a batch came to: imported (the import's counts) or rejected (its problems); `replayed` when sent before. */
export type FeedBatchOutcome =
  | { outcome: 'imported'; result: ImportResult; replayed: boolean }
  | { outcome: 'rejected'; rejection: { total: number; problems: ImportRejectedError['problems'] }; replayed: boolean };

const FORMATS: Record<string, FeedFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' };
/** The media types a batch is sent as. */
export const FEED_MEDIA_TYPES = Object.keys(FORMATS);

/** The format of a batch sent with this media type (parameters such as `; charset=utf-8` ignored), or undefined. */
export const feedFormatOf = (contentType: string | undefined): FeedFormat | undefined => FORMATS[(contentType ?? '').split(';')[0].trim().toLowerCase()];

/** The name a batch's rows are reported under (file of each problem). */
export const BATCH_NAME = 'batch';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** Whether an agency of `kind` sends feeds of `feed` (a key without an agency sends none). */
export function agencySends(kind: string | undefined, feed: ImportKind): boolean {
  return kind !== undefined && (FEED_KINDS_OF_AGENCY[kind as AgencyKind] ?? []).includes(feed);
}

/**
 * Imports one batch unless its idempotency key was used before (then answers the first outcome). Throws
 * DomainError not_found UNKNOWN_FEED_KIND for a kind that is none, invalid IDEMPOTENCY_KEY_INVALID for a malformed key, conflict IDEMPOTENCY_KEY_REUSED for a key used
 * with other content, forbidden FEED_KIND_NOT_ALLOWED for a kind the key's agency does not send.
 */
export async function receiveFeedBatch(props: FeedBatchProps): Promise<FeedBatchOutcome> {
  if (!(IMPORT_KINDS as readonly string[]).includes(props.kind)) throw new DomainError('not_found', 'UNKNOWN_FEED_KIND', `No feed kind ${props.kind}: ${IMPORT_KINDS.join(', ')}.`);
  const p = { ...props, kind: props.kind as ImportKind };
  if (!IDEMPOTENCY_KEY.test(p.idempotencyKey)) {
    throw new DomainError('invalid', 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key: 1-128 visible ASCII characters naming this batch (the same for its retries).');
  }
  const agency = await p.store.accounts.agencyOfApiKey(p.apiKeyId);
  if (!agencySends(agency?.kind, p.kind)) {
    throw new DomainError('forbidden', 'FEED_KIND_NOT_ALLOWED', `This key's agency (${agency ? `${agency.name}, ${agency.kind}` : 'none'}) does not send ${p.kind}.`);
  }
  const sha = createHash('sha256').update(p.body).digest('hex');
  const earlier = await p.store.feedBatches.find(p.apiKeyId, p.idempotencyKey);
  if (earlier) return replay(earlier, sha, p.kind);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-feed-'));
  let outcome: FeedBatchOutcome;
  try {
    const file = path.join(dir, `${BATCH_NAME}.${p.format}`);
    fs.writeFileSync(file, p.body, { mode: 0o600 });
    // In steps on SQLite: the server's other writes wait for one step, not for the batch.
    const result = await importFile({ ctx: p.ctx, store: p.store, edition: p.edition, kind: p.kind, file, format: p.format, idHashKey: p.idHashKey, inSteps: true });
    outcome = { outcome: 'imported', result: { ...result, file: BATCH_NAME }, replayed: false };
  } catch (e) {
    if (!(e instanceof ImportRejectedError)) throw e; // nothing recorded: a retry tries again
    outcome = { outcome: 'rejected', rejection: { total: e.total, problems: e.problems.map((x) => ({ ...x, file: BATCH_NAME })) }, replayed: false };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const recorded = await p.store.feedBatches.record({
    apiKeyId: p.apiKeyId, idempotencyKey: p.idempotencyKey, kind: p.kind, bodySha256: sha, outcome: outcome.outcome,
    result: outcome.outcome === 'imported' ? outcome.result : outcome.rejection, receivedAt: p.ctx.clock.now(),
  });
  if (recorded) return outcome;
  // The same batch sent twice at once: the first one recorded answers both (the import of the second changed
  // nothing that the first had not: imports skip rows stored already).
  return replay((await p.store.feedBatches.find(p.apiKeyId, p.idempotencyKey))!, sha, p.kind);
}

function replay(b: { kind: string; bodySha256: string; outcome: 'imported' | 'rejected'; result: unknown }, sha: string, kind: ImportKind): FeedBatchOutcome {
  if (b.bodySha256 !== sha || b.kind !== kind) {
    throw new DomainError('conflict', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key named another batch (other content or kind): name each batch with its own key.');
  }
  return b.outcome === 'imported'
    ? { outcome: 'imported', result: b.result as ImportResult, replayed: true }
    : { outcome: 'rejected', rejection: b.result as { total: number; problems: ImportRejectedError['problems'] }, replayed: true };
}
