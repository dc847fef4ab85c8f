/**
 * The one place that loads and calls plugins (the Rollup "plugin driver" of Herald): resolve
 * `use:`, check the export, substitute `${ENV}`, resolve relative paths, validate config (and
 * each query's `with:` block), `create` with a ctx (prefixed logger, clock, unload signal),
 * and then `send` / `query` with a deadline, catching throws and checking results. One host
 * per worker thread; the orchestrator never calls a plugin itself.
 */
import { setMaxListeners } from 'node:events';
import { messageIdFor } from '@herald/plugin-sdk';
import type {
  AnyChannelPlugin,
  AnySourcePlugin,
  ChannelInstance,
  DeliveryResult,
  MessageContent,
  OutboundMessage,
  PluginClock,
  PluginContext,
  PluginLogger,
  ProviderCallback,
  QueryContext,
  SendContext,
  SourceInstance,
  SourceResult,
} from '@herald/plugin-sdk';
import { failed, sourceFailed } from '@herald/plugin-sdk';
import type { ChannelIR, SourceIR } from '@herald/dsl';
import { queryWithDeadline, readCallbackWithDeadline, sendWithDeadline, SHUTDOWN_CODE, withDeadline, type CallbackAnswer, type CallProblem } from './call-plugin.js';
import { schemaCheck } from './json-validator.js';
import { describeError, loadPluginModule } from './load-plugin-module.js';
import { messageIdDomainFor } from './message-id-domain.js';
import { logLimiter, pluginScopedLogger, silentLogger } from './plugin-logger.js';
import { pointerToDotPath, preparePluginConfig } from './prepare-plugin-config.js';
import type { Env } from './substitute-env.js';

export interface PluginHostOptions {
  readonly projectRoot: string;
  readonly channels: Readonly<Record<string, ChannelIR>>;
  readonly sources: Readonly<Record<string, SourceIR>>;
  /** Default: process.env. */
  readonly env?: Env;
  readonly logger?: PluginLogger;
  /** Default: Date.now. Virtual in `herald test`. */
  readonly clock?: PluginClock;
  /** Used for channels whose config has no `from` address; default `herald.invalid`. */
  readonly messageIdDomain?: string;
  /** Per send; default 30 s. */
  readonly sendTimeoutMs?: number;
  /** Per query; default 10 s. */
  readonly queryTimeoutMs?: number;
  /** Per create; default 30 s. */
  readonly createTimeoutMs?: number;
  /**
   * Per close (each plugin instance's `close()`, all run at once); default 5 s. A close that
   * throws or outlives it is logged, never thrown: shutdown goes on without that plugin.
   */
  readonly closeTimeoutMs?: number;
  /** Load only these (default: every channel and source of the graph). */
  readonly only?: { readonly channels?: readonly string[]; readonly sources?: readonly string[] };
}

/** Startup failed: every problem found, one line each (missing env vars, invalid config, create threw). */
export class PluginStartupError extends Error {
  override readonly name = 'PluginStartupError';
  constructor(readonly problems: readonly string[]) {
    super(`plugins could not start:\n  - ${problems.join('\n  - ')}`);
  }
}

export interface LoadedChannel {
  readonly name: string;
  readonly use: string;
  readonly plugin: AnyChannelPlugin;
  /** The plugin's message kind (`email`, `sms`, ..., `any`). */
  readonly messageKind: string;
  readonly messageIdDomain: string;
}

export interface LoadedSource {
  readonly name: string;
  readonly use: string;
  readonly plugin: AnySourcePlugin;
}

export interface SendOptions {
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly timeoutMs?: number;
  /** Aborts the send (shutdown). */
  readonly signal?: AbortSignal;
}

