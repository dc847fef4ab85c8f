import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import type { ChannelInstance } from '../define-channel.js';
import { defineChannel } from '../define-channel.js';
import { aborted, delivered, failed } from '../delivery-result.js';
import type { OutboundMessage } from '../outbound-message.js';
import { formatContractReport } from './contract-report.js';
import { assertChannelContract, runChannelContract } from './run-channel-contract.js';
import type { ContractSend } from './run-channel-contract.js';

const validMessage: OutboundMessage = {
  channel: 'sms',
  kind: 'sms',
  to: '+15550100',
  locale: 'en',
  content: { body: 'Your invoice is due' },
  subjectId: 'cust-1',
  journey: 'invoice-overdue',
  step: 'remind',
  metadata: {},
};

/** A channel that behaves: remembers what it sent, keyed by idempotency key. */
function goodChannel(sent: Map<string, number> = new Map()) {
  return defineChannel<{ token: string }>({
    name: 'fake-sms',
    version: '1.0.0',
    messageKind: 'sms',
    configSchema: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'], additionalProperties: false },
    create: () => {
      let closed = false;
      return {
        async send(_message, ctx) {
          if (ctx.signal.aborted) return aborted(ctx.signal);
          if (closed) return failed.retryable('closed');
          sent.set(ctx.idempotencyKey, (sent.get(ctx.idempotencyKey) ?? 0) + 1);
          return delivered({ providerMessageId: `sms-${ctx.idempotencyKey}` });
        },
        async close() {
          closed = true;
        },
      };
    },
  });
}

function withInstance(instance: Partial<ChannelInstance>) {
  return defineChannel({
    name: 'bad',
    version: '1.0.0',
    messageKind: 'sms',
    configSchema: { type: 'object' },
    create: () => ({ send: async () => delivered(), ...instance }) as ChannelInstance,
  });
}

const statusOf = (report: Awaited<ReturnType<typeof runChannelContract>>) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

