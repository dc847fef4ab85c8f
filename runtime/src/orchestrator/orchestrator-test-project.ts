/**
 * A small project for the orchestrator's tests (imported by *.test.ts only): one journey
 * (send, wait a day, send again), a template, a policy with email → sms failover, a
 * `recorder` channel that appends every call to a file and answers as told, and the bundled
 * log channel as sms. Written into a temp folder, compiled with the real compiler.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { GraphIR } from '@herald/dsl';
import { loadProjectGraph } from './load-project-graph.js';

export interface RecordedCall {
  readonly key: string;
  readonly messageId: string;
  readonly attempt: number;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly metadata: Record<string, string>;
}

const RECORDER = `import { appendFileSync } from 'node:fs';
export default Object.freeze({
  kind: 'channel', name: 'recorder', version: '1.0.0', messageKind: 'email', manifest: undefined,
  configSchema: { type: 'object', properties: { path: { type: 'string' }, answer: { type: 'string' } }, required: ['path'] },
  create(config) {
    return {
      async send(message, ctx) {
        appendFileSync(config.path, JSON.stringify({ key: ctx.idempotencyKey, messageId: ctx.messageId, attempt: ctx.attempt, to: message.to,
          subject: message.content.subject, text: message.content.text, metadata: message.metadata }) + '\\n');
        const answer = config.answer ?? 'deliver';
        if (answer === 'accept') return Object.freeze({ status: 'accepted', receipt: { providerMessageId: 'p-' + ctx.idempotencyKey } });
        if (answer === 'bounce') return Object.freeze({ status: 'failed', retryable: false, bounced: true, reason: '550 user unknown' });
        return Object.freeze({ status: 'delivered', receipt: { providerMessageId: ctx.messageId } });
      },
    };
  },
});
`;

const MANIFEST = {
  name: 'recorder',
  kind: 'channel',
  version: '1.0.0',
  message: 'email',
  configSchema: {
    type: 'object',
    properties: { path: { type: 'string' }, answer: { type: 'string', enum: ['deliver', 'accept', 'bounce'] } },
    required: ['path'],
    additionalProperties: false,
  },
};

export interface TestProject {
  readonly root: string;
  /** Compiles the project as it is on disk now. */
  compile(): GraphIR;
  /** Replaces a file (project-relative). */
  write(rel: string, text: string): void;
  /** What the recorder channel was called with, in order. */
  calls(): RecordedCall[];
}

export function makeTestProject(
  options: {
    readonly answer?: 'deliver' | 'accept' | 'bounce';
    readonly subjectLine?: string;
    readonly reentry?: 'always' | 'after-exit' | 'never';
    /** A CRM (source-file over these customers) as the project's `subject.source`, adding `subject.name`. */
    readonly crm?: Readonly<Record<string, { readonly name: string }>>;
  } = {},
): TestProject {
  const root = mkdtempSync(join(tmpdir(), 'herald-orchestrator-'));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write('out/.keep', '');
  write('plugins/recorder/index.js', RECORDER);
  write('plugins/recorder/herald-plugin.json', JSON.stringify(MANIFEST));
  if (options.crm) write('data/crm.json', JSON.stringify({ customers: options.crm }));
  const crm = options.crm
    ? `sources:
  crm:
    use: "@herald/source-file"
    config: { path: data/crm.json }
    queries:
      customerById:
        args: { id: string }
        with: { collection: customers, key: id }
        returns: { name: string }
subject:
  fields: { name: string }
  source: { source: crm, query: customerById }
`
    : '';
  write(
    'herald.yaml',
    `project: orchestrator-test
defaults: { locale: en, timezone: UTC, policy: standard }
channels:
  email:
    use: ./plugins/recorder
    config: { path: out/calls.jsonl, answer: ${options.answer ?? 'deliver'} }
  sms:
    use: "@herald/channel-log"
    config: { path: out/sms.jsonl }
${crm}events:
  order.shipped:
    fields: { subjectId: string, orderId: string }
`,
  );
  write(
    'journeys/shipped.journey.yaml',
    `journey: shipped
trigger: { event: order.shipped, reentry: ${options.reentry ?? 'always'} }
steps:
  - id: tell
    send: shipped
  - wait: 1d
  - id: remind
    send: shipped
`,
  );
  write(
    'templates/shipped.template.yaml',
    `template: shipped
email:
  en:
    subject: "${options.subjectLine ?? 'Order {{trigger.orderId}} shipped'}"
    text: "Hello {{subject.id}}, order {{trigger.orderId}} is on its way."
sms:
  en:
    body: "Order {{trigger.orderId}} shipped"
`,
  );
  write(
    'policies/standard.policy.yaml',
    `policy: standard
category: orders
channels: [email, sms]
retry: { attempts: 2, backoff: fixed, initial: 1m }
failover: { on: [failed, bounced, timeout], deliveryTimeout: 1h }
`,
  );
  return {
    root,
    write,
    compile() {
      const { ir, diagnostics } = loadProjectGraph(root);
      if (!ir) throw new Error(`test project does not compile:\n${diagnostics.map((d) => `${d.file}: ${d.message}`).join('\n')}`);
      return ir;
    },
    calls() {
      const file = join(root, 'out', 'calls.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as RecordedCall);
    },
  };
}
