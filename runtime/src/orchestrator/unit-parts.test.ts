import { describe, expect, it } from 'vitest';
import type { NewJob } from '../driver/driver.js';
import { appendParts, emptyParts, unitFrom } from './instance-effects.js';

const job = (id: string): NewJob => ({ id, job: { kind: 'instance', instanceId: 'i', input: { kind: 'timer', timerId: id } }, runAt: 0 });

describe('unit parts', () => {
  it('appendParts adds every list a delivery’s effects carry, and unitFrom puts them after the unit’s own', () => {
    const parts = emptyParts();
    parts.enqueue.push(job('timer'));
    appendParts(parts, {
      enqueue: [job('attempt')],
      cancel: ['old-timer'],
      sent: [{ subjectId: 's', category: 'c', at: 1, dedupeKey: null, deliveryId: 'd' }],
      unsent: ['d0'],
    });
    const unit = unitFrom(parts, { ack: ['job-1'], enqueue: [job('own')], cancel: ['own-timer'] });
    expect(unit).toEqual({
      ack: ['job-1'],
      enqueue: [job('own'), job('timer'), job('attempt')],
      cancel: ['own-timer', 'old-timer'],
      sent: [{ subjectId: 's', category: 'c', at: 1, dedupeKey: null, deliveryId: 'd' }],
      unsent: ['d0'],
    });
  });

  it('unitFrom leaves out the lists nothing was added to', () => {
    expect(unitFrom(emptyParts(), { ack: ['job-1'] })).toEqual({ ack: ['job-1'] });
  });
});
