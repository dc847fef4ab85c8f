import { describe, expect, it } from 'vitest';
import { DEFAULT_TEST_START } from './journey-test.js';
import { readTestFile } from './read-test-file.js';

describe('readTestFile', () => {
  it('reads tests, merging file-level subjects, fixtures and outcomes', () => {
    const { tests, problems } = readTestFile(
      't.test.yaml',
      `subjects:
  c-1: { contacts: { email: a@x.example }, channels: [email] }
fixtures:
  crm.byId: { returns: { name: A } }
outcomes:
  email: bounced
tests:
  - name: one
    start: 2026-03-02T09:00:00Z
    subjects:
      c-1: { timezone: Europe/Berlin }
    fixtures:
      crm.byId: [{ args: { id: c-1 }, returns: { name: B } }]
    outcomes:
      sms: { "*": failed, "+4900": delivered }
    steps:
      - event: { type: a.b, data: { x: 1 }, id: e-1 }
      - advance: 1d12h
      - advance: { to: 2026-03-05T00:00:00Z }
      - subject: { id: c-1, optOuts: [email] }
      - expect: { sent: [{ channel: email, to: { contains: "@x" } }], sentCount: 1 }
`,
    );
    expect(problems).toEqual([]);
    const [t] = tests;
    expect(t).toMatchObject({
      name: 'one',
      line: 8,
      start: Date.UTC(2026, 2, 2, 9),
      subjects: [{ id: 'c-1', contacts: { email: 'a@x.example' }, channels: ['email'], timezone: 'Europe/Berlin' }],
      fixtures: { 'crm.byId': [{ args: { id: 'c-1' }, returns: { name: 'B' } }, { returns: { name: 'A' } }] },
      outcomes: { email: { outcome: 'bounced', byAddress: {} }, sms: { outcome: 'failed', byAddress: { '+4900': 'delivered' } } },
    });
    expect(t!.steps.map((s) => s.kind)).toEqual(['event', 'advance', 'advanceTo', 'subject', 'expect']);
    expect(t!.steps[1]).toMatchObject({ ms: 36 * 3_600_000, loc: { line: 18, column: 9 } });
  });

  it('starts the clock on the default Monday', () => {
    const { tests } = readTestFile('t.test.yaml', 'tests:\n  - name: x\n    steps: []\n');
    expect(tests[0]!.start).toBe(DEFAULT_TEST_START);
  });

  it('reports every mistake at its line and column', () => {
    const { tests, problems } = readTestFile(
      't.test.yaml',
      `tests:
  - name: a
    stesp: []
  - name: a
    steps:
      - event: { data: {} }
      - wait: 1d
      - expect: { sent: [{ chanel: email }], instance: { status: done } }
      - subject: { id: c-1, contacts: { sms: 4915100 } }
`,
    );
    expect(tests).toEqual([]);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '3:5 a test has no field "stesp" (fields: name, start, subjects, fixtures, outcomes, steps)',
      '2:5 steps must be a list',
      '4:11 another test in this file is named "a"',
      '6:16 event type must be a non-empty string',
      '7:9 a step is one of event:, events:, advance:, subject:, expect:',
      '8:28 a message has no field "chanel" (fields: journey, channel, template, step, subject, to, locale, content, outcome)',
      '8:66 status is one of active, completed, exited, failed',
      '9:46 the sms address must be a non-empty string (quote it: phone numbers and ids that look like numbers must be strings)',
    ]);
  });

  it('reads events: as events ingested together, each like an event: step but without rejected:', () => {
    const read = readTestFile(
      't.test.yaml',
      `tests:
  - name: together
    steps:
      - events:
          - { type: a.b, data: { x: 1 }, id: e-1 }
          - { type: a.c }
`,
    );
    expect(read.problems).toEqual([]);
    expect(read.tests[0]?.steps[0]).toMatchObject({
      kind: 'events',
      events: [
        { kind: 'event', type: 'a.b', data: { x: 1 }, id: 'e-1' },
        { kind: 'event', type: 'a.c', data: {} },
      ],
    });
    const { problems } = readTestFile(
      't.test.yaml',
      `tests:
  - name: wrong
    steps:
      - events: []
      - events:
          - { type: a.b, rejected: [/x] }
`,
    );
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '4:17 events: takes a list of events ({type, data, id?}), ingested together',
      '6:26 event has no field "rejected" (fields: type, data, id)',
    ]);
  });

  it('reports YAML errors', () => {
    const { problems } = readTestFile('t.test.yaml', 'tests: [\n');
    expect(problems[0]).toMatchObject({ file: 't.test.yaml', line: expect.any(Number) });
  });
});
