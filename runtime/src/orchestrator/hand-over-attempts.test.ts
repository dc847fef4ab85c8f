import { describe, expect, it } from 'vitest';
import type { NewJob, QueuedJob, UnitOfWork } from '../driver/driver.js';
import type { Delivery } from '../delivery/types.js';
import type { SubjectProfile } from '../engine/types.js';
import { handOverAttempts, type HandOverTarget } from './hand-over-attempts.js';

const NOW = 1_000_000;

function delivery(id: string): Delivery {
  return { id, subjectId: 'ann', status: 'attempting' } as unknown as Delivery;
}

const ann = { id: 'ann', contacts: { email: 'ann@example.com' } } as unknown as SubjectProfile;

function attempt(deliveryId: string, runAt = NOW): NewJob {
  return { id: `${deliveryId}:1`, job: { kind: 'attempt', deliveryId, channel: 'email', attempt: 1, idempotencyKey: deliveryId }, runAt };
}

function target(room: number) {
  const adopted: { queued: QueuedJob; delivery: Delivery; subject?: SubjectProfile }[] = [];
  let claimed = 0;
  const t: HandOverTarget = {
    leaseMs: 60_000,
    claim(n) {
      const granted = Math.min(n, room - claimed);
      claimed += granted;
      return granted;
    },
    giveBack(n) {
      claimed -= n;
    },
    adopt(queued, d, subject) {
      claimed -= 1;
      adopted.push({ queued, delivery: d, ...(subject ? { subject } : {}) });
    },
  };
  return { t, adopted, claimed: () => claimed };
}

const unitWith = (enqueue: NewJob[], deliveries: Delivery[]): UnitOfWork => ({
  enqueue,
  deliveries: deliveries.map((d) => ({ delivery: d, expectedUpdatedAt: null })),
});

describe('handOverAttempts', () => {
  it('leases the attempts due now whose delivery the unit writes, and runs them with that delivery and its subject once it committed', () => {
    const timer: NewJob = { id: 'timer', job: { kind: 'delivery', deliveryId: 'd1', input: { kind: 'timer', timerId: 'timer' } }, runAt: NOW + 5000 };
    const unit = unitWith([attempt('d1'), timer, attempt('d2', NOW + 1000), attempt('elsewhere')], [delivery('d1'), delivery('d2')]);
    const { t, adopted, claimed } = target(10);
    const h = handOverAttempts(unit, t, NOW, new Map([['ann', ann]]));
    expect(h.unit.enqueue).toEqual([{ ...attempt('d1'), leasedUntil: NOW + 60_000 }, timer, attempt('d2', NOW + 1000), attempt('elsewhere')]);
    expect(h.unit.deliveries).toBe(unit.deliveries);
    expect(claimed()).toBe(1);
    expect(adopted).toEqual([]);
    h.settle(true);
    expect(adopted).toEqual([{ queued: { id: 'd1:1', job: attempt('d1').job, runAt: NOW, tries: 0 }, delivery: delivery('d1'), subject: ann }]);
    expect(claimed()).toBe(0);
  });

  it('hands over no more than the scheduler has room for; the rest stay queued', () => {
    const unit = unitWith([attempt('d1'), attempt('d2'), attempt('d3')], [delivery('d1'), delivery('d2'), delivery('d3')]);
    const { t, adopted } = target(2);
    const h = handOverAttempts(unit, t, NOW);
    expect(h.unit.enqueue?.map((e) => e.leasedUntil ?? null)).toEqual([NOW + 60_000, NOW + 60_000, null]);
    h.settle(true);
    expect(adopted.map((a) => a.queued.id)).toEqual(['d1:1', 'd2:1']);
  });

  it('gives the places back when the unit did not commit, and runs nothing', () => {
    const { t, adopted, claimed } = target(5);
    const h = handOverAttempts(unitWith([attempt('d1')], [delivery('d1')]), t, NOW);
    expect(claimed()).toBe(1);
    h.settle(false);
    expect(claimed()).toBe(0);
    expect(adopted).toEqual([]);
  });

  it('leaves the unit as it is without a target, without room, or without attempts due', () => {
    const unit = unitWith([attempt('d1')], [delivery('d1')]);
    expect(handOverAttempts(unit, undefined, NOW).unit).toBe(unit);
    expect(handOverAttempts(unit, target(0).t, NOW).unit).toBe(unit);
    const later = unitWith([attempt('d1', NOW + 1)], [delivery('d1')]);
    expect(handOverAttempts(later, target(5).t, NOW).unit).toBe(later);
    const ack: UnitOfWork = { ack: ['x'] };
    expect(handOverAttempts(ack, target(5).t, NOW).unit).toBe(ack);
  });
});
