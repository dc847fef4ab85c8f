/**
 * A batch of `POST /events` ingested with the order that matters and no more: items that
 * share a key (engine/event-order-keys.ts: a subject, an event id) one after another in batch
 * order, items that share none at once. An item without keys (its type names no subject, or a journey it triggers picks its
 * subject from another field) is a barrier: it waits for every item before it, and every item
 * after waits for it. Ingested one by one, a batch costs a commit round trip per item (~4x
 * slower, bench/batch-ingest.mjs); at once, the store's group commit takes them together.
 *
 * An item that is refused or fails stops what is ordered after it — the later items of its
 * keys, and everything after a barrier — so a re-post of the batch (ids dedupe) still applies
 * each subject's events in order.
 */

/** Runs `ingest` for each item in the order the keys ask for; settles like Promise.allSettled, by index. */
export async function ingestInOrder<E, R>(
  items: readonly E[],
  keysOf: (item: E) => readonly string[] | null,
  ingest: (item: E, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const tails = new Map<string, Promise<unknown>>();
  let barrier: Promise<unknown> = Promise.resolve();
  let sinceBarrier: Promise<unknown>[] = [];
  const runs = items.map((item, index) => {
    const keys = keysOf(item);
    if (keys === null) {
      const run = Promise.all([barrier, ...sinceBarrier]).then(() => ingest(item, index));
      barrier = run;
      sinceBarrier = [];
      tails.clear();
      return run;
    }
    const before = [barrier, ...keys.map((k) => tails.get(k)).filter((p) => p !== undefined)];
    const run = Promise.all(before).then(() => ingest(item, index));
    for (const k of keys) tails.set(k, run);
    sinceBarrier.push(run);
    return run;
  });
  return Promise.allSettled(runs);
}
