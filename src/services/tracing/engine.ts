/**
 * The tracing engine of a running Cordon: the presence index built from storage (or its snapshot), the places'
 * kinds, the known isolation intervals, and the edition's compiled rules. Ingest appends records; they are merged
 * into a new index before the next query needs them (scheduled right after the append, so it usually happens off the
 * query path). The isolation intervals are refreshed before each trace (reloaded only when storage changed). The
 * store stays the source of truth: the engine can always be rebuilt from it.
 */
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { isolationInterval, ISOLATING_QUARANTINE_KINDS } from '../../domain/rules/isolation.ts';
import { PLACE_CATEGORIES, VEHICLE_SETTINGS } from '../../domain/vocab.ts';
import type { Presence } from '../../domain/model/index.ts';
import type { Store } from '../../storage/store.ts';
import { encodeSeat, PresenceColumns, sourceIndex } from '../../tracing/columns.ts';
import { IsolationTable, type IsolationInterval } from '../../tracing/isolation.ts';
import { PresenceIndex } from '../../tracing/presenceIndex.ts';
import { compileRules } from '../../tracing/rules.ts';
import { readSnapshot, writeSnapshot } from '../../tracing/snapshot.ts';
import type { PresenceMark } from '../../storage/sql/places.ts';
import { Tracer, type PlaceKinds } from '../../tracing/tracer.ts';

const NOT_VEHICLE = 255;

function pushAll(cols: PresenceColumns, batch: Presence[]): void {
  for (const r of batch) cols.push(r.personId, r.placeId, r.start, r.end, sourceIndex(r.source), encodeSeat(r.seat, r.carriage));
}

export class TracingEngine {
  private index: PresenceIndex;
  private pending = new PresenceColumns(256);
  private tracerCache: Tracer | undefined;
  private mark: PresenceMark;
  /** Records taken in but not yet handed to a retrace: how many, and the time span they cover. */
  private unretraced = { added: 0, from: Infinity, to: -Infinity };
  /** Known isolation intervals, and the storage fingerprint they were loaded at. */
  private isolation = IsolationTable.EMPTY;
  private isolationVersion: string | undefined;

  private constructor(index: PresenceIndex, private places: PlaceKinds, private readonly edition: ProtocolEdition, mark: PresenceMark, private readonly store: Store, private readonly snapshotFile?: string) {
    this.index = index;
    this.mark = mark;
  }

  /**
   * Builds the engine from the store, reusing `snapshotFile` when it covers exactly the stored presence records
   * (and writing a fresh one when it was rebuilt). Reports which it did through `onInfo`.
   */
  static async load(props: { store: Store; edition: ProtocolEdition; snapshotFile?: string; onInfo?: (msg: string) => void }): Promise<TracingEngine> {
    const { store, edition, snapshotFile } = props;
    const t0 = Date.now();
    const now = await store.presence.watermark();
    // A snapshot written on the same engine, of as many records up to the same id, is reused with the mark it was
    // written at: what was stored after that mark is read by the next ingest.
    const snap = snapshotFile ? readSnapshot<PresenceMark>(snapshotFile, now) : undefined;
    const reused = snap && (typeof snap.mark.snapshot === 'string') === (now.snapshot !== null) ? snap : undefined;
    const from = reused ? 'snapshot' : 'storage';
    let index = reused?.index;
    const mark: PresenceMark = reused ? { maxId: reused.mark.maxId, count: reused.mark.count, snapshot: reused.mark.snapshot ?? null } : now;
    if (!index) {
      const cols = new PresenceColumns(Math.max(1024, mark.count));
      for await (const batch of store.presence.scanTo(mark)) pushAll(cols, batch);
      index = PresenceIndex.build(cols);
      if (snapshotFile) writeSnapshot(snapshotFile, index, mark);
    }
    const engine = new TracingEngine(index, await TracingEngine.placeKinds(store), edition, mark, store, snapshotFile);
    await engine.refreshIsolation();
    props.onInfo?.(`tracing index: ${index.length} presence records from ${from} in ${Date.now() - t0} ms (${(index.bytes / Math.max(1, index.length)).toFixed(1)} bytes/record)`);
    return engine;
  }

  private static async placeKinds(store: Store): Promise<PlaceKinds> {
    const kinds = await store.places.kinds();
    const n = (kinds.at(-1)?.id ?? 0) + 1;
    const category = new Uint8Array(n);
    const vehicle = new Uint8Array(n).fill(NOT_VEHICLE);
    for (const k of kinds) {
      category[k.id] = PLACE_CATEGORIES.indexOf(k.category);
      if (k.vehicleSetting) vehicle[k.id] = VEHICLE_SETTINGS.indexOf(k.vehicleSetting);
    }
    return { category, vehicle };
  }

