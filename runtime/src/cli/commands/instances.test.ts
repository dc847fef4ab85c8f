import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heraldInProcess } from '../../../../test/helpers/herald-in-process.js';
import { createApiServer } from '../../api/create-server.js';
import type { ArchivedMessage } from '../../driver/driver.js';
import { createEmbeddedDriver } from '../../driver/embedded/index.js';
import type { Instance } from '../../engine/types.js';
import { createFakeRuntime, EMPTY_GRAPH } from '../../testing/fake-runtime.js';

const herald = heraldInProcess;

const T0 = Date.UTC(2026, 2, 1, 9);
const DAY = 86_400_000;

function instance(id: string, over: Partial<Instance> = {}): Instance {
  return {
    id,
    journey: 'invoice-overdue',
    version: 'sha256:0123456789abcdef',
    subjectId: 'c-100',
    key: 'INV-1',
    status: 'active',
    at: 'wait-payment',
    waiting: { kind: 'event', event: 'invoice.paid', timerId: 't-1', until: T0 + 7 * 86_400_000 },
    vars: { trigger: { invoiceId: 'INV-1' } },
    startedAt: T0,
    updatedAt: T0 + 1000,
    seq: 2,
    exitReason: null,
    history: [{ at: T0, node: 'first-reminder', note: 'send payment-reminder (policy dunning)' }],
    ...over,
  };
}

const waiting = instance('invoice-overdue:1');
const ended = instance('invoice-overdue:2', { key: 'INV-2', status: 'exited', at: null, waiting: null, exitReason: 'paid' });

