import { describe, expect, it } from 'vitest';
import { Project } from '../project/project.js';

const MANIFESTS: Record<string, string> = {
  '/repo/node_modules/@herald/channel-email/herald-plugin.json': JSON.stringify({ name: '@herald/channel-email', kind: 'channel', message: 'email', configSchema: { type: 'object' } }),
};

/** The optional-field-read warnings of a journey (its steps under `steps:`) on an event with optional fields. */
function check(steps: string, trigger = '{ event: order.placed }') {
  const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
  p.setFile(
    'herald.yaml',
    'project: p\nchannels:\n  email: { use: "@herald/channel-email" }\nevents:\n  order.placed:\n    fields: { subjectId: string, card: string?, address: "{city: string, zip: string?}?" }\n',
  );
  const journey = `journey: j\ntrigger: ${trigger}\nsteps:\n${steps}`;
  p.setFile('j.journey.yaml', journey);
  return p
    .check()
    .diagnostics.filter((d) => d.code === 'optional-field-read')
    .map((d) => ({ at: journey.slice(d.range.start.offset, d.range.end.offset), line: d.range.start.line, message: d.message, hint: d.hint }));
}

describe('optional-field-read', () => {
  it('warns at a strict read of an optional field the journey never tests', () => {
    expect(check('  - set: { c: "upper(trigger.card)" }\n')).toEqual([
      {
        at: 'trigger.card',
        line: 4,
        message: '`trigger.card` is optional (`string?`), and this reads it as if it were always there: when it is missing, the step fails',
        hint: 'give a default (`trigger.card ?? ""`), or test `has(trigger.card)` first (in a `branch` before this step, or `has(trigger.card) ? ... : ...`)',
      },
    ]);
  });

  it("says that a trigger's key or subject read from an optional field starts nothing when it is missing", () => {
    expect(check('  - send: x\n', '{ event: order.placed, key: event.card, reentry: after-exit }')).toEqual([
      {
        at: 'event.card',
        line: 2,
        message: '`event.card` is optional (`string?`), and this reads it as if it were always there: when it is missing, the event starts nothing for this journey',
        hint: 'make it required in the event\'s declaration if every event has it, or give a non-empty default (`event.card ?? "none"`): an empty one starts nothing too',
      },
    ]);
  });

  it('also through an optional object, once per path and expression', () => {
    expect(check('  - set: { z: "trigger.address.city + trigger.address.city" }\n').map((d) => d.at)).toEqual(['trigger.address']);
  });

  it('is quiet for tolerant reads and for fields the journey tests anywhere', () => {
    expect(check('  - set: { a: \'trigger.card ?? ""\', b: \'coalesce(trigger.card, "x")\', c: "has(trigger.card)" }\n')).toEqual([]);
    expect(check('  - set: { c: \'has(trigger.card) ? upper(trigger.card) : ""\' }\n')).toEqual([]);
    expect(
      check('  - branch:\n      - when: has(trigger.card)\n        goto: use\n      - else: done\n  - id: use\n    set: { c: "upper(trigger.card)" }\n  - id: done\n    exit: done\n'),
    ).toEqual([]);
    expect(check('  - set: { c: "trigger.subjectId" }\n')).toEqual([]);
  });
});
