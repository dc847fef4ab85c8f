/** The worker pool: render + plugin calls in piscina worker threads. */
export { createWorkerPool, workerEntry, type WorkerPool, type WorkerPoolOptions, type PoolStats } from './worker-pool.js';
export { createTaskRunner, failureFor, type TaskRunner } from './task-runner.js';
export { renderMessage, templateView, type RenderedMessage } from './render-message.js';
export { selectVariant, ANY_KIND_PREFERENCE, type VariantChoice } from './select-variant.js';
export { createSendJournal, readSendJournals, removeSendJournals, type SendJournal, type JournalContents } from './send-journal.js';
export type * from './pool-tasks.js';
export { isHeldSend, SENDS_HELD_CODE, SENDS_HELD_REASON, POOL_CLOSED_REASON, FLAG_CLOSING, FLAG_HOLD_SENDS } from './pool-tasks.js';
