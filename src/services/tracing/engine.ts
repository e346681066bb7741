/**
 * The tracing engine of a running Cordon: the presence index built from storage (or its snapshot), the places'
 * kinds, the known isolation intervals, and the edition's compiled rules. Ingest appends records; they are merged
 * into a new index before the next query needs them (started right after the append, so it usually happens off the
 * query path). Reading new records and merging them run in slices of a few milliseconds with turns of the event loop
 * between them, so a large import folded in never holds a live server's requests for long; the index is replaced
 * only when the new one is whole, and one replacement (merge or forgetting) runs at a time. The isolation intervals
 * are refreshed before each trace (reloaded only when storage changed). The store stays the source of truth: the
 * engine can always be rebuilt from it.
 */
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { isolationInterval, ISOLATING_QUARANTINE_KINDS } from '../../domain/rules/isolation.ts';
import { PLACE_CATEGORIES, VEHICLE_SETTINGS } from '../../domain/vocab.ts';
import type { PresenceSource } from '../../domain/model/index.ts';
import { turn } from '../../platform/turn.ts';
import type { Store } from '../../storage/store.ts';
import { encodeSeat, PresenceColumns, sourceIndex } from '../../tracing/columns.ts';
import { IsolationTable, type IsolationInterval } from '../../tracing/isolation.ts';
import { PresenceIndex, runInSlices } from '../../tracing/presenceIndex.ts';
import { compileRules } from '../../tracing/rules.ts';
import { readSnapshot, writeSnapshot } from '../../tracing/snapshot.ts';
import type { PresenceMark, PresenceTuple } from '../../storage/sql/places.ts';
import { Tracer, type PlaceKinds } from '../../tracing/tracer.ts';

const NOT_VEHICLE = 255;
/** Presence records read per batch when catching up: about 20 ms of reading on SQLite, then a turn of the event loop. */
const INGEST_BATCH = 10_000;

function pushAll(cols: PresenceColumns, batch: PresenceTuple[]): void {
  for (const r of batch) cols.push(r[1], r[2], r[3], r[4], sourceIndex(r[5] as PresenceSource), encodeSeat(r[6], r[7]));
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
  /** Records taken from `pending` by the running merge and not yet in the index. */
  private folding = 0;
  /** The running merge of pending records, if one runs (callers share it). */
  private merging: Promise<void> | undefined;
  /** Replacements of the index (merges, forgetting) in order, one at a time. */
  private replacing: Promise<unknown> = Promise.resolve();

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
      for await (const batch of store.presence.scanTuplesTo(mark)) pushAll(cols, batch);
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
   * the CLI's imports), and the kinds of any new places. Cheap when nothing is new (one indexed query). Reads in
   * batches of INGEST_BATCH with a turn of the event loop after each, so a million new records are read without
   * holding the server's requests for more than one batch at a time.
   */
  async ingestNew(): Promise<number> {
    let added = 0;
    const u = this.unretraced;
    for await (const { records, mark } of this.store.presence.scanTuplesAfter(this.mark, INGEST_BATCH)) {
      pushAll(this.pending, records);
      for (const r of records) { if (r[3] < u.from) u.from = r[3]; if (r[4] > u.to) u.to = r[4]; }
      this.mark = mark;
      added += records.length;
      if (records.length === INGEST_BATCH) await turn();
    }
    u.added += added;
    if ((await this.store.places.maxId()) >= this.places.category.length) {
      this.places = await TracingEngine.placeKinds(this.store);
      this.tracerCache = undefined;
    }
    if (added) void this.merged().catch(() => undefined); // a failure shows at the next query's merge
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

  /** Runs `replace` after every replacement of the index asked before it (merges and forgetting take turns). */
  private inTurn<T>(replace: () => Promise<T>): Promise<T> {
    const r = this.replacing.then(replace);
    this.replacing = r.catch(() => undefined);
    return r;
  }

  /**
   * Resolves when every record appended so far is in the index: folds them into a new index in slices (several
   * callers share one run; records appended while it runs are folded by the same run before it ends).
   */
  private merged(): Promise<void> {
    if (this.pending.length === 0 && !this.merging) return Promise.resolve();
    this.merging ??= this.inTurn(async () => {
      try {
        await this.mergePending();
      } finally {
        this.merging = undefined;
      }
    });
    return this.merging;
  }

  /** Folds the pending records into a new index until none is left (run only in turn). */
  private async mergePending(): Promise<void> {
    while (this.pending.length > 0) {
      const pending = this.pending;
      this.pending = new PresenceColumns(256);
      this.folding = pending.length;
      try {
        const cols = await runInSlices(this.index.columnSteps({ append: pending }));
        this.index = await runInSlices(PresenceIndex.buildSteps(cols));
        this.tracerCache = undefined;
      } catch (e) {
        // Not lost: the records go back in front of any appended since, for the next merge.
        pending.append(this.pending);
        this.pending = pending;
        throw e;
      } finally {
        this.folding = 0;
      }
    }
  }

  /**
   * Forgets the records that ended before `cutoff` (epoch seconds), as storage deleted them (`removed` of them):
   * the index is rebuilt without them and the snapshot file, when there is one, is written again, so no copy of
   * them stays on disk. A stay merged in the index from touching records keeps its start when it ends after the
   * cutoff (it is one continuous stay). Returns how many indexed stays were dropped.
   */
  forgetEndedBefore(cutoff: number, removed: number): Promise<number> {
    return this.inTurn(async () => {
      await this.mergePending();
      // Nothing of the index ended before the cutoff and storage deleted nothing: no rebuild (a check every hour is cheap).
      if (removed === 0 && this.index.minEnd >= cutoff) return 0;
      const kept = await runInSlices(this.index.columnSteps({ endingFrom: cutoff }));
      const dropped = this.index.length - kept.length;
      if (dropped === 0 && removed === 0) return 0;
      this.index = await runInSlices(PresenceIndex.buildSteps(kept));
      this.mark = { ...this.mark, count: Math.max(0, this.mark.count - removed) };
      this.tracerCache = undefined;
      if (this.snapshotFile) writeSnapshot(this.snapshotFile, this.index, this.mark);
      return dropped;
    });
  }

  /** The tracer over every record ingested so far (waits for the merge of records appended before the call). */
  async tracer(): Promise<Tracer> {
    await this.merged();
    this.tracerCache ??= new Tracer(this.index, this.places, compileRules(this.edition), this.isolation);
    return this.tracerCache;
  }

  get records(): number {
    return this.index.length + this.folding + this.pending.length;
  }
}
