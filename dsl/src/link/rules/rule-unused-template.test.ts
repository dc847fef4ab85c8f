import { describe, expect, it } from 'vitest';
import { unusedTemplates } from './rule-unused-template.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const TEMPLATE = (id: string) => `template: ${id}\nemail: { en: { subject: s, text: t } }\n`;
const JOURNEY = (steps: string) => `journey: j\ntrigger: { event: invoice.overdue, subject: event.customerId }\nsteps:\n${steps}`;

describe('unused-template', () => {
  it('notes a template that no send step names, at its id', () => {
    const r = checkRule(unusedTemplates, {
      'herald.yaml': BASE_CONFIG,
      'j.journey.yaml': JOURNEY('  - send: reminder\n'),
      'reminder.template.yaml': TEMPLATE('reminder'),
      'welcome.template.yaml': TEMPLATE('welcome'),
    });
    expect(r).toEqual([
      {
        code: 'unused-template',
        severity: 'info',
        message: 'no journey sends template `welcome`',
        file: 'welcome.template.yaml',
        at: 'welcome',
        line: 1,
        hint:
          'send it from a journey (`send: welcome`), or remove the file; until a journey sends it, only its Mustache syntax and its ' +
          '`subject.*` and `journey.*` names are checked, since the other names depend on the journey',
        related: [],
        fix: undefined,
      },
    ]);
  });

  it('leaves a second template of the same id to duplicate-id', () => {
    const r = checkRule(unusedTemplates, {
      'herald.yaml': BASE_CONFIG,
      'j.journey.yaml': JOURNEY('  - send: reminder\n'),
      'a.template.yaml': TEMPLATE('reminder'),
      'b.template.yaml': TEMPLATE('reminder'),
    });
    expect(r).toEqual([]);
  });

  it('says nothing while a journey file that names the template did not build in full', () => {
    // A step with two kinds is not built, so the send in it is not known.
    const twoKinds = checkRule(
      unusedTemplates,
      { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': JOURNEY('  - send: welcome\n    wait: 1d\n'), 'welcome.template.yaml': TEMPLATE('welcome') },
      { earlierProblems: ['multiple-step-kinds'] },
    );
    expect(twoKinds).toEqual([]);
    // A journey file whose YAML does not parse builds no journey at all.
    const noJourney = checkRule(
      unusedTemplates,
      { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': JOURNEY('  - send: welcome\n\t- exit: x\n'), 'welcome.template.yaml': TEMPLATE('welcome') },
      { earlierProblems: ['yaml-syntax'] },
    );
    expect(noJourney).toEqual([]);
  });

  it('still notes the template when the journey file that did not build does not name it', () => {
    const r = checkRule(
      unusedTemplates,
      {
        'herald.yaml': BASE_CONFIG,
        'j.journey.yaml': JOURNEY('  - send: welcome-back\n\t- exit: x\n'),
        'welcome.template.yaml': TEMPLATE('welcome'),
      },
      { earlierProblems: ['yaml-syntax'] },
    );
    expect(r.map((p) => p.message)).toEqual(['no journey sends template `welcome`']);
  });
});
