import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { DEFAULT_TEST_START, type TestFileProblem } from '@herald/dsl';
import { readTestFile } from './read-test-file.js';

/** The project the reference checks run against: compiled once for the file. */
const onboarding = loadProjectGraph(fileURLToPath(new URL('../../../examples/onboarding', import.meta.url))).ir!;

const show = (p: TestFileProblem) => `${p.line}:${p.column} ${p.code}: ${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`;

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
    const { tests } = readTestFile('t.test.yaml', 'tests:\n  - name: x\n    steps: [{ expect: { sentCount: 0 } }]\n');
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
    expect(problems.map(show)).toEqual([
      '3:5 unknown-key: a test has no field "stesp" (hint: did you mean `steps`?)',
      '4:11 duplicate-test-name: another test in this file is named "a" (hint: names pick tests for --filter and in the output)',
      '6:16 missing-key: an event needs type:',
      '7:9 unknown-step-kind: a step is one of event:, events:, advance:, subject:, receipt:, stop:, expect:',
      '8:28 unknown-key: a message has no field "chanel" (hint: did you mean `channel`?)',
      '8:66 invalid-value: status is one of active, completed, exited, failed',
      '9:46 invalid-subject: subject c-1 /contacts/sms: must be an address (a non-empty string), or null to remove it (hint: quote it: phone numbers and ids that look like numbers must be strings)',
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
      '6:26 event has no field "rejected"',
    ]);
  });

  it('reports YAML errors', () => {
    const { problems } = readTestFile('t.test.yaml', 'tests: [\n');
    expect(problems[0]).toMatchObject({ file: 't.test.yaml', line: expect.any(Number) });
  });
});

