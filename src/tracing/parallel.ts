/**
 * Tracing a batch of cases on every core: the index's arrays live in shared memory, a persistent worker per extra
 * core holds its own Tracer over them, and the cases of a batch are taken one at a time from a shared counter by the
 * workers and this thread alike (one case can hold a hundred times the contacts of another, so fixed shares would
 * leave a thread idle). Results come back as the sealed contact arrays, transferred rather than copied. The isolation
 * table lives in shared memory too, and every thread uses the same one (setIsolation replaces it everywhere). For
 * batches (an outbreak's new cases, a daily retrace); a single case is faster on the calling thread.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { ContactKind } from '../domain/vocab.ts';
import { IsolationTable, type IsolationArrays } from './isolation.ts';
import { PresenceIndex, type IndexArrays } from './presenceIndex.ts';
import { compileRules } from './rules.ts';
import { ContactSet, Tracer, type PlaceKinds, type TraceInput } from './tracer.ts';

/**
 * One case of a batch: its input, the deadline by which its close contacts are isolated at the latest (for secondary
 * contacts; epoch seconds), and its co-residents in the household registry.
 */
export interface BatchCase { input: TraceInput; isolatedBy: number; coResidents?: number[] }
/** What to find for each case of a batch. */
export type BatchWork = 'close' | 'close+secondary' | 'companions';
/** A sealed set as it crosses threads. */
export interface SealedSet { kind: ContactKind; count: number; evCount: number; c: Uint32Array; ev: Uint32Array }

/** The sets asked for of one case (close, then secondary; or companions). */
function runCase(tracer: Tracer, { input, isolatedBy, coResidents }: BatchCase, work: BatchWork): ContactSet[] {
  if (work === 'companions') return [tracer.companions(input)];
  const close = tracer.close(input, { coResidents });
  return work === 'close' ? [close] : [close, tracer.secondary(input, close, () => isolatedBy)];
}

/** Runs one batch on a tracer, case by case. */
export function runBatch(tracer: Tracer, cases: BatchCase[], work: BatchWork): ContactSet[][] {
  return cases.map((c) => runCase(tracer, c, work));
}

/**
 * Runs the cases of a batch whose numbers this thread takes from `next` (a shared counter, incremented atomically),
 * until none is left; returns the numbers taken with their sets.
 */
export function runShare(tracer: Tracer, cases: BatchCase[], work: BatchWork, next: Int32Array): { taken: number[]; sets: ContactSet[][] } {
  const taken: number[] = [], sets: ContactSet[][] = [];
  for (let k = Atomics.add(next, 0, 1); k < cases.length; k = Atomics.add(next, 0, 1)) {
    taken.push(k);
    sets.push(runCase(tracer, cases[k], work));
  }
  return { taken, sets };
}

/** Copies typed arrays into shared memory, each as the same kind of array. */
function allShared<T extends object>(arrays: T): T {
  return Object.fromEntries(Object.entries(arrays).map(([k, a]) => {
    const Ctor = (a as Uint32Array).constructor as Uint32ArrayConstructor;
    return [k, toShared(a as Uint32Array, (buf) => new Ctor(buf))];
  })) as T;
}

function toShared<T extends ArrayBufferView & { length: number; set(a: ArrayLike<number>): void }>(a: T, make: (buf: SharedArrayBuffer) => T): T {
  const shared = make(new SharedArrayBuffer(a.byteLength));
  shared.set(a as unknown as ArrayLike<number>);
  return shared;
}

export class ParallelTracer {
  // Stryker disable next-line ArrayDeclaration: equivalent, the constructor sets the field
  private readonly workers: Worker[] = [];
  private next = 0;
  /** How many cases each thread took in the last batch: this thread first, then each worker (for tests, benchmarks). */
  lastTaken: number[] = [];
  private pending = new Map<number, (share: { taken: number[]; sets: SealedSet[][] }) => void>();
  readonly local: Tracer;

  private constructor(local: Tracer, workers: Worker[]) {
    this.local = local;
    this.workers = workers;
    for (const w of workers) {
      // Stryker disable next-line OptionalChaining: equivalent, every message after a worker's first answers a pending id
      w.on('message', (m: { id: number; taken: number[]; sets: SealedSet[][] }) => { this.pending.get(m.id)?.(m); this.pending.delete(m.id); });
    }
  }

  /**
   * Puts the index, place kinds and isolation table in shared memory and starts `threads - 1` workers (default: one
   * per core).
   */
  static async start(index: PresenceIndex, places: PlaceKinds, edition: ProtocolEdition, threads = os.availableParallelism(), isolation = IsolationTable.EMPTY): Promise<ParallelTracer> {
    const shared: IndexArrays = allShared(index.arrays());
    const sharedPlaces: PlaceKinds = {
      category: toShared(places.category, (b) => new Uint8Array(b)), vehicle: toShared(places.vehicle, (b) => new Uint8Array(b)),
    };
    const iso: IsolationArrays = allShared(isolation.arrays());
    const local = new Tracer(PresenceIndex.fromArrays(shared), sharedPlaces, compileRules(edition), IsolationTable.fromArrays(iso));
    const workers: Worker[] = [];
    for (let t = 1; t < threads; t++) {
      const w = new Worker(new URL('./parallelWorker.boot.mjs', import.meta.url), { workerData: { arrays: shared, places: sharedPlaces, edition, isolation: iso } });
      await new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        // Stryker disable next-line StringLiteral: not produced by a test: a worker fails while starting only when its module cannot load, which would break the module for every test
        w.once('error', reject);
      });
      workers.push(w);
    }
    return new ParallelTracer(local, workers);
  }

  /**
   * Replaces the isolation table on this thread and every worker (in shared memory); batches started after the
   * returned promise settles use it everywhere.
   */
  async setIsolation(table: IsolationTable): Promise<void> {
    const iso: IsolationArrays = allShared(table.arrays());
    this.local.setIsolation(IsolationTable.fromArrays(iso));
    await Promise.all(this.workers.map((w) => {
      // Stryker disable next-line UpdateOperator: equivalent, ids only need to differ
      const id = this.next++;
      return new Promise<void>((resolve) => { this.pending.set(id, () => resolve()); w.postMessage({ id, isolation: iso }); });
    }));
  }

  /** Traces a batch across the workers and this thread; results in the order of `cases`. */
  async batch(cases: BatchCase[], work: BatchWork): Promise<ContactSet[][]> {
    const next = new Int32Array(new SharedArrayBuffer(4));
    const remote = this.workers.map((w) => {
      // Stryker disable next-line UpdateOperator: equivalent, ids only need to differ
      const id = this.next++;
      return new Promise<{ taken: number[]; sets: SealedSet[][] }>((resolve) => { this.pending.set(id, resolve); w.postMessage({ id, cases, work, next }); });
    });
    // Stryker disable next-line ArrayDeclaration: equivalent, every index is set below
    const out: ContactSet[][] = new Array(cases.length);
    const mine = runShare(this.local, cases, work, next);
    mine.taken.forEach((k, i) => { out[k] = mine.sets[i]; });
    const ruleText = this.local.ruleTextFn;
    const shares = await Promise.all(remote);
    for (const theirs of shares) theirs.taken.forEach((k, i) => { out[k] = theirs.sets[i].map((s) => ContactSet.fromSealed(s, ruleText)); });
    this.lastTaken = [mine.taken.length, ...shares.map((s) => s.taken.length)];
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
