/**
 * The `receipt` step of journey tests (docs/testing.md): a provider's status callback for a
 * message its channel `accepted`, picked by channel (subject and template when several await
 * one), run by `herald test`'s own runner over a project on disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFilesHarness, type TestFilesHarness } from './test-files-harness.js';

const project: Record<string, string> = {
  'herald.yaml': `project: receipts
defaults: { locale: en, timezone: UTC, policy: texts }
channels:
  sms: { use: "@herald/channel-log", config: { path: out.jsonl } }
  email: { use: "@herald/channel-log", config: { path: out.jsonl } }
events:
  shipped: { fields: { subjectId: string, orderId: string } }
`,
  'policies/texts.policy.yaml': 'policy: texts\nchannels: [sms, email]\nfailover: { on: [failed, bounced, timeout], deliveryTimeout: 1h }\n',
  'templates/shipped.template.yaml': 'template: shipped\nsms: { en: { body: "Order {{trigger.orderId}} shipped" } }\nemail: { en: { subject: "Order {{trigger.orderId}}", text: "shipped" } }\n',
  'journeys/shipped.journey.yaml': 'journey: shipped\ntrigger: { event: shipped, key: event.orderId, reentry: after-exit }\nsteps:\n  - id: notify\n    send: shipped\n',
};

const header = `subjects:
  ada: { contacts: { sms: "+4915100000001", email: ada@example.com } }
  bob: { contacts: { sms: "+4915100000002", email: bob@example.com } }
outcomes:
  sms: accepted
tests:
`;

let harness: TestFilesHarness;
beforeAll(() => {
  harness = testFilesHarness('herald-receipt-step-', project, header);
});
afterAll(() => harness.remove());
const run = (name: string, tests: string) => harness.run(name, tests);

describe('the receipt step', () => {
  it('applies a bounce to the message awaiting one, which fails over; a delivered receipt settles it', async () => {
    const { problems, results } = await run(
      'apply',
      `  - name: a bounced SMS fails over to email
    steps:
      - event: { type: shipped, data: { subjectId: ada, orderId: O-1 } }
      - expect:
          sent: [{ channel: sms, outcome: accepted }]
          archive: [{ status: awaiting-receipt }]
      - receipt: { channel: sms, status: bounced, reason: "30003 unreachable handset" }
      - expect:
          sent: [{ channel: email, to: ada@example.com }]
          archive: [{ status: delivered, history: ["30003 unreachable handset"] }]
  - name: a delivered SMS sends nothing more, and does not time out later
    steps:
      - event: { type: shipped, data: { subjectId: ada, orderId: O-2 } }
      - receipt: { channel: sms, status: delivered }
      - advance: 2h
      - expect:
          sentCount: 1
          archive: [{ status: delivered }]
          notSent: [{ channel: email }]
`,
    );
    expect(problems).toEqual([]);
    expect(results.map((r) => ({ name: r.name, ok: r.ok, why: r.failure?.messages ?? [] }))).toEqual([
      { name: 'a bounced SMS fails over to email', ok: true, why: [] },
      { name: 'a delivered SMS sends nothing more, and does not time out later', ok: true, why: [] },
    ]);
  });

  it('is a failure when no message awaits a receipt, or several do and the step does not say which', async () => {
    const { results } = await run(
      'pick',
      `  - name: nothing awaits
    steps:
      - receipt: { channel: sms, status: delivered }
  - name: two await
    steps:
      - event: { type: shipped, data: { subjectId: ada, orderId: O-1 } }
      - event: { type: shipped, data: { subjectId: bob, orderId: O-2 } }
      - receipt: { channel: sms, status: delivered }
  - name: two await, one named
    steps:
      - event: { type: shipped, data: { subjectId: ada, orderId: O-1 } }
      - event: { type: shipped, data: { subjectId: bob, orderId: O-2 } }
      - receipt: { channel: sms, status: failed, subject: bob }
      - expect:
          sent: [{ channel: email, subject: bob }]
          notSent: [{ channel: email, subject: ada }]
  - name: none of that subject
    steps:
      - event: { type: shipped, data: { subjectId: ada, orderId: O-1 } }
      - receipt: { channel: sms, status: delivered, subject: bob }
`,
    );
    expect(results.map((r) => ({ name: r.name, ok: r.ok, why: r.failure?.messages ?? [] }))).toEqual([
      {
        name: 'nothing awaits',
        ok: false,
        why: ['no message awaits a receipt on sms (none does); a message awaits one when its channel answered accepted (outcomes:) and its delivery timeout has not passed'],
      },
      {
        name: 'two await',
        ok: false,
        why: [
          '2 messages await a receipt on sms: shipped to ada (shipped/notify, key O-1, to +4915100000001); shipped to bob (shipped/notify, key O-2, to +4915100000002); pick one with subject:, template:, journey:, step:, key: or to:',
        ],
      },
      { name: 'two await, one named', ok: true, why: [] },
      {
        name: 'none of that subject',
        ok: false,
        why: [
          'no message (subject bob) awaits a receipt on sms (those that do: shipped to ada (shipped/notify, key O-1, to +4915100000001)); a message awaits one when its channel answered accepted (outcomes:) and its delivery timeout has not passed',
        ],
      },
    ]);
    expect(results[1]!.failure).toMatchObject({ step: 'receipt sms delivered' });
  });

  it('says when the message it meant no longer awaits a receipt: its delivery timeout passed and it failed over', async () => {
    const { results } = await run(
      'late',
      `  - name: too late
    steps:
      - event: { type: shipped, data: { subjectId: ada, orderId: O-1 } }
      - advance: 2h
      - receipt: { channel: sms, status: delivered, subject: ada }
`,
    );
    expect(results[0]!.failure?.messages).toEqual([
      expect.stringMatching(/^no message \(subject ada\) awaits a receipt on sms \(none does\); shipped to ada awaited one and no longer does \(sms got no receipt within 1h → failover to email; now delivered\); /),
    ]);
  });

  it("picks one of a subject's messages by its instance's key (one journey per order), its step, or its address", async () => {
    const { problems, results } = await run(
      'keys',
      `  - name: by key
    steps:
      - event: { type: shipped, data: { subjectId: ada, orderId: O-1 } }
      - event: { type: shipped, data: { subjectId: ada, orderId: O-2 } }
      - receipt: { channel: sms, status: bounced, subject: ada, key: O-2 }
      - expect:
          sent: [{ channel: email, content: { subject: Order O-2 } }]
          notSent: [{ channel: email, content: { subject: Order O-1 } }]
      - receipt: { channel: sms, status: delivered, step: notify, to: "+4915100000001" }
      - expect:
          archive: [{ status: delivered }, { status: delivered }]
          instance: { journey: shipped, key: O-1, status: completed }
          noInstance: { key: O-3 }
  - name: an instance expectation names the key it looked for
    steps:
      - event: { type: shipped, data: { subjectId: ada, orderId: O-1 } }
      - expect:
          instance: { key: O-9 }
`,
    );
    expect(problems).toEqual([]);
    expect(results.map((r) => ({ ok: r.ok, why: r.failure?.messages ?? [] }))).toEqual([
      { ok: true, why: [] },
      { ok: false, why: ['expected an instance of any journey (key O-9), found none; instances: shipped for ada (key O-1) (completed)'] },
    ]);
  });

  it('reports an event type the project does not declare before anything runs, unless the step expects its refusal', async () => {
    const { problems, results } = await run(
      'events',
      `  - name: typo
    steps:
      - event: { type: shiped, data: { subjectId: ada, orderId: O-1 } }
      - event: { type: nope, data: {}, rejected: [/type] }
`,
    );
    expect(results).toEqual([]);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message} (${p.hint})`)).toEqual([
      '9:24 unknown-event `shiped` is not a declared event type of this project (did you mean `shipped`?)',
    ]);
  });

  it('reports mistakes in a receipt step where they are, and runs nothing', async () => {
    const { problems, results } = await run(
      'mistakes',
      `  - name: mistakes
    steps:
      - receipt: { channel: fax, status: read, templat: shipped }
      - receipt: { status: bounced }
`,
    );
    expect(results).toEqual([]);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`)).toEqual([
      '9:29 unknown-channel `fax` is not a channel of this project',
      '9:42 invalid-value a receipt status is one of delivered, bounced, failed',
      '9:48 unknown-key receipt has no field "templat"',
      '10:18 missing-key a receipt needs channel:',
    ]);
  });
});
