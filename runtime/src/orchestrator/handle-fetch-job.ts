/**
 * `fetch` jobs: run an instance's data loads in the worker pool (source plugins), then feed
 * the instance a `fetched` input. A retryable source failure retries the whole fetch with
 * backoff up to `fetchMaxTries`; a permanent one (or running out of tries) is a failed fetch,
 * which the engine turns into a failed instance rather than a message with blanks. So is an
 * answer that does not fit the query's declared `returns:` type (check-query-result.ts).
 */
import type { QueuedJob } from '../driver/driver.js';
import type { FetchResult } from '../engine/types.js';
import type { QueryTask } from '../pool/pool-tasks.js';
import { commitOrConflict, type HandlerContext, type JobOutcome } from './handler-context.js';
import { queryResultProblem } from './check-query-result.js';
import { declaredPart } from './declared-part.js';
import { jobIds } from './job-ids.js';

/** Longest wait between two tries of a fetch, and the most a source's `retryAfterMs` is honoured. */
const MAX_BACKOFF_MS = 5 * 60_000;
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * 1 s, 2 s, 4 s, ... up to 5 minutes between tries (with the default 10 tries, 8.5 minutes of
 * outage are ridden out before the instance fails); never sooner than the source asked.
 */
export function fetchRetryDelay(attempt: number, retryAfterMs?: number): number {
  const backoff = Math.min(1_000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

export async function handleFetchJob(ctx: HandlerContext, queued: QueuedJob): Promise<JobOutcome> {
  const job = queued.job;
  if (job.kind !== 'fetch') throw new Error(`handleFetchJob got a ${job.kind} job`);
  const now = ctx.now();
  const attempt = queued.tries + 1;
  const tasks: QueryTask[] = job.loads.map((load) => ({ kind: 'query', source: load.source, query: load.query, args: load.args, attempt, now }));
  const answers = await Promise.all(tasks.map((t) => ctx.pool.run(t)));
  // The instance's own version declares the types; jobs of earlier versions carry none: the current graph's.
  const ir = (job.version === undefined ? ctx.graphs.current : await ctx.graphs.get(job.version)).ir;
  const data: Record<string, unknown> = {};
  let failure: string | null = null;
  for (const [i, load] of job.loads.entries()) {
    const r = answers[i]!.result;
    if (r.ok) {
      const misfit = queryResultProblem(ir, load.source, load.query, r.value);
      if (misfit === null) {
        const returns = ir.sources[load.source]?.queries[load.query]?.returns;
        data[load.name] = returns === undefined ? r.value : declaredPart(r.value, returns);
        continue;
      }
      failure ??= `${load.name}: ${misfit}`;
      continue;
    }
    const what = `${load.name} (${load.source}.${load.query}): ${r.reason}`;
    if (r.retryable && attempt < ctx.fetchMaxTries) {
      const delayMs = fetchRetryDelay(attempt, r.retryAfterMs);
      ctx.log.warn(`fetch ${job.requestId}: ${what}; try ${attempt + 1} of ${ctx.fetchMaxTries} in ${delayMs}ms`);
      return { kind: 'retry', delayMs, reason: what };
    }
    failure ??= r.retryable ? `${what} (gave up after ${attempt} tries)` : what;
  }
  const result: FetchResult = failure === null ? { ok: true, data } : { ok: false, error: failure };
  return commitOrConflict(ctx, {
    enqueue: [{ id: jobIds.fetched(job.requestId), job: { kind: 'instance', instanceId: job.instanceId, input: { kind: 'fetched', requestId: job.requestId, result } }, runAt: now }],
    ack: [queued.id],
  });
}
