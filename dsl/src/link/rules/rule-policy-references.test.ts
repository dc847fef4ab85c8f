import { describe, expect, it } from 'vitest';
import { policyReferences } from './rule-policy-references.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const NO_DEFAULT = BASE_CONFIG.replace('defaults:\n  policy: standard\n', '');

const project = (config: string, steps: string) => ({
  'herald.yaml': config,
  'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}`,
  'standard.policy.yaml': 'policy: standard\nchannels: [email]\n',
  'dunning.policy.yaml': 'policy: dunning\nchannels: [email, sms]\n',
});

describe('unknown-policy / missing-policy', () => {
  it('accepts a step policy and the default policy', () => {
    expect(checkRule(policyReferences, project(BASE_CONFIG, '  - send: t\n    policy: dunning\n  - send: t\n'))).toEqual([]);
  });

  it('reports an unknown step policy with a did-you-mean', () => {
    const r = checkRule(policyReferences, project(BASE_CONFIG, '  - send: t\n    policy: duning\n'));
    expect(r).toEqual([
      expect.objectContaining({ code: 'unknown-policy', at: 'duning', message: 'unknown policy `duning`', hint: 'did you mean `dunning`?' }),
    ]);
    expect(r[0]!.fix).toEqual({ at: 'duning', newText: 'dunning' });
  });

  it('reports an unknown default policy in herald.yaml, once', () => {
    const config = BASE_CONFIG.replace('policy: standard', 'policy: standrd');
    const r = checkRule(policyReferences, project(config, '  - send: t\n  - send: t\n'));
    expect(r).toEqual([
      expect.objectContaining({ code: 'unknown-policy', file: 'herald.yaml', at: 'standrd', message: 'unknown default policy `standrd`' }),
    ]);
  });

  it('reports a send without policy and without a default at the `send` key', () => {
    const r = checkRule(policyReferences, project(NO_DEFAULT, '  - id: first\n    send: t\n  - send: t\n    policy: dunning\n  - send: t\n'));
    expect(r.map((p) => [p.code, p.at, p.message])).toEqual([
      ['missing-policy', 'send', 'step `first` sends without a policy, and herald.yaml sets no `defaults.policy`'],
      ['missing-policy', 'send', 'step #3 sends without a policy, and herald.yaml sets no `defaults.policy`'],
    ]);
    expect(r[0]!.hint).toBe(
      'add `policy: <name>` to the step, or `defaults: { policy: <name> }` to herald.yaml; policies: `standard`, `dunning`',
    );
  });

  it('reports no missing policy where herald.yaml misspells `defaults.policy`: that is the one mistake', () => {
    const sends = '  - send: t\n  - send: t\n    policy: dunning\n  - send: t\n';
    const misspelt = (defaults: string, earlierProblems: readonly string[]) =>
      checkRule(policyReferences, project(BASE_CONFIG.replace('defaults:\n  policy: standard\n', defaults), sends), { earlierProblems });
    // A near miss of `policy`, whatever it names; a key that names a policy; a `policy:` that is no text; a misspelt `defaults`.
    expect(misspelt('defaults:\n  polciy: standard\n', ['unknown-key'])).toEqual([]);
    expect(misspelt('defaults:\n  polciy: nothing\n', ['unknown-key'])).toEqual([]);
    expect(misspelt('defaults:\n  defaultPolicy: standard\n', ['unknown-key'])).toEqual([]);
    expect(misspelt('defaults:\n  policy: [standard]\n', ['wrong-type'])).toEqual([]);
    expect(misspelt('defualts:\n  policy: standard\n', ['unknown-key'])).toEqual([]);
  });

  it('reports no missing policy for a send whose own `policy:` is misspelt, but does for the others', () => {
    const steps = '  - send: t\n    polcy: dunning\n  - send: t\n    policy: [dunning]\n  - send: t\n    channelPolicy: dunning\n  - id: bare\n    send: t\n';
    const r = checkRule(policyReferences, project(NO_DEFAULT, steps), { earlierProblems: ['unknown-key', 'wrong-type', 'unknown-key'] });
    expect(r.map((p) => [p.code, p.message])).toEqual([['missing-policy', 'step `bare` sends without a policy, and herald.yaml sets no `defaults.policy`']]);
  });

  it('still reports missing policies when an unknown key in `defaults` is about something else', () => {
    const config = BASE_CONFIG.replace('defaults:\n  policy: standard\n', 'defaults:\n  timezne: UTC\n');
    const r = checkRule(policyReferences, project(config, '  - send: t\n'), { earlierProblems: ['unknown-key'] });
    expect(r.map((p) => p.code)).toEqual(['missing-policy']);
  });

  it('says nothing about missing policies when there is no herald.yaml', () => {
    const { 'herald.yaml': _config, ...rest } = project(BASE_CONFIG, '  - send: t\n');
    expect(checkRule(policyReferences, rest)).toEqual([]);
  });
});
