import { describe, expect, it } from 'vitest';
import { unusedPolicies } from './rule-unused-policy.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const TEMPLATE = 'template: reminder\nemail: { en: { subject: s, text: t } }\n';
const JOURNEY = (steps: string) => `journey: j\ntrigger: { event: invoice.overdue, subject: event.customerId }\nsteps:\n${steps}`;
const files = (journey: string) => ({
  'herald.yaml': BASE_CONFIG,
  'j.journey.yaml': journey,
  'reminder.template.yaml': TEMPLATE,
  'standard.policy.yaml': 'policy: standard\nchannels: [email]\n',
  'dunning.policy.yaml': 'policy: dunning\nchannels: [email]\n',
});

describe('unused-policy', () => {
  it('notes a policy that no send names and that is not defaults.policy', () => {
    const r = checkRule(unusedPolicies, files(JOURNEY('  - send: reminder\n')));
    expect(r.map((p) => [p.code, p.severity, p.at, p.message])).toEqual([
      ['unused-policy', 'info', 'dunning', 'no journey sends with policy `dunning`, and it is not `defaults.policy`'],
    ]);
    expect(checkRule(unusedPolicies, files(JOURNEY('  - send: reminder\n    policy: dunning\n')))).toEqual([]);
  });

  it('says nothing while a journey file that names the policy did not build in full', () => {
    // The send with the policy is in a step with two kinds, which is not built.
    const twoKinds = checkRule(unusedPolicies, files(JOURNEY('  - send: reminder\n    policy: dunning\n    wait: 1d\n')), {
      earlierProblems: ['multiple-step-kinds'],
    });
    expect(twoKinds).toEqual([]);
    const noJourney = checkRule(unusedPolicies, files(JOURNEY('  - send: reminder\n    policy: dunning\n\t- exit: x\n')), { earlierProblems: ['yaml-syntax'] });
    expect(noJourney).toEqual([]);
  });

  it('says nothing of the policy a misspelt `defaults.policy` names, but notes the others', () => {
    const config = BASE_CONFIG.replace('  policy: standard\n', '  polciy: dunning\n');
    const r = checkRule(unusedPolicies, { ...files(JOURNEY('  - send: reminder\n')), 'herald.yaml': config }, { earlierProblems: ['unknown-key'] });
    expect(r.map((p) => p.message)).toEqual(['no journey sends with policy `standard`, and it is not `defaults.policy`']);
  });

  it('still notes the policy when the journey file that did not build does not name it', () => {
    const r = checkRule(unusedPolicies, files(JOURNEY('  - send: reminder\n    policy: dunning-2\n\t- exit: x\n')), { earlierProblems: ['yaml-syntax'] });
    expect(r.map((p) => p.message)).toEqual(['no journey sends with policy `dunning`, and it is not `defaults.policy`']);
  });

  it('says nothing of a policy that herald.yaml names while herald.yaml does not build', () => {
    const broken = BASE_CONFIG.replace("config: { from: billing@example.com }", 'config: { from: billing@example.com, port: ${SMTP_PORT} }');
    const r = checkRule(unusedPolicies, { ...files(JOURNEY('  - send: reminder\n')), 'herald.yaml': broken }, { earlierProblems: ['yaml-syntax'] });
    // `standard` is the default policy in the text that did not build; `dunning` is named nowhere.
    expect(r.map((p) => p.message)).toEqual(['no journey sends with policy `dunning`, and it is not `defaults.policy`']);
  });
});
