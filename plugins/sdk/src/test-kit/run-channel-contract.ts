import { randomUUID } from 'node:crypto';
import type { SendContext } from '../context.js';
import type { ChannelInstance, ChannelPlugin } from '../define-channel.js';
import { checkDeliveryResult } from '../delivery-result.js';
import type { DeliveryResult } from '../delivery-result.js';
import { checkJsonSchema } from '../check-json-schema.js';
import { deepFreeze, isPlainObject } from '../json.js';
import type { MessageContent, OutboundMessage } from '../outbound-message.js';
import type { ContractReport } from './contract-report.js';
import { assertContractReport, CheckRecorder, CLOSE_HINTS, CREATE_HINTS, expectResolved, settleWithin, type SettleHints } from './contract-report.js';
import { abortedSignal, memoryLogger, manualClock, testPluginContext, testSendContext } from './test-context.js';
import { validateAgainstSchema } from './validate-against-schema.js';

/** One send the kit made, for `verifyIdempotency`. */
export interface ContractSend {
  readonly ctx: SendContext;
  readonly result: DeliveryResult;
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
}

/**
 * Runs the channel contract against a plugin and reports every check; never throws for a
 * plugin's misbehaviour. Use `assertChannelContract` in a test to fail on the first report with failures.
 *
 * Checks, by id: definition, config-schema, config-valid, create, send-valid, idempotency,
 * send-aborted, close-idempotent.
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
    instance = created as ChannelInstance<Content>;
  });

  if (instance === undefined) {
    for (const [id, title] of [
      ['send-valid', 'send(validMessage) returns a well-formed successful DeliveryResult'],
      ['idempotency', 'a retry with the same idempotency key is passed through'],
      ['send-aborted', 'send with an aborted signal returns a retryable failure promptly'],
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
