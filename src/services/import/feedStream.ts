/**
 * The agencies' feeds as NATS JetStream streams (the server deployment, CORDON_NATS_URL; DESIGN.md "Scale"). Each
 * installation has its own stream (its name and subjects carry 12 hex digits of a hash of the installation's secret,
 * so installations sharing a NATS server never read each other's feeds):
 * - `cordon.<inst>.feeds.<key name>.<kind>`: an agency's batches, one message each, published under the name of the
 *   agency's feed key (`cordon api-keys issue --role agency_feed ...`), with the header `Content-Type: text/csv` or
 *   `application/x-ndjson` and the same columns as `cordon import`. Its idempotency key is the `Idempotency-Key`
 *   header, else `Nats-Msg-Id`, else the message's stream sequence.
 * - `cordon.<inst>.dead.<key name>.<kind>`: the messages that are not batches Cordon can take (an unknown or revoked
 *   key, a kind its agency does not send, another media type, rows rejected), each with its reason in the header
 *   `Cordon-Reason`, kept in a stream of their own; the feed goes on after them.
 *
 * - `cordon.<inst>.devices.keys`: what checkpoint devices need to verify codes offline, the signing key ring (public
 *   keys; a retired key with the time after which its tokens are void), published by a worker when it starts and
 *   within seconds of any change (a rotation by the CLI or another process), the last one kept for a device that
 *   connects later (stream `CORDON_DEVICES_<inst>`, one message per subject).
 *
 * A worker's durable consumer takes the batches one at a time through the same path as `POST /api/feeds/:kind`
 * (`receiveFeedBatch`: all or nothing, idempotent) and acknowledges a batch only after its import has committed and
 * been recorded. A worker killed with kill -9 in the middle of a batch leaves it unacknowledged: JetStream delivers
 * it again (to this worker after a restart, or to another), and its idempotency key makes the second delivery change
 * nothing. A batch that fails for a reason that may pass (the database unavailable) is delivered again later.
 */
import { createHash } from 'node:crypto';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { DomainError } from '../../domain/errors.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Services } from '../../app/container.ts';
import { feedFormatOf, receiveFeedBatch } from './feedBatch.ts';

/**
 * How long JetStream waits for a batch's acknowledgement before delivering it again (nanoseconds): after a worker is
 * killed, its batch goes to the next worker within this time. A longer import tells JetStream it is still working on
 * it every third of this.
 */
const ACK_WAIT_NS = 30 * 1e9;
/** How long before a batch that failed for a passing reason is delivered again (milliseconds). */
const RETRY_MS = 5000;
/** How often a worker looks for a key ring changed elsewhere, to publish it (milliseconds). */
const KEYS_CHECK_MS = 3000;

/** The names of an installation's feed streams and subjects. */
export function feedStreamNames(installationSecret: string): {
  stream: string; deadStream: string; devicesStream: string; consumer: string; prefix: string; keysSubject: string;
  subject: (key: string, kind: string) => string; deadSubject: (key: string, kind: string) => string;
} {
  const inst = createHash('sha256').update(`feed-streams:${installationSecret}`).digest('hex').slice(0, 12);
  return {
    stream: `CORDON_FEEDS_${inst}`, deadStream: `CORDON_FEEDS_DEAD_${inst}`, devicesStream: `CORDON_DEVICES_${inst}`, consumer: 'cordon-feeds', prefix: `cordon.${inst}.feeds.`,
    keysSubject: `cordon.${inst}.devices.keys`,
    subject: (key, kind) => `cordon.${inst}.feeds.${key}.${kind}`,
    deadSubject: (key, kind) => `cordon.${inst}.dead.${key}.${kind}`,
  };
}

/** Creates the installation's two streams and the durable consumer when they are missing (and sets the consumer's waits). */
export async function ensureFeedStreams(nc: NatsConnection, installationSecret: string): Promise<void> {
  const n = feedStreamNames(installationSecret);
  const jsm = await jetstreamManager(nc);
  for (const [name, subject, perSubject] of [[n.stream, n.subject('*', '*'), -1], [n.deadStream, n.deadSubject('*', '*'), -1], [n.devicesStream, n.keysSubject, 1]] as const) {
    try {
      await jsm.streams.info(name);
    } catch {
      await jsm.streams.add({ name, subjects: [subject], max_msgs_per_subject: perSubject });
    }
  }
  const config = { ack_wait: ACK_WAIT_NS, max_ack_pending: 1 };
  try {
    const info = await jsm.consumers.info(n.stream, n.consumer);
    if (info.config.ack_wait !== config.ack_wait || info.config.max_ack_pending !== config.max_ack_pending) await jsm.consumers.update(n.stream, n.consumer, config);
  } catch {
    await jsm.consumers.add(n.stream, { durable_name: n.consumer, ack_policy: AckPolicy.Explicit, ...config });
  }
}

