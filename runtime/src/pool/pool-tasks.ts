/**
 * What the scheduler asks the worker pool to do, and what comes back. Plain structured-clone
 * data: tasks cross a thread boundary. One piscina task carries a batch of these, so the
 * per-task cost of a thread hop is shared (see worker-pool.ts).
 */
import type { GraphIR, TemplateIR } from '@herald/dsl';
import type { DeliveryResult, ProviderCallback, SourceResult } from '@herald/plugin-sdk';
import type { CallbackAnswer } from '../plugins-host/call-plugin.js';
import type { ArchivedContent } from '../driver/driver.js';
import type { SubjectProfile } from '../engine/types.js';

/** What `journey.*` holds in templates. */
export interface JourneyMetaView {
  readonly id: string;
  readonly instanceId: string;
  readonly version: string;
  /** ISO-8601. */
  readonly startedAt: string;
}

export interface RenderRequest {
  readonly channel: string;
  readonly template: string;
  /** Graph version the instance runs on; its templates are used. */
  readonly version: string;
  /**
   * The template itself, when the pool's graph is another version than `version` (a
   * long-running instance on an older graph). Omitted in the common case.
   */
  readonly templateIR?: TemplateIR;
  readonly subject: SubjectProfile;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly journey: JourneyMetaView;
  /** Epoch ms: the runtime's (possibly virtual) clock when the task was made. */
  readonly now: number;
}

export interface RenderTask extends RenderRequest {
  readonly kind: 'render';
}

export interface SendTask extends RenderRequest {
  readonly kind: 'send';
  readonly deliveryId: string;
  /** Node id of the send step. */
  readonly step: string;
  readonly category: string;
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** Written to the send journal with the result (send-journal.ts), when the pool keeps one. */
  readonly ledgerKey?: string;
}

export interface QueryTask {
  readonly kind: 'query';
  readonly source: string;
  readonly query: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly attempt: number;
  readonly now: number;
}

/** A provider's status callback, for the channel's plugin to read (`readCallback`). */
export interface CallbackTask {
  readonly kind: 'callback';
  readonly channel: string;
  readonly callback: ProviderCallback;
  readonly now: number;
}

/** Answers with the worker's startup problems (empty when its plugins are up). */
export interface PingTask {
  readonly kind: 'ping';
  readonly now: number;
}

/** For benchmarks: the cost of the thread hop alone. */
export interface EchoTask {
  readonly kind: 'echo';
}

export type PoolTask = RenderTask | SendTask | QueryTask | CallbackTask | PingTask | EchoTask;

export type RenderOutcome = { readonly ok: true; readonly content: ArchivedContent } | { readonly ok: false; readonly error: string };

export interface RenderResult {
  readonly kind: 'render';
  readonly outcome: RenderOutcome;
}

export interface SendResult {
  readonly kind: 'send';
  readonly result: DeliveryResult;
  /** What was rendered and sent; null when rendering failed (then `result` says why). */
  readonly content: ArchivedContent | null;
  readonly messageId: string;
  /** Worker time spent, ms (render + send). */
  readonly elapsedMs: number;
}

export interface QueryResult {
  readonly kind: 'query';
  readonly result: SourceResult;
}

export interface CallbackResult {
  readonly kind: 'callback';
  readonly answer: CallbackAnswer;
}

export interface PingResult {
  readonly kind: 'ping';
  readonly problems: readonly string[];
  readonly threadId: number;
}

export interface EchoResult {
  readonly kind: 'echo';
}

export type PoolResult = RenderResult | SendResult | QueryResult | CallbackResult | PingResult | EchoResult;

export type ResultFor<T extends PoolTask> = T extends RenderTask
  ? RenderResult
  : T extends SendTask
    ? SendResult
    : T extends QueryTask
      ? QueryResult
      : T extends CallbackTask
        ? CallbackResult
        : T extends PingTask
          ? PingResult
          : EchoResult;

/**
 * What travels on a pool's channel to its workers (a BroadcastChannel, see worker-pool.ts): the
 * pool asks `close`; each worker answers `closed` once its plugins are closed, and says `hello`
 * when it starts listening. `probe` asks every worker whether its event loop still runs; each
 * answers `alive` (a thread stuck in a synchronous loop cannot, and is stopped).
 */
export type CloseMessage =
  | { readonly kind: 'close' }
  | { readonly kind: 'closed'; readonly threadId: number }
  | { readonly kind: 'hello'; readonly threadId: number }
  | { readonly kind: 'probe' }
  | { readonly kind: 'alive'; readonly threadId: number };

/** What a worker is started with (piscina `workerData`). */
export interface WorkerConfig {
  readonly projectRoot: string;
  /** Only what workers need of the graph: its version, defaults, channels, sources, templates. */
  readonly graph: WorkerGraph;
  readonly messageIdDomain?: string;
  readonly sendTimeoutMs: number;
  readonly queryTimeoutMs: number;
  /** `https://herald.acme.example`: adds `metadata.unsubscribeUrl` to messages. */
  readonly publicBaseUrl?: string;
  readonly unsubscribeSecret?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Plugins' log lines: `text` (default; stderr) or `json` (pino-shaped JSON lines on stdout, as `herald start` logs). */
  readonly logFormat?: 'text' | 'json';
  /** Environment for `${VAR}` substitution; default the worker's process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Folder of the send journal (send-journal.ts); none when absent. */
  readonly sendJournalDir?: string;
  /** Per plugin `close()` at shutdown; default 5 s (the plugin host's default). */
  readonly closeTimeoutMs?: number;
  /**
   * Name of the BroadcastChannel on which the pool asks its workers to close their plugins
   * (worker.ts); unique per pool. Absent: the worker does not listen (in-process task runners).
   */
  readonly closeChannel?: string;
  /**
   * Flags the pool sets for its workers (a SharedArrayBuffer, read with Atomics): `FLAG_CLOSING`
   * once `close()` has begun (a batch reaching a worker after that is answered `POOL_CLOSED_REASON`
   * without running), `FLAG_HOLD_SENDS` once `holdSends()` was called (a send not yet calling its plugin
   * is answered SENDS_HELD_CODE). So no provider call starts after either.
   */
  readonly flags?: Int32Array;
}

/** Indexes into `WorkerConfig.flags`. */
export const FLAG_CLOSING = 0;
export const FLAG_HOLD_SENDS = 1;

/** The code of a send answered without a provider call because the pool holds sends (`WorkerPool.holdSends`). */
export const SENDS_HELD_CODE = 'STOPPING';
export const SENDS_HELD_REASON = 'not sent: the runtime is stopping (no provider call was made)';

/**
 * The reason of a task answered without running because the pool is closed (`WorkerPool.close`),
 * a retryable failure of code `SHUTDOWN_CODE` (plugins-host/call-plugin.ts).
 */
export const POOL_CLOSED_REASON = 'the worker pool is closed';

/** Whether a send was answered without a provider call because the pool holds sends. */
export function isHeldSend(result: SendResult): boolean {
  return result.result.status === 'failed' && result.result.code === SENDS_HELD_CODE;
}

export interface WorkerGraph {
  readonly version: string;
  readonly defaults: { readonly locale: string };
  readonly channels: GraphIR['channels'];
  readonly sources: GraphIR['sources'];
  readonly templates: GraphIR['templates'];
}
