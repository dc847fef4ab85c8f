/**
 * The execution graph IR: what `herald compile` writes and the runtime runs.
 * Plain JSON with a schema of its own (lower/ir-schema.ts); documented in docs/ir.md.
 * Expressions travel as source text (`Expr`); the runtime compiles each once with `compileExpression`.
 */
import type { Type } from '../types/type.js';

export const IR_FORMAT = 'herald.ir/v1';

/** An expression's source text, already type-checked by the compiler. */
export type Expr = string;

/** Where a node came from: project-relative file, 1-based [line, column] of start and end. */
export interface IrSpan {
  readonly file: string;
  readonly start: readonly [number, number];
  readonly end: readonly [number, number];
}

export interface GraphIR {
  readonly format: typeof IR_FORMAT;
  /** `sha256:<hex>` over the canonical JSON of everything but `version` and spans. */
  readonly version: string;
  readonly project: {
    readonly name: string;
    readonly defaults: { readonly locale: string; readonly timezone: string; readonly policy: string | null };
    /** A source query merged over stored subject profiles (`subject.source` in herald.yaml). */
    readonly subjectSource: { readonly source: string; readonly query: string } | null;
    /** Archive settings: retention (null: keep forever) and paths the archive must not keep. */
    readonly archive: { readonly retentionMs: number | null; readonly redact: readonly string[] };
  };
  /**
   * `subject`: the payload path that names the event's subject (routing offers the event to that
   * subject's journeys only); null: it is about no one subject. Absent in graphs compiled before it existed.
   * `schema`: the JSON Schema of an event declared with `schema:`, as written (keys sorted); the
   * runtime validates event data against it as well as against `type`. Absent for `fields:`
   * events, and in graphs compiled before it existed (those check `type` only).
   */
  readonly events: Readonly<Record<string, EventIR>>;
  readonly subject: { readonly type: Type };
  readonly channels: Readonly<Record<string, ChannelIR>>;
  readonly sources: Readonly<Record<string, SourceIR>>;
  readonly journeys: readonly JourneyIR[];
  readonly templates: Readonly<Record<string, TemplateIR>>;
  readonly policies: Readonly<Record<string, PolicyIR>>;
}

export interface EventIR {
  readonly type: Type;
  readonly subject?: string | null;
  readonly schema?: Readonly<Record<string, unknown>>;
}

export interface ChannelIR {
  readonly use: string;
  /** Message kind the channel takes (email, sms, push, webhook, letter, or the plugin's own). */
  readonly message: string;
  readonly config: unknown;
}

export interface SourceIR {
  readonly use: string;
  readonly config: unknown;
  readonly queries: Readonly<Record<string, { readonly args: Type; readonly returns: Type; readonly with: unknown }>>;
}

export interface DataLoadIR {
  readonly name: string;
  readonly source: string;
  readonly query: string;
  readonly args: Readonly<Record<string, Expr>>;
}

export interface JourneyIR {
  readonly id: string;
  readonly trigger: {
    readonly event: string;
    readonly subject: Expr;
    readonly when: Expr | null;
    readonly reentry: 'never' | 'after-exit' | 'always';
    /**
     * What reentry is counted per, with the subject (vars `{event}`, a string or number).
     * Absent when the journey has none, so the IR of journeys without it is what it was.
     */
    readonly key?: Expr;
  };
  /** Loaded when an instance starts, before the entry node. */
  readonly data: readonly DataLoadIR[];
  /** Types of every name an expression or template in this journey can use. */
  readonly scope: Readonly<Record<string, Type>>;
  readonly entry: string;
  readonly nodes: readonly NodeIR[];
  readonly span: IrSpan;
}

/** A successor node id, or null: the journey ends there. */
export type Next = string | null;

interface NodeBase {
  readonly id: string;
  readonly span: IrSpan;
}

export type NodeIR =
  | (NodeBase & { readonly kind: 'send'; readonly template: string; readonly policy: string; readonly next: Next })
  | (NodeBase & { readonly kind: 'wait'; readonly mode: 'duration'; readonly ms: number; readonly next: Next })
  | (NodeBase & { readonly kind: 'wait'; readonly mode: 'until'; readonly until: Expr; readonly next: Next })
  | (NodeBase & {
      readonly kind: 'wait';
      readonly mode: 'event';
      readonly event: string;
      readonly match: Expr | null;
      readonly timeoutMs: number | null;
      readonly as: string | null;
      readonly onEvent: Next;
      readonly onTimeout: Next;
    })
  | (NodeBase & {
      readonly kind: 'branch';
      readonly arms: readonly { readonly when: Expr; readonly next: Next }[];
      readonly otherwise: Next;
    })
  | (NodeBase & { readonly kind: 'split'; readonly arms: readonly { readonly weight: number; readonly next: Next }[] })
  /** Variables in source order: each sees the ones before it. */
  | (NodeBase & { readonly kind: 'set'; readonly vars: readonly { readonly name: string; readonly expr: Expr }[]; readonly next: Next })
  | (NodeBase & { readonly kind: 'fetch'; readonly data: readonly DataLoadIR[]; readonly next: Next })
  | (NodeBase & {
      readonly kind: 'batch';
      readonly event: string;
      readonly match: Expr | null;
      readonly windowMs: number;
      readonly max: number | null;
      readonly as: string;
      readonly next: Next;
    })
  | (NodeBase & { readonly kind: 'emit'; readonly event: string; readonly data: Readonly<Record<string, Expr>>; readonly next: Next })
  | (NodeBase & { readonly kind: 'exit'; readonly reason: string });

export type NodeKind = NodeIR['kind'];

export interface TemplateIR {
  readonly id: string;
  readonly fallbackLocale: string;
  /** message kind -> locale -> field -> Mustache source. */
  readonly variants: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
  readonly partials: Readonly<Record<string, string>>;
}

export interface PolicyIR {
  readonly id: string;
  readonly category: string;
  readonly channels: readonly string[];
  readonly order: Expr | null;
  readonly failover: { readonly on: readonly ('failed' | 'bounced' | 'timeout')[]; readonly deliveryTimeoutMs: number | null };
  readonly retry: {
    readonly attempts: number;
    readonly backoff: 'fixed' | 'linear' | 'exponential';
    readonly initialMs: number;
    readonly maxMs: number;
  };
  readonly quietHours: { readonly from: string; readonly to: string; readonly timezone: Expr } | null;
  readonly frequencyCap: { readonly max: number; readonly perMs: number } | null;
  readonly dedupe: { readonly key: Expr; readonly windowMs: number } | null;
}
