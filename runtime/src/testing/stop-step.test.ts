/**
 * The `stop` step of journey tests (docs/testing.md): an operator stops the one active instance a
 * test names, as `POST /instances/:id/stop` does; run by `herald test`'s own runner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFilesHarness, type TestFilesHarness } from './test-files-harness.js';

const project: Record<string, string> = {
  'herald.yaml': `project: stops
defaults: { locale: en, timezone: UTC, policy: mail }
channels:
  email: { use: "@herald/channel-log", config: { path: out.jsonl } }
events:
  signed_up: { fields: { subjectId: string, plan: string } }
`,
  'policies/mail.policy.yaml': 'policy: mail\nchannels: [email]\n',
  'templates/hello.template.yaml': 'template: hello\nemail: { en: { subject: "Hello", text: "{{trigger.plan}}" } }\n',
  'journeys/onboard.journey.yaml': 'journey: onboard\ntrigger: { event: signed_up, key: event.plan, reentry: always }\nsteps:\n  - send: hello\n  - id: later\n    wait: 2d\n  - send: hello\n',
};

const header = `subjects:
  ada: { contacts: { email: ada@example.com } }
  bob: { contacts: { email: bob@example.com } }
tests:
`;

let harness: TestFilesHarness;
beforeAll(() => {
  harness = testFilesHarness('herald-stop-step-', project, header);
});
afterAll(() => harness.remove());
const run = (name: string, tests: string) => harness.run(name, tests);

const signedUp = (subject: string, plan: string) => `      - event: { type: signed_up, data: { subjectId: ${subject}, plan: ${plan} } }\n`;

describe('the stop step', () => {
  it('stops the instance it names: it exits with the reason, and what it would have sent later is not sent', async () => {
    const { problems, results } = await run(
      'stops',
      `  - name: stopped after the first message
    steps:
${signedUp('ada', 'pro')}${signedUp('bob', 'pro')}      - expect: { sentCount: 2 }
      - stop: { journey: onboard, subject: ada, reason: asked us to stop }
      - advance: 3d
      - expect:
          sent: [{ subject: bob }]
          sentCount: 1
          instance: { journey: onboard, subject: ada, status: exited, exitReason: "stopped by an operator: asked us to stop" }
`,
    );
    expect(problems).toEqual([]);
    expect(results.map((r) => [r.name, r.ok, r.failure?.messages])).toEqual([['stopped after the first message', true, undefined]]);
  });

  it('says when it names no active instance, or several, with the ones there are', async () => {
    const { results } = await run(
      'mistakes',
      `  - name: none
    steps:
${signedUp('ada', 'pro')}      - stop: { journey: onboard, subject: bob }
  - name: several
    steps:
${signedUp('ada', 'pro')}${signedUp('ada', 'team')}      - stop: { journey: onboard, subject: ada }
  - name: by key
    steps:
${signedUp('ada', 'pro')}${signedUp('ada', 'team')}      - stop: { journey: onboard, subject: ada, key: team }
      - expect: { instance: { journey: onboard, key: team, status: exited, exitReason: "stopped by an operator: stopped in a test" } }
`,
    );
    expect(results.map((r) => [r.name, r.ok])).toEqual([['none', false], ['several', false], ['by key', true]]);
    expect(results[0]!.failure!.messages).toEqual(['no active instance of onboard for bob to stop; active instances of onboard: ada (key pro) at later']);
    expect(results[1]!.failure!.messages[0]).toMatch(/^2 active instances of onboard for ada: name the subject or key of the one to stop \(ada \(key pro\) at later, ada \(key team\) at later\)$/);
  });

  it('is read as a step with its keys checked: journey required, a misspelt key said', async () => {
    const { problems } = await run('shape', `  - name: shape\n    steps:\n      - stop: { subject: ada, resaon: x }\n`);
    expect(problems.map((p) => p.code).sort()).toEqual(['missing-key', 'unknown-key']);
  });
});
