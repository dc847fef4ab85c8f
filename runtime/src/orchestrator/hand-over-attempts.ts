/**
 * Attempts handed over in memory. A unit that starts a delivery (or moves it to its next
 * channel) enqueues the attempt job due now; the scheduler would reserve it from the store a
 * moment later and read back the delivery the unit just wrote. Instead the job is enqueued
 * leased by this process (NewJob.leasedUntil) and, once the unit has committed, run at once
 * with the delivery as the unit wrote it. The job row still makes the attempt durable: should
 * this process die, the lease runs out (or the next open gives it back) and the attempt runs
 * from the store like any job.
 *
 * Only as many as the scheduler has room for are handed over; the rest are queued as before,
 * which keeps a flood of events from piling unbounded work in memory.
 *
 * An attempt's job id names its delivery, channel and attempt number, and only the unit that
 * moves the delivery to that attempt (guarded by the delivery's updatedAt) enqueues it, so the id
 * is new when handed over. Were it not — a leased enqueue of an existing id is a no-op — the
 * scheduler still runs one job per id at a time in this process, and the first run's ack removes
 * the row.
 */
import type { NewJob, QueuedJob, UnitOfWork } from '../driver/driver.js';
import type { Delivery } from '../delivery/types.js';
import type { SubjectProfile } from '../engine/types.js';

/** What the scheduler offers for jobs this process runs itself (scheduler.ts). */
export interface HandOverTarget {
  /** How long a handed-over job stays leased: it must outlast the attempt. */
  readonly leaseMs: number;
  /** Up to `n` places among the jobs in flight, held until adopted or given back. */
  claim(n: number): number;
  giveBack(n: number): void;
  /** Runs a job whose lease this process holds, on its delivery (and subject, when known); uses one claimed place. */
  adopt(queued: QueuedJob, delivery: Delivery, subject: SubjectProfile | undefined): void;
}

export interface HandOver {
  readonly unit: UnitOfWork;
  /** After the unit committed: run the handed-over jobs. After a conflict or a throw: give their places back. */
  settle(committed: boolean): void;
}

const NOTHING: HandOver['settle'] = () => {};
const NO_SUBJECTS: ReadonlyMap<string, SubjectProfile> = new Map();

/**
 * `subjects`: the profiles the unit was decided on, by subject id. A handed-over attempt uses its
 * subject's instead of loading it again — with `subject.source`, that is a query to another
 * system saved per message.
 */
export function handOverAttempts(
  unit: UnitOfWork,
  target: HandOverTarget | undefined,
  now: number,
  subjects: ReadonlyMap<string, SubjectProfile> = NO_SUBJECTS,
): HandOver {
  const enqueue = unit.enqueue;
  if (target === undefined || enqueue === undefined || unit.deliveries === undefined) return { unit, settle: NOTHING };
  const wanted = enqueue.filter((e) => e.job.kind === 'attempt' && e.runAt <= now && e.leasedUntil === undefined);
  if (wanted.length === 0) return { unit, settle: NOTHING };
  const written = new Map(unit.deliveries.map(({ delivery }) => [delivery.id, delivery]));
  const chosen = new Map<NewJob, Delivery>();
  for (const e of wanted) {
    const delivery = e.job.kind === 'attempt' ? written.get(e.job.deliveryId) : undefined;
    if (delivery !== undefined) chosen.set(e, delivery);
  }
  const granted = chosen.size === 0 ? 0 : target.claim(chosen.size);
  if (granted === 0) return { unit, settle: NOTHING };

  const leasedUntil = now + target.leaseMs;
  const handed: { readonly queued: QueuedJob; readonly delivery: Delivery }[] = [];
  const leased = enqueue.map((e): NewJob => {
    const delivery = chosen.get(e);
    if (delivery === undefined || handed.length === granted) return e;
    handed.push({ queued: { id: e.id, job: e.job, runAt: e.runAt, tries: 0 }, delivery });
    return { ...e, leasedUntil };
  });
  return {
    unit: { ...unit, enqueue: leased },
    settle(committed) {
      if (!committed) return target.giveBack(handed.length);
      for (const { queued, delivery } of handed) target.adopt(queued, delivery, subjects.get(delivery.subjectId));
    },
  };
}
