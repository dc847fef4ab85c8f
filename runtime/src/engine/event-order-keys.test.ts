import type { GraphIR } from '@herald/dsl';
import { describe, expect, it } from 'vitest';
import { eventOrderKeys } from './event-order-keys.js';

describe('eventOrderKeys', () => {
  const graph = (triggerSubject: string, subject: string | null = 'customer.id') =>
    ({
      events: { 'order.paid': { type: { kind: 'dyn' }, subject } },
      journeys: [{ trigger: { event: 'order.paid', subject: triggerSubject } }],
    }) as unknown as GraphIR;
  const paid = { type: 'order.paid', data: { customer: { id: 'c-1' } } };

  it('orders by the declared subject, and by the id when the event has one', () => {
    expect(eventOrderKeys(graph('event.customer.id'), paid)).toEqual(['subject:c-1']);
    expect(eventOrderKeys(graph('event.customer.id'), { ...paid, id: 'e-1' })).toEqual(['subject:c-1', 'id:e-1']);
  });

  it('orders against everything when a trigger reads its subject elsewhere, the type names no subject, or the event carries none', () => {
    expect(eventOrderKeys(graph('event.managerId'), paid)).toBeNull();
    expect(eventOrderKeys(graph('event.customer.id', null), paid)).toBeNull();
    expect(eventOrderKeys(graph('event.customer.id'), { type: 'order.paid', data: {} })).toBeNull();
  });
});
