/** The units commit-until-killed.ts writes, for the child to write and the test to check. */
import type { UnitOfWork } from '../../../runtime/src/driver/driver.js';
import { makeContent, makeDelivery, makeInstance, T0 } from '../fixtures.js';

export const KILL_SUBJECT = 'kill-subject';

export function killUnit(n: number): UnitOfWork {
  return {
    events: [`e-${n}`],
    instances: [
      // Rows of varied size, some spilling into overflow pages.
      { instance: makeInstance({ id: `u-${n}`, subjectId: KILL_SUBJECT, vars: { n, blob: 'x'.repeat((n * 97) % 6000) } }), expectedSeq: null },
      {
        instance: makeInstance({ id: 'progress', subjectId: 'progress', seq: n + 1, vars: { n } }),
        expectedSeq: n === 0 ? null : n,
      },
    ],
    deliveries: [{ delivery: makeDelivery({ id: `d-${n}`, subjectId: KILL_SUBJECT, createdAt: T0 + n }), expectedUpdatedAt: null }],
    enqueue: [{ id: `j-${n}`, job: { kind: 'instance', instanceId: `u-${n}`, input: { kind: 'start' } }, runAt: T0 + n }],
    sent: [{ subjectId: KILL_SUBJECT, category: 'kill', at: T0 + n, dedupeKey: `k-${n}`, deliveryId: `d-${n}` }],
    archive: [{ deliveryId: `d-${n}`, content: makeContent({ renderedAt: T0 + n }) }],
  };
}
