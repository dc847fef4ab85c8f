/**
 * The engine's vocabulary: an instance of a journey, what can happen to it (inputs),
 * and what it asks the world to do (effects). All plain JSON, so any driver can store it.
 * `advance(graph, instance, input, ctx) -> { instance, effects }` is pure (engine/advance.ts).
 */

/** An event as Herald received it (validated against its declared type). */
export interface IncomingEvent {
  /** Unique id: given by the sender (`id` in POST /events) or assigned on receipt. Deduplicates re-posts. */
  readonly id: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Epoch ms. */
  readonly receivedAt: number;
  /**
   * How many `emit`s led to this event: 1 for one an instance emitted, n + 1 for one emitted by
   * an instance that an event of depth n started or resumed. Absent for events from outside.
   */
  readonly emitDepth?: number;
}

/** The subject profile as journeys see it under `subject.*`. */
export interface SubjectProfile {
  readonly id: string;
  readonly locale?: string;
  readonly timezone?: string;
  readonly contacts: Readonly<Record<string, string>>;
  readonly channels: readonly string[];
  readonly optOuts: readonly string[];
  readonly [field: string]: unknown;
}

/**
 * An upsert of a profile: the fields given replace the stored ones, `contacts` merges per
 * channel, and a contact given as null removes that channel's address.
 */
export interface SubjectPatch {
  readonly id: string;
  readonly locale?: string;
  readonly timezone?: string;
  readonly contacts?: Readonly<Record<string, string | null>>;
  readonly channels?: readonly string[];
  readonly optOuts?: readonly string[];
  readonly [field: string]: unknown;
}

export type InstanceStatus = 'active' | 'completed' | 'exited' | 'failed';

/** What an active instance is paused on; null while it is between inputs (never stored that way). */
export type Waiting =
  | { readonly kind: 'timer'; readonly timerId: string; readonly until: number }
  | { readonly kind: 'event'; readonly event: string; readonly timerId: string | null; readonly until: number | null }
  | {
      readonly kind: 'batch';
      readonly event: string;
      readonly timerId: string;
      readonly until: number;
      readonly items: readonly unknown[];
      readonly max: number | null;
    }
  /** `journeyData`: loading the journey's own `data:` (set at start), not a `fetch` step. */
  | { readonly kind: 'fetch'; readonly requestId: string; readonly journeyData?: true };

export interface HistoryEntry {
  readonly at: number;
  readonly node: string | null;
  readonly note: string;
}

export interface Instance {
  readonly id: string;
  readonly journey: string;
  /** The graph version the instance started on and stays on. */
  readonly version: string;
  readonly subjectId: string;
  /**
   * The journey's `trigger.key` for the event that started it: reentry is counted per subject
   * and key. Absent when the journey has none (and in instances stored before keys existed).
   */
  readonly key?: string;
  readonly status: InstanceStatus;
  /** Node the instance is at (waiting in, or about to run); null once it has ended. */
  readonly at: string | null;
  readonly waiting: Waiting | null;
  /** `trigger`, data results, `set` variables and events bound with `as:`. The subject is read fresh each time. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Bumped by every advance: optimistic concurrency for drivers, and part of effect ids. */
  readonly seq: number;
  readonly exitReason: string | null;
  /** Bounded: the last entries only (engine/advance.ts keeps HISTORY_LIMIT). */
  readonly history: readonly HistoryEntry[];
  /**
   * Events that came while the instance was not waiting for them, of types a later `wait` of
   * its journey waits for, oldest first: the next such wait takes the first that matches.
   * Absent when empty; at most INBOX_LIMIT (engine/run-state.ts); dropped when the instance ends.
   */
  readonly inbox?: readonly IncomingEvent[];
  /** The `emitDepth` of the event that started it; absent when that came from outside. */
  readonly emitDepth?: number;
}

export type FetchResult =
  | { readonly ok: true; readonly data: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: string };

export type EngineInput =
  /** A new instance (made by `startInstance`) runs from its entry node. */
  | { readonly kind: 'start' }
  | { readonly kind: 'timer'; readonly timerId: string }
  /** An event for this subject of a type the instance may wait for; the engine evaluates `match`. */
  | { readonly kind: 'event'; readonly event: IncomingEvent }
  | { readonly kind: 'fetched'; readonly requestId: string; readonly result: FetchResult }
  /** An operator stopped the instance (`POST /instances/:id/stop`): it exits where it is. */
  | { readonly kind: 'stop'; readonly reason: string };

export interface DataRequest {
  readonly name: string;
  readonly source: string;
  readonly query: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export type Effect =
  | { readonly kind: 'fetch'; readonly requestId: string; readonly loads: readonly DataRequest[] }
  /**
   * Start delivering a message. `sendId` is stable for this visit of this node
   * (`<instanceId>:<node>:<seq>`), so a replayed advance produces the same id and the
   * delivery is created once.
   */
  | {
      readonly kind: 'send';
      readonly sendId: string;
      readonly instanceId: string;
      readonly journey: string;
      readonly version: string;
      readonly node: string;
      readonly subjectId: string;
      readonly template: string;
      readonly policy: string;
      /** The render context at the time of sending: instance vars (subject is added at render time). */
      readonly vars: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'schedule'; readonly timerId: string; readonly at: number }
  | { readonly kind: 'cancel'; readonly timerId: string }
  /** The instance now waits for events of this type for its subject: drivers index it for routing. */
  | { readonly kind: 'await'; readonly event: string; readonly subjectId: string }
  /** `depth`: the emitted event's `emitDepth`. */
  | { readonly kind: 'emit'; readonly event: { readonly type: string; readonly data: Readonly<Record<string, unknown>> }; readonly depth: number };

export interface AdvanceContext {
  /** Epoch ms: the virtual clock in tests. */
  readonly now: number;
  readonly subject: SubjectProfile;
}

export interface AdvanceResult {
  readonly instance: Instance;
  readonly effects: readonly Effect[];
}
