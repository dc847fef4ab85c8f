import { describe, expect, it } from 'vitest';
import type { Delivery } from '../delivery/types.js';
import type { Instance } from '../engine/types.js';
import { REDACTED, redactContent, redactEndedInstance, redactFinalDelivery } from './redact.js';

const content = { channel: 'email', kind: 'email', locale: 'en', to: 'a@b.c', fields: { subject: 'Hi', text: 'IBAN DE00 1234' }, renderedAt: 1 };
const delivery = (status: Delivery['status']) =>
  ({ status, vars: { trigger: { iban: 'DE00 1234', amount: 5 }, customer: { name: 'Ada' } } }) as unknown as Delivery;

describe('archive redaction', () => {
  it('blanks an instance’s variables once it has ended, not while its steps may read them', () => {
    const instance = (status: Instance['status']) => ({ status, vars: { trigger: { iban: 'DE00 1234', amount: 5 } } }) as unknown as Instance;
    const active = instance('active');
    expect(redactEndedInstance(active, ['vars.trigger.iban'])).toBe(active);
    expect(redactEndedInstance(instance('exited'), ['vars.trigger.iban', 'content.text']).vars).toEqual({ trigger: { iban: REDACTED, amount: 5 } });
    const failed = instance('failed');
    expect(redactEndedInstance(failed, ['content.text'])).toBe(failed);
  });

  it('blanks listed rendered fields and leaves the rest', () => {
    expect(redactContent(content, ['content.text', 'vars.trigger.iban']).fields).toEqual({ subject: 'Hi', text: REDACTED });
    expect(redactContent(content, ['content.html'])).toBe(content);
  });

  it('blanks render data once a delivery is final, not while it may still render again', () => {
    const paths = ['vars.trigger.iban', 'vars.missing.path'];
    expect(redactFinalDelivery(delivery('attempting'), paths).vars).toEqual(delivery('attempting').vars);
    const done = redactFinalDelivery(delivery('delivered'), paths);
    expect(done.vars).toEqual({ trigger: { iban: REDACTED, amount: 5 }, customer: { name: 'Ada' } });
  });
});
