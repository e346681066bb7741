/**
 * The worker thread that reads a large feed file for `importFile` (see parseRows.ts): it runs the reading half on the
 * job in its workerData and posts each chunk ({ chunk }), then { end: true }. It reads ahead of the writer by at most
 * `AHEAD` chunks: each chunk the writer has finished is acknowledged with a message, and the worker waits for one
 * when that many are outstanding (memory stays bounded whatever the file's size). An error is thrown to the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseRows, type ParseJob } from './parseRows.ts';

/** Chunks read and not yet written, at most. */
export const AHEAD = 3;

let outstanding = 0;
let wake: (() => void) | null = null;
parentPort!.on('message', () => {
  outstanding--;
  wake?.();
  wake = null;
});
await parseRows(workerData as ParseJob, async (chunk) => {
  while (outstanding >= AHEAD) await new Promise<void>((r) => (wake = r));
  outstanding++;
  parentPort!.postMessage({ chunk });
});
parentPort!.postMessage({ end: true });
