/**
 * `herald dev` prints how each instance ends — "c-9 order-followup: failed at shipped: `trigger`
 * has no field `card`" — beside the routing and delivery lines: a failed instance is otherwise
 * only in GET /instances, and the terminal would say the event was taken and nothing more.
 */
import type { Instance } from '../engine/types.js';

/** One line for an ended instance, shaped like the other dev lines: `  <subject> <journey>: …`. */
export function instanceEndLine(instance: Instance): string | undefined {
  const who = `  ${instance.subjectId} ${instance.journey}`;
  switch (instance.status) {
    case 'active':
      return undefined;
    case 'completed':
      return `${who}: completed`;
    case 'exited':
      return `${who}: exited${instance.exitReason ? `: ${instance.exitReason}` : ''}`;
    case 'failed':
      // "failed at shipped: …" reads on; any other reason follows a colon.
      if (!instance.exitReason) return `${who}: failed`;
      return `${who}: failed${instance.exitReason.startsWith('at ') ? ' ' : ': '}${instance.exitReason}`;
  }
}

/** `(instance) => void` for RuntimeOptions.onInstance: each ended instance once. */
export function instanceEndPrinter(say: (line: string) => void): (instance: Instance) => void {
  // Ended instances told so far: a unit that writes an ended instance again (redaction) says nothing new.
  const told = new Set<string>();
  return (instance) => {
    const line = instanceEndLine(instance);
    if (line === undefined || told.has(instance.id)) return;
    told.add(instance.id);
    say(line);
  };
}
