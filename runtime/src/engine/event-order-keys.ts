/**
 * What an incoming event must be routed in order with (pure): events that share a key are
 * routed one after another, in the order they came; events that share none may be routed at
 * once. Used, through orchestrator/ordered-runs.ts, by the batch route and the scheduler.
 */
import type { GraphIR } from '@herald/dsl';
import { audienceOfEvent } from './event-audience.js';

/**
 * Its subject, and its id when it has one (two events of one id: the first is the event, the
 * second the duplicate). null: order it against everything — its type names no subject, it
 * carries none, or a journey it triggers reads its subject from another field (and so starts
 * instances another subject's events may touch).
 */
export function eventOrderKeys(graph: GraphIR, event: { readonly type: string; readonly data: unknown; readonly id?: string | undefined }): string[] | null {
  const audience = audienceOfEvent(graph, { type: event.type, data: event.data as Record<string, unknown> });
  if (audience.kind !== 'subject') return null;
  const path = graph.events[event.type]?.subject ?? 'subjectId';
  if (graph.journeys.some((j) => j.trigger.event === event.type && j.trigger.subject.trim() !== `event.${path}`)) return null;
  return [`subject:${audience.subjectId}`, ...(event.id !== undefined ? [`id:${event.id}`] : [])];
}
