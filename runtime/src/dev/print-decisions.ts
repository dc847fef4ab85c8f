/**
 * `herald dev` prints each delivery's decisions as they are made — "sms skipped: no address",
 * "deferred: quiet hours until 08:00 Europe/Berlin", "email bounced → failover to sms" — so a
 * developer sees why a mail did or did not arrive without opening the archive.
 */
import type { Delivery } from '../delivery/types.js';

/** `(delivery) => void` for RuntimeOptions.onDelivery: prints the decisions not printed yet. */
export function decisionPrinter(say: (line: string) => void): (delivery: Delivery) => void {
  // Decisions printed so far per delivery. Kept after a final status: a late receipt (a bounce
  // after delivered) still adds one. A few bytes per message, for a dev session.
  const printed = new Map<string, number>();
  return (delivery) => {
    const from = printed.get(delivery.id) ?? 0;
    for (const d of delivery.history.slice(from)) say(`  ${delivery.subjectId} ${delivery.journey}/${delivery.node} (${delivery.template}): ${d.note}`);
    if (delivery.history.length > from) printed.set(delivery.id, delivery.history.length);
  };
}