describe('readTestFile against the project', () => {
  const graph = onboarding;

  it('checks subject profiles as PUT /subjects does, at the key for a misspelt one', () => {
    const text = `subjects:
  u-1:
    firstName: Ada
    contact: { email: ada@example.com }
    optOut: [email]
    timezone: Mars/Olympus
    locale: 42
tests:
  - name: t
    steps:
      - subject: { id: u-1, contacts: { emial: ada@example.com }, channels: [email, fax], firstName: 7 }
      - expect: { sentCount: 0 }
`;
    const { tests, problems } = readTestFile('t.test.yaml', text, graph);
    expect(tests).toEqual([]);
    expect(problems.map(show)).toEqual([
      '4:5 unknown-key: subject u-1: "contact" is not a field of the subject profile (hint: did you mean `contacts`?)',
      '5:5 unknown-key: subject u-1: "optOut" is not a field of the subject profile (hint: did you mean `optOuts`?)',
      '6:15 invalid-subject: subject u-1 /timezone: must be an IANA time zone such as Europe/Berlin, got "Mars/Olympus"',
      '7:13 invalid-subject: subject u-1 /locale: must be a BCP 47 language tag such as en or de-AT, got 42',
      '11:41 unknown-channel: subject u-1 /contacts/emial: is not a channel of this project; did you mean "email"? (its channels: "email", "push", "sms")',
      '11:85 unknown-channel: subject u-1 /channels/1: "fax" is not a channel of this project (its channels: "email", "push", "sms")',
      '11:102 invalid-subject: subject u-1 /firstName: must be a string, got a number (7)',
    ]);
  });

  it('reports a misspelt opt-out category as a category, a misspelt opt-out channel as a channel', () => {
    const text = `subjects:
  u-1: { optOuts: [onbording, emial, "onboarding:fax", "onbording:sms", newsletter] }
tests:
  - name: t
    steps: [{ expect: { sentCount: 0 } }]
`;
    const { problems } = readTestFile('t.test.yaml', text, graph);
    expect(problems.map(show)).toEqual([
      '2:20 unknown-category: subject u-1 /optOuts/0: "onbording" is neither a channel nor a category of this project; did you mean "onboarding"? (channels: "email", "push", "sms"; categories: "onboarding")',
      '2:31 unknown-channel: subject u-1 /optOuts/1: "emial" is neither a channel nor a category of this project; did you mean "email"? (channels: "email", "push", "sms"; categories: "onboarding")',
      '2:38 unknown-channel: subject u-1 /optOuts/2: names "fax" as its channel, which is not a channel of this project (its channels: "email", "push", "sms")',
      '2:56 unknown-category: subject u-1 /optOuts/3: names the category "onbording", which no policy has; did you mean "onboarding"? (categories: "onboarding")',
    ]);
  });

  it('takes a near miss of a built-in field for a typo even where the project declares no fields', () => {
    const { problems } = readTestFile(
      't.test.yaml',
      `subjects:
  c-1: { contact: { email: a@x.example }, plan: pro, timezone: Europe/Berlin }
tests:
  - name: t
    steps: [{ expect: { sentCount: 0 } }]
`,
    );
    expect(problems.map(show)).toEqual(['2:10 unknown-key: subject c-1: "contact" is not a field of the subject profile (hint: did you mean `contacts`?)']);
  });

  it('checks the names assertions take from the project before anything runs', () => {
    const text = `tests:
  - name: names
    steps:
      - event: { type: user.signed_up, data: { subjectId: u-1, plan: pro } }
      - expect:
          sent: [{ channel: fax, template: welcome-lng, step: helo }]
          notSent: [{ journey: onbaording, step: welcome-long }]
          instance: { journey: onboarding, at: wait-activaton, visited: [nudge-frist-project], notVisited: [welcome-long] }
      - expect:
          instance: { at: 5 }
          archive: [{ step: wait-activation, template: welcome-long }]
`;
    const { tests, problems } = readTestFile('t.test.yaml', text, graph);
    expect(tests).toEqual([]);
    expect(problems.map(show)).toEqual([
      '6:29 unknown-channel: `fax` is not a channel of this project (hint: its channels: `email`, `push`, `sms`)',
      '6:44 unknown-template: `welcome-lng` is not a template of this project (hint: did you mean `welcome-long`?)',
      '6:63 unknown-step: `helo` is not a step of journey onboarding (hint: steps of journey onboarding: `welcome-short`, `welcome-long`, `wait-activation`, `check-usage`, `nudge-first-project`, `nudge-invite`, `final-wait`, `gave-up`, `activated`)',
      '7:32 unknown-journey: `onbaording` is not a journey of this project (hint: did you mean `onboarding`?)',
      '8:48 unknown-step: `wait-activaton` is not a step of journey onboarding (hint: did you mean `wait-activation`?)',
      '8:74 unknown-step: `nudge-frist-project` is not a step of journey onboarding (hint: did you mean `nudge-first-project`?)',
      '10:27 wrong-type: at must be a step id, or null once the instance ended',
      '11:29 not-a-send-step: `wait-activation` is a wait step of journey onboarding: no message comes from it (hint: the steps that send: `welcome-short`, `welcome-long`, `nudge-first-project`, `nudge-invite`)',
    ]);
  });

  it('reports a mistake in the file-level setup once, at its place, not once per test', () => {
    const text = `fixtures:
  product.usag: { returns: { projects: 0, invitedTeammates: 0 } }
outcomes:
  emial: bounced
tests:
  - name: one
    steps: [{ expect: { sentCount: 0 } }]
  - name: two
    steps: [{ expect: { sentCount: 0 } }]
`;
    const { problems } = readTestFile('t.test.yaml', text, graph);
    expect(problems.map(show)).toEqual([
      '2:3 unknown-query: `product.usag` is not a query of this project (hint: did you mean `product.usage`?)',
      '4:3 unknown-channel: `emial` is not a channel of this project (hint: did you mean `email`?)',
    ]);
  });
});

