import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { SendContext } from '../context.js';
import type { ChannelInstance, ChannelPlugin } from '../define-channel.js';
import { checkDeliveryResult } from '../delivery-result.js';
import type { DeliveryResult } from '../delivery-result.js';
import { checkJsonSchema } from '../check-json-schema.js';
import { deepFreeze, isPlainObject } from '../json.js';
import type { MessageContent, OutboundMessage } from '../outbound-message.js';
import { checkCallbackReading } from '../provider-callback.js';
import type { CallbackReading, CallbackStatus, ProviderCallback } from '../provider-callback.js';
import type { ContractReport } from './contract-report.js';
import { assertContractReport, CheckRecorder, CLOSE_HINTS, CREATE_HINTS, describeError, expectResolved, settleWithin, type SettleHints } from './contract-report.js';
import { abortedSignal, memoryLogger, manualClock, providerCallback, testCallbackContext, testPluginContext, testSendContext } from './test-context.js';
import { validateAgainstSchema } from './validate-against-schema.js';

/** One send the kit made, for `verifyIdempotency`. */
export interface ContractSend {
  readonly ctx: SendContext;
  readonly result: DeliveryResult;
}

/** The `callbacks` option: what the callback checks hand to `readCallback`. */
export interface CallbackContractOptions {
  /**
   * A callback as the provider sends it for a message, signed as it signs them (with the test
   * config's secret): `readCallback` must read it (`ok: true`). Build it with `providerCallback`.
   * A function is called once, when the callback checks run (after the sends).
   */
  readonly valid: ProviderCallback | (() => ProviderCallback);
  /** What reading the valid callback must report: a receipt with this providerMessageId and/or status. */
  readonly expect?: { readonly providerMessageId?: string; readonly status?: CallbackStatus };
}

export interface ChannelContractOptions<Config = unknown, Content extends MessageContent = Readonly<Record<string, string>>> {
  /** A config that works in the test (pointing at a local fake provider, a temp file, ...). */
  readonly config: Config;
  /** A message the plugin can send with that config. The kit sends a frozen copy. */
  readonly validMessage: OutboundMessage<Content>;
  /** What the valid message must get. Default `'success'`: delivered or accepted. */
  readonly expect?: 'success' | 'delivered' | 'accepted';
  /** Upper bound for create, each send and close. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** How soon a send with an already-aborted signal must return. Default 1 000 ms. */
  readonly abortDeadlineMs?: number;
  /**
   * The two sends made with one idempotency key must report the same `receipt.providerMessageId`
   * (true for plugins whose provider id derives from the key, such as email's Message-ID). Default false.
   */
  readonly stableReceipt?: boolean;
  /**
   * Called with the two sends made with one idempotency key (attempt 1 and attempt 2), to check
   * what the provider saw: e.g. that both emails carried the same Message-ID. Throw to fail.
   */
  readonly verifyIdempotency?: (sends: readonly [ContractSend, ContractSend]) => void | Promise<void>;
  /** Domain of the Message-IDs the kit derives. Default `herald.invalid`. */
  readonly messageIdDomain?: string;
  /**
   * Runs the callback checks (callback-valid, callback-empty, callback-garbage,
   * callback-idempotent) against the instance's `readCallback`, which it must then have.
   */
  readonly callbacks?: CallbackContractOptions;
}

/**
 * Runs the channel contract against a plugin and reports every check; never throws for a
 * plugin's misbehaviour. Use `assertChannelContract` in a test to fail on the first report with failures.
 *
 * Checks, by id: definition, config-schema, config-valid, create, send-valid, idempotency,
 * send-aborted, close-idempotent; with the `callbacks` option, callback-valid, callback-empty,
 * callback-garbage and callback-idempotent before close-idempotent. `callbacks` stands for them
 * when they cannot run: failed when the option is given to an instance without `readCallback`,
 * skipped when an instance with `readCallback` is not given the option.
 */
