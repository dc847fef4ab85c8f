/**
 * Whose instances an event concerns (pure). A subject id is a non-empty string, or a finite
 * number (ids that arrive as numbers in JSON are still ids). Waiting instances get an event
 * when they belong to its subject: the payload path its declaration names (`subject:` in
 * herald.yaml, default `subjectId`). An event that carries no id there reaches no waiting
 * instance; an event type that names no subject reaches every instance waiting for it, and
 * their `match` decides.
 */
import type { GraphIR } from '@herald/dsl';
import type { IncomingEvent } from './types.js';

/** The subject id a value stands for, or null when it is none. */
export function subjectIdOf(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export type EventAudience =
  | { readonly kind: 'subject'; readonly subjectId: string }
  /** Its type names a subject field, and this event carries no id there. */
  | { readonly kind: 'nobody'; readonly path: string }
  /** Its type names no subject. */
  | { readonly kind: 'any-subject' };

export function audienceOfEvent(ir: GraphIR, event: Pick<IncomingEvent, 'type' | 'data'>): EventAudience {
  const declared = ir.events[event.type];
  // Graphs compiled before `subject` existed: `subjectId` when the event has it, else anyone.
  const path = declared?.subject !== undefined ? declared.subject : 'subjectId' in event.data ? 'subjectId' : null;
  if (path === null) return { kind: 'any-subject' };
  let value: unknown = event.data;
  for (const name of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  const subjectId = subjectIdOf(value);
  return subjectId === null ? { kind: 'nobody', path } : { kind: 'subject', subjectId };
}
