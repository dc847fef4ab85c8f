import { describe, expect, it } from 'vitest';
import { templateVariants } from './rule-template-variants.js';
import { BASE_CONFIG, checkRule, DEFAULT_MANIFESTS } from './test-project.js';

const files = (steps: string, template = 'template: reminder\nemail: { en: { subject: Hi, text: Pay } }\n') => ({
  'herald.yaml': BASE_CONFIG,
  'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}`,
  'reminder.template.yaml': template,
  'standard.policy.yaml': 'policy: standard\nchannels: [email]\n',
  'dunning.policy.yaml': 'policy: dunning\nchannels: [email, sms]\n',
  'audit.policy.yaml': 'policy: audit\nchannels: [log]\n',
});

describe('missing-variant', () => {
  it('accepts a template with a variant for each channel of the policy', () => {
    expect(checkRule(templateVariants, files('  - send: reminder\n'))).toEqual([]);
  });

  it('reports a channel kind the template lacks, at the template name, with the policy channel as related', () => {
    const r = checkRule(templateVariants, files('  - send: reminder\n    policy: dunning\n'));
    expect(r).toEqual([
      expect.objectContaining({
        code: 'missing-variant',
        severity: 'error',
        at: 'reminder',
        line: 4,
        message: 'template `reminder` has no `sms` variant, but policy `dunning` can send on channel `sms`',
        hint: 'add `sms:` with a variant per locale to template `reminder`, or remove `sms` from policy `dunning`',
      }),
    ]);
    expect(r[0]!.related).toEqual([
      { file: 'dunning.policy.yaml', at: 'sms', line: 2, message: 'policy `dunning` lists channel `sms` (`sms` messages) here' },
    ]);
  });

  it('uses defaults.policy for a step without policy', () => {
    const config = BASE_CONFIG.replace('policy: standard', 'policy: dunning');
    const r = checkRule(templateVariants, { ...files('  - send: reminder\n'), 'herald.yaml': config });
    expect(r.map((p) => p.message)).toEqual(['template `reminder` has no `sms` variant, but policy `dunning` can send on channel `sms`']);
  });

  it('reports each template, policy and channel combination once per journey', () => {
    const r = checkRule(templateVariants, files('  - send: reminder\n    policy: dunning\n  - wait: 1d\n  - send: reminder\n    policy: dunning\n'));
    expect(r).toHaveLength(1);
  });

  it('lets an `any` channel take any variant', () => {
    expect(checkRule(templateVariants, files('  - send: reminder\n    policy: audit\n'))).toEqual([]);
  });

  it('skips channels whose plugin manifest is unknown, and unknown templates or policies', () => {
    const manifests = { ...DEFAULT_MANIFESTS, '@herald/channel-sms': { ok: false as const, reason: 'not installed' } };
    expect(checkRule(templateVariants, files('  - send: reminder\n    policy: dunning\n'), { manifests })).toEqual([]);
    expect(checkRule(templateVariants, files('  - send: nope\n    policy: dunning\n  - send: reminder\n    policy: nope\n'))).toEqual([]);
  });
});
