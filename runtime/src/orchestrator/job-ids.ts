/**
 * Job ids. Every id is derived from what the job is about, never random: enqueueing an id that
 * exists is a no-op in every driver, so a replayed step (after a conflict or a crash) cannot
 * queue the same work twice.
 */
export const jobIds = {
  /** Routing of an ingested or emitted event. */
  event: (eventId: string) => `event:${eventId}`,
  /** An event handed to one waiting instance. */
  eventFor: (eventId: string, instanceId: string) => `event:${eventId}>${instanceId}`,
  /** A new instance started by an event: one per (journey, event). */
  instance: (journey: string, eventId: string) => `${journey}:${eventId}`,
  fetch: (requestId: string) => `fetch:${requestId}`,
  fetched: (requestId: string) => `${requestId}:fetched`,
  attempt: (idempotencyKey: string, attempt: number) => `${idempotencyKey}:${attempt}`,
  attemptResult: (idempotencyKey: string, attempt: number) => `${idempotencyKey}:${attempt}:result`,
  receipt: (deliveryId: string, providerMessageId: string, outcome: string) => `${deliveryId}:receipt:${providerMessageId}:${outcome}`,
  /** Event emitted by an instance: the `index`-th emit of the advance that produced seq `seq`. */
  emitted: (instanceId: string, seq: number, index: number) => `${instanceId}:${seq}:emit:${index}`,
  /** Ledger key of one attempt: a retry (attempt + 1) calls the provider again, a re-run of the same attempt does not. */
  ledger: (idempotencyKey: string, attempt: number) => `${idempotencyKey}#${attempt}`,
};
