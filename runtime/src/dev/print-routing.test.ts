import { describe, expect, it } from 'vitest';
import { routingLine } from './print-routing.js';

const event = { id: 'e-1', type: 'invoice.overdue' };

describe('routingLine', () => {
  it('says what routing decided, shaped like the delivery lines', () => {
    expect(routingLine({ kind: 'started', event, journey: 'invoice-overdue', subjectId: 'c-100', instanceId: 'i-1' })).toBe('  c-100 invoice-overdue: started by invoice.overdue');
    // With a trigger.key: the key, as written when it is a plain id, else quoted, and cut short.
    expect(routingLine({ kind: 'started', event, journey: 'invoice-overdue', subjectId: 'c-100', instanceId: 'i-1', key: 'INV-1' })).toBe(
      '  c-100 invoice-overdue: started by invoice.overdue (key INV-1)',
    );
    expect(routingLine({ kind: 'started', event, journey: 'j', subjectId: 'c', instanceId: 'i', key: 'Q"x' })).toBe('  c j: started by invoice.overdue (key "Q\\"x")');
    expect(routingLine({ kind: 'started', event, journey: 'j', subjectId: 'c', instanceId: 'i', key: 'k'.repeat(5000) })).toBe(`  c j: started by invoice.overdue (key ${'k'.repeat(37)}...)`);
    expect(
      routingLine({ kind: 'not-started', event, journey: 'invoice-overdue', subjectId: 'c-100', cause: 'reentry', reason: 'reentry after-exit: instance i-1 is still active' }),
    ).toBe('  c-100 invoice-overdue: not started by invoice.overdue: reentry after-exit: instance i-1 is still active');
    expect(routingLine({ kind: 'not-started', event, journey: 'invoice-overdue', subjectId: 'c-100', cause: 'condition', reason: 'trigger.when is false' })).toBe(
      '  c-100 invoice-overdue: not started by invoice.overdue: trigger.when is false',
    );
    expect(
      routingLine({ kind: 'not-started', event, journey: 'invoice-overdue', subjectId: null, cause: 'no-subject-id', reason: 'trigger.subject `event.subjectId` gave "", not a subject id' }),
    ).toBe('  invoice-overdue: not started by invoice.overdue: trigger.subject `event.subjectId` gave "", not a subject id');
    const paid = { id: 'e-2', type: 'invoice.paid' };
    expect(routingLine({ kind: 'no-subject-id', event: paid, path: 'subjectId' })).toBe('  invoice.paid: no subject id at `subjectId`, so it reaches no waiting instance');
    expect(routingLine({ kind: 'unheard', event: paid, subjectId: 'c-100', awaited: true })).toBe('  c-100 invoice.paid: no instance was waiting for it');
    const reached = { kind: 'reached', event: paid, journey: 'invoice-overdue', subjectId: 'c-100', instanceId: 'i-1', at: 'wait-payment', waiting: true } as const;
    expect(routingLine({ ...reached, outcome: 'ignored' })).toBe('  c-100 invoice-overdue: waiting at wait-payment, did not take invoice.paid: its match is false for it');
    expect(routingLine({ ...reached, outcome: 'taken' })).toBe('  c-100 invoice-overdue: took invoice.paid at wait-payment');
    expect(routingLine({ ...reached, outcome: 'kept', waiting: false })).toBe('  c-100 invoice-overdue: kept invoice.paid for a later wait');
    expect(routingLine({ ...reached, outcome: 'ignored', waiting: false })).toBe('  c-100 invoice-overdue: did not take invoice.paid: it does not wait for it now');
    expect(routingLine({ kind: 'unheard', event: paid, subjectId: null, awaited: false })).toBe('  invoice.paid: no journey starts on it or waits for it');
  });
});
