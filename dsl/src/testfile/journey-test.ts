/**
 * Journey tests as `herald test` reads them from `*.test.yaml` (format: docs/testing.md). The
 * compiler reads them (read-test-file.ts), so the editor checks them as it checks the project;
 * the runtime runs them (runtime/src/testing).
 * A test is a script against a fresh in-memory Herald with a virtual clock: subjects and
 * data-source fixtures set up the world, then `event` / `advance` / `subject` / `receipt` steps act on
 * it and `expect` steps check what was sent and where the instances are.
 */
import type { Range } from '../diagnostics/diagnostic.js';

/** `"Invoice INV-1"` (equals), or one of the operators. */
export type TextMatcher =
  | string
  | { readonly equals: string }
  | { readonly contains: string }
  | { readonly matches: string }
  | { readonly notContains: string };

export interface MessageMatcher {
  readonly journey?: string;
  readonly channel?: string;
  readonly template?: string;
  /** The journey step (node id) that sent it. */
  readonly step?: string;
  readonly subject?: string;
  readonly to?: TextMatcher;
  readonly locale?: string;
  /** Rendered fields by name: `subject`, `html`, `text`, `body`, ... */
  readonly content?: Readonly<Record<string, TextMatcher>>;
  /** What the channel answered: delivered, accepted, failed (retryable), rejected (permanent), bounced. */
  readonly outcome?: CaptureOutcome;
}

export interface InstanceMatcher {
  readonly journey?: string;
  readonly subject?: string;
  /** Its `trigger.key` (one journey per invoice: `INV-2`); a number is taken as its decimal string. */
  readonly key?: string;
  readonly status?: 'active' | 'completed' | 'exited' | 'failed';
  /** The node it waits in (null once it ended). */
  readonly at?: string | null;
  readonly exitReason?: string | null;
  /** Partial: each named variable must deep-equal; others are ignored. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Nodes it went through (branches taken). */
  readonly visited?: readonly string[];
  readonly notVisited?: readonly string[];
  /** Texts its history notes must contain. */
  readonly history?: readonly string[];
}

/** The statuses of a delivery (the runtime's `DeliveryStatus`, which a test checks it against). */
export const DELIVERY_STATUSES = ['pending', 'attempting', 'awaiting-receipt', 'deferred', 'delivered', 'failed', 'skipped'] as const;

export interface DeliveryMatcher {
  readonly journey?: string;
  readonly template?: string;
  readonly step?: string;
  readonly subject?: string;
  readonly status?: string;
  /** Texts the delivery's decision history must contain, e.g. "quiet hours", "failover". */
  readonly history?: readonly string[];
}

export interface Expectation {
  /** Each must match a different message sent since the previous `expect` (or the start). */
  readonly sent?: readonly MessageMatcher[];
  /** None may match a message sent since the previous `expect`. */
  readonly notSent?: readonly MessageMatcher[];
  /** Exactly this many messages were sent since the previous `expect`. */
  readonly sentCount?: number;
  readonly instance?: InstanceMatcher;
  /** Instances (of the journey / subject named) that must not exist: `noInstance: { journey: x }`. */
  readonly noInstance?: Pick<InstanceMatcher, 'journey' | 'subject' | 'key'>;
  /** Deliveries in the archive (all of the test so far). */
  readonly archive?: readonly DeliveryMatcher[];
}

export interface EventStep {
  readonly kind: 'event';
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly id?: string;
  /** The event must be refused with these field errors (paths), instead of accepted. */
  readonly rejected?: readonly string[];
}

/**
 * Events ingested one after another with nothing run in between, then what they made due: what
 * a `POST /events` batch (or a burst of single posts) does, where an event can come while its
 * instance is still busy with the one before (loading data, sending).
 */
export interface EventsStep {
  readonly kind: 'events';
  readonly events: readonly Omit<EventStep, 'rejected'>[];
}

/**
 * A provider's status callback for a message that awaits one (its channel answered `accepted`),
 * as `POST /receipts` or a channel's `readCallback` delivers it: which message is picked by
 * its channel, and by subject and template when several await one.
 */
