/**
 * The scheduler: reserve due jobs in batches, run each with its handler (at most
 * `concurrency` at once), then sleep until the next job is due or something wakes it (new
 * work committed, a handler finished). In virtual-clock mode nothing runs by itself:
 * `tick()` runs what is due now, `runUntilIdle(until)` moves the clock from one due job to the
 * next.
 *
 * A handler outcome decides what happens to its job: `done` (committed with its ack),
 * `conflict` (another job changed the same instance or delivery first: run again at once on
 * the fresh state, a few times, then later), `retry` (later, as asked), or a throw (a bug or
 * a store error: logged, released with backoff). A job given back that way takes the jobs
 * ordered after it (`orderKeys`) back with it, due at the same time, so none overtakes it.
 */
import type { PluginLogger } from '@herald/plugin-sdk';
import type { Driver, Job, QueuedJob } from '../driver/driver.js';
import type { HandlerContext, JobHandler, JobOutcome } from './handler-context.js';
import { createOrderedRuns } from './ordered-runs.js';
import type { RuntimeMetrics } from './runtime-metrics.js';
import type { VirtualClock } from './virtual-clock.js';

export interface SchedulerOptions {
  readonly driver: Driver;
  readonly handlers: Readonly<Record<Job['kind'], JobHandler>>;
  readonly context: HandlerContext;
  readonly now: () => number;
  readonly log: PluginLogger;
  readonly metrics: RuntimeMetrics;
  /** Jobs in flight at most. */
  readonly concurrency: number;
  /** Jobs reserved per call. */
  readonly reserveBatch: number;
  /** How long a reserved job stays invisible to others; it becomes due again if this process dies. */
  readonly leaseMs: number;
  /** Longest sleep with nothing due (the loop re-checks the store then). */
  readonly maxIdleMs: number;
  /**
   * Jobs that share a key run one after another, in the order they were launched, so that
   * events recorded for the scheduler to route (with `subject.source`, or after a conflict at
   * ingest) are routed in the order they came: a payment routed before the event that starts
   * its journey would find nothing waiting. `[]`: at once; null: a barrier
   * (orchestrator/ordered-runs.ts). The runtime keys `event` jobs (engine/event-order-keys.ts).
   */
  readonly orderKeys?: (job: Job) => readonly string[] | null;
}

/** An ordered job went back to the queue until `until`: what is ordered after it follows it there. */
class HeldBack extends Error {
  constructor(
    readonly jobId: string,
    readonly until: number,
  ) {
    super(`job ${jobId} went back to the queue`);
  }
}

/** Runs again at once this many times on a conflict before the job goes back to the queue. */
const CONFLICT_RETRIES = 5;

export interface Scheduler {
  /** Starts the background loop (real time). */
  start(): void;
  /** Something was enqueued: look for due jobs now. */
  wake(): void;
  /** Runs every job due at the current clock (and what they make due now) to the end. */
  tick(): Promise<number>;
  /** Virtual clock: tick, move the clock to the next due job, repeat, until none is due by `untilMs`. */
  runUntilIdle(clock: VirtualClock, untilMs?: number): Promise<number>;
  /**
   * Stops reserving; resolves when the jobs in flight are finished. Jobs that have not begun
   * are not in flight: what a reserve brings back after this call, and jobs still waiting
   * behind another with the same order key, go back to the queue instead of running.
   */
  stop(): Promise<void>;
  /** Up to `n` places among the jobs in flight for jobs this process will run itself; none once stopping. */
  claim(n: number): number;
  /** Places claimed for jobs that will not come (their unit did not commit). */
  giveBack(n: number): void;
  /** Runs a job this process holds the lease of, in a claimed place; `first` runs its first try. */
  adopt(queued: QueuedJob, first: () => Promise<JobOutcome>): void;
  readonly inFlight: number;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { driver, now, log, metrics } = options;
  const inFlight = new Map<string, Promise<void>>();
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;

