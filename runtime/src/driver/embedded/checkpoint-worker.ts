/**
 * The checkpointer's thread (checkpointer.ts): its own connection to the store's file, which
 * copies committed WAL frames into the database file (`wal_checkpoint(PASSIVE)`: it never
 * waits for or blocks the writer) whenever the writer says it committed, at most every
 * `intervalMs`. The fsync of a checkpoint then stalls this thread, not the scheduler's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

interface CheckpointWorkerData {
  readonly path: string;
  readonly intervalMs: number;
}

const { path, intervalMs } = workerData as CheckpointWorkerData;
const db = new Database(path, { timeout: 5_000 });
// This connection only checkpoints; the writer's settings stay the writer's.
db.pragma('wal_autocheckpoint = 0');
// Checkpoints read WAL frames and write pages; they need no cache of their own to speak of.
db.pragma('cache_size = -1024');

let dirty = false;
let timer: NodeJS.Timeout | null = null;

const checkpoint = (): void => {
  timer = null;
  if (!dirty) return;
  dirty = false;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Nothing to do about it here: the writer's own checkpoint (the safety net) takes over.
  }
};

parentPort?.on('message', (message: { kind: 'committed' } | { kind: 'close' }) => {
  if (message.kind === 'close') {
    if (timer !== null) clearTimeout(timer);
    db.close();
    parentPort?.postMessage({ kind: 'closed' });
    parentPort?.close();
    return;
  }
  dirty = true;
  timer ??= setTimeout(checkpoint, intervalMs);
});
