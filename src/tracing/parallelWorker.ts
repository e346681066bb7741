/**
 * A worker of ParallelTracer: a Tracer over the shared index and isolation table, answering batches with sealed sets
 * (transferred), and taking a new isolation table when told.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import { runShare, type BatchCase, type BatchWork, type SealedSet } from './parallel.ts';
import { IsolationTable, type IsolationArrays } from './isolation.ts';
import { PresenceIndex, type IndexArrays } from './presenceIndex.ts';
import { compileRules } from './rules.ts';
import { Tracer, type PlaceKinds } from './tracer.ts';

const data = workerData as { arrays: IndexArrays; places: PlaceKinds; edition: ProtocolEdition; isolation: IsolationArrays };
const tracer = new Tracer(PresenceIndex.fromArrays(data.arrays), data.places, compileRules(data.edition), IsolationTable.fromArrays(data.isolation));
type Message = { id: number; isolation: IsolationArrays } | { id: number; cases: BatchCase[]; work: BatchWork; next: Int32Array };
parentPort!.on('message', (m: Message) => {
  if ('isolation' in m) {
    tracer.setIsolation(IsolationTable.fromArrays(m.isolation));
    parentPort!.postMessage({ id: m.id, taken: [], sets: [] });
    return;
  }
  const share = runShare(tracer, m.cases, m.work, m.next);
  const sets: SealedSet[][] = share.sets.map((list) => list.map((s) => s.sealed()));
  parentPort!.postMessage({ id: m.id, taken: share.taken, sets }, sets.flat().flatMap((s) => [s.c.buffer as ArrayBuffer, s.ev.buffer as ArrayBuffer]));
});
parentPort!.postMessage('ready');
