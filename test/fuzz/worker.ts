/**
 * Runs fuzz cases [from, to) of one seed, in a worker thread, so that the
 * runner's watchdog can stop a case that never ends. Before each case it
 * writes the case number where the watchdog reads it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeCase, describeCase } from './cases.ts';
import { checkCase } from './check.ts';

export interface WorkerInput {
  seed: number;
  quick: boolean;
  from: number;
  to: number;
  /** Int32 slots: [0] the case running now, [1] cases read, [2] cases refused as unreadable (kept if the worker is stopped). */
  heartbeat: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'progress'; done: number; read: number; unreadable: number }
  | { type: 'failure'; index: number; description: string; error: string }
  | { type: 'done' };

const { seed, quick, from, to, heartbeat } = workerData as WorkerInput;
const beat = new Int32Array(heartbeat);
const post = (message: WorkerMessage) => parentPort?.postMessage(message);
let read = 0;
let unreadable = 0;

for (let index = from; index < to; index++) {
  Atomics.store(beat, 0, index);
  let description = `case ${index} (seed ${seed})`;
  try {
    const fuzzCase = makeCase(seed, index, { quick });
    description = describeCase(fuzzCase);
    if (checkCase(fuzzCase) === 'read') Atomics.store(beat, 1, ++read);
    else Atomics.store(beat, 2, ++unreadable);
  } catch (error) {
    post({ type: 'failure', index, description, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  if ((index + 1 - from) % 250 === 0) post({ type: 'progress', done: index + 1 - from, read, unreadable });
}
post({ type: 'done' });
