import { describe, expect, it } from 'vitest';
import { duplicateIds } from './rule-duplicate-ids.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const journey = (id: string, steps = '  - exit: done\n') => `journey: ${id}\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}`;

describe('duplicate-id', () => {
  it('reports a journey, template or policy id shared by files in each of those files, pointing at the others', () => {
    const r = checkRule(duplicateIds, {
      'herald.yaml': BASE_CONFIG,
      'a.journey.yaml': journey('dunning'),
      'b.journey.yaml': journey('dunning'),
      'a.template.yaml': 'template: reminder\nsms: { en: { body: hi } }\n',
      'b.template.yaml': 'template: reminder\nsms: { en: { body: hello } }\n',
      'a.policy.yaml': 'policy: standard\nchannels: [email]\n',
      'b.policy.yaml': 'policy: standard\nchannels: [sms]\n',
    });
    expect(r.map((p) => [p.code, p.severity, p.file, p.at])).toEqual([
      ['duplicate-id', 'error', 'a.journey.yaml', 'dunning'],
      ['duplicate-id', 'error', 'b.journey.yaml', 'dunning'],
      ['duplicate-id', 'error', 'a.template.yaml', 'reminder'],
      ['duplicate-id', 'error', 'b.template.yaml', 'reminder'],
      ['duplicate-id', 'error', 'a.policy.yaml', 'standard'],
      ['duplicate-id', 'error', 'b.policy.yaml', 'standard'],
    ]);
    expect(r[0]!.message).toBe('journey id `dunning` is also used by another journey');
    expect(r[0]!.related).toEqual([{ file: 'b.journey.yaml', at: 'dunning', line: 1, message: '`dunning` is also defined here' }]);
    expect(r[1]!.related).toEqual([{ file: 'a.journey.yaml', at: 'dunning', line: 1, message: '`dunning` is also defined here' }]);
    expect(r[2]!.hint).toContain('unique in the project');
  });

  it('does not mix kinds: a journey and a template may share an id', () => {
    const r = checkRule(duplicateIds, {
      'herald.yaml': BASE_CONFIG,
      'a.journey.yaml': journey('reminder'),
      'a.template.yaml': 'template: reminder\nsms: { en: { body: hi } }\n',
      'a.policy.yaml': 'policy: reminder\nchannels: [email]\n',
    });
    expect(r).toEqual([]);
  });

  it('reports a step id used twice in one journey, but not across journeys', () => {
    const steps = '  - id: remind\n    wait: 1d\n  - id: remind\n    exit: done\n';
    const r = checkRule(duplicateIds, {
      'herald.yaml': BASE_CONFIG,
      'a.journey.yaml': journey('a', steps),
      'b.journey.yaml': journey('b', '  - id: remind\n    exit: done\n'),
    });
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ code: 'duplicate-id', file: 'a.journey.yaml', at: 'remind', line: 6 });
    expect(r[0]!.message).toBe('step id `remind` is already used in journey `a`');
    expect(r[0]!.related).toEqual([{ file: 'a.journey.yaml', at: 'remind', line: 4, message: '`remind` is first defined here' }]);
  });
});
