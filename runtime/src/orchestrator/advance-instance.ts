/**
 * One input for one stored instance, on its own version's graph: the new state (redacted as the
 * store keeps ended instances) and its effects added to `parts`. Shared by `instance` jobs
 * (handle-instance-job.ts) and by routing, where a subject's instances take an event in the unit
 * that routes it (route-event.ts). undefined: the input leaves the instance as it was.
 */
import { redactEndedInstance } from '../archive/redact.js';
import { advance, advanceReadsSubject } from '../engine/advance.js';
import type { EngineInput, Instance, SubjectProfile } from '../engine/types.js';
import { loadSubject, storedSubject, type HandlerContext } from './handler-context.js';
import type { UnitParts } from './instance-effects.js';
import { addInstanceEffectsStarted } from './start-delivery.js';

export interface Advanced {
  /** The instance as it is stored now. */
  readonly instance: Instance;
  /** The profile the step was decided on (the attempts it makes due are sent on it). */
  readonly subject: SubjectProfile;
}

/** `known`: a profile the caller loaded already for this subject, used instead of loading it again. */
export async function advanceInstance(
  ctx: HandlerContext,
  instance: Instance,
  input: EngineInput,
  now: number,
  parts: UnitParts,
  known?: SubjectProfile,
): Promise<Advanced | undefined> {
  const graph = await ctx.graphs.get(instance.version);
  // An event only kept for a later wait reads no profile: no `subject.source` query for it.
  const subject = known ?? (await (advanceReadsSubject(instance, input) ? loadSubject : storedSubject)(ctx, graph, instance.subjectId));
  const result = advance(graph, instance, input, { now, subject });
  if (result.instance === instance) return undefined;
  await addInstanceEffectsStarted(ctx, parts, graph, result.instance, result.effects, subject, now);
  return { instance: redactEndedInstance(result.instance, graph.ir.project.archive.redact), subject };
}