export async function runChannelContract<Config, Content extends MessageContent>(
  plugin: ChannelPlugin<Config, Content>,
  options: ChannelContractOptions<Config, Content>,
): Promise<ContractReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const abortDeadlineMs = options.abortDeadlineMs ?? 1_000;
  const expect = options.expect ?? 'success';
  const checks = new CheckRecorder();
  const name = typeof plugin?.name === 'string' ? plugin.name : '(unnamed plugin)';
  const run = randomUUID();
  const sendContext = (label: string, extra: { attempt?: number; signal?: AbortSignal; idempotencyKey?: string } = {}) =>
    // Shallow: the signal, logger and clock inside must keep working.
    Object.freeze(
      testSendContext({
        idempotencyKey: extra.idempotencyKey ?? `contract:${run}:${label}`,
        attempt: extra.attempt ?? 1,
        ...(extra.signal ? { signal: extra.signal } : {}),
        ...(options.messageIdDomain ? { messageIdDomain: options.messageIdDomain } : {}),
        logger: memoryLogger(),
        clock: manualClock(),
      }),
    );
  const message = () => deepFreeze(structuredClone(options.validMessage));

  await checks.run('definition', 'the default export is a frozen channel plugin', () => {
    if (!isPlainObject(plugin) || plugin.kind !== 'channel') throw new Error('expected an object with kind: "channel" (use defineChannel)');
    if (!Object.isFrozen(plugin)) throw new Error('the plugin object is not frozen (use defineChannel)');
    for (const field of ['name', 'version', 'messageKind'] as const) {
      if (typeof plugin[field] !== 'string' || plugin[field] === '') throw new Error(`${field} must be a non-empty string`);
    }
    if (typeof plugin.create !== 'function') throw new Error('create must be a function');
    const m = plugin.manifest;
    if (m !== undefined) {
      if (m.name !== plugin.name) throw new Error(`manifest name "${m.name}" differs from "${plugin.name}"`);
      if (m.version !== plugin.version) throw new Error(`manifest version "${m.version}" differs from "${plugin.version}"`);
      if (m.message !== plugin.messageKind) throw new Error(`manifest message "${m.message}" differs from "${plugin.messageKind}"`);
    }
  });

  await checks.run('config-schema', 'configSchema is a valid JSON Schema for an object', () => {
    const problems = checkJsonSchema(plugin.configSchema, 'configSchema');
    if (isPlainObject(plugin.configSchema) && plugin.configSchema['type'] !== 'object') {
      problems.push('configSchema: the root must have "type": "object"');
    }
    if (problems.length > 0) throw new Error(problems.join('; '));
  });

  await checks.run('config-valid', 'the test config satisfies configSchema', () => {
    const problems = validateAgainstSchema(options.config, plugin.configSchema);
    if (problems.length > 0) throw new Error(problems.join('; '));
  });

  const unload = new AbortController();
  let instance: ChannelInstance<Content> | undefined;
  await checks.run('create', 'create(config, ctx) returns an instance with send()', async () => {
    const ctx = testPluginContext(options.config, { signal: unload.signal });
    const created = expectResolved('create', await settleWithin(timeoutMs, () => plugin.create(options.config, ctx)), timeoutMs, CREATE_HINTS);
    if (typeof created !== 'object' || created === null || typeof (created as ChannelInstance).send !== 'function') {
      throw new Error('create must return an object with a send(message, ctx) method');
    }
    const close = (created as ChannelInstance).close;
    if (close !== undefined && typeof close !== 'function') throw new Error('close, when present, must be a function');
    const readCallback = (created as ChannelInstance).readCallback;
    if (readCallback !== undefined && typeof readCallback !== 'function') throw new Error('readCallback, when present, must be a function');
    instance = created as ChannelInstance<Content>;
  });

  if (instance === undefined) {
    for (const [id, title] of [
      ['send-valid', 'send(validMessage) returns a well-formed successful DeliveryResult'],
      ['idempotency', 'a retry with the same idempotency key is passed through'],
      ['send-aborted', 'send with an aborted signal returns a retryable failure promptly'],
      ...(options.callbacks === undefined ? [] : CALLBACK_CHECKS),
      ['close-idempotent', 'close() can be called twice'],
    ] as const) {
      checks.skip(id, title, 'create failed');
    }
    return checks.report(name);
  }
  const live = instance;

  let first: ContractSend | undefined;
  await checks.run('send-valid', 'send(validMessage) returns a well-formed successful DeliveryResult', async () => {
    const ctx = sendContext('same-key', { attempt: 1 });
    const result = await sendOnce(live, message(), ctx, timeoutMs, SEND_HINTS);
    if (result.status === 'failed') throw new Error(`the valid message failed: ${result.reason}${result.code ? ` (${result.code})` : ''}`);
    if (expect !== 'success' && result.status !== expect) throw new Error(`expected status '${expect}', got '${result.status}'`);
    first = { ctx, result };
  });

  await checks.run('idempotency', 'a retry with the same idempotency key is passed through', async () => {
    if (first === undefined) throw new Error('needs a successful send-valid first');
    const ctx = sendContext('same-key', { attempt: 2, idempotencyKey: first.ctx.idempotencyKey });
    const result = await sendOnce(live, message(), ctx, timeoutMs, SEND_HINTS);
    const second: ContractSend = { ctx, result };
    if (options.stableReceipt) {
      const a = first.result.status === 'failed' ? undefined : first.result.receipt.providerMessageId;
      const b = result.status === 'failed' ? undefined : result.receipt.providerMessageId;
      if (a === undefined || a !== b) {
        throw new Error(`stableReceipt: expected the same receipt.providerMessageId for one key, got ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
      }
    }
    await options.verifyIdempotency?.([first, second]);
  });

  await checks.run('send-aborted', 'send with an aborted signal returns a retryable failure promptly', async () => {
    const ctx = sendContext('aborted', { signal: abortedSignal() });
    const result = await sendOnce(live, message(), ctx, abortDeadlineMs, ABORTED_SEND_HINTS);
    if (result.status !== 'failed' || !result.retryable) {
      throw new Error(`expected a retryable failure (return aborted(ctx.signal)), got status '${result.status}'`);
    }
  });

  await runCallbackChecks(live, options.callbacks, timeoutMs, checks);

  if (live.close === undefined) {
    checks.skip('close-idempotent', 'close() can be called twice', 'the instance has no close()');
  } else {
    const close = live.close.bind(live);
    await checks.run('close-idempotent', 'close() can be called twice', async () => {
      unload.abort(new Error('plugin unloaded'));
      expectResolved('the first close()', await settleWithin(timeoutMs, close), timeoutMs, CLOSE_HINTS);
      expectResolved('the second close()', await settleWithin(timeoutMs, close), timeoutMs, CLOSE_HINTS);
    });
  }
  return checks.report(name);
}

const SEND_REJECTED =
  'delivery problems must be returned as values (failed.retryable, failed.permanent, bounced): the runtime counts a rejected send as a bug in the plugin';

const SEND_HINTS: SettleHints = {
  rejected: SEND_REJECTED,
  timeout: 'give the provider call a timeout and pass it ctx.signal, and return failed.retryable when it runs out',
};

const ABORTED_SEND_HINTS: SettleHints = {
  rejected: SEND_REJECTED,
  timeout: 'when ctx.signal is aborted, return aborted(ctx.signal) at once (check ctx.signal.aborted first, and pass the signal to fetch and sockets)',
};

const CALLBACK_CHECKS = [
  ['callback-valid', 'readCallback reads the valid callback into a well-formed reading'],
  ['callback-empty', 'readCallback refuses an empty body with 400, 401 or 403'],
  ['callback-garbage', 'readCallback refuses a garbage body with 400, 401 or 403'],
  ['callback-idempotent', 'readCallback reads the same callback the same way every time'],
] as const;

const CALLBACKS_TITLE = 'readCallback is checked with provider callbacks';

/** Not a callback any provider sends: a NUL byte, then text, as bytes. */
const GARBAGE_BODY = '\u0000not a callback';
const GARBAGE_TYPE = 'application/octet-stream';

const CALLBACK_HINTS: SettleHints = {
  rejected:
    'readCallback must return, not throw: refuse a callback it cannot read with refuseCallback(400, reason), and one whose signature does not verify with refuseCallback(401 or 403, reason) (the runtime answers a throw with 503, so the provider retries a callback that can never be read)',
  timeout:
    'readCallback must answer promptly: read the callback it is given and call no provider (the runtime answers 503 after the send timeout, and the provider retries)',
};

const MALFORMED_READING_HINT =
  'return callbackReceipts(...) for what the callback reports (none for an interim status such as queued or sent) or refuseCallback(400 | 401 | 403, reason)';

const REFUSE_HINT =
  'refuse a body it cannot read with refuseCallback(400, reason), and a signature that does not verify with refuseCallback(401 or 403, reason): the provider then learns its call was wrong, and the runtime records nothing';

/**
 * The callback checks: a placeholder `callbacks` check when they cannot run (see
 * runChannelContract), else the four, each reading a fresh frozen copy of its callback with a
 * fresh CallbackContext, within `timeoutMs`.
 */
async function runCallbackChecks<Content extends MessageContent>(
  instance: ChannelInstance<Content>,
  callbacks: CallbackContractOptions | undefined,
  timeoutMs: number,
  checks: CheckRecorder,
): Promise<void> {
  const read = instance.readCallback;
  if (callbacks === undefined) {
    if (read !== undefined) {
      checks.skip(
        'callbacks',
        CALLBACKS_TITLE,
        `the instance has readCallback, but the callbacks option is not given: pass callbacks: { valid: providerCallback({ url, headers, contentType, body }) }, a callback as the provider sends it, to run ${CALLBACK_CHECKS.map(([id]) => id).join(', ')}`,
      );
    }
    return;
  }
  if (read === undefined) {
    await checks.run('callbacks', CALLBACKS_TITLE, () => {
      throw new Error('the callbacks option is given, but the instance has no readCallback: implement readCallback(callback, ctx), or leave the callbacks option out');
    });
    return;
  }

  let resolved: { readonly callback: ProviderCallback } | { readonly problem: string } | undefined;
  /** callbacks.valid, made once; a problem with it fails every check that needs it. */
  const valid = (): ProviderCallback => {
    resolved ??= resolveValidCallback(callbacks.valid);
    if ('problem' in resolved) throw new Error(resolved.problem);
    return resolved.callback;
  };
  const readOnce = async (what: string, callback: ProviderCallback): Promise<CallbackReading> => {
    const copy = frozenCallback(callback);
    // Shallow: the logger and clock inside must keep working.
    const ctx = Object.freeze(testCallbackContext());
    const reading = expectResolved(what, await settleWithin(timeoutMs, () => read.call(instance, copy, ctx)), timeoutMs, CALLBACK_HINTS);
    const problem = checkCallbackReading(reading);
    if (problem !== undefined) throw new Error(`${what} returned a malformed reading (${problem}); ${MALFORMED_READING_HINT}`);
    return reading;
  };
  const expectRefused = (what: string, reading: CallbackReading): void => {
    if (reading.ok) {
      throw new Error(`${what} was read as ok, with ${reading.receipts.length === 0 ? 'no receipts' : `receipts ${JSON.stringify(reading.receipts)}`}; ${REFUSE_HINT}`);
    }
  };

  let validReading: CallbackReading | undefined;
  await checks.run('callback-valid', CALLBACK_CHECKS[0][1], async () => {
    const reading = await readOnce('readCallback on the valid callback', valid());
    validReading = reading;
    if (!reading.ok) {
      throw new Error(
        `the valid callback was refused with ${reading.status} (${reading.reason}); check callbacks.valid: is it what the provider sends, signed as it signs, for its url, with the secret of the test config?`,
      );
    }
    const want = callbacks.expect;
    if (want === undefined || (want.providerMessageId === undefined && want.status === undefined)) return;
    const matches = reading.receipts.some(
      (r) => (want.providerMessageId === undefined || r.providerMessageId === want.providerMessageId) && (want.status === undefined || r.status === want.status),
    );
    if (!matches) {
      const wanted = [
        ...(want.providerMessageId === undefined ? [] : [`providerMessageId ${JSON.stringify(want.providerMessageId)}`]),
        ...(want.status === undefined ? [] : [`status '${want.status}'`]),
      ].join(' and ');
      throw new Error(`expected a receipt with ${wanted}, got ${reading.receipts.length === 0 ? 'no receipts' : JSON.stringify(reading.receipts)}`);
    }
  });

  await checks.run('callback-empty', CALLBACK_CHECKS[1][1], async () => {
    const base = valid();
    const empty = withBody(base, base.contentType, '');
    expectRefused('an empty body', await readOnce('readCallback on an empty body', empty));
  });

  await checks.run('callback-garbage', CALLBACK_CHECKS[2][1], async () => {
    const garbage = withBody(valid(), GARBAGE_TYPE, GARBAGE_BODY);
    expectRefused(`a garbage body (${JSON.stringify(GARBAGE_BODY)}, ${GARBAGE_TYPE})`, await readOnce('readCallback on a garbage body', garbage));
  });

  await checks.run('callback-idempotent', CALLBACK_CHECKS[3][1], async () => {
    const callback = valid();
    // Read again twice after callback-valid's reading: a plugin that remembers what it read shows on the first repeat.
    const readings = [
      ...(validReading === undefined ? [] : [validReading]),
      await readOnce('readCallback on the valid callback again', callback),
      await readOnce('readCallback on the valid callback once more', callback),
    ].map((r) => JSON.parse(JSON.stringify(r)) as unknown); // as JSON, as the runtime uses it: an undefined field is an absent one
    for (let i = 1; i < readings.length; i++) {
      if (!isDeepStrictEqual(readings[i - 1], readings[i])) {
        throw new Error(
          `the same callback was read as ${JSON.stringify(readings[i - 1])}, then as ${JSON.stringify(readings[i])}; providers retry a callback they got no 2xx for, so the runtime may hand the same one over twice: read it from the callback alone (a receipt already applied changes nothing)`,
        );
      }
    }
  });
}

function resolveValidCallback(valid: CallbackContractOptions['valid']): { readonly callback: ProviderCallback } | { readonly problem: string } {
  let callback: unknown;
  try {
    callback = typeof valid === 'function' ? valid() : valid;
  } catch (error) {
    return { problem: `callbacks.valid threw (${describeError(error)}); it must return the callback to send` };
  }
  if (
    !isPlainObject(callback) ||
    typeof callback['url'] !== 'string' ||
    !isPlainObject(callback['headers']) ||
    typeof callback['contentType'] !== 'string' ||
    typeof callback['body'] !== 'string'
  ) {
    return { problem: 'callbacks.valid is not a ProviderCallback ({ url, headers, contentType, body, rawBody }): build it with providerCallback(...)' };
  }
  return { callback: callback as unknown as ProviderCallback };
}

/**
 * A copy the plugin cannot change: the object and its headers frozen, and its own copy of
 * `rawBody` (a typed array cannot be frozen), made from `body` when a hand-built callback has none.
 */
function frozenCallback(callback: ProviderCallback): ProviderCallback {
  const raw: unknown = (callback as Partial<ProviderCallback>).rawBody;
  return Object.freeze({
    ...callback,
    headers: Object.freeze({ ...callback.headers }),
    rawBody: raw instanceof Uint8Array ? new Uint8Array(raw) : new TextEncoder().encode(callback.body),
  });
}

/** `callback` as if it had come with another body: same URL and headers (signature included), its content type and length changed. */
function withBody(callback: ProviderCallback, contentType: string, body: string): ProviderCallback {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(callback.headers)) {
    if (name !== 'content-type' && name !== 'content-length') headers[name] = value;
  }
  if (Object.hasOwn(callback.headers, 'content-length')) headers['content-length'] = String(new TextEncoder().encode(body).byteLength);
  if (Object.hasOwn(callback.headers, 'content-type') && contentType === callback.contentType) headers['content-type'] = callback.headers['content-type']!;
  else if (contentType !== '') headers['content-type'] = contentType;
  return providerCallback({ url: callback.url, headers, contentType, body });
}

/** `runChannelContract`, then throws an AssertionError listing the failed checks. For `it(...)` bodies. */
export async function assertChannelContract<Config, Content extends MessageContent>(
  plugin: ChannelPlugin<Config, Content>,
  options: ChannelContractOptions<Config, Content>,
): Promise<ContractReport> {
  return assertContractReport(await runChannelContract(plugin, options));
}

async function sendOnce<Content extends MessageContent>(
  instance: ChannelInstance<Content>,
  message: OutboundMessage<Content>,
  ctx: SendContext,
  limitMs: number,
  hints: SettleHints,
): Promise<DeliveryResult> {
  const result = expectResolved('send', await settleWithin(limitMs, () => instance.send(message, ctx)), limitMs, hints);
  const problems = checkDeliveryResult(result);
  if (problems.length > 0) throw new Error(`send returned a malformed DeliveryResult: ${problems.join('; ')}`);
  return result;
}
