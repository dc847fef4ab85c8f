/**
 * Events of one subject posted together are each routed on the state the earlier ones left
 * (subject-backlog.ts): not on the state from before them, which loses the later ones. The
 * three cases a QA pass found, as journey tests (`events:` ingests them one after another with
 * nothing run in between), each beside its control with the events posted apart.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTestFiles } from '../testing/run-test-files.js';
import { loadProjectGraph } from './load-project-graph.js';

const root = mkdtempSync(join(tmpdir(), 'herald-burst-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string> = {
  'herald.yaml': `project: burst
defaults: { locale: en, timezone: UTC, policy: std }
channels:
  email: { use: "@herald/channel-log", config: { path: out.jsonl } }
events:
  s.after: { fields: { subjectId: string, k: string } }
  s.done: { fields: { subjectId: string, k: string } }
  gate: { fields: { subjectId: string } }
  open: { fields: { subjectId: string } }
  thing: { fields: { subjectId: string, n: number } }
  item: { fields: { subjectId: string, n: number } }
`,
  'policies/std.policy.yaml': 'policy: std\ncategory: transactional\nchannels: [email]\n',
  'templates/hello.template.yaml': 'template: hello\nemail: { en: { subject: "hi {{trigger.k}}", text: "hello" } }\n',
  'templates/count.template.yaml': 'template: count\nemail: { en: { subject: "count {{c}}", text: "n" } }\n',
  'journeys/after.journey.yaml': `journey: j-after
trigger: { event: s.after, reentry: after-exit }
steps:
  - id: s
    send: hello
  - id: w
    wait: { event: s.done, match: "event.k == trigger.k", timeout: 1d }
    onEvent: fin
    onTimeout: late
  - id: late
    exit: timeout
  - id: fin
    exit: done
`,
  'journeys/gate.journey.yaml': `journey: j-gate
trigger: { event: gate }
steps:
  - wait: { event: open, timeout: 1d }
  - batch: { event: thing, window: 1h, as: things }
  - set: { c: "size(things)" }
  - send: count
`,
  'journeys/items.journey.yaml': `journey: j-items
trigger: { event: item, reentry: after-exit }
steps:
  - batch: { event: item, window: 1h, max: 3, as: items }
  - set: { c: "size(items)" }
  - send: count
`,
  'tests/burst.test.yaml': `start: 2030-01-07T10:00:00Z
subjects:
  c1: { contacts: { email: a@example.com } }
tests:
  - name: an event that ends an instance, then one that starts it again (after-exit)
    steps:
      - event: { type: s.after, data: { subjectId: c1, k: A } }
      - advance: 1ms
      - events:
          - { type: s.done, data: { subjectId: c1, k: A } }
          - { type: s.after, data: { subjectId: c1, k: B } }
      - expect: { sent: [{ content: { subject: "hi A" } }, { content: { subject: "hi B" } }], instance: { journey: j-after, status: active } }

  - name: an event for the batch the event before it opens
    steps:
      - event: { type: gate, data: { subjectId: c1 } }
      - events:
          - { type: open, data: { subjectId: c1 } }
          - { type: thing, data: { subjectId: c1, n: 1 } }
      - advance: 1h
      - expect: { sent: [{ content: { subject: "count 1" } }] }

  - name: a batch filled by a burst, and the item after it starts the next instance
    steps:
      - event: { type: item, data: { subjectId: c1, n: 0 } }
      - advance: 1ms
      - events:
          - { type: item, data: { subjectId: c1, n: 1 } }
          - { type: item, data: { subjectId: c1, n: 2 } }
          - { type: item, data: { subjectId: c1, n: 3 } }
          - { type: item, data: { subjectId: c1, n: 4 } }
      - expect: { sent: [{ content: { subject: "count 3" } }] }
      - advance: 1h
      - expect: { sent: [{ content: { subject: "count 0" } }] }
`,
};

for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('a burst of one subject’s events', () => {
  it('routes each event on the state the events before it left', async () => {
    const { ir, diagnostics } = loadProjectGraph(root);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const run = await runTestFiles(ir!, ['tests/burst.test.yaml'], { projectRoot: root });
    expect(run.problems).toEqual([]);
    expect(run.results.map((r) => ({ name: r.name, ok: r.ok, why: r.failure?.messages ?? [] }))).toEqual(
      run.results.map((r) => ({ name: r.name, ok: true, why: [] })),
    );
    expect(run.results).toHaveLength(3);
  });
});
