/**
 * Checkpoints off the scheduler's thread. In WAL mode SQLite copies committed pages back into
 * the database file (a checkpoint, with an fsync) from inside whichever COMMIT crosses the
 * auto-checkpoint threshold; on the embedded driver that is the scheduler's thread, which then
 * stalls for the copy and the fsync (bench/runtime, pairs of runs: ~1.5x the end-to-end send
 * rate with this thread, and 100,000 waiting instances started in about half the time).
 *
 * So the writer's connection checkpoints only as a safety net (`wal_autocheckpoint` at
 * SAFETY_NET_PAGES, in case this thread falls behind or dies), and a worker thread with its
 * own connection runs a PASSIVE checkpoint shortly after commits (checkpoint-worker.ts).
 * PASSIVE never waits for the writer. The WAL starts over from its beginning only when a
 * write finds every frame copied; under a constant stream of commits that rarely happens, so
 * the -wal file grows to the safety net while the load lasts.
 */
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { builtSibling } from '../../built-sibling.js';

/** ~40 MiB of WAL: the writer checkpoints by itself only when this thread cannot keep up. */
const SAFETY_NET_PAGES = 10_000;

export interface Checkpointer {
  /** A transaction committed: checkpoint soon. */
  committed(): void;
  close(): Promise<void>;
}

export function startCheckpointer(db: Database, path: string, intervalMs = 100): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const worker = new Worker(builtSibling(import.meta.url, 'checkpoint-worker.js'), { workerData: { path, intervalMs } });
  // A checkpointer must not keep the process alive, nor take it down: the safety net remains.
  worker.unref();
  let alive = true;
  worker.on('error', () => {
    alive = false;
  });
  worker.on('exit', () => {
    alive = false;
  });
  let told = false;
  return {
    committed() {
      // One message per event-loop turn at most: commits come in groups anyway.
      if (!alive || told) return;
      told = true;
      queueMicrotask(() => {
        told = false;
        worker.postMessage({ kind: 'committed' });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!alive) return resolve();
        const done = () => resolve();
        worker.once('exit', done);
        worker.on('message', (m: { kind: string }) => {
          if (m.kind === 'closed') void worker.terminate().then(done, done);
        });
        worker.postMessage({ kind: 'close' });
        // A thread stuck in a checkpoint's fsync: stop waiting; terminate ends it.
        setTimeout(() => void worker.terminate().then(done, done), 2_000).unref();
      }),
  };
}
