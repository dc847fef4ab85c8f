import { describe, expect, it } from 'vitest';
import { unknownTemplates } from './rule-unknown-templates.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const project = (send: string) => ({
  'herald.yaml': BASE_CONFIG,
  'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n  - send: ${send}\n`,
  'reminder.template.yaml': 'template: payment-reminder\nsms: { en: { body: hi } }\n',
  'notice.template.yaml': 'template: final-notice\nsms: { en: { body: hi } }\n',
});

describe('unknown-template', () => {
  it('accepts a known template', () => {
    expect(checkRule(unknownTemplates, project('payment-reminder'))).toEqual([]);
  });

  it('points at the name with a did-you-mean and a fix', () => {
    const r = checkRule(unknownTemplates, project('payment-remindr'));
    expect(r).toEqual([
      expect.objectContaining({
        code: 'unknown-template',
        severity: 'error',
        at: 'payment-remindr',
        message: 'unknown template `payment-remindr`',
        hint: 'did you mean `payment-reminder`?',
        fix: { at: 'payment-remindr', newText: 'payment-reminder' },
      }),
    ]);
  });

  it('says how to create the template when nothing is close', () => {
    const r = checkRule(unknownTemplates, project('welcome'));
    expect(r[0]!.hint).toBe('no template file says `template: welcome`; create `welcome.template.yaml` or fix the name');
    expect(r[0]!.fix).toBeUndefined();
  });
});
