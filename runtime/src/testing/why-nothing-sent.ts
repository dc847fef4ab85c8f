/**
 * Why an expected message did not go out, when the run knows: the deliveries held back
 * (quiet hours, a retry's backoff), skipped (no address, no consent, a frequency cap) or
 * failed, each with the policy's own decision note. "nothing was sent" alone sends the reader
 * to the archive; "1 delivery deferred: quiet hours until 08:00 Europe/Berlin" is the answer.
 */
import type { Delivery } from '../delivery/types.js';
import type { MessageMatcher } from '@herald/dsl';

const UNSENT = ['deferred', 'skipped', 'failed'] as const;
type Unsent = (typeof UNSENT)[number];

/** The decision that left the delivery where it is, without the status it repeats. */
function reason(d: Delivery, status: Unsent): string {
  const prefix = `${status}: `;
  const own = d.history.findLast((h) => h.note.startsWith(prefix));
  return own ? own.note.slice(prefix.length) : (d.history.at(-1)?.note ?? 'no decision noted');
}

/**
 * `deliveries`: those whose state changed since the previous `expect`, and those still deferred.
 * Only deliveries `m` could have come from count (its journey, template, step, subject).
 */
export function whyNothingWasSent(deliveries: readonly Delivery[], m: MessageMatcher = {}): string | undefined {
  const counts = new Map<string, number>();
  for (const d of deliveries) {
    const status = d.status as Unsent;
    if (!UNSENT.includes(status)) continue;
    if (m.journey !== undefined && d.journey !== m.journey) continue;
    if (m.template !== undefined && d.template !== m.template) continue;
    if (m.step !== undefined && d.node !== m.step) continue;
    if (m.subject !== undefined && d.subjectId !== m.subject) continue;
    const key = `${status}: ${reason(d, status)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  return [...counts].map(([key, n]) => `${n} ${n === 1 ? 'delivery' : 'deliveries'} ${key}`).join('; ');
}
