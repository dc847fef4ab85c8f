/**
 * The writer thread: every write of the embedded driver (store-writes.ts) is applied on a
 * thread of its own with its own connection (store-writer-worker.ts), so SQLite's statements
 * and commits run beside the scheduler's JavaScript rather than between it. Measured on the
 * runtime benchmark's CPU profile before this: ~45% of the scheduler's thread went to applying
 * and committing units (docs/operations.md, "Capacity").
 *
 * Reads stay on the driver's thread, on its own connection. In WAL mode a read sees every
 * transaction committed before it starts, and a write's promise resolves only once its
 * transaction has committed, so a caller always reads what it has written.
 *
 * Writes of one turn of the event loop travel in one message and share a transaction with
 * whatever else arrived while the writer was busy (group-commit.ts, on the writer's side);
 * their results come back in one message. A write's error comes back as an Error with its
 * message. Should the thread die, every write in flight and every later one rejects.
 */
import { Worker } from 'node:worker_threads';
import { builtSibling } from '../../built-sibling.js';
import type { OpenDatabaseOptions } from './open-database.js';
import type { RunWrite, StoreWrite } from './store-writes.js';

export interface WriterWorkerData {
  readonly open: OpenDatabaseOptions;
  /** `wal_autocheckpoint` for the writing connection; null leaves SQLite's default. */
  readonly autocheckpointPages: number | null;
}

export interface WriterRequest {
  readonly id: number;
  readonly write: StoreWrite;
}

export type WriterReply =
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: unknown } };

type WorkerMessage = readonly WriterReply[] | 'ready' | 'closed' | { readonly failed: string };

export interface StoreWriter {
  readonly run: RunWrite;
  /** Waits for the writes in flight, then closes the writer's connection and ends the thread. */
  close(): Promise<void>;
}

/**
 * The writer's young generation, in MiB. What it allocates (the units it receives, their JSON)
 * is garbage a transaction later; a small young generation collects it often and cheaply,
 * where V8's default lets ~30 MB more of it sit in resident memory (bench/runtime's waiting
 * instances at rest: ~179 MB against ~194 MB).
 */
const YOUNG_GENERATION_MB = 8;

/** How long close waits for the thread to finish its last transaction before it ends the thread. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Starts the thread and resolves once its connection is open (the caller has migrated the
 * file already). `committed` runs after each batch of results, the checkpointer's cue.
 */
export async function startStoreWriter(data: WriterWorkerData, committed: () => void): Promise<StoreWriter> {
  const worker = new Worker(builtSibling(import.meta.url, 'store-writer-worker.js'), {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  await new Promise<void>((resolve, reject) => {
    const settle = (err?: Error): void => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onMessage = (m: WorkerMessage): void => settle(m === 'ready' ? undefined : new Error(`store writer: ${typeof m === 'object' && 'failed' in m ? m.failed : 'unexpected message'}`));
    const onError = (err: Error): void => settle(err);
    const onExit = (code: number): void => settle(new Error(`store writer exited (code ${code}) while opening the store`));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });

  const pending = new Map<number, { readonly resolve: (value: never) => void; readonly reject: (err: Error) => void }>();
  let outbox: WriterRequest[] = [];
  let posting = false;
  let nextId = 0;
  let stopped: Error | null = null;
  let drained: (() => void)[] = [];
  // Only writes in flight keep the process alive, as a write on the caller's thread would.
  worker.unref();

  const settleDrained = (): void => {
    if (pending.size > 0) return;
    worker.unref();
    const waiting = drained;
    drained = [];
    for (const resolve of waiting) resolve();
  };
  const stop = (reason: Error): void => {
    if (stopped !== null) return;
    stopped = reason;
    for (const { reject } of pending.values()) reject(reason);
    pending.clear();
    outbox = [];
    settleDrained();
  };

  worker.on('message', (m: WorkerMessage) => {
    if (!Array.isArray(m)) return;
    for (const r of m as readonly WriterReply[]) {
      const waiter = pending.get(r.id);
      if (waiter === undefined) continue;
      pending.delete(r.id);
      if ('error' in r) waiter.reject(Object.assign(new Error(r.error.message), r.error.code === undefined ? {} : { code: r.error.code }));
      else waiter.resolve(r.value as never);
    }
    committed();
    settleDrained();
  });
  worker.on('error', (err) => stop(new Error(`store writer failed: ${err.message}`)));
  worker.on('exit', (code) => stop(new Error(`store writer stopped (exit code ${code})`)));

  const post = (): void => {
    posting = false;
    if (outbox.length === 0 || stopped !== null) return;
    const batch = outbox;
    outbox = [];
    worker.postMessage(batch);
  };

  const run: RunWrite = (write) =>
    new Promise((resolve, reject) => {
      if (stopped !== null) return reject(stopped);
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (value: never) => void, reject });
      if (pending.size === 1) worker.ref();
      outbox.push({ id, write });
      if (posting) return;
      posting = true;
      // setImmediate: every write of this turn of the event loop goes in one message.
      setImmediate(post);
    });

  return {
    run,
    async close() {
      post();
      if (pending.size > 0) await new Promise<void>((resolve) => drained.push(resolve));
      if (stopped !== null) return;
      stopped = new Error('store writer closed');
      worker.ref();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => void worker.terminate().then(() => resolve(), () => resolve()), CLOSE_TIMEOUT_MS);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        worker.on('message', (m: WorkerMessage) => {
          if (m === 'closed') void worker.terminate().then(done, done);
        });
        worker.once('exit', done);
        worker.postMessage('close');
      });
    },
  };
}
