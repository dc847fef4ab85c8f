import { describe, expect, it } from 'vitest';
import type { Instance } from '../engine/types.js';
import { instanceEndLine, instanceEndPrinter } from './print-instance-ends.js';

const instance = (over: Partial<Instance>): Instance =>
  ({ id: 'i-1', journey: 'order-followup', subjectId: 'c-9', status: 'active', exitReason: null, ...over }) as Instance;

describe('instance end lines', () => {
  it('says how an instance ended, with the reason, and nothing while it is active', () => {
    expect(instanceEndLine(instance({ status: 'failed', exitReason: 'at shipped: `trigger` has no field `card`' }))).toBe(
      '  c-9 order-followup: failed at shipped: `trigger` has no field `card`',
    );
    expect(instanceEndLine(instance({ status: 'failed', exitReason: 'loading crm failed' }))).toBe('  c-9 order-followup: failed: loading crm failed');
    expect(instanceEndLine(instance({ status: 'exited', exitReason: 'paid' }))).toBe('  c-9 order-followup: exited: paid');
    expect(instanceEndLine(instance({ status: 'completed' }))).toBe('  c-9 order-followup: completed');
    expect(instanceEndLine(instance({}))).toBeUndefined();
  });

  it('prints each ended instance once', () => {
    const lines: string[] = [];
    const print = instanceEndPrinter((l) => lines.push(l));
    print(instance({}));
    print(instance({ status: 'completed' }));
    print(instance({ status: 'completed' }));
    print(instance({ id: 'i-2', status: 'completed' }));
    expect(lines).toEqual(['  c-9 order-followup: completed', '  c-9 order-followup: completed']);
  });
});
