/**
 * Test fixtures for the pool (imported by *.test.ts only): a minimal graph and small channel
 * plugins written into a temp folder. The plugins are frozen objects of the shape defineChannel
 * returns, so they need no package resolution from the temp folder.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphIR, TemplateIR } from '@herald/dsl';
import type { SubjectProfile } from '../engine/types.js';
import type { SendTask } from './pool-tasks.js';

export function channelPlugin(send: string, messageKind = 'email'): string {
  return `export default Object.freeze({
  kind: 'channel', name: 'test-channel', version: '1.0.0', messageKind: '${messageKind}', manifest: undefined,
  configSchema: { type: 'object' },
  create(config, ctx) { return { async send(message, sctx) { ${send} } }; },
});\n`;
}

/**
 * A channel (or source) whose `close()` runs `close`, with `config`, `ctx` and the worker's
 * `threadId` in scope (the plugin's own file can import node:fs for it).
 */
export function closingPlugin(kind: 'channel' | 'source', close: string): string {
  const instance =
    kind === 'channel'
      ? `async send() { return Object.freeze({ status: 'delivered', receipt: {} }); }`
      : `async query() { return Object.freeze({ ok: true, value: null }); }`;
  return `import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
export default Object.freeze({
  kind: '${kind}', name: 'closing-${kind}', version: '1.0.0', messageKind: 'email', manifest: undefined,
  configSchema: { type: 'object' },
  create(config, ctx) { return { ${instance}, async close() { ${close} } }; },
});
`;
}

/** Echoes what it was given in the receipt, so tests can look at it. */
export const ECHO_SEND = `return Object.freeze({ status: 'delivered', receipt: {
  providerMessageId: sctx.messageId, to: message.to, kind: message.kind, locale: message.locale,
  content: message.content, metadata: message.metadata, step: message.step, journey: message.journey,
  category: message.category ?? null, attempt: sctx.attempt, key: sctx.idempotencyKey, now: sctx.clock.now() } });`;

export function makeProject(plugins: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'herald-pool-'));
  for (const [name, source] of Object.entries(plugins)) {
    const dir = join(root, 'plugins', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.js'), source);
  }
  mkdirSync(join(root, 'data'), { recursive: true });
  mkdirSync(join(root, 'out'), { recursive: true });
  writeFileSync(join(root, 'data', 'crm.json'), JSON.stringify({ customers: { 'c-1': { name: 'Ada' } } }));
  return root;
}

/** `sources:` of a graph whose `crm.byId` reads the data/crm.json makeProject writes. */
export const CRM_SOURCES = {
  crm: {
    use: '@herald/source-file',
    config: { path: 'data/crm.json' },
    queries: { byId: { args: { kind: 'dyn' }, returns: { kind: 'dyn' }, with: { collection: 'customers' } } },
  },
} as unknown as GraphIR['sources'];

export const reminder: TemplateIR = {
  id: 'reminder',
  fallbackLocale: 'en',
  partials: { signature: 'Acme & Co' },
  variants: {
    email: {
      en: { subject: 'Invoice {{trigger.invoiceId}} & more', html: '<p>Dear {{customer.name}}</p><p>{{> signature}}</p>', text: 'Dear {{customer.name}}, {{journey.id}}' },
      de: { subject: 'Rechnung {{trigger.invoiceId}}', text: 'Guten Tag {{customer.name}}' },
    },
    sms: { en: { body: 'Invoice {{trigger.invoiceId}}: {{customer.name}} & co' } },
  },
};

export function makeGraph(channels: Record<string, { use: string; message: string; config?: unknown }>, extra: Partial<GraphIR> = {}): GraphIR {
  return {
    format: 'herald.ir/v1',
    version: 'sha256:test',
    project: { name: 'pool-test', defaults: { locale: 'en', timezone: 'UTC', policy: null } },
    events: {},
    subject: { type: { kind: 'dyn' } },
    channels: Object.fromEntries(Object.entries(channels).map(([k, c]) => [k, { use: c.use, message: c.message, config: c.config ?? {} }])),
    sources: {},
    journeys: [],
    templates: { reminder },
    policies: {},
    ...extra,
  } as GraphIR;
}

export function subject(over: Partial<SubjectProfile> = {}): SubjectProfile {
  return { id: 'c-1', locale: 'en', contacts: { email: 'ada@example.com', sms: '+15550100', crash: 'x@y', hang: 'x@y', spin: 'x@y', throws: 'x@y' }, channels: [], optOuts: [], ...over };
}

export const vars = { trigger: { invoiceId: 'INV-<1>' }, customer: { name: 'Ada <Lovelace>' } };
export const journey = { id: 'dunning', instanceId: 'i-1', version: 'sha256:test', startedAt: '2030-01-01T00:00:00.000Z' };

/** A send of the `reminder` template on the channel, in the graph's version, to `subject()`. */
export function sendTask(graph: GraphIR, channel: string, over: Partial<SendTask> = {}): SendTask {
  return {
    kind: 'send',
    channel,
    template: 'reminder',
    version: graph.version,
    subject: subject(),
    vars,
    journey,
    now: Date.UTC(2030, 0, 1),
    deliveryId: 'd-1',
    step: 'remind',
    category: 'billing',
    idempotencyKey: `key-${channel}`,
    attempt: 1,
    ...over,
  };
}
