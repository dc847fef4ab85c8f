/**
 * Checkpoints off the scheduler's thread. In WAL mode SQLite copies committed pages back into
 * the database file (a checkpoint, with an fsync) from inside whichever COMMIT crosses the
 * auto-checkpoint threshold; on the embedded driver that is the scheduler's thread, which then
 * stalls for the copy and the fsync. Measured: about a fifth of the end-to-end send rate.
 *
 * So the writer's connection checkpoints only as a safety net (`wal_autocheckpoint` at
 * SAFETY_NET_PAGES, in case this thread falls behind or dies), and a worker thread with its
 * own connection runs a PASSIVE checkpoint shortly after commits (checkpoint-worker.ts).
 * PASSIVE never waits for the writer; once it has copied every frame, the writer's next
 * transaction starts the WAL over from its beginning, so the file stays small.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/** ~40 MiB of WAL: the writer checkpoints by itself only when this thread cannot keep up. */
export const SAFETY_NET_PAGES = 10_000;

export interface Checkpointer {
  /** A transaction committed: checkpoint soon. */
  committed(): void;
  close(): Promise<void>;
}

export function startCheckpointer(db: Database, path: string, intervalMs = 100): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const worker = new Worker(checkpointWorkerEntry(), { workerData: { path, intervalMs } });
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

/** The compiled worker next to this file (from src/ under the test runner, the built dist/ copy). */
function checkpointWorkerEntry(): string {
  const here = fileURLToPath(new URL('./checkpoint-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = here.replace(/([\\/])src([\\/])driver([\\/])embedded([\\/])checkpoint-worker\.js$/, '$1dist$2driver$3embedded$4checkpoint-worker.js');
  if (existsSync(built)) return built;
  throw new Error(`the embedded driver needs its built checkpoint worker (${built}); run \`npx tsc -b runtime\` first`);
}
