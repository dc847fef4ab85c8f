import { AssertionError } from 'node:assert';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChannelInstance } from '../define-channel.js';
import { defineChannel } from '../define-channel.js';
import { aborted, delivered, failed } from '../delivery-result.js';
import type { OutboundMessage } from '../outbound-message.js';
import { callbackReceipts, refuseCallback } from '../provider-callback.js';
import type { CallbackReading, ProviderCallback } from '../provider-callback.js';
import { formatContractReport } from './contract-report.js';
import { assertChannelContract, runChannelContract } from './run-channel-contract.js';
import type { ContractSend } from './run-channel-contract.js';
import { providerCallback } from './test-context.js';

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

// A provider that posts JSON ({ id, state }) and signs url + body with HMAC-SHA256 in X-Fake-Signature.
const SECRET = 'callback-secret';
const CALLBACK_URL = 'https://herald.acme.example/callbacks/fake-sms';
const sign = (url: string, body: Uint8Array | string) => createHmac('sha256', SECRET).update(url).update(body).digest('hex');
const signedCallback = (fields: Record<string, string>) => {
  const body = JSON.stringify(fields);
  return providerCallback({ url: CALLBACK_URL, headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Fake-Signature': sign(CALLBACK_URL, body) }, body });
};
const validCallback = signedCallback({ id: 'sms-1', state: 'DELIVERED' });

/** A readCallback that does everything right: verifies the signature over the bytes, refuses what it cannot read. */
function goodReadCallback(callback: ProviderCallback): CallbackReading {
  const given = Buffer.from(callback.headers['x-fake-signature'] ?? '', 'utf8');
  const expected = Buffer.from(sign(callback.url, callback.rawBody), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuseCallback(403, 'the X-Fake-Signature does not match');
  if (callback.contentType !== 'application/json') return refuseCallback(400, `expected JSON, got ${callback.contentType || 'no Content-Type'}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(callback.body);
  } catch {
    return refuseCallback(400, 'the body is not JSON');
  }
  const { id, state } = (parsed ?? {}) as { id?: unknown; state?: unknown };
  if (typeof id !== 'string' || id === '') return refuseCallback(400, 'no id in the callback');
  if (state === 'DELIVERED') return callbackReceipts({ providerMessageId: id, status: 'delivered' });
  if (state === 'REJECTED') return callbackReceipts({ providerMessageId: id, status: 'bounced', reason: 'rejected' });
  return callbackReceipts();
}

/** A channel whose sends behave, with the given readCallback (or none). */
function callbackChannel(readCallback?: ChannelInstance['readCallback']) {
  return withInstance({ send: async (_m, ctx) => (ctx.signal.aborted ? aborted() : delivered({ providerMessageId: 'sms-1' })), ...(readCallback ? { readCallback } : {}) });
}

const detailOf = (report: Awaited<ReturnType<typeof runChannelContract>>, id: string) => report.checks.find((c) => c.id === id)?.detail;

describe('runChannelContract: callback checks', () => {
  it('passes a readCallback that reads the valid callback, refuses empty and garbage bodies, and reads it alike again', async () => {
    const seen: ProviderCallback[] = [];
    const report = await runChannelContract(
      callbackChannel((callback) => {
        seen.push(callback);
        return goodReadCallback(callback);
      }),
      { config: {}, validMessage, callbacks: { valid: () => validCallback, expect: { providerMessageId: 'sms-1', status: 'delivered' } } },
    );
    expect(report.passed, formatContractReport(report)).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['definition', 'passed'],
      ['config-schema', 'passed'],
      ['config-valid', 'passed'],
      ['create', 'passed'],
      ['send-valid', 'passed'],
      ['idempotency', 'passed'],
      ['send-aborted', 'passed'],
      ['callback-valid', 'passed'],
      ['callback-empty', 'passed'],
      ['callback-garbage', 'passed'],
      ['callback-idempotent', 'passed'],
      ['close-idempotent', 'skipped'],
    ]);
    // valid, empty, garbage, then valid twice more; each a frozen copy with the valid callback's URL and signature.
    expect(seen.map((c) => [c.contentType, c.body])).toEqual([
      ['application/json', validCallback.body],
      ['application/json', ''],
      ['application/octet-stream', '\u0000not a callback'],
      ['application/json', validCallback.body],
      ['application/json', validCallback.body],
    ]);
    expect(seen.every((c) => Object.isFrozen(c) && Object.isFrozen(c.headers) && c.url === CALLBACK_URL)).toBe(true);
    expect(seen.every((c) => c.headers['x-fake-signature'] === validCallback.headers['x-fake-signature'])).toBe(true);
    expect(seen[2]!.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.from(seen[2]!.rawBody).toString('utf8')).toBe('\u0000not a callback');
    expect(new Set(seen.map((c) => c.rawBody)).size).toBe(5);
  });

  it('fails callback-garbage, with what to do instead, when readCallback throws on a garbage body', async () => {
    const report = await runChannelContract(
      callbackChannel((callback) => {
        if (callback.body === '') return refuseCallback(400, 'empty');
        const { id } = JSON.parse(callback.body) as { id: string };
        return callbackReceipts({ providerMessageId: id, status: 'delivered' });
      }),
      { config: {}, validMessage, callbacks: { valid: validCallback } },
    );
    expect(report.passed).toBe(false);
    expect(statusOf(report)).toMatchObject({ 'callback-valid': 'passed', 'callback-empty': 'passed', 'callback-garbage': 'failed', 'callback-idempotent': 'passed' });
    expect(detailOf(report, 'callback-garbage')).toMatch(
      /^readCallback on a garbage body rejected \(SyntaxError: .*JSON.*\); readCallback must return, not throw: refuse a callback it cannot read with refuseCallback\(400, reason\)/,
    );
    expect(formatContractReport(report)).toContain('✗ callback-garbage — readCallback refuses a garbage body with 400, 401 or 403: readCallback on a garbage body rejected');
    // The SyntaxError quotes the NUL byte it choked on: escaped, so the report stays text.
    expect(detailOf(report, 'callback-garbage')).toContain('\\u0000not a callback');
    expect(formatContractReport(report)).not.toMatch(/[\u0000-\u0008]/);
  });

  it("fails with checkCallbackReading's message when readCallback reports an interim status as a receipt", async () => {
    const report = await runChannelContract(
      callbackChannel(() => ({ ok: true, receipts: [{ providerMessageId: 'x', status: 'sent' }] }) as never),
      { config: {}, validMessage, callbacks: { valid: validCallback } },
    );
    expect(report.passed).toBe(false);
    expect(detailOf(report, 'callback-valid')).toBe(
      'readCallback on the valid callback returned a malformed reading (receipt 0 has status "sent" (delivered, bounced or failed)); return callbackReceipts(...) for what the callback reports (none for an interim status such as queued or sent) or refuseCallback(400 | 401 | 403, reason)',
    );
    expect(statusOf(report)).toMatchObject({ 'callback-empty': 'failed', 'callback-garbage': 'failed', 'callback-idempotent': 'failed' });
  });

  it('fails `callbacks` when the option is given to an instance without readCallback', async () => {
    const report = await runChannelContract(callbackChannel(), { config: {}, validMessage, callbacks: { valid: validCallback } });
    expect(report.passed).toBe(false);
    expect(report.checks.find((c) => c.id === 'callbacks')).toEqual({
      id: 'callbacks',
      title: 'readCallback is checked with provider callbacks',
      status: 'failed',
      detail: 'the callbacks option is given, but the instance has no readCallback: implement readCallback(callback, ctx), or leave the callbacks option out',
    });
    expect(report.checks.map((c) => c.id)).not.toContain('callback-valid');
  });

  it('notes, as a skipped `callbacks` check, a readCallback the option does not exercise; adds nothing without readCallback', async () => {
    const report = await runChannelContract(callbackChannel(goodReadCallback), { config: {}, validMessage });
    expect(report.passed).toBe(true);
    const check = report.checks.find((c) => c.id === 'callbacks');
    expect(check).toMatchObject({ status: 'skipped' });
    expect(check?.detail).toMatch(/^the instance has readCallback, but the callbacks option is not given: pass callbacks: \{ valid: providerCallback\(/);
    expect(check?.detail).toContain('callback-valid, callback-empty, callback-garbage, callback-idempotent');
    expect(report.checks.map((c) => c.id)).not.toContain('callback-valid');

    const plain = await runChannelContract(callbackChannel(), { config: {}, validMessage });
    expect(plain.checks.filter((c) => c.id.startsWith('callback'))).toEqual([]);
  });

  it('fails callback-valid when the valid callback is refused or does not report what expect says', async () => {
    const forged = { ...validCallback, headers: { ...validCallback.headers, 'x-fake-signature': sign(CALLBACK_URL, 'other') } };
    const refused = await runChannelContract(callbackChannel(goodReadCallback), { config: {}, validMessage, callbacks: { valid: forged } });
    expect(detailOf(refused, 'callback-valid')).toMatch(/^the valid callback was refused with 403 \(the X-Fake-Signature does not match\); check callbacks.valid/);

    const bounced = await runChannelContract(callbackChannel(goodReadCallback), {
      config: {},
      validMessage,
      callbacks: { valid: signedCallback({ id: 'sms-1', state: 'REJECTED' }), expect: { status: 'delivered' } },
    });
    expect(detailOf(bounced, 'callback-valid')).toBe(
      `expected a receipt with status 'delivered', got [{"providerMessageId":"sms-1","status":"bounced","reason":"rejected"}]`,
    );
    const other = await runChannelContract(callbackChannel(goodReadCallback), {
      config: {},
      validMessage,
      callbacks: { valid: validCallback, expect: { providerMessageId: 'sms-2', status: 'delivered' } },
    });
    expect(detailOf(other, 'callback-valid')).toMatch(/^expected a receipt with providerMessageId "sms-2" and status 'delivered', got \[/);
    const interim = await runChannelContract(callbackChannel(goodReadCallback), {
      config: {},
      validMessage,
      callbacks: { valid: signedCallback({ id: 'sms-1', state: 'QUEUED' }), expect: { providerMessageId: 'sms-1' } },
    });
    expect(detailOf(interim, 'callback-valid')).toBe('expected a receipt with providerMessageId "sms-1", got no receipts');
  });

  it('fails callback-empty and callback-garbage when readCallback reads them as ok', async () => {
    const lenient = (callback: ProviderCallback) => (callback.body === validCallback.body ? goodReadCallback(callback) : callbackReceipts());
    const report = await runChannelContract(callbackChannel(lenient), { config: {}, validMessage, callbacks: { valid: validCallback } });
    expect(statusOf(report)).toMatchObject({ 'callback-valid': 'passed', 'callback-empty': 'failed', 'callback-garbage': 'failed', 'callback-idempotent': 'passed' });
    expect(detailOf(report, 'callback-empty')).toMatch(/^an empty body was read as ok, with no receipts; refuse a body it cannot read with refuseCallback\(400, reason\)/);
    expect(detailOf(report, 'callback-garbage')).toMatch(/^a garbage body \("\\u0000not a callback", application\/octet-stream\) was read as ok/);
  });

  it('fails callback-idempotent when the same callback is read differently the second time', async () => {
    const seen = new Set<string>();
    const replayGuard = (callback: ProviderCallback) => {
      const reading = goodReadCallback(callback);
      if (!reading.ok || reading.receipts.length === 0) return reading;
      if (seen.has(callback.body)) return refuseCallback(403, 'replayed');
      seen.add(callback.body);
      return reading;
    };
    const report = await runChannelContract(callbackChannel(replayGuard), { config: {}, validMessage, callbacks: { valid: () => signedCallback({ id: `sms-${seen.size}`, state: 'DELIVERED' }) } });
    expect(statusOf(report)).toMatchObject({ 'callback-valid': 'passed', 'callback-empty': 'passed', 'callback-garbage': 'passed', 'callback-idempotent': 'failed' });
    expect(detailOf(report, 'callback-idempotent')).toMatch(
      /^the same callback was read as \{"ok":true,"receipts":\[\{"providerMessageId":"sms-0","status":"delivered"\}\]\}, then as \{"ok":false,"status":403,"reason":"replayed"\}; providers retry/,
    );

    let n = 0;
    const counting = () => callbackReceipts({ providerMessageId: `sms-${++n}`, status: 'delivered' });
    const counted = await runChannelContract(callbackChannel(counting), { config: {}, validMessage, callbacks: { valid: validCallback } });
    expect(detailOf(counted, 'callback-idempotent')).toMatch(/^the same callback was read as .*"sms-1".*, then as .*"sms-4"/);
  });

  it('fails a readCallback that hangs, with a time-limit hint, and one whose callbacks.valid throws', async () => {
    const hung = await runChannelContract(callbackChannel(() => new Promise<never>(() => {})), {
      config: {},
      validMessage,
      timeoutMs: 20,
      callbacks: { valid: validCallback },
    });
    expect(detailOf(hung, 'callback-valid')).toBe(
      'readCallback on the valid callback did not settle within 20 ms; readCallback must answer promptly: read the callback it is given and call no provider (the runtime answers 503 after the send timeout, and the provider retries)',
    );
    expect(statusOf(hung)).toMatchObject({ 'callback-empty': 'failed', 'callback-garbage': 'failed', 'callback-idempotent': 'failed' });

    const throwing = await runChannelContract(callbackChannel(goodReadCallback), {
      config: {},
      validMessage,
      callbacks: {
        valid: () => {
          throw new Error('no signing key');
        },
      },
    });
    expect(detailOf(throwing, 'callback-valid')).toBe('callbacks.valid threw (no signing key); it must return the callback to send');
    expect(detailOf(throwing, 'callback-garbage')).toBe('callbacks.valid threw (no signing key); it must return the callback to send');
  });

  it('skips the callback checks when create fails, and fails create when readCallback is not a function', async () => {
    const broken = defineChannel({
      name: 'broken',
      version: '1.0.0',
      messageKind: 'sms',
      configSchema: { type: 'object' },
      create: () => {
        throw new Error('cannot connect');
      },
    });
    const report = await runChannelContract(broken, { config: {}, validMessage, callbacks: { valid: validCallback } });
    expect(statusOf(report)).toMatchObject({
      create: 'failed',
      'callback-valid': 'skipped',
      'callback-empty': 'skipped',
      'callback-garbage': 'skipped',
      'callback-idempotent': 'skipped',
    });

    const notAFunction = await runChannelContract(withInstance({ readCallback: 'yes' as never }), { config: {}, validMessage });
    expect(detailOf(notAFunction, 'create')).toBe('readCallback, when present, must be a function');
  });
});