  /**
   * Takes in the presence records stored since the index was built or last caught up (by this process or another:
   * the CLI's imports), and the kinds of any new places. Cheap when nothing is new (one indexed query).
   */
  async ingestNew(): Promise<number> {
    let added = 0;
    const u = this.unretraced;
    for await (const { records, mark } of this.store.presence.scanAfter(this.mark)) {
      pushAll(this.pending, records);
      for (const r of records) { if (r.start < u.from) u.from = r.start; if (r.end > u.to) u.to = r.end; }
      this.mark = mark;
      added += records.length;
    }
    u.added += added;
    if ((await this.store.places.maxId()) >= this.places.category.length) {
      this.places = await TracingEngine.placeKinds(this.store);
      this.tracerCache = undefined;
    }
    if (added) setImmediate(() => this.merge());
    return added;
  }

  /**
   * The records taken in since the last call (by any caller of ingestNew: a route, the catch-up) and the time span
   * they cover; resets the account, so each new record is handed to exactly one retrace.
   */
  takeUnretraced(): { added: number; from: number; to: number } {
    const u = this.unretraced;
    this.unretraced = { added: 0, from: Infinity, to: -Infinity };
    return u;
  }

  /** Hands records back to the account (their retrace was rolled back), so the next catch-up retraces them. */
  restoreUnretraced(u: { added: number; from: number; to: number }): void {
    const a = this.unretraced;
    this.unretraced = { added: a.added + u.added, from: Math.min(a.from, u.from), to: Math.max(a.to, u.to) };
  }

  /**
   * Brings the isolation intervals up to date with storage (cases, centralized quarantine): one fingerprint query,
   * and a reload of the facts only when it changed. Returns whether it reloaded. Traces call it first.
   */
  async refreshIsolation(): Promise<boolean> {
    // The fingerprint is read before the facts: a change between the two reads reloads again next time.
    const version = await this.store.tracing.isolationVersion(ISOLATING_QUARANTINE_KINDS);
    if (version === this.isolationVersion) return false;
    const facts = await this.store.tracing.isolationFacts(ISOLATING_QUARANTINE_KINDS);
    this.isolation = IsolationTable.from(facts.map(isolationInterval).filter((x): x is IsolationInterval => x !== null));
    this.isolationVersion = version;
    this.tracerCache?.setIsolation(this.isolation);
    return true;
  }

  /**
   * The facts a trace of `personId`'s case needs beside presence, loaded just before the query: the isolation
   * intervals brought up to date (refreshIsolation), and the person's co-residents in the household registry when the
   * edition lists the household setting among those that make close contacts (none otherwise).
   */
  async factsFor(personId: number): Promise<{ coResidents: number[] }> {
    await this.refreshIsolation();
    return { coResidents: this.edition.closeContact.settings.includes('household') ? await this.store.tracing.coResidents(personId) : [] };
  }

  /** The isolation intervals the tracer respects (as last refreshed). */
  get isolationTable(): IsolationTable {
    return this.isolation;
  }

  /** Folds appended records into a new index. */
  private merge(): void {
    if (this.pending.length === 0) return;
    const cols = this.index.toColumns();
    for (let i = 0; i < this.pending.length; i++) cols.push(this.pending.person[i], this.pending.place[i], this.pending.start[i], this.pending.end[i], this.pending.source[i], this.pending.seat[i]);
    this.index = PresenceIndex.build(cols);
    this.pending = new PresenceColumns(256);
    this.tracerCache = undefined;
  }

  /**
   * Forgets the records that ended before `cutoff` (epoch seconds), as storage deleted them (`removed` of them):
   * the index is rebuilt without them and the snapshot file, when there is one, is written again, so no copy of
   * them stays on disk. A stay merged in the index from touching records keeps its start when it ends after the
   * cutoff (it is one continuous stay). Returns how many indexed stays were dropped.
   */
  forgetEndedBefore(cutoff: number, removed: number): number {
    this.merge();
    const cols = this.index.toColumns();
    const kept = new PresenceColumns(Math.max(1024, cols.length));
    kept.sourceMasks = cols.sourceMasks;
    for (let i = 0; i < cols.length; i++) {
      if (cols.end[i] >= cutoff) kept.push(cols.person[i], cols.place[i], cols.start[i], cols.end[i], cols.source[i], cols.seat[i]);
    }
    const dropped = cols.length - kept.length;
    if (dropped === 0 && removed === 0) return 0;
    this.index = PresenceIndex.build(kept);
    this.mark = { ...this.mark, count: Math.max(0, this.mark.count - removed) };
    this.tracerCache = undefined;
    if (this.snapshotFile) writeSnapshot(this.snapshotFile, this.index, this.mark);
    return dropped;
  }

  /** The tracer over every record ingested so far. */
  tracer(): Tracer {
    this.merge();
    this.tracerCache ??= new Tracer(this.index, this.places, compileRules(this.edition), this.isolation);
    return this.tracerCache;
  }

  get records(): number {
    return this.index.length + this.pending.length;
  }
}
