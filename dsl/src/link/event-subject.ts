/**
 * Which payload field names the subject (the customer) an event is about: `subject:` of the
 * event's declaration in herald.yaml (a dotted path), else `subjectId` when the payload has it.
 * Routing offers an event only to journeys of that subject; an event type with neither is about
 * no one subject, and every instance waiting for it receives it (its `match` decides).
 */
import type { EventDecl } from '../model/ast.js';
import type { Field, Type } from '../types/type.js';

export const DEFAULT_EVENT_SUBJECT = 'subjectId';

/** The field at a dotted path of a payload type; 'dyn' when the type cannot tell (a `dyn` on the way, or at the end). */
export function fieldAtPath(type: Type, path: string): Field | 'dyn' | undefined {
  let field: Field = { type, optional: false };
  for (const name of path.split('.')) {
    if (field.type.kind === 'dyn') return 'dyn';
    // A map (a JSON Schema object without `properties`) may hold any key.
    if (field.type.kind === 'map') {
      field = { type: field.type.value, optional: true };
      continue;
    }
    if (field.type.kind !== 'object') return undefined;
    const next = field.type.fields[name];
    if (!next) return undefined;
    field = next;
  }
  return field.type.kind === 'dyn' ? 'dyn' : field;
}

/** The event's subject path, or null when it is about no one subject. */
export function eventSubjectPath(decl: EventDecl): string | null {
  if (decl.subject) return decl.subject.value;
  return fieldAtPath(decl.type.type, DEFAULT_EVENT_SUBJECT) === undefined ? null : DEFAULT_EVENT_SUBJECT;
}
