/**
 * What a plugin sees of the runtime: a logger, a clock, an abort signal and its own config.
 * Nothing else (no store, no queue, no other plugin), in the spirit of Fastify's encapsulation:
 * a plugin that needs more must ask for it through this contract.
 */

/** Structured logger. `fields` are JSON-serialisable details; never put secrets or message content in them. */
export interface PluginLogger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** The runtime's clock: epoch milliseconds. Virtual in tests, so use it instead of `Date.now()`. */
export interface PluginClock {
  now(): number;
}

/** Given once, to `create(config, ctx)`. */
export interface PluginContext<Config = unknown> {
  readonly logger: PluginLogger;
  readonly clock: PluginClock;
  /** Aborted when the runtime unloads the plugin (shutdown, reload); `close()` follows. */
  readonly signal: AbortSignal;
  /** The plugin's config from herald.yaml, validated against its configSchema, `${ENV}` secrets resolved. */
  readonly config: Config;
}

/** Given with every `send`. */
export interface SendContext {
  /**
   * Stable for one (journey instance, step, channel, attempt group): every retry of the same
   * send, and every re-run after a crash, carries the same key. Pass it to providers that take
   * one (an `Idempotency-Key` header) so they drop duplicates.
   */
  readonly idempotencyKey: string;
  /**
   * An RFC 5322 Message-ID (`<id@domain>`, brackets included) derived from `idempotencyKey`
   * with `messageIdFor`, so a retried email carries the same Message-ID.
   */
  readonly messageId: string;
  /** 1 for the first try of this idempotency key, then 2, 3, ... */
  readonly attempt: number;
  /** Aborted when the send times out or the runtime shuts down; return `aborted(signal)` promptly. */
  readonly signal: AbortSignal;
  readonly logger: PluginLogger;
  readonly clock: PluginClock;
}

/** Given with every source `query`. */
export interface QueryContext {
  /** Aborted when the fetch times out or the runtime shuts down. */
  readonly signal: AbortSignal;
  readonly logger: PluginLogger;
  readonly clock: PluginClock;
  /** 1 for the first try of this fetch, then 2, 3, ... */
  readonly attempt: number;
}
