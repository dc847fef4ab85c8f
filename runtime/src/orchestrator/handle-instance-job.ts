/**
 * `instance` jobs: one input (timer, event, fetched data) for one instance, on the graph of
 * the instance's own version. The new state, its effects and the ack commit as one unit with
 * the seq the instance was read at; losing that race is a conflict, and the scheduler runs the
 * job again on the fresh state.
 */
import type { QueuedJob } from '../driver/driver.js';
import { advanceInstance } from './advance-instance.js';
import { ackOnly, commitOrConflict, type HandlerContext, type JobOutcome } from './handler-context.js';
import { emptyParts, unitFrom } from './instance-effects.js';

export async function handleInstanceJob(ctx: HandlerContext, queued: QueuedJob): Promise<JobOutcome> {
  const job = queued.job;
  if (job.kind !== 'instance') throw new Error(`handleInstanceJob got a ${job.kind} job`);
  const instance = await ctx.driver.getInstance(job.instanceId);
  if (!instance || instance.status !== 'active') return ackOnly(ctx, queued);
  const parts = emptyParts();
  const advanced = await advanceInstance(ctx, instance, job.input, ctx.now(), parts);
  if (!advanced) return ackOnly(ctx, queued);
  const outcome = await commitOrConflict(
    ctx,
    unitFrom(parts, { instances: [{ instance: advanced.instance, expectedSeq: instance.seq }], ack: [queued.id] }),
    new Map([[instance.subjectId, advanced.subject]]),
  );
  if (outcome.kind === 'done') ctx.metrics.instanceTransition(instance.journey, instance.status, advanced.instance.status);
  return outcome;
}