export interface QueryOptions {
  readonly attempt: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface PluginHost {
  readonly channels: ReadonlyMap<string, LoadedChannel>;
  readonly sources: ReadonlyMap<string, LoadedSource>;
  /** The Message-ID a send with this key gets on this channel (what `SendContext.messageId` holds). */
  messageIdFor(channel: string, idempotencyKey: string): string;
  /** Never rejects: every outcome is a DeliveryResult. */
  send(channel: string, message: OutboundMessage<MessageContent>, options: SendOptions): Promise<DeliveryResult>;
  /**
   * Hands a provider's status callback to the channel's plugin (`readCallback`), within the send
   * timeout and at most CALLBACK_TIMEOUT_MS. `unsupported` when the plugin reads none. Never rejects.
   */
  readCallback(channel: string, callback: ProviderCallback): Promise<CallbackAnswer>;
  /** Runs a declared query (its `with:` block comes from the graph). Never rejects. */
  query(source: string, query: string, args: Readonly<Record<string, unknown>>, options: QueryOptions): Promise<SourceResult>;
  /**
   * Aborts every plugin's unload signal, then closes each instance once, all at once, each
   * within `closeTimeoutMs`. Never rejects; calling it again returns the same promise.
   */
  close(): Promise<void>;
}

interface Live<I> {
  readonly instance: I;
  readonly logger: PluginLogger;
}

const systemClock: PluginClock = { now: () => Date.now() };

/**
 * Everything that can be checked without calling `create`: modules, exports, env vars, configs,
 * query definitions. Problems as values: `herald start` reports them all before spawning workers.
 */
export async function checkPlugins(options: PluginHostOptions): Promise<readonly string[]> {
  const { problems } = await prepareAll(options);
  return problems;
}

export async function createPluginHost(options: PluginHostOptions): Promise<PluginHost> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  const queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
  const createTimeoutMs = options.createTimeoutMs ?? 30_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  const prepared = await prepareAll(options);
  if (prepared.problems.length > 0) throw new PluginStartupError(prepared.problems);

  const unload = new AbortController();
  // Every call in flight listens on it (call-plugin.ts removes its listener when done): hundreds
  // at once are normal, not the leak Node's warning at 11 listeners assumes.
  setMaxListeners(0, unload.signal);
  const problems: string[] = [];
  const channels = new Map<string, LoadedChannel>();
  const sources = new Map<string, LoadedSource>();
  const liveChannels = new Map<string, Live<ChannelInstance<MessageContent>>>();
  const liveSources = new Map<string, Live<SourceInstance>>();

  const create = async <I>(kind: 'channel' | 'source', name: string, plugin: AnyChannelPlugin | AnySourcePlugin, config: unknown): Promise<Live<I> | undefined> => {
    const pluginLogger = pluginScopedLogger(logger, kind, name);
    const ctx: PluginContext<unknown> = Object.freeze({ logger: pluginLogger, clock, signal: unload.signal, config });
    const outcome = await withDeadline(async () => (await plugin.create(config, ctx)) as unknown, createTimeoutMs);
    const where = `${kind} "${name}" (${plugin.name})`;
    if (outcome.kind === 'timeout') problems.push(`${where}: create did not finish within ${createTimeoutMs}ms`);
    else if (outcome.kind === 'threw') problems.push(`${where}: create failed: ${describeError(outcome.error)}`);
    else if (typeof outcome.value !== 'object' || outcome.value === null) problems.push(`${where}: create did not return an instance`);
    else return { instance: outcome.value as I, logger: pluginLogger };
    return undefined;
  };

  await Promise.all([
    ...prepared.channels.map(async (c) => {
      const live = await create<ChannelInstance<MessageContent>>('channel', c.loaded.name, c.loaded.plugin, c.config);
      if (!live) return;
      if (typeof live.instance.send !== 'function') {
        problems.push(`channel "${c.loaded.name}" (${c.loaded.plugin.name}): create returned no send()`);
        return;
      }
      channels.set(c.loaded.name, c.loaded);
      liveChannels.set(c.loaded.name, live);
    }),
    ...prepared.sources.map(async (s) => {
      const live = await create<SourceInstance>('source', s.loaded.name, s.loaded.plugin, s.config);
      if (!live) return;
      if (typeof live.instance.query !== 'function') {
        problems.push(`source "${s.loaded.name}" (${s.loaded.plugin.name}): create returned no query()`);
        return;
      }
      sources.set(s.loaded.name, s.loaded);
      liveSources.set(s.loaded.name, live);
    }),
  ]);

  let closing: Promise<void> | undefined;
  const closeAll = (): Promise<void> => {
    closing ??= (async () => {
      unload.abort(new Error('plugins unloaded'));
      const all = [...liveChannels.values(), ...liveSources.values()];
      await Promise.all(
        all.map(async (live) => {
          const close = (live.instance as { close?: () => Promise<void> }).close;
          if (typeof close !== 'function') return;
          const outcome = await withDeadline(async () => close.call(live.instance), closeTimeoutMs);
          if (outcome.kind === 'threw') live.logger.warn('close failed', { error: describeError(outcome.error) });
          if (outcome.kind === 'timeout') live.logger.warn(`close did not finish within ${closeTimeoutMs}ms`);
        }),
      );
    })();
    return closing;
  };

