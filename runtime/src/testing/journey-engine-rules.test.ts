/**
 * What docs/testing.md and docs/dsl.md say about the journey engine, as journey tests run by
 * `herald test`'s own runner: which instance `instance:` means when several started at the
 * same virtual instant, `returns: null` fixtures and how a journey tests for them, how often a
 * `retryable: true` fixture is tried, a wait's timeout against an event at the same instant,
 * events without a subject, the quiet-hours zone of a deferred message, and a frequency cap
 * checked again when quiet hours end.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { runTestFiles } from './run-test-files.js';

const root = mkdtempSync(join(tmpdir(), 'herald-engine-rules-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string> = {
  'herald.yaml': `project: engine-rules
defaults: { locale: en, timezone: UTC, policy: std }
channels:
  email: { use: "@herald/channel-log", config: { path: out.jsonl } }
sources:
  crm:
    use: "@herald/source-file"
    config: { path: data/crm.json }
    queries:
      byId:
        args: { id: string }
        with: { collection: customers, key: id }
        returns: { name: string }
events:
  order.placed: { fields: { subjectId: string, n: number } }
  hello: { fields: { subjectId: string } }
  t.start: { fields: { subjectId: string } }
  paid: { fields: { subjectId: string } }
  b.start: { fields: { subjectId: string } }
  ping: { fields: { note: string } }
  night: { fields: { subjectId: string } }
  nudge: { fields: { subjectId: string } }
`,
  'data/crm.json': '{ "customers": [] }\n',
  'policies/std.policy.yaml': 'policy: std\nchannels: [email]\n',
  'policies/quiet.policy.yaml': 'policy: quiet\nchannels: [email]\nquietHours: { from: "22:00", to: "08:00" }\n',
  'policies/capped.policy.yaml': 'policy: capped\nchannels: [email]\nquietHours: { from: "21:00", to: "08:00" }\nfrequencyCap: { max: 1, per: 1h }\n',
  'templates/hello.template.yaml': 'template: hello\nemail: { en: { subject: "hello", text: "hello" } }\n',
  'journeys/multi.journey.yaml': `journey: multi
trigger: { event: order.placed, reentry: always }
steps:
  - set: { n: trigger.n }
  - id: w
    wait: { event: paid, timeout: 1d }
`,
  'journeys/lookup.journey.yaml': `journey: lookup
trigger: { event: hello }
data:
  customer: { source: crm, query: byId, args: { id: trigger.subjectId } }
steps:
  - set: { known: "customer != null", greeting: 'customer.name ?? "there"' }
  - id: hold
    wait: 1h
`,
  'journeys/timing.journey.yaml': `journey: timing
trigger: { event: t.start }
steps:
  - id: w
    wait: { event: paid, timeout: 1d }
    onEvent: got
    onTimeout: late
  - id: late
    exit: late
  - id: got
    exit: got
`,
  'journeys/broadcast.journey.yaml': `journey: broadcast
trigger: { event: b.start }
steps:
  - id: first
    wait: 1h
  - id: w
    wait: { event: ping, timeout: 1d }
    onEvent: got
    onTimeout: late
  - id: late
    exit: late
  - id: got
    exit: got
`,
  'journeys/night.journey.yaml': `journey: night
trigger: { event: night }
steps:
  - send: hello
    policy: quiet
`,
  'journeys/nudge.journey.yaml': `journey: nudge
trigger: { event: nudge, reentry: always }
steps:
  - send: hello
    policy: capped
`,
  'tests/rules.test.yaml': `subjects:
  c1: { contacts: { email: c1@example.com }, timezone: UTC }
fixtures:
  crm.byId:
    - args: { id: nobody }
      returns: null
    - args: { id: flaky }
      fail: CRM timed out
      retryable: true
tests:
  - name: instance means the one started last, of two started at the same instant
    steps:
      - events:
          - { type: order.placed, data: { subjectId: c1, n: 1 } }
          - { type: order.placed, data: { subjectId: c1, n: 2 } }
      - expect: { instance: { journey: multi, subject: c1, vars: { n: 2 } } }
      - event: { type: order.placed, data: { subjectId: c1, n: 3 } }
      - expect: { instance: { journey: multi, vars: { n: 3 } } }

  - name: the start order decides, not the event ids
    steps:
      - event: { type: order.placed, id: a-first, data: { subjectId: c1, n: 1 } }
      - event: { type: order.placed, id: b-second, data: { subjectId: c1, n: 2 } }
      - expect: { instance: { journey: multi, vars: { n: 2 } } }
      - event: { type: order.placed, id: a-third, data: { subjectId: c1, n: 3 } }
      - expect: { instance: { journey: multi, vars: { n: 3 } } }

  - name: returns null is no record, whatever the declared type; customer != null tests for it
    steps:
      - event: { type: hello, data: { subjectId: nobody } }
      - expect: { instance: { journey: lookup, status: active, at: hold, vars: { known: false, greeting: there } } }

  - name: a retryable fixture is tried 10 times, 1s, 2s, 4s ... 256s apart
    steps:
      - event: { type: hello, data: { subjectId: flaky } }
      - advance: 510999ms
      - expect: { instance: { journey: lookup, status: active } }
      - advance: 1ms
      - expect: { instance: { journey: lookup, status: failed, history: ["gave up after 10 tries"] } }

  - name: a wait's timeout and its event at the same instant - the timeout wins
    steps:
      - event: { type: t.start, data: { subjectId: c1 } }
      - advance: 1d
      - event: { type: paid, data: { subjectId: c1 } }
      - expect: { instance: { journey: timing, status: exited, exitReason: late } }

  - name: the same event a moment earlier is taken
    steps:
      - event: { type: t.start, data: { subjectId: c1 } }
      - advance: 23h59m59s
      - event: { type: paid, data: { subjectId: c1 } }
      - expect: { instance: { journey: timing, status: exited, exitReason: got } }

  - name: an event without a subject is not kept for a later wait
    steps:
      - event: { type: b.start, data: { subjectId: c1 } }
      - event: { type: ping, data: { note: early } }
      - advance: 1h
      - expect: { instance: { journey: broadcast, status: active, at: w } }
      - event: { type: ping, data: { note: now } }
      - expect: { instance: { journey: broadcast, status: exited, exitReason: got } }

  - name: quiet hours keep the zone the delivery started with
    steps:
      - advance: { to: 2026-01-05T23:00:00Z }
      - event: { type: night, data: { subjectId: c1 } }
      - expect: { sentCount: 0, archive: [{ template: hello, status: deferred, history: ["quiet hours until 08:00 UTC"] }] }
      - subject: { id: c1, timezone: America/New_York }
      - advance: { to: 2026-01-06T08:00:00Z }
      - expect: { sent: [{ template: hello }], sentCount: 1 }

  - name: messages quiet hours deferred go out spaced by the frequency cap, not all when they end
    steps:
      - advance: { to: 2026-01-05T22:00:00Z }
      - event: { type: nudge, data: { subjectId: c1 } }
      - advance: { to: 2026-01-05T23:30:00Z }
      - event: { type: nudge, data: { subjectId: c1 } }
      - advance: { to: 2026-01-06T02:30:00Z }
      - event: { type: nudge, data: { subjectId: c1 } }
      - expect: { sentCount: 0 }
      - advance: { to: 2026-01-06T08:00:00Z }
      - expect:
          sent: [{ template: hello }]
          sentCount: 1
          archive:
            - { template: hello, status: deferred, history: ["frequency cap: 1 per 1h taken; deferred until 09:00 UTC"] }
      # The window includes its edge: the 08:00 message still counts at 09:00 sharp.
      - advance: { to: 2026-01-06T09:00:00Z }
      - expect: { sentCount: 0 }
      - advance: 1s
      - expect:
          sent: [{ template: hello }]
          sentCount: 1
          archive:
            - { template: hello, status: deferred, history: ["frequency cap: 1 per 1h taken; deferred until 10:00 UTC"] }
      - advance: { to: 2026-01-06T10:00:00Z }
      - expect: { sentCount: 0 }
      - advance: 1s
      - expect: { sent: [{ template: hello }], sentCount: 1 }
      - advance: 1d
      - expect: { sentCount: 0 }
`,
};

for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('journey engine rules, as journey tests', () => {
  it('hold as docs/testing.md and docs/dsl.md say', async () => {
    const { ir, diagnostics } = loadProjectGraph(root);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const run = await runTestFiles(ir!, ['tests/rules.test.yaml'], { projectRoot: root });
    expect(run.problems).toEqual([]);
    expect(run.results.map((r) => ({ name: r.name, ok: r.ok, why: r.failure?.messages ?? [] }))).toEqual(
      run.results.map((r) => ({ name: r.name, ok: true, why: [] })),
    );
    expect(run.results).toHaveLength(9);
  });
});
