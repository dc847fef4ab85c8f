/**
 * What a worker thread does with its tasks, apart from piscina so tests can run it in-process:
 * one plugin host per thread (created once, at startup), then render / send / query tasks,
 * each answered with a value (never a throw). A task has a CPU part (rendering, the plugin's
 * synchronous start) and then, for sends and queries, a wait on the plugin's promise; `start`
 * tells the two apart, so the pool counts a thread busy only for the first (worker-pool.ts).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { failed, sourceFailed } from '@herald/plugin-sdk';
import type { DeliveryResult, OutboundMessage, PluginClock, PluginLogger } from '@herald/plugin-sdk';
import type { ArchivedContent } from '../driver/driver.js';
import { createPluginHost, PluginStartupError } from '../plugins-host/plugin-host.js';
import type { PluginHost } from '../plugins-host/plugin-host.js';
import { SHUTDOWN_CODE } from '../plugins-host/call-plugin.js';
import { loggerFor } from '../plugins-host/plugin-logger.js';
import { unsubscribeUrl } from '../subjects/unsubscribe-token.js';
import { FLAG_CLOSING, FLAG_HOLD_SENDS, POOL_CLOSED_REASON, SENDS_HELD_CODE, SENDS_HELD_REASON } from './pool-tasks.js';
import type {
  PoolResult,
  CallbackResult,
  PoolTask,
  QueryResult,
  RenderOutcome,
  RenderRequest,
  RenderResult,
  SendResult,
  SendTask,
  WorkerConfig,
} from './pool-tasks.js';
import { renderMessage, templateView } from './render-message.js';
import { createSendJournal } from './send-journal.js';

export interface TaskRunner {
  /** Startup problems (plugins that could not be created); empty when the runner is healthy. */
  readonly problems: readonly string[];
  /** Runs the tasks concurrently; `onResult` hears each result as soon as it is ready. */
  run(tasks: readonly PoolTask[], onResult?: (index: number, result: PoolResult) => void): Promise<PoolResult[]>;
  /**
   * Starts the tasks concurrently. `started` resolves once every task is done with its CPU part:
   * finished, or waiting on its plugin call (rendered, the plugin called and returned its
   * promise); `done` resolves with every result. `onResult` hears each result as soon as it is ready.
   */
  start(tasks: readonly PoolTask[], onResult?: (index: number, result: PoolResult) => void): { readonly started: Promise<void>; readonly done: Promise<PoolResult[]> };
  /**
   * Closes every plugin instance this runner created (the host aborts their unload signal,
   * then calls each `close()` within its close timeout). Never rejects; safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * The worker's clock follows the runtime's: each task carries the scheduler's `now`, and the
 * offset to the thread's own clock is kept, so plugins see virtual time in `herald test`.
 */
function followingClock(): PluginClock & { follow(now: number): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    follow(now) {
      offset = now - Date.now();
    },
  };
}