  const wake = () => {
    woken = true;
    const w = wakeUp;
    wakeUp = null;
    w?.();
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping) {
        woken = false;
        return resolve();
      }
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).then(() => {
      woken = false;
    });

  /**
   * `first`: the first try's own runner (a handed-over job runs on what is in memory); later
   * tries read the store. Resolves with the time the job was given back to the queue for, or
   * null once it is done (never rejects).
   */
  const runJob = async (queued: QueuedJob, first?: () => Promise<JobOutcome>): Promise<number | null> => {
    const kind = queued.job.kind;
    const started = performance.now();
    const handler = options.handlers[kind];
    let again: number | null = null;
    try {
      for (let i = 0; ; i++) {
        const outcome: JobOutcome = i === 0 && first ? await first() : await handler(options.context, queued);
        if (outcome.kind === 'done') break;
        if (outcome.kind === 'conflict') {
          metrics.jobConflicts.inc({ kind });
          if (i < CONFLICT_RETRIES) continue;
          log.debug(`job ${queued.id}: ${outcome.reason}; tried ${i + 1} times, back to the queue`);
          again = now() + 10 * (i + 1);
          await driver.release(queued.id, again);
          break;
        }
        again = now() + outcome.delayMs;
        await driver.release(queued.id, again);
        break;
      }
    } catch (error) {
      metrics.jobErrors.inc({ kind });
      const delay = Math.min(1_000 * 2 ** Math.min(queued.tries, 8), 300_000);
      log.error(`job ${queued.id} (${kind}) failed: ${(error as Error).stack ?? String(error)}; again in ${delay}ms`);
      again = now() + delay;
      try {
        await driver.release(queued.id, again);
      } catch (releaseError) {
        log.error(`job ${queued.id}: release failed (${(releaseError as Error).message}); its lease will expire`);
      }
    } finally {
      metrics.jobDuration.observe({ kind }, (performance.now() - started) / 1000);
    }
    return again;
  };

  /** Keyed jobs in launch order (`orderKeys`). */
  const ordered = createOrderedRuns();

  const launch = (queued: QueuedJob, first?: () => Promise<JobOutcome>) => {
    // Our own job came back because its lease ran out while it still runs: let the first run finish it.
    if (inFlight.has(queued.id)) return;
    const keys = options.orderKeys?.(queued.job) ?? [];
    let ran = false;
    /** Set once `ordered.run` has returned: a task that runs after that waited for another. */
    let waited = false;
    const p = ordered
      .run(keys, async () => {
        // Its turn came (behind a job with the same key) after stop() was called: it has not
        // begun, so it is not work in flight; it goes back to the queue for the next start.
        if (stopping && first === undefined && waited) return giveBack([queued]);
        ran = true;
        const again = await runJob(queued, first);
        // Given back to the queue: the jobs ordered after it must not overtake it (a payment
        // routed before the event that starts its journey would find nothing waiting).
        if (again !== null && (keys === null || keys.length > 0)) throw new HeldBack(queued.id, again);
      })
      .catch(async (error: unknown) => {
        if (ran || !(error instanceof HeldBack)) return;
        // Behind a job given back: given back too, due when it is, so the store hands them out
        // in their order again (by due time, then as enqueued).
        log.debug(`job ${queued.id}: held back behind ${error.jobId}, again at ${new Date(error.until).toISOString()}`);
        try {
          await driver.release(queued.id, error.until);
        } catch (releaseError) {
          log.error(`job ${queued.id}: release failed (${(releaseError as Error).message}); its lease will expire`);
        }
      })
      .finally(() => {
        inFlight.delete(queued.id);
        wake();
      });
    waited = true;
    inFlight.set(queued.id, p);
  };

  /** Jobs reserved but not begun go back to the queue as they were (due when they were due). */
  const giveBack = async (jobs: readonly QueuedJob[]): Promise<void> => {
    for (const j of jobs) {
      try {
        await driver.release(j.id, j.runAt);
      } catch (error) {
        log.error(`job ${j.id}: release failed (${(error as Error).message}); its lease will expire`);
      }
    }
  };

  const reserve = (max: number) => driver.reserve(max, now(), options.leaseMs);

  /** Places promised to handed-over jobs whose units are still committing. */
  let claimed = 0;
  const room = () => options.concurrency - inFlight.size - claimed;

  /**
   * With jobs in flight, the loop reserves again only once this many places are free: a reserve
   * costs the store about as much as a few dozen jobs' rows, so taking jobs one at a time as
   * each one finishes (as a full scheduler would) spends most of a backlog's time reserving.
   */
  const refillAt = Math.max(1, Math.floor(Math.min(options.concurrency, options.reserveBatch) / 4));

  const background = async () => {
    while (!stopping) {
      const capacity = Math.min(room(), options.reserveBatch);
      if (capacity <= 0 || (capacity < refillAt && inFlight.size > 0)) {
        await sleep(options.maxIdleMs);
        continue;
      }
      let jobs: QueuedJob[];
      try {
        jobs = await reserve(capacity);
      } catch (error) {
        log.error(`reserve failed: ${(error as Error).message}`);
        await sleep(1_000);
        continue;
      }
      // stop() was called while the store reserved: these are new work, not work in flight.
      if (stopping) {
        await giveBack(jobs);
        break;
      }
      for (const j of jobs) launch(j);
      if (jobs.length === capacity) {
        // Perhaps more is due: let the handlers just launched start, then look again.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      let next: number | null = null;
      try {
        next = await driver.nextDueAt();
      } catch (error) {
        log.error(`nextDueAt failed: ${(error as Error).message}`);
      }
      const delay = next === null ? options.maxIdleMs : Math.min(options.maxIdleMs, Math.max(1, next - now()));
      await sleep(delay);
    }
  };

  const tick = async (): Promise<number> => {
    let count = 0;
    for (;;) {
      const capacity = room();
      const jobs = capacity > 0 ? await reserve(Math.min(capacity, options.reserveBatch)) : [];
      for (const j of jobs) launch(j);
      count += jobs.length;
      if (jobs.length > 0) continue;
      if (inFlight.size === 0) return count;
      await Promise.race(inFlight.values());
    }
  };

  return {
    get inFlight() {
      return inFlight.size;
    },
    start() {
      loop ??= background();
    },
    claim(n) {
      const granted = stopping ? 0 : Math.max(0, Math.min(n, room()));
      claimed += granted;
      return granted;
    },
    giveBack(n) {
      claimed -= n;
    },
    adopt(queued, first) {
      claimed -= 1;
      launch(queued, first);
    },
    wake,
    tick,
    async runUntilIdle(clock, untilMs) {
      let count = 0;
      for (let rounds = 0; rounds < 1_000_000; rounds++) {
        count += await tick();
        const next = await driver.nextDueAt();
        if (next === null || (untilMs !== undefined && next > untilMs)) {
          if (untilMs !== undefined) clock.set(untilMs);
          return count;
        }
        clock.set(next);
      }
      throw new Error('runUntilIdle: still busy after a million rounds (a journey that never waits?)');
    },
    async stop() {
      stopping = true;
      wake();
      await loop;
      // A unit committing now may still hand over a job it holds the lease of: wait for it too.
      while (inFlight.size > 0 || claimed > 0) {
        if (inFlight.size > 0) await Promise.all(inFlight.values());
        else await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
  };
}