  if (problems.length > 0) {
    await closeAll();
    throw new PluginStartupError(problems);
  }

  const queryDefinitions = new Map(prepared.sources.map((s) => [s.loaded.name, s.queries]));

  // A call that throws, hangs or answers nonsense is answered with a retryable failure (call-plugin.ts)
  // and logged here, at warn, on the instance's logger: once per distinct message per minute, so a
  // plugin that fails every call cannot flood the log (`repeated`: how many were held back since).
  const limiter = logLimiter();
  const reportTo =
    (live: Live<unknown>, key: string, call: string, plugin: string) =>
    (problem: CallProblem): void => {
      const [what, fields] = describeProblem(call, problem);
      const repeated = limiter.take(`${key}\u0000${what}`);
      if (repeated === undefined) return;
      live.logger.warn(what, { plugin, ...fields, ...(repeated > 0 ? { repeated } : {}) });
    };

  return {
    channels,
    sources,
    messageIdFor(channel, idempotencyKey) {
      return messageIdFor(idempotencyKey, channels.get(channel)?.messageIdDomain);
    },
    async send(channel, message, opts) {
      const live = liveChannels.get(channel);
      const loaded = channels.get(channel);
      if (!live || !loaded) return failed.permanent(`no channel "${channel}" is configured`, { code: 'UNKNOWN_CHANNEL' });
      if (closing) return failed.retryable('the plugin host is shutting down', { code: SHUTDOWN_CODE });
      const timeoutMs = opts.timeoutMs ?? sendTimeoutMs;
      return sendWithDeadline(
        (signal) => {
          const ctx: SendContext = {
            idempotencyKey: opts.idempotencyKey,
            messageId: messageIdFor(opts.idempotencyKey, loaded.messageIdDomain),
            attempt: opts.attempt,
            signal,
            logger: live.logger,
            clock,
          };
          return live.instance.send(message, ctx);
        },
        timeoutMs,
        anySignal(opts.signal, unload.signal),
        reportTo(live, `channel:${channel}`, 'send', loaded.plugin.name),
      );
    },
    async readCallback(channel, callback) {
      const live = liveChannels.get(channel);
      const loaded = channels.get(channel);
      if (!live || !loaded) return { kind: 'failed', reason: `no channel "${channel}" is configured`, code: 'UNKNOWN_CHANNEL' };
      const read = live.instance.readCallback;
      if (typeof read !== 'function') return { kind: 'unsupported' };
      if (closing) return { kind: 'failed', reason: 'the plugin host is shutting down', code: SHUTDOWN_CODE };
      return readCallbackWithDeadline(
        async () => read.call(live.instance, callback, { logger: live.logger, clock }),
        Math.min(sendTimeoutMs, CALLBACK_TIMEOUT_MS),
        unload.signal,
        reportTo(live, `channel:${channel}`, 'readCallback', loaded.plugin.name),
      );
    },
    async query(source, query, args, opts) {
      const live = liveSources.get(source);
      const definitions = queryDefinitions.get(source);
      if (!live || !definitions) return sourceFailed.permanent(`no source "${source}" is configured`, { code: 'UNKNOWN_SOURCE' });
      if (!definitions.has(query)) return sourceFailed.permanent(`source "${source}" declares no query "${query}"`, { code: 'UNKNOWN_QUERY' });
      if (closing) return sourceFailed.retryable('the plugin host is shutting down', { code: SHUTDOWN_CODE });
      const definition = definitions.get(query);
      const timeoutMs = opts.timeoutMs ?? queryTimeoutMs;
      return queryWithDeadline(
        (signal) => {
          const ctx: QueryContext = { signal, logger: live.logger, clock, attempt: opts.attempt };
          return live.instance.query(query, args, definition, ctx);
        },
        timeoutMs,
        anySignal(opts.signal, unload.signal),
        reportTo(live, `source:${source}`, `query ${query}`, sources.get(source)?.plugin.name ?? source),
      );
    },
    close: closeAll,
  };
}