describe('readTestFile: fixtures', () => {
  const graph = onboarding;

  it('takes retryable as true or false only, and only beside fail:', () => {
    const text = `fixtures:
  product.usage:
    - { args: { id: a }, fail: down, retryable: maybe }
    - { args: { id: b }, fail: down, retryable: "false" }
    - { args: { id: c }, returns: { projects: 0, invitedTeammates: 0 }, retryable: true }
    - { args: { id: d }, fail: down, retryable: false }
tests:
  - name: one
    steps: [{ expect: { sentCount: 0 } }]
`;
    expect(readTestFile('t.test.yaml', text, graph).problems.map(show)).toEqual([
      '3:49 wrong-type: retryable must be true or false, got "maybe"',
      '4:49 wrong-type: retryable must be true or false, got "false"',
      '5:84 invalid-value: retryable goes with fail: (a failing fixture); a fixture with returns: answers',
    ]);
  });

  it('says an argument the query does not declare (the fixture would never match), and an answer that does not fit returns:', () => {
    const text = `fixtures:
  product.usage:
    - { args: { idd: u-1 }, returns: { projects: 1, invitedTeammates: 0 } }
    - { args: { id: u-2 }, returns: { projects: "3", invitedTeammates: 0 } }
    - { args: { id: u-3 }, returns: null }
tests:
  - name: one
    steps: [{ expect: { sentCount: 0 } }]
`;
    expect(readTestFile('t.test.yaml', text, graph).problems.map(show)).toEqual([
      '3:17 unknown-field: query product.usage has no argument "idd": this fixture would never match (hint: did you mean `id`?)',
      '4:37 invalid-value: this fixture is a value that does not match its declared `returns:` type: /projects must be a number, got a string ("3")',
    ]);
  });
});

describe('readTestFile: tests that cannot fail', () => {
  it('gives one error with a did-you-mean for step: instead of steps:', () => {
    const { problems } = readTestFile('t.test.yaml', 'tests:\n  - name: x\n    step:\n      - expect: { sentCount: 0 }\n');
    expect(problems.map(show)).toEqual(['3:5 unknown-key: a test has no field "step" (hint: did you mean `steps`?)']);
  });

  it('says a missing steps: or tests: is missing', () => {
    expect(readTestFile('t.test.yaml', 'tests:\n  - name: x\n').problems.map(show)).toEqual(['2:5 missing-key: a test needs steps:']);
    expect(readTestFile('t.test.yaml', 'test:\n  - name: x\n').problems.map(show)).toEqual(['1:1 unknown-key: a test file has no field "test" (hint: did you mean `tests`?)']);
  });

  it('refuses a test with no steps and an expect with no assertions', () => {
    const { tests, problems } = readTestFile(
      't.test.yaml',
      `tests:
  - name: no steps
    steps: []
  - name: empty expect
    steps:
      - expect: {}
      - expect: { sent: [] }
      - expect: { notSent: [], archive: [] }
`,
    );
    expect(tests).toEqual([]);
    expect(problems.map(show)).toEqual([
      '3:12 empty-steps: a test with no steps tests nothing (hint: give it an event: and an expect: of what should follow)',
      '6:17 empty-expect: this expect checks nothing (hint: give it one of sent, notSent, sentCount, instance, noInstance, archive (sentCount: 0 says nothing was sent))',
      '7:19 empty-expect: sent: [] expects nothing, so this expect checks nothing (hint: to say nothing was sent, use `sentCount: 0`)',
      '8:19 empty-expect: notSent: [], archive: [] expects nothing, so this expect checks nothing (hint: to say nothing was sent, use `sentCount: 0`)',
    ]);
  });

  it('suggests the step kind a misspelt one was meant to be', () => {
    const { problems } = readTestFile('t.test.yaml', 'tests:\n  - name: x\n    steps:\n      - evnt: { type: a.b }\n      - { advance: 1d, expect: { sentCount: 0 } }\n');
    expect(problems.map(show)).toEqual([
      '4:9 unknown-step-kind: a step is one of event:, events:, advance:, subject:, receipt:, stop:, expect: (hint: did you mean `event`?)',
      '5:9 multiple-step-kinds: a step is one of event:, events:, advance:, subject:, receipt:, stop:, expect:; this one has advance and expect (hint: split it into one step each)',
    ]);
  });
});
