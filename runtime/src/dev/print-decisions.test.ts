import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryDecision } from '../delivery/types.js';
import { decisionPrinter } from './print-decisions.js';

const delivery = (id: string, status: Delivery['status'], notes: string[]) =>
  ({
    id,
    subjectId: 'c-1',
    journey: 'dunning',
    node: 'remind',
    template: 'reminder',
    status,
    history: notes.map((note, i): DeliveryDecision => ({ at: i, note })),
  }) as unknown as Delivery;

describe('decisionPrinter', () => {
  it('prints each decision once, as the deliveries that carry it are committed', () => {
    const lines: string[] = [];
    const print = decisionPrinter((l) => lines.push(l));
    print(delivery('d1', 'deferred', ['sms skipped: no address', 'deferred: quiet hours until 08:00 Europe/Berlin']));
    print(delivery('d2', 'attempting', ['email attempt 1']));
    print(delivery('d1', 'attempting', ['sms skipped: no address', 'deferred: quiet hours until 08:00 Europe/Berlin', 'email attempt 1']));
    print(delivery('d1', 'attempting', ['sms skipped: no address', 'deferred: quiet hours until 08:00 Europe/Berlin', 'email attempt 1']));
    print(delivery('d1', 'delivered', ['sms skipped: no address', 'deferred: quiet hours until 08:00 Europe/Berlin', 'email attempt 1', 'email delivered']));
    // A late bounce after delivered is a decision too.
    print(delivery('d1', 'attempting', ['sms skipped: no address', 'deferred: quiet hours until 08:00 Europe/Berlin', 'email attempt 1', 'email delivered', 'email bounced → failover to sms']));
    expect(lines).toEqual([
      '  c-1 dunning/remind (reminder): sms skipped: no address',
      '  c-1 dunning/remind (reminder): deferred: quiet hours until 08:00 Europe/Berlin',
      '  c-1 dunning/remind (reminder): email attempt 1',
      '  c-1 dunning/remind (reminder): email attempt 1',
      '  c-1 dunning/remind (reminder): email delivered',
      '  c-1 dunning/remind (reminder): email bounced → failover to sms',
    ]);
  });
});
