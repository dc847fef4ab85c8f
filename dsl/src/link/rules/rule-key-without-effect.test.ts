import { describe, expect, it } from 'vitest';
import { keysWithoutEffect } from './rule-key-without-effect.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (trigger: string) =>
  checkRule(keysWithoutEffect, { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: ${trigger}\nsteps:\n  - exit: done\n` });

describe('key-without-effect', () => {
  it('accepts a key with never, after-exit or no reentry (never), and always without a key', () => {
    expect(check('{ event: invoice.overdue, key: event.invoiceId, reentry: after-exit }')).toEqual([]);
    expect(check('{ event: invoice.overdue, key: event.invoiceId, reentry: never }')).toEqual([]);
    expect(check('{ event: invoice.overdue, key: event.invoiceId }')).toEqual([]);
    expect(check('{ event: invoice.overdue, reentry: always }')).toEqual([]);
  });

  it('warns at the key when reentry is always', () => {
    expect(check('{ event: invoice.overdue, key: event.invoiceId, reentry: always }')).toEqual([
      expect.objectContaining({
        code: 'key-without-effect',
        severity: 'warning',
        at: 'event.invoiceId',
        message: "the trigger's `key` has no effect with `reentry: always`: journey `j` starts for every event",
        hint: 'write `reentry: after-exit` for one live instance per key, or `reentry: never` for one per key ever; or drop the `key`',
      }),
    ]);
  });
});