export async function createTaskRunner(config: WorkerConfig, threadId = 0): Promise<TaskRunner> {
  const logger: PluginLogger = loggerFor(config.logLevel, config.logFormat);
  const clock = followingClock();
  let host: PluginHost | undefined;
  let problems: readonly string[] = [];
  try {
    host = await createPluginHost({
      projectRoot: config.projectRoot,
      channels: config.graph.channels,
      sources: config.graph.sources,
      ...(config.env ? { env: config.env } : {}),
      logger,
      clock,
      ...(config.messageIdDomain ? { messageIdDomain: config.messageIdDomain } : {}),
      sendTimeoutMs: config.sendTimeoutMs,
      queryTimeoutMs: config.queryTimeoutMs,
      ...(config.closeTimeoutMs !== undefined ? { closeTimeoutMs: config.closeTimeoutMs } : {}),
    });
  } catch (error) {
    problems = error instanceof PluginStartupError ? error.problems : [`plugin host failed: ${(error as Error).message}`];
  }

  const journal = config.sendJournalDir ? createSendJournal(config.sendJournalDir, threadId) : undefined;

  const templateOf = (request: RenderRequest) => request.templateIR ?? config.graph.templates[request.template];

  const render = (request: RenderRequest, channelKind: string): RenderOutcome => {
    const template = templateOf(request);
    if (template === undefined) return { ok: false, error: `no template ${request.template} in graph ${request.version}` };
    const view = templateView(request.vars, request.subject, request.journey);
    const rendered = renderMessage(template, channelKind, view, request.subject.locale, config.graph.defaults.locale, request.channel);
    if (!rendered.ok) return rendered;
    const to = request.subject.contacts[request.channel] ?? (channelKind === 'any' ? request.subject.id : undefined);
    if (to === undefined || to === '') return { ok: false, error: `subject ${request.subject.id} has no ${request.channel} address` };
    const content: ArchivedContent = {
      channel: request.channel,
      kind: rendered.kind,
      locale: rendered.locale,
      to,
      fields: rendered.fields,
      renderedAt: request.now,
    };
    return { ok: true, content };
  };

  const channelKind = (channel: string): string | undefined =>
    host?.channels.get(channel)?.messageKind ?? config.graph.channels[channel]?.message;

  const runRender = (task: RenderRequest): RenderResult => {
    const kind = channelKind(task.channel);
    if (kind === undefined) return { kind: 'render', outcome: { ok: false, error: `no channel "${task.channel}" is configured` } };
    return { kind: 'render', outcome: render(task, kind) };
  };

  /** `waiting()` is called once the plugin call is under way (the CPU part of the send is done). */
  const runSend = async (task: SendTask, waiting: () => void): Promise<SendResult> => {
    // Render one message per turn of the event loop: a batch's renders in one synchronous burst
    // would hold back the providers' answers to earlier sends (an SMTP 250), and the longer a
    // sent message waits for its answer to be seen, the likelier a crash makes it a duplicate.
    await yieldToEventLoop();
    const started = performance.now();
    const done = (result: DeliveryResult, content: ArchivedContent | null): SendResult => ({
      kind: 'send',
      result,
      content,
      messageId: host?.messageIdFor(task.channel, task.idempotencyKey) ?? '',
      elapsedMs: performance.now() - started,
    });
    if (!host) return done(failed.retryable(`plugins could not start: ${problems.join('; ')}`, { code: 'STARTUP' }), null);
    const loaded = host.channels.get(task.channel);
    if (!loaded) return done(failed.permanent(`no channel "${task.channel}" is configured`, { code: 'UNKNOWN_CHANNEL' }), null);
    const outcome = render(task, loaded.messageKind);
    if (!outcome.ok) {
      const code = outcome.error.includes(' address') ? 'NO_ADDRESS' : 'RENDER_FAILED';
      return done(failed.permanent(outcome.error, { code }), null);
    }
    const content = outcome.content;
    // The last moment before a provider call: the pool may have begun closing or holding sends meanwhile.
    const flags = config.flags;
    if (flags !== undefined && Atomics.load(flags, FLAG_CLOSING) !== 0) return done(failed.retryable(POOL_CLOSED_REASON, { code: SHUTDOWN_CODE }), null);
    if (flags !== undefined && Atomics.load(flags, FLAG_HOLD_SENDS) !== 0) return done(failed.retryable(SENDS_HELD_REASON, { code: SENDS_HELD_CODE }), null);
    const metadata: Record<string, string> = { deliveryId: task.deliveryId, instanceId: task.journey.instanceId, templateId: task.template };
    if (config.publicBaseUrl && config.unsubscribeSecret) {
      metadata['unsubscribeUrl'] = unsubscribeUrl(config.publicBaseUrl, { subjectId: task.subject.id, category: task.category }, config.unsubscribeSecret);
    }
    const message: OutboundMessage = {
      channel: task.channel,
      kind: content.kind,
      to: content.to,
      locale: content.locale,
      content: content.fields,
      subjectId: task.subject.id,
      journey: task.journey.id,
      step: task.step,
      ...(task.category ? { category: task.category } : {}),
      metadata,
    };
    const call = host.send(task.channel, message, { idempotencyKey: task.idempotencyKey, attempt: task.attempt });
    waiting();
    const result = await call;
    if (journal && task.ledgerKey) journal.record(task.ledgerKey, result);
    return done(result, content);
  };

  const runOne = async (task: PoolTask, waiting: () => void): Promise<PoolResult> => {
    if ('now' in task) clock.follow(task.now);
    switch (task.kind) {
      case 'render':
        return runRender(task);
      case 'send':
        return runSend(task, waiting);
      case 'query': {
        if (!host) return { kind: 'query', result: sourceFailed.retryable(`plugins could not start: ${problems.join('; ')}`, { code: 'STARTUP' }) };
        const call = host.query(task.source, task.query, task.args, { attempt: task.attempt });
        waiting();
        return { kind: 'query', result: await call } satisfies QueryResult;
      }
      case 'callback': {
        if (!host) return { kind: 'callback', answer: { kind: 'failed', reason: `plugins could not start: ${problems.join('; ')}`, code: 'STARTUP' } };
        const call = host.readCallback(task.channel, task.callback);
        waiting();
        return { kind: 'callback', answer: await call } satisfies CallbackResult;
      }
      case 'ping':
        return { kind: 'ping', problems, threadId };
      case 'echo':
        return { kind: 'echo' };
    }
  };

  const start: TaskRunner['start'] = (tasks, onResult) => {
    let busy = tasks.length;
    let cpuDone: () => void = () => {};
    const started = busy === 0 ? Promise.resolve() : new Promise<void>((resolve) => (cpuDone = resolve));
    // Concurrently: sends wait on the network, and one slow provider must not hold the batch's others.
    const done = Promise.all(
      tasks.map(async (task, index): Promise<PoolResult> => {
        let marked = false;
        const waiting = () => {
          if (marked) return;
          marked = true;
          if (--busy === 0) cpuDone();
        };
        let result: PoolResult;
        try {
          result = await runOne(task, waiting);
        } catch (error) {
          result = failureFor(task, `worker error: ${(error as Error).message}`);
        }
        waiting();
        onResult?.(index, result);
        return result;
      }),
    );
    return { started, done };
  };

  return {
    problems,
    start,
    run: (tasks, onResult) => start(tasks, onResult).done,
    async close() {
      await host?.close();
    },
  };
}

/** The answer for a task that could not run (its thread crashed or was stopped, the pool is closed): always a value of the right kind. */
export function failureFor(task: PoolTask, reason: string, code = 'WORKER'): PoolResult {
  switch (task.kind) {
    case 'send':
      return { kind: 'send', result: failed.retryable(reason, { code }), content: null, messageId: '', elapsedMs: 0 };
    case 'query':
      return { kind: 'query', result: sourceFailed.retryable(reason, { code }) };
    case 'render':
      return { kind: 'render', outcome: { ok: false, error: reason } };
    case 'callback':
      return { kind: 'callback', answer: { kind: 'failed', reason, code } };
    case 'ping':
      return { kind: 'ping', problems: [reason], threadId: -1 };
    case 'echo':
      return { kind: 'echo' };
  }
}

