import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../parse/parse-yaml-file.js';
import type { FileKind } from '../model/ast.js';
import { validateShape } from './validate-shape.js';

function check(kind: FileKind, text: string) {
  const { root, problems } = parseYamlFile('f.yaml', text);
  expect(problems).toEqual([]);
  return validateShape(kind, root!).map((p) => ({ code: p.code, at: text.slice(p.span.start, p.span.end), message: p.message, hint: p.hint }));
}

const journey = (steps: string) => `journey: j\ntrigger: { event: a.b }\nsteps:\n${steps}`;

describe('validateShape', () => {
  it('accepts a valid journey', () => {
    expect(check('journey', journey('  - send: t\n    policy: p\n  - wait: 3d\n  - wait: { event: x.y, timeout: 2h }\n  - exit: done\n'))).toEqual([]);
  });

  it('says a file that is a list where a mapping belongs is one, without quoting "the file" as a key', () => {
    const r = check('policy', '- a\n- b\n');
    expect(r.map((p) => p.message)).toEqual(['the file must be an object, not a list']);
  });

  it('says a half-typed step (`- send`) is the step that is wrong, not the list, and how to write it', () => {
    expect(check('journey', journey('  - send\n  - wait: 3d\n'))).toEqual([
      {
        code: 'wrong-type',
        at: 'send',
        message: 'a step must be an object, not the text `send`',
        hint: 'a step maps its kind to what it does: write `- send: ...` (`- send: <template>`, `- wait: 3d`)',
      },
    ]);
    expect(check('journey', journey('  - 42\n')).map((p) => p.message)).toEqual(['a step must be an object, not the number `42`']);
  });

  it('points an unknown key at the key itself with a did-you-mean', () => {
    const r = check('journey', journey('  - send: t\n    polcy: p\n'));
    expect(r).toEqual([expect.objectContaining({ code: 'unknown-key', at: 'polcy', hint: 'did you mean `policy`?' })]);
    expect(r[0]!.message).toContain('send step');
  });

  it('gives one error for a misspelt step kind, not one per kind', () => {
    const r = check('journey', journey('  - sned: t\n'));
    expect(r).toEqual([expect.objectContaining({ code: 'unknown-step-kind', at: 'sned', hint: 'did you mean `send`?' })]);
  });

  it('reports two kinds in one step once', () => {
    const r = check('journey', journey('  - send: t\n    wait: 3d\n'));
    expect(r.map((x) => x.code)).toEqual(['multiple-step-kinds']);
  });

  it('reports a bad duration with a hint', () => {
    const r = check('journey', journey('  - wait: 3 days\n'));
    expect(r).toEqual([expect.objectContaining({ code: 'invalid-duration', at: '3 days' })]);
    expect(r[0]!.hint).toMatch(/duration \(`3d`\)/);
  });

  it('reports missing required keys at the mapping', () => {
    const r = check('journey', 'journey: j\nsteps:\n  - exit: x\n');
    expect(r).toEqual([expect.objectContaining({ code: 'missing-key', at: 'journey' })]);
    expect(r[0]!.message).toContain('`trigger`');
  });

  it('reports wrong types and enum values with did-you-mean', () => {
    const r = check('journey', 'journey: j\ntrigger: { event: a.b, reentry: nevr }\nsteps: 3\n');
    expect(r).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'invalid-value', at: 'nevr', hint: 'did you mean `never`?' }),
        expect.objectContaining({ code: 'wrong-type', at: '3' }),
      ]),
    );
  });

  it('says where a key is unknown: in a kind of thing (a/an), under a section, in herald.yaml', () => {
    const messages = (kind: Parameters<typeof check>[0], text: string) => check(kind, text).map((d) => d.message);
    expect(messages('journey', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - emit: { event: a.c, data: {}, extra: 1 }\n')).toEqual(['unknown key `extra` in an emit']);
    expect(messages('journey', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: t\n    polcy: p\n')).toEqual(['unknown key `polcy` in a send step']);
    expect(messages('policy', 'policy: p\nchannels: [email]\nretry: { attempts: 3, backof: fixed }\n')).toEqual(['unknown key `backof` under `retry`']);
    expect(messages('config', 'project: p\nprojekt: q\n')).toEqual(['unknown key `projekt` in herald.yaml']);
  });

  it('a wrong type is answered with what to write, then what the key is for', () => {
    expect(check('journey', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  send: t\n')).toEqual([
      expect.objectContaining({
        code: 'wrong-type',
        hint: 'write a list: `[a, b]`, or one `- item` per line under `steps:` — the steps, run in order unless a step says otherwise',
      }),
    ]);
    expect(check('policy', 'policy: p\nchannels: [email]\nfrequencyCap: { max: two, per: 1d }\n')).toEqual([
      expect.objectContaining({
        code: 'wrong-type',
        at: 'two',
        hint: "write a whole number (`max: 3`) — most messages of this policy's category to one subject per period",
      }),
    ]);
  });

  it('leaves a numeric split weight to the split-weights rule (x-checked-by), but not one that is no number', () => {
    const split = (w: string) => journey(`  - split:\n      - { weight: ${w}, goto: a }\n      - { weight: 1, goto: a }\n  - id: a\n    exit: x\n`);
    expect(check('journey', split('0'))).toEqual([]);
    expect(check('journey', split('-1'))).toEqual([]);
    expect(check('journey', split('.inf'))).toEqual([]);
    expect(check('journey', split('half'))).toEqual([expect.objectContaining({ code: 'wrong-type', at: 'half' })]);
  });

  it('validates policies, templates and herald.yaml', () => {
    expect(check('policy', 'policy: p\nchannels: [email]\nretry: { attempts: 3, backof: fixed }\n')).toEqual([
      expect.objectContaining({ code: 'unknown-key', at: 'backof', hint: 'did you mean `backoff`?' }),
    ]);
    expect(check('template', 'template: t\nemail:\n  en:\n    subjet: hi\n')).toEqual([
      expect.objectContaining({ code: 'unknown-key', at: 'subjet', hint: 'did you mean `subject`?' }),
    ]);
    expect(check('config', 'project: p\nchannels:\n  email: { use: x, confg: {} }\n')).toEqual([
      expect.objectContaining({ code: 'unknown-key', at: 'confg', hint: 'did you mean `config`?' }),
    ]);
  });

  it('says a list item is listed twice, at the second one, naming the item', () => {
    const r = check('policy', 'policy: p\nchannels: [email, sms, log, email]\n');
    expect(r).toEqual([{ code: 'invalid-value', at: 'email', message: 'channel `email` is listed twice', hint: 'remove the second one' }]);
    expect(validateShape('policy', parseYamlFile('f.yaml', 'policy: p\nchannels: [email, sms, log, email]\n').root!)[0]!.span.start).toBe(38);
  });

  it('says a journey needs a step, not that `steps` must have fewer items', () => {
    expect(check('journey', 'journey: j\ntrigger: { event: a.b }\nsteps: []\n')).toEqual([
      { code: 'invalid-value', at: '[]', message: 'a journey needs at least one step', hint: 'add a step, e.g. `- send: <template>` or `- exit: done`' },
    ]);
  });

  it('says what a number must be, with a fix rather than the field description as hint', () => {
    expect(check('policy', 'policy: p\nchannels: [email]\nfrequencyCap: { max: 0, per: 1d }\n')).toEqual([
      { code: 'invalid-value', at: '0', message: '`max` must be at least 1, not 0', hint: 'write a number at least 1' },
    ]);
  });

  it('points a missing key of a nested mapping at the key that holds it', () => {
    const r = check('policy', 'policy: p\nchannels: [email]\ndedupe: { key: trigger.id }\n');
    expect(r).toEqual([expect.objectContaining({ code: 'missing-key', at: 'dedupe' })]);
    expect(r[0]!.message).toContain('`window`');
  });
  it('gives a misspelt required key one diagnostic: the unknown key with its did-you-mean, not also the key missing', () => {
    expect(check('journey', 'journey: j\ntigger:\n  event: a.b\nsteps:\n  - exit: x\n')).toEqual([
      expect.objectContaining({ code: 'unknown-key', at: 'tigger', hint: 'did you mean `trigger`?' }),
    ]);
    expect(check('policy', 'policy: p\nchannels: [email]\ndedupe: { key: trigger.id, windw: 1d }\n')).toEqual([
      expect.objectContaining({ code: 'unknown-key', at: 'windw', hint: 'did you mean `window`?' }),
    ]);
    // An unknown key that is no near miss of the missing one leaves the missing key reported.
    expect(check('journey', 'journey: j\nsteps:\n  - exit: x\nextra: 1\n').map((x) => x.code).sort()).toEqual(['missing-key', 'unknown-key']);
  });

  it('says an unknown key of a wait mapping is under `wait`, as one of the trigger is under `trigger`', () => {
    expect(check('journey', journey('  - wait: { event: x.y, timout: 2d }\n')).map((x) => x.message)).toEqual(['unknown key `timout` under `wait`']);
    expect(check('journey', 'journey: j\ntrigger: { event: a.b, reentri: never }\nsteps:\n  - exit: x\n').map((x) => x.message)).toEqual([
      'unknown key `reentri` under `trigger`',
    ]);
  });
});

describe('validateShape: names', () => {
  it('says what an event name looks like, and suggests one', () => {
    const text = 'project: p\nevents:\n  User Activated:\n    fields: { subjectId: string }\n';
    const { root } = parseYamlFile('herald.yaml', text);
    const r = validateShape('config', root!);
    expect(r.map((p) => ({ code: p.code, at: text.slice(p.span.start, p.span.end), message: p.message, hint: p.hint, fix: p.fix?.newText }))).toEqual([
      {
        code: 'invalid-value',
        at: 'User Activated',
        message: '`User Activated` is not a valid event name here',
        hint: 'event names are lower-case words joined by dots (`invoice.overdue`): write `user.activated`',
        fix: 'user.activated',
      },
    ]);
  });
});