export interface ReceiptStep {
  readonly kind: 'receipt';
  readonly channel: string;
  readonly status: ReceiptStatus;
  /** Which message, when several await a receipt: each given must hold. */
  readonly pick: ReceiptPick;
  readonly reason?: string;
}

export interface ReceiptPick {
  readonly subject?: string;
  readonly template?: string;
  readonly journey?: string;
  /** The send step (node id). */
  readonly step?: string;
  /** The `trigger.key` of the instance that sent it (one dunning journey per invoice: `INV-1`). */
  readonly key?: string;
  /** The address it went to. */
  readonly to?: string;
}

export const RECEIPT_PICKS = ['subject', 'template', 'journey', 'step', 'key', 'to'] as const satisfies readonly (keyof ReceiptPick)[];

export type ReceiptStatus = 'delivered' | 'bounced' | 'failed';

/** An operator stops the one active instance of the journey (and subject, key) named. */
export interface StopStep {
  readonly kind: 'stop';
  readonly journey: string;
  readonly subject?: string;
  readonly key?: string;
  readonly reason: string;
}

export type TestStep =
  | EventStep
  | EventsStep
  | ReceiptStep
  | StopStep
  | { readonly kind: 'advance'; readonly ms: number; readonly text: string }
  | { readonly kind: 'advanceTo'; readonly at: number; readonly text: string }
  | { readonly kind: 'subject'; readonly profile: SubjectInput }
  | { readonly kind: 'expect'; readonly expect: Expectation };

/** Where a step is in its file, for failure messages. */
export interface StepLocation {
  readonly line: number;
  readonly column: number;
}

export interface SubjectInput {
  readonly id: string;
  readonly [field: string]: unknown;
}

/** A canned answer of a data-source query. */
export interface Fixture {
  /** Must deep-equal the query's arguments (each one given); absent: any arguments. */
  readonly args?: Readonly<Record<string, unknown>>;
  readonly returns?: unknown;
  /** The query fails with this reason instead. */
  readonly fail?: string;
  readonly retryable?: boolean;
}

/** How a capture channel answers a send. */
export type CaptureOutcome = 'delivered' | 'accepted' | 'failed' | 'rejected' | 'bounced';

export interface ChannelOutcomes {
  /** For every send on the channel; default delivered. */
  readonly outcome: CaptureOutcome;
  /** Per recipient address. */
  readonly byAddress: Readonly<Record<string, CaptureOutcome>>;
}

export interface JourneyTest {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** Epoch ms where the virtual clock starts. */
  readonly start: number;
  readonly subjects: readonly SubjectInput[];
  /** `source.query` → fixtures, tried in order. */
  readonly fixtures: Readonly<Record<string, readonly Fixture[]>>;
  /** channel name → how its sends answer. */
  readonly outcomes: Readonly<Record<string, ChannelOutcomes>>;
  readonly steps: readonly (TestStep & { readonly loc: StepLocation })[];
}

/** A problem in a test file itself: `file:line:col - error code: message`, then the hint. */
export interface TestFileProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Stable kebab-case, listed in docs/testing.md (`unknown-key`, `unknown-step`, ...). */
  readonly code: string;
  /** One line: what is wrong. */
  readonly message: string;
  /** What to do about it: "did you mean `steps`?". */
  readonly hint?: string;
  /** Where in the text, when the problem is the file's own (the editor underlines it); line and column are its start. */
  readonly range?: Range;
}

/** Monday 5 January 2026, 10:00 UTC (11:00 in Berlin): a working day, outside usual quiet hours. */
export const DEFAULT_TEST_START = Date.UTC(2026, 0, 5, 10, 0, 0);

/** A problem of a subject profile in a test file, from the runtime's checks (TestFileChecks.subject). */
export interface TestSubjectProblem {
  /** JSON Pointer into the profile: `/contacts/emial`, `/timezone`. */
  readonly pointer: string;
  /** The key is wrong (an unknown field or channel), not its value: reported at the key. */
  readonly key: boolean;
  readonly code: 'unknown-key' | 'unknown-channel' | 'unknown-category' | 'invalid-subject';
  readonly message: string;
  readonly hint?: string;
}