describe('herald instances', () => {
  let server: FastifyInstance;
  let url: string;
  const scratch = mkdtempSync(join(tmpdir(), 'herald-instances-'));
  const file = join(scratch, 'herald.db');
  beforeAll(async () => {
    server = createApiServer(createFakeRuntime({ graph: EMPTY_GRAPH, instances: [waiting, ended] }), { token: 'tok' });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
    const driver = createEmbeddedDriver({ path: file, checkpointThread: false });
    await driver.open();
    expect(await driver.commit({ instances: [waiting, ended].map((i) => ({ instance: i, expectedSeq: null })) })).toEqual({ ok: true });
    await driver.close();
  });
  afterAll(async () => {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("lists a subject's instances with where each stands, the same through the API and from a file", async () => {
    const api = await herald(['instances', 'list', '--subject', 'c-100', '--url', url, '--token', 'tok']);
    const local = await herald(['instances', 'list', '--subject', 'c-100', '--data', file]);
    expect(api).toEqual(local);
    const lines = api.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SUBJECT\s+JOURNEY\s+STATUS\s+AT\s+WAITING FOR\s+STARTED$/);
    expect(lines[1]).toMatch(/^invoice-overdue:1\s+c-100\s+invoice-overdue\s+active\s+wait-payment\s+invoice\.paid until 2026-03-08T09:00:00Z\s+2026-03-01T09:00:00Z$/);
    expect(lines[2]).toMatch(/^invoice-overdue:2\s+c-100\s+invoice-overdue\s+exited\s+-\s+-\s+2026-03-01T09:00:00Z$/);
    const active = await herald(['instances', 'list', '--journey', 'invoice-overdue', '--status', 'active', '--limit', '1', '--data', file, '--json']);
    expect(JSON.parse(active.out)).toEqual({ items: [waiting], more: false });
    const one = await herald(['instances', 'list', '--subject', 'c-100', '--limit', '1', '--data', file]);
    expect(one.out).toContain('more: raise --limit');
  });

  it('shows one instance: where it is, its variables and history; an unknown id exits 1', async () => {
    const shown = await herald(['instances', 'show', 'invoice-overdue:2', '--data', file]);
    expect(shown.out).toContain('status    exited (paid)');
    expect(shown.out).toContain('journey   invoice-overdue (version sha256:0123456789ab), key INV-2');
    expect(shown.out).toContain('  trigger: {"invoiceId":"INV-1"}');
    expect(shown.out).toContain('  2026-03-01T09:00:00Z  [first-reminder] send payment-reminder (policy dunning)');
    expect(await herald(['instances', 'show', 'invoice-overdue:2', '--url', url, '--token', 'tok'])).toEqual(shown);
    expect(await herald(['instances', 'show', 'nope', '--url', url, '--token', 'tok'])).toMatchObject({ code: 1, err: 'no instance with id nope\n' });
  });

  it("shows the instance's messages from its subject's archive, its own only, with their ids", async () => {
    const message = (id: string, instanceId: string, createdAt: number) =>
      ({
        delivery: { id, instanceId, subjectId: 'c-100', journey: 'invoice-overdue', node: 'first-reminder', template: 'payment-reminder', status: 'delivered', createdAt },
        contents: [],
        attempts: [{ channel: 'email', attempt: 1, idempotencyKey: 'k', at: createdAt, result: { status: 'delivered' } }],
      }) as unknown as ArchivedMessage;
    const runtime = createFakeRuntime({ graph: EMPTY_GRAPH, instances: [waiting], archive: [message('d-2', 'invoice-overdue:1', T0 + DAY), message('d-other', 'invoice-overdue:9', T0), message('d-1', 'invoice-overdue:1', T0)] });
    const withArchive = createApiServer(runtime);
    const at = await withArchive.listen({ host: '127.0.0.1', port: 0 });
    try {
      const shown = await herald(['instances', 'show', 'invoice-overdue:1', '--url', at]);
      const section = shown.out.slice(shown.out.indexOf('messages (herald archive show <id>)'));
      expect(section.trimEnd().split('\n')).toEqual([
        'messages (herald archive show <id>)',
        '  2026-03-01T09:00:00Z  [first-reminder] payment-reminder  delivered  email  d-1',
        '  2026-03-02T09:00:00Z  [first-reminder] payment-reminder  delivered  email  d-2',
      ]);
    } finally {
      await withArchive.close();
    }
  });

  it('refuses a list without a journey or subject, a status or limit it cannot take, as usage errors (exit 2) before asking', async () => {
    const usage = async (args: string[], message: string) => expect(await herald(args)).toMatchObject({ code: 2, out: '', err: expect.stringContaining(message) });
    await usage(['instances', 'list', '--data', file], 'herald: name a journey (--journey) or a subject (--subject), or both');
    await usage(['instances', 'list', '--subject', 'c-100', '--status', 'waiting', '--data', file], '--status: must be one of active, completed, exited, failed, got "waiting"');
    await usage(['instances', 'list', '--subject', 'c-100', '--limit', '0', '--data', file], '--limit: must be a whole number from 1 to 1000, got "0"');
    await usage(['instances', 'list', '--subject', 'c-100', '--data', join(scratch, 'missing.db')], '--data: no such file');
  });

  it('stops an instance through the API with the reason; an ended one exits 1 with why; --reason is required', async () => {
    const stopped = await herald(['instances', 'stop', 'invoice-overdue:1', '--reason', 'paid by phone', '--url', url, '--token', 'tok']);
    expect(stopped).toEqual({ code: 0, out: 'stopped invoice-overdue:1: stopped by an operator: paid by phone; no message was waiting\n', err: '' });
    const ended = await herald(['instances', 'stop', 'invoice-overdue:2', '--reason', 'x', '--url', url, '--token', 'tok']);
    expect(ended).toMatchObject({ code: 1, err: 'not_active: instance invoice-overdue:2 has ended already (exited: paid); there is nothing to stop\n' });
    expect(await herald(['instances', 'stop', 'invoice-overdue:1', '--url', url, '--token', 'tok'])).toMatchObject({ code: 2, err: expect.stringContaining("required option '--reason <text>' not specified") });
  });
});
