import { randomUUID } from 'node:crypto';
import type { PluginClock, PluginContext, PluginLogger, QueryContext, SendContext } from '../context.js';
import { messageIdFor } from '../message-id.js';
import { providerCallbackOf, type CallbackContext, type ProviderCallback } from '../provider-callback.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

/** A PluginLogger that keeps what it is told, for assertions. */
export interface MemoryLogger extends PluginLogger {
  readonly entries: LogEntry[];
}

export function memoryLogger(): MemoryLogger {
  const entries: LogEntry[] = [];
  const at = (level: LogLevel) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    entries.push({ level, message, fields });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A clock that stands still until told to move. */
export interface ManualClock extends PluginClock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

/** Starts at 2030-01-01T00:00:00Z unless told otherwise, so tests never depend on today's date. */
export function manualClock(startMs: number = Date.UTC(2030, 0, 1)): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (epochMs) => {
      t = epochMs;
    },
  };
}

export interface TestContextOptions {
  readonly logger?: PluginLogger;
  readonly clock?: PluginClock;
  readonly signal?: AbortSignal;
}

/** A PluginContext as the runtime would give it to `create`. */
export function testPluginContext<Config>(config: Config, options: TestContextOptions = {}): PluginContext<Config> {
  return {
    config,
    logger: options.logger ?? memoryLogger(),
    clock: options.clock ?? manualClock(),
    signal: options.signal ?? new AbortController().signal,
  };
}

export interface TestSendContextOptions extends TestContextOptions {
  /** Default: a fresh `test:<uuid>`, so two calls never collide. */
  readonly idempotencyKey?: string;
  readonly attempt?: number;
  /** Domain of the derived Message-ID; see `messageIdFor`. */
  readonly messageIdDomain?: string;
}

/** A SendContext as the runtime would build it; the Message-ID is derived from the key as the runtime does. */
export function testSendContext(options: TestSendContextOptions = {}): SendContext {
  const idempotencyKey = options.idempotencyKey ?? `test:${randomUUID()}`;
  return {
    idempotencyKey,
    messageId: messageIdFor(idempotencyKey, options.messageIdDomain),
    attempt: options.attempt ?? 1,
    signal: options.signal ?? new AbortController().signal,
    logger: options.logger ?? memoryLogger(),
    clock: options.clock ?? manualClock(),
  };
}

export function testQueryContext(options: TestContextOptions & { readonly attempt?: number } = {}): QueryContext {
  return {
    attempt: options.attempt ?? 1,
    signal: options.signal ?? new AbortController().signal,
    logger: options.logger ?? memoryLogger(),
    clock: options.clock ?? manualClock(),
  };
}

/** A CallbackContext as the runtime gives it to `readCallback`: a memoryLogger and a manualClock unless told otherwise. */
export function testCallbackContext(overrides: Pick<TestContextOptions, 'logger' | 'clock'> = {}): CallbackContext {
  return {
    logger: overrides.logger ?? memoryLogger(),
    clock: overrides.clock ?? manualClock(),
  };
}

export interface ProviderCallbackOptions {
  /** The URL the provider called, as it signs it. Default `https://herald.invalid/callbacks/test`. */
  readonly url?: string;
  /** Any case; a list is one repeated header. Names are lower-cased and a list joined with `, `, as the runtime does. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * The Content-Type, parameters allowed (`application/json; charset=utf-8`). Default: the
   * `content-type` header's; set as that header when `headers` has none. `''` when neither is given.
   */
  readonly contentType?: string;
  /** The body as text (sent as UTF-8) or as bytes (`body` then holds them decoded as UTF-8). Default empty. */
  readonly body?: string | Uint8Array;
}

/**
 * A ProviderCallback as the runtime would hand it to `readCallback` for a request with these
 * parts: header names in lower case, `contentType` the media type alone in lower case, `body`
 * and `rawBody` the same content. Frozen, like what the runtime hands over (but `rawBody`, which
 * cannot be).
 */
export function providerCallback(options: ProviderCallbackOptions = {}): ProviderCallback {
  const headers: Record<string, string | readonly string[]> = { ...options.headers };
  const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (options.contentType !== undefined && options.contentType !== '' && !hasContentType) headers['content-type'] = options.contentType;
  const body = typeof options.body === 'string' || options.body === undefined ? new TextEncoder().encode(options.body ?? '') : new Uint8Array(options.body);
  const callback = providerCallbackOf({ url: options.url ?? 'https://herald.invalid/callbacks/test', headers, body });
  // An explicit contentType wins over the header, as the option says.
  return options.contentType === undefined ? callback : Object.freeze({ ...callback, contentType: options.contentType.split(';')[0]!.trim().toLowerCase() });
}

/** A signal that is already aborted, with a reason like the runtime's delivery timeout. */
export function abortedSignal(reason = 'delivery timeout'): AbortSignal {
  return AbortSignal.abort(new Error(reason));
}