interface PreparedChannel {
  readonly loaded: LoadedChannel;
  readonly config: unknown;
}

interface PreparedSource {
  readonly loaded: LoadedSource;
  readonly config: unknown;
  readonly queries: ReadonlyMap<string, unknown>;
}

async function prepareAll(options: PluginHostOptions): Promise<{
  channels: PreparedChannel[];
  sources: PreparedSource[];
  problems: string[];
}> {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const channels: PreparedChannel[] = [];
  const sources: PreparedSource[] = [];
  const wanted = (list: readonly string[] | undefined, name: string) => list === undefined || list.includes(name);

  await Promise.all([
    ...Object.entries(options.channels)
      .filter(([name]) => wanted(options.only?.channels, name))
      .map(async ([name, ir]) => {
        const mod = await loadPluginModule('channel', name, ir.use, options.projectRoot);
        if (!mod.ok) return void problems.push(mod.problem);
        const where = `channel "${name}"`;
        const prepared = preparePluginConfig(where, ir.config, mod.plugin.configSchema, env, options.projectRoot);
        if (!prepared.ok) return void problems.push(...prepared.problems);
        channels.push({
          loaded: {
            name,
            use: ir.use,
            plugin: mod.plugin,
            messageKind: mod.plugin.messageKind,
            messageIdDomain: messageIdDomainFor(prepared.config, options.messageIdDomain),
          },
          config: prepared.config,
        });
      }),
    ...Object.entries(options.sources)
      .filter(([name]) => wanted(options.only?.sources, name))
      .map(async ([name, ir]) => {
        const mod = await loadPluginModule('source', name, ir.use, options.projectRoot);
        if (!mod.ok) return void problems.push(mod.problem);
        const where = `source "${name}"`;
        const prepared = preparePluginConfig(where, ir.config, mod.plugin.configSchema, env, options.projectRoot);
        if (!prepared.ok) return void problems.push(...prepared.problems);
        const queries = new Map<string, unknown>();
        const querySchema = mod.plugin.querySchema;
        for (const [queryName, q] of Object.entries(ir.queries)) {
          if (querySchema !== undefined) {
            const found = schemaCheck(querySchema)(q.with ?? {});
            for (const p of found) problems.push(`${where}: query ${queryName}: with${pointerToDotPath(p.path)} ${p.message}`);
          }
          queries.set(queryName, q.with ?? {});
        }
        sources.push({ loaded: { name, use: ir.use, plugin: mod.plugin }, config: prepared.config, queries });
      }),
  ]);
  problems.sort();
  return { channels, sources, problems };
}

/** The log line for a failed plugin call, and its fields (the error's message and stack for a throw). */
/**
 * The longest a plugin may take to read a callback: providers wait about 15 s for an answer
 * (Twilio) before they count the call as failed, and a late 200 would not be seen.
 */
export const CALLBACK_TIMEOUT_MS = 10_000;

/** How the host answered a problem call, by kind of call: sends and queries fail retryably; a callback's provider is answered 503 and retries. */
const ANSWERED = {
  call: { threw: 'answered as a retryable failure; plugins return failures as values', timeout: 'answered as a retryable timeout; its signal was aborted', invalid: 'answered as a retryable failure' },
  callback: {
    threw: 'the provider was answered 503 and will retry; return refuseCallback(400, ...) for a callback you cannot read',
    timeout: 'the provider was answered 503 and will retry',
    invalid: 'the provider was answered 503 and will retry',
  },
} as const;

function describeProblem(call: string, problem: CallProblem): [string, Record<string, unknown>] {
  const answered = call === 'readCallback' ? ANSWERED.callback : ANSWERED.call;
  switch (problem.kind) {
    case 'threw': {
      const error = describeError(problem.error);
      const stack = problem.error instanceof Error && typeof problem.error.stack === 'string' ? problem.error.stack : undefined;
      return [`${call} threw: ${error} (${answered.threw})`, { error, ...(stack ? { stack } : {}) }];
    }
    case 'timeout':
      return [`${call} did not finish within ${problem.timeoutMs}ms (${answered.timeout})`, { timeoutMs: problem.timeoutMs }];
    case 'invalid':
      return [`${call} returned an invalid result: ${problem.problems.join('; ')} (${answered.invalid})`, { problems: problem.problems }];
  }
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