/** Connects to NATS at `url`, failing fast with a clear error (the password of the address never shown). */
export async function connectNats(url: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, timeout: 3000, maxReconnectAttempts: -1 });
  } catch (e) {
    throw new Error(`CORDON_NATS_URL: NATS cannot be reached at ${url.replace(/\/\/[^@/]*@/, '//***@')}: ${(e as Error).message}`);
  }
}

/** Why a message is not a batch Cordon takes (it goes to the dead-letter stream), or null when it is one. */
class NotABatch extends Error {}

/**
 * Runs the durable consumer of the installation's feed stream in this process (the worker role): batches are
 * imported one at a time, each acknowledged after it committed. Returns how to stop it (a batch being imported ends
 * first; it is not acknowledged if it did not).
 */
export async function startFeedConsumer(url: string, services: Services, log: Logger): Promise<() => Promise<void>> {
  const nc = await connectNats(url);
  const n = feedStreamNames(services.idHashKey);
  await ensureFeedStreams(nc, services.idHashKey);
  const js = jetstream(nc);
  const consumer = await js.consumers.get(n.stream, n.consumer);
  const messages = await consumer.consume({ max_messages: 1 });
  const handle = async (m: JsMsg): Promise<void> => {
    const [keyName, kind] = m.subject.slice(n.prefix.length).split('.');
    const working = setInterval(() => m.working(), ACK_WAIT_NS / 1e6 / 3);
    try {
      const key = keyName ? await services.store.accounts.apiKeyByName(keyName) : undefined;
      if (!key || key.revokedAt !== null || key.role !== 'agency_feed') throw new NotABatch(`no feed key named ${keyName} in use`);
      const format = feedFormatOf(m.headers?.get('Content-Type'));
      if (!format) throw new NotABatch('Content-Type: text/csv or application/x-ndjson');
      if (m.data.length === 0) throw new NotABatch('an empty message');
      const idempotencyKey = m.headers?.get('Idempotency-Key') || m.headers?.get('Nats-Msg-Id') || `jetstream:${m.seq}`;
      const ctx = { ...systemCtx(services.clock, 'feeds'), actor: { kind: 'api' as const, name: `key:${keyName}` }, scope: key.regionCode };
      const out = await receiveFeedBatch({
        ctx, store: services.store, edition: services.edition, idHashKey: services.idHashKey, kind, format,
        body: Buffer.from(m.data), idempotencyKey, apiKeyId: key.id,
      });
      if (out.outcome === 'rejected') {
        const first = out.rejection.problems[0];
        throw new NotABatch(`rejected: ${out.rejection.total} problem(s), first ${first ? `line ${first.line} ${first.field}: ${first.reason}` : ''}`);
      }
      if (!out.replayed) await services.events.settle();
      log.info({ subject: m.subject, seq: m.seq, replayed: out.replayed, ...out.result }, 'feed batch imported');
      m.ack();
    } catch (e) {
      if (e instanceof NotABatch || (e instanceof DomainError && e.kind !== 'unavailable')) {
        const h = natsHeaders();
        h.set('Cordon-Reason', e.message.slice(0, 1000));
        h.set('Cordon-Source', `${m.subject}#${m.seq}`);
        for (const name of ['Content-Type', 'Idempotency-Key']) { const v = m.headers?.get(name); if (v) h.set(name, v); }
        await js.publish(n.deadSubject(keyName || '_', kind || '_'), m.data, { headers: h });
        log.warn({ subject: m.subject, seq: m.seq, reason: e.message }, 'feed message parked in the dead-letter stream');
        m.ack();
        return;
      }
      log.error({ err: e, subject: m.subject, seq: m.seq }, 'feed batch failed: delivered again later');
      m.nak(RETRY_MS);
    } finally {
      clearInterval(working);
    }
  };
  const loop = (async () => { for await (const m of messages) await handle(m); })();
  log.info({ stream: n.stream }, 'feed stream consumer started');
  // The key ring for checkpoint devices: now, and within KEYS_CHECK_MS of a change made anywhere (compared with what
  // was published last, whoever in this process refreshed the ring).
  let published = '';
  const publishKeys = async () => {
    const keys = services.codes.keys.publicKeys();
    const text = JSON.stringify(keys);
    if (text === published) return;
    const h = natsHeaders();
    h.set('Content-Type', 'application/json');
    await js.publish(n.keysSubject, JSON.stringify({ at: services.clock.now(), keys }), { headers: h });
    published = text;
    log.info({ keys: keys.map((k) => k.kid) }, 'key ring published to checkpoint devices');
  };
  await publishKeys();
  let checking: Promise<void> | null = null;
  const keysTimer = setInterval(() => {
    checking ??= services.codes.keys.refresh().then(publishKeys)
      .catch((err: unknown) => log.error({ err }, 'key ring publication failed'))
      .finally(() => { checking = null; });
  }, KEYS_CHECK_MS);
  keysTimer.unref();
  return async () => {
    clearInterval(keysTimer);
    await checking;
    await messages.close();
    await loop.catch(() => undefined);
    await nc.drain().catch(() => undefined);
  };
}
