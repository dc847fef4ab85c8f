/**
 * The writer thread (store-writer.ts): its own connection to the store's file, which applies
 * every write the driver makes. Writes arrive in batches (one message per turn of the
 * driver's event loop); those that arrive together share a transaction (group-commit.ts),
 * and their results go back in one message once it is committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeGroupCommit } from './group-commit.js';
import { openDatabase } from './open-database.js';
import { prepareStatements } from './prepare-statements.js';
import { makeApplyWrite } from './store-writes.js';
import type { WriterReply, WriterRequest, WriterWorkerData } from './store-writer.js';

const port = parentPort;
if (port === null) throw new Error('store-writer-worker.js runs as a worker thread');
const { open, autocheckpointPages } = workerData as WriterWorkerData;

let replies: WriterReply[] = [];
let replying = false;
const reply = (r: WriterReply): void => {
  replies.push(r);
  if (replying) return;
  replying = true;
  // A group's writes settle in one run of microtasks: one message carries them all.
  queueMicrotask(() => {
    replying = false;
    const batch = replies;
    replies = [];
    port.postMessage(batch);
  });
};

try {
  const db = openDatabase(open);
  if (autocheckpointPages !== null) db.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
  const apply = makeApplyWrite(prepareStatements(db));
  const group = makeGroupCommit(db);
  port.on('message', (message: readonly WriterRequest[] | 'close') => {
    if (message === 'close') {
      group.flush();
      // After the replies of what the flush settled have gone out.
      setImmediate(() => {
        db.close();
        port.postMessage('closed');
        port.close();
      });
      return;
    }
    for (const { id, write } of message) {
      group.run(() => apply(write)).then(
        (value) => reply({ id, value }),
        (err: unknown) => reply({ id, error: err instanceof Error ? { message: err.message, code: (err as { code?: unknown }).code } : { message: String(err) } }),
      );
    }
  });
  port.postMessage('ready');
} catch (err) {
  port.postMessage({ failed: err instanceof Error ? err.message : String(err) });
}
