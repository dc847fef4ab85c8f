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

/** The journey with the quick fix of its one optional-field-read applied, and what checking that gives. */
function fixed(steps: string, extraFields = '') {
  const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
  p.setFile(
    'herald.yaml',
    `project: p\nchannels:\n  email: { use: "@herald/channel-email" }\nevents:\n  order.placed:\n    fields: { subjectId: string, card: string?, count: number?, vip: bool?, tags: list<string>?${extraFields} }\n`,
  );
  const journey = `journey: j\ntrigger: { event: order.placed }\nsteps:\n${steps}`;
  p.setFile('j.journey.yaml', journey);
  const [d, ...more] = p.check().diagnostics.filter((x) => x.code === 'optional-field-read');
  expect(more).toEqual([]);
  if (!d?.fix) return { title: undefined, text: undefined, problems: [] };
  const text = journey.slice(0, d.fix.range.start.offset) + d.fix.newText + journey.slice(d.fix.range.end.offset);
  p.setFile('j.journey.yaml', text);
  return { title: d.fix.title, text: text.slice(text.indexOf('steps:\n') + 7), problems: p.check().diagnostics.map((x) => x.code) };
}

describe('optional-field-read quick fix', () => {
  it('defaults a string with the quote its YAML scalar does not use, and the result checks clean', () => {
    expect(fixed('  - set: { c: "upper(trigger.card)" }\n')).toEqual({ title: "Default to '' when `trigger.card` is missing", text: '  - set: { c: "upper(trigger.card ?? \'\')" }\n', problems: [] });
    expect(fixed("  - set: { c: 'upper(trigger.card)' }\n")).toEqual({ title: 'Default to "" when `trigger.card` is missing', text: "  - set: { c: 'upper(trigger.card ?? \"\")' }\n", problems: [] });
    expect(fixed('  - set:\n      c: upper(trigger.card)\n').text).toBe('  - set:\n      c: upper(trigger.card ?? "")\n');
  });

  it('puts the default in parentheses where `??` would bind to more than the read, and not around an argument or the whole expression', () => {
    expect(fixed('  - branch:\n      - when: trigger.count > 2\n        goto: a\n      - else: a\n  - id: a\n    exit: done\n')).toMatchObject({ text: expect.stringContaining('when: (trigger.count ?? 0) > 2'), problems: [] });
    expect(fixed('  - set: { c: "!trigger.vip" }\n')).toMatchObject({ text: '  - set: { c: "!(trigger.vip ?? false)" }\n', problems: [] });
    expect(fixed('  - set: { c: "trigger.count" }\n')).toMatchObject({ text: '  - set: { c: "trigger.count ?? 0" }\n', problems: [] });
  });

  it('defaults a list to `[]` and a map to `{}`, but not in a plain scalar inside a flow mapping, which `[]{},` would end', () => {
    expect(fixed('  - set: { c: "size(trigger.tags)" }\n')).toEqual({ title: 'Default to [] when `trigger.tags` is missing', text: '  - set: { c: "size(trigger.tags ?? [])" }\n', problems: [] });
    expect(fixed('  - set:\n      c: size(trigger.tags)\n')).toMatchObject({ text: '  - set:\n      c: size(trigger.tags ?? [])\n', problems: [] });
    expect(fixed('  - set:\n      c: size(trigger.meta)\n', ', meta: map<string>?')).toMatchObject({ text: '  - set:\n      c: size(trigger.meta ?? {})\n', problems: [] });
    expect(fixed('  - set: { c: size(trigger.tags) }\n').title).toBeUndefined();
  });
});

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