describe('runChannelContract', () => {
  it('passes a well-behaved channel and hands both same-key sends to verifyIdempotency', async () => {
    const sent = new Map<string, number>();
    let seen: readonly [ContractSend, ContractSend] | undefined;
    const report = await runChannelContract(goodChannel(sent), {
      config: { token: 't' },
      validMessage,
      expect: 'delivered',
      stableReceipt: true,
      verifyIdempotency: (sends) => {
        seen = sends;
      },
    });
    expect(report.passed, formatContractReport(report)).toBe(true);
    expect(statusOf(report)).toEqual({
      definition: 'passed',
      'config-schema': 'passed',
      'config-valid': 'passed',
      create: 'passed',
      'send-valid': 'passed',
      idempotency: 'passed',
      'send-aborted': 'passed',
      'close-idempotent': 'passed',
    });
    expect(seen?.[0].ctx.idempotencyKey).toBe(seen?.[1].ctx.idempotencyKey);
    expect(seen?.[0].ctx.messageId).toBe(seen?.[1].ctx.messageId);
    expect([seen?.[0].ctx.attempt, seen?.[1].ctx.attempt]).toEqual([1, 2]);
    expect(sent.get(seen![0].ctx.idempotencyKey)).toBe(2);
    expect(await assertChannelContract(goodChannel(), { config: { token: 't' }, validMessage })).toMatchObject({ passed: true });
  });

  it('fails config-valid when the test config does not match the schema', async () => {
    const report = await runChannelContract(goodChannel(), { config: { token: 1, extra: true } as never, validMessage });
    const check = report.checks.find((c) => c.id === 'config-valid');
    expect(check).toMatchObject({ status: 'failed' });
    expect(check?.detail).toContain('#/token: must be string, got integer');
    expect(check?.detail).toContain('unknown property "extra"');
  });

  it('fails send-valid when send throws, returns garbage or mutates the message', async () => {
    const throwing = await runChannelContract(withInstance({ send: async () => Promise.reject(new Error('boom')) }), { config: {}, validMessage });
    expect(throwing.checks.find((c) => c.id === 'send-valid')?.detail).toMatch(/send rejected \(boom\); delivery problems must be returned as values/);

    const garbage = await runChannelContract(withInstance({ send: async () => ({ status: 'ok' }) as never }), { config: {}, validMessage });
    expect(garbage.checks.find((c) => c.id === 'send-valid')?.detail).toMatch(/malformed DeliveryResult: status must be/);

    const mutating = await runChannelContract(
      withInstance({
        send: async (message) => {
          (message.metadata as Record<string, string>)['touched'] = 'yes';
          return delivered();
        },
      }),
      { config: {}, validMessage },
    );
    expect(mutating.checks.find((c) => c.id === 'send-valid')?.detail).toMatch(/TypeError/);
    expect(validMessage.metadata).toEqual({});
  });

  it('fails send-aborted when send ignores an aborted signal or is slow to notice it', async () => {
    const ignoring = await runChannelContract(withInstance({}), { config: {}, validMessage });
    expect(statusOf(ignoring)['send-aborted']).toBe('failed');

    const slow = await runChannelContract(
      withInstance({ send: (_m, ctx) => new Promise((resolve) => setTimeout(() => resolve(ctx.signal.aborted ? aborted() : delivered()), 300)) }),
      { config: {}, validMessage, abortDeadlineMs: 50, timeoutMs: 1000 },
    );
    expect(slow.checks.find((c) => c.id === 'send-aborted')?.detail).toBe(
      'send did not settle within 50 ms; when ctx.signal is aborted, return aborted(ctx.signal) at once (check ctx.signal.aborted first, and pass the signal to fetch and sockets)',
    );
  });

  it('fails idempotency when stableReceipt is asked for and receipts differ, or the verifier throws', async () => {
    let n = 0;
    const counter = withInstance({
      send: async (_m, ctx) => (ctx.signal.aborted ? aborted() : delivered({ providerMessageId: `id-${++n}` })),
    });
    const report = await runChannelContract(counter, { config: {}, validMessage, stableReceipt: true });
    expect(report.checks.find((c) => c.id === 'idempotency')?.detail).toMatch(/same receipt.providerMessageId for one key, got "id-1" and "id-2"/);

    const verified = await runChannelContract(goodChannel(), {
      config: { token: 't' },
      validMessage,
      verifyIdempotency: () => {
        throw new Error('provider saw two Message-IDs');
      },
    });
    expect(verified.checks.find((c) => c.id === 'idempotency')?.detail).toBe('provider saw two Message-IDs');
  });

  it('fails close-idempotent when a second close() throws, and skips it when there is no close()', async () => {
    let closed = false;
    const report = await runChannelContract(
      withInstance({
        send: async (_m, ctx) => (ctx.signal.aborted ? aborted() : delivered()),
        close: async () => {
          if (closed) throw new Error('already closed');
          closed = true;
        },
      }),
      { config: {}, validMessage },
    );
    const detail = report.checks.find((c) => c.id === 'close-idempotent')?.detail;
    expect(detail).toBe(
      "the second close() rejected (already closed); close() must resolve, also when it is called again: make it idempotent (keep the first call's promise and return it, or return early when already closed)",
    );
    // Each check has its own hint: the send rule (failures as values) is not close()'s.
    expect(detail).not.toContain('delivery problems');

    const noClose = await runChannelContract(withInstance({ send: async (_m, ctx) => (ctx.signal.aborted ? aborted() : delivered()) }), {
      config: {},
      validMessage,
    });
    expect(noClose.passed).toBe(true);
    expect(statusOf(noClose)['close-idempotent']).toBe('skipped');
  });

  it('skips the instance checks when create fails, and reports a hand-made plugin object', async () => {
    const broken = defineChannel({
      name: 'broken',
      version: '1.0.0',
      messageKind: 'sms',
      configSchema: { type: 'object' },
      create: () => {
        throw new Error('cannot connect');
      },
    });
    const report = await runChannelContract(broken, { config: {}, validMessage });
    expect(statusOf(report)).toMatchObject({ create: 'failed', 'send-valid': 'skipped', 'close-idempotent': 'skipped' });
    expect(report.checks.find((c) => c.id === 'create')?.detail).toBe(
      'create rejected (cannot connect); create may throw only for a config that cannot work, and the test config should work: check the `config` option and what it points at',
    );

    const handMade = { kind: 'channel', name: 'h', version: '1', messageKind: 'sms', configSchema: { type: 'string' }, manifest: undefined, create: goodChannel().create };
    const hand = await runChannelContract(handMade as never, { config: { token: 't' }, validMessage });
    expect(statusOf(hand)).toMatchObject({ definition: 'failed', 'config-schema': 'failed' });
  });

  it('gives a hung create() and a hung close() hints of their own', async () => {
    const hungCreate = defineChannel({
      name: 'hung',
      version: '1.0.0',
      messageKind: 'sms',
      configSchema: { type: 'object' },
      create: () => new Promise<never>(() => {}),
    });
    const created = await runChannelContract(hungCreate, { config: {}, validMessage, timeoutMs: 20 });
    expect(created.checks.find((c) => c.id === 'create')?.detail).toMatch(/^create did not settle within 20 ms; create must not wait for a provider that may never answer \(the runtime gives up on a create after 30 s\)/);

    const hungClose = await runChannelContract(
      withInstance({ send: async (_m, ctx) => (ctx.signal.aborted ? aborted() : delivered()), close: () => new Promise<never>(() => {}) }),
      { config: {}, validMessage, timeoutMs: 20 },
    );
    expect(hungClose.checks.find((c) => c.id === 'close-idempotent')?.detail).toBe(
      'the first close() did not settle within 20 ms; close() must finish promptly, also when it is called again (the runtime gives each close() 5 s at shutdown)',
    );
  });

  it('assertChannelContract throws an AssertionError that lists the failed checks', async () => {
    const error = await assertChannelContract(withInstance({}), { config: {}, validMessage }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssertionError);
    expect((error as Error).message).toContain('bad: contract FAILED');
    expect((error as Error).message).toContain('✗ send-aborted');
    expect((error as Error).message).toContain('✓ send-valid');
  });
});
