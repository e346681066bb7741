/**
 * Tracing a batch of cases on every core: the index's arrays live in shared memory, a persistent worker per extra
 * core holds its own Tracer over them, and a batch is split between the workers and this thread. Results come back
 * as the sealed contact arrays, transferred rather than copied. For batches (an outbreak's new cases, a daily
 * retrace); a single case is faster on the calling thread.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import type { ContactKind } from '../domain/vocab.ts';
import { PresenceIndex, type IndexArrays } from './presenceIndex.ts';
import { compileRules } from './rules.ts';
import { ContactSet, Tracer, type PlaceKinds, type TraceInput } from './tracer.ts';

/** One case of a batch: its input and when its close contacts are isolated (for secondary contacts). */
export interface BatchCase { input: TraceInput; isolatedBy: number }
/** What to find for each case of a batch. */
export type BatchWork = 'close' | 'close+secondary' | 'companions';
/** A sealed set as it crosses threads. */
export interface SealedSet { kind: ContactKind; count: number; evCount: number; c: Uint32Array; ev: Uint32Array }

/** Runs one batch on a tracer: per case the sets asked for (close, then secondary; or companions). */
export function runBatch(tracer: Tracer, cases: BatchCase[], work: BatchWork): ContactSet[][] {
  return cases.map(({ input, isolatedBy }) => {
    if (work === 'companions') return [tracer.companions(input)];
    const close = tracer.close(input);
    return work === 'close' ? [close] : [close, tracer.secondary(input, close, () => isolatedBy)];
  });
}

function toShared<T extends ArrayBufferView & { length: number; set(a: ArrayLike<number>): void }>(a: T, make: (buf: SharedArrayBuffer) => T): T {
  const shared = make(new SharedArrayBuffer(a.byteLength));
  shared.set(a as unknown as ArrayLike<number>);
  return shared;
}

export class ParallelTracer {
  private readonly workers: Worker[] = [];
  private next = 0;
  private pending = new Map<number, (sets: SealedSet[][]) => void>();
  readonly local: Tracer;

  private constructor(local: Tracer, workers: Worker[]) {
    this.local = local;
    this.workers = workers;
    for (const w of workers) {
      w.on('message', (m: { id: number; sets: SealedSet[][] }) => { this.pending.get(m.id)?.(m.sets); this.pending.delete(m.id); });
    }
  }

  /** Puts the index and place kinds in shared memory and starts `threads - 1` workers (default: one per core). */
  static async start(index: PresenceIndex, places: PlaceKinds, edition: ProtocolEdition, threads = os.availableParallelism()): Promise<ParallelTracer> {
    const arrays = index.arrays();
    const shared = Object.fromEntries(Object.entries(arrays).map(([k, a]) => {
      const Ctor = (a as Uint32Array).constructor as Uint32ArrayConstructor;
      return [k, toShared(a as Uint32Array, (buf) => new Ctor(buf))];
    })) as unknown as IndexArrays;
    const sharedPlaces: PlaceKinds = {
      category: toShared(places.category, (b) => new Uint8Array(b)), vehicle: toShared(places.vehicle, (b) => new Uint8Array(b)),
    };
    const local = new Tracer(PresenceIndex.fromArrays(shared), sharedPlaces, compileRules(edition));
    const workers: Worker[] = [];
    for (let t = 1; t < threads; t++) {
      const w = new Worker(new URL('./parallelWorker.boot.mjs', import.meta.url), { workerData: { arrays: shared, places: sharedPlaces, edition } });
      await new Promise<void>((resolve, reject) => { w.once('message', () => resolve()); w.once('error', reject); });
      workers.push(w);
    }
    return new ParallelTracer(local, workers);
  }

  /** Traces a batch across the workers and this thread; results in the order of `cases`. */
  async batch(cases: BatchCase[], work: BatchWork): Promise<ContactSet[][]> {
    const parts = this.workers.length + 1;
    const size = Math.ceil(cases.length / parts);
    const remote = this.workers.map((w, i) => {
      const slice = cases.slice((i + 1) * size, (i + 2) * size);
      const id = this.next++;
      return new Promise<SealedSet[][]>((resolve) => { this.pending.set(id, resolve); w.postMessage({ id, cases: slice, work }); });
    });
    const mine = runBatch(this.local, cases.slice(0, size), work);
    const theirs = await Promise.all(remote);
    const ruleText = this.local.ruleTextFn;
    return [...mine, ...theirs.flat().map((sets) => sets.map((s) => ContactSet.fromSealed(s, ruleText)))];
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
