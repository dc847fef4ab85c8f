import { describe, expect, it } from 'vitest';
import { Project } from '../../project/project.js';
import { eventSubjects } from './rule-event-subject.js';
import { checkRule } from './test-project.js';

const config = (events: string) => `project: test\nevents:\n${events}`;

describe('invalid-event-subject', () => {
  it('accepts a string or number field, a nested path, and a payload of unknown shape', () => {
    const events = [
      '  user.signed_up: { subject: userId, fields: { userId: string } }',
      '  account.opened: { subject: account.number, fields: { account: "{number: number, name: string}" } }',
      '  anything: { subject: who, schema: { type: object } }',
    ].join('\n');
    expect(checkRule(eventSubjects, { 'herald.yaml': config(events) })).toEqual([]);
  });

  it('points at a field the payload does not have, with the closest one', () => {
    const r = checkRule(eventSubjects, { 'herald.yaml': config('  user.signed_up: { subject: userid, fields: { userId: string, plan: string } }\n') });
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      ['invalid-event-subject', 'userid', 'event `user.signed_up` has no field `userid` to take its subject from', 'did you mean `userId`?'],
    ]);
    const far = checkRule(eventSubjects, { 'herald.yaml': config('  user.signed_up: { subject: customer.id, fields: { userId: string, plan: string } }\n') });
    expect(far.map((p) => p.hint)).toEqual(['its fields: `userId`, `plan`']);
  });

  it('refuses a field that holds no id', () => {
    const r = checkRule(eventSubjects, { 'herald.yaml': config('  cart.updated: { subject: items, fields: { items: "list<string>" } }\n') });
    expect(r.map((p) => p.message)).toEqual(['`items` of event `cart.updated` is a list; a subject id is a string or a number']);
  });
});

describe('event subjects in the IR', () => {
  function compile(events: string, trigger: string) {
    const p = new Project('/repo/proj', { readFile: () => JSON.stringify({ name: '@herald/channel-log', kind: 'channel', message: 'any', configSchema: { type: 'object' } }) });
    p.setFile('herald.yaml', `project: p\ndefaults: { policy: std }\nchannels:\n  log: { use: "@herald/channel-log" }\nevents:\n${events}`);
    p.setFile('std.policy.yaml', 'policy: std\nchannels: [log]\n');
    p.setFile('j.journey.yaml', `journey: j\ntrigger: { event: ${trigger} }\nsteps:\n  - wait: { event: ${trigger}, timeout: 1d }\n`);
    return p.compile();
  }

  it('records each event’s subject path, and a trigger without `subject:` takes its subject from it', () => {
    const r = compile('  user.signed_up: { subject: user.id, fields: { user: "{id: string}" } }\n  sale.started: { fields: { percent: number } }\n  order.placed: { fields: { subjectId: string } }\n', 'user.signed_up');
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.events).toMatchObject({ 'user.signed_up': { subject: 'user.id' }, 'sale.started': { subject: null }, 'order.placed': { subject: 'subjectId' } });
    expect(r.ir!.journeys[0]!.trigger.subject).toBe('event.user.id');
  });

  it('a trigger on an event about no one subject must say whose journey it is', () => {
    const r = compile('  sale.started: { fields: { percent: number } }\n', 'sale.started');
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['missing-key', 'the trigger has no `subject:` and event `sale.started` names no subject (no `subject:` in its declaration, no `subjectId` field)'],
    ]);
  });
});
