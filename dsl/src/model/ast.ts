/**
 * The DSL after parsing and shape validation: every file kind as typed values, each
 * carrying the span it came from so later stages (link, type, lower) can point back.
 * Built by `build/build-*.ts` from schema-valid YAML documents.
 */
import type { Span } from '../source/source-file.js';
import type { Type } from '../types/type.js';

export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

/**
 * Text written inside a YAML scalar (an expression or a template), with the file offset
 * of each character, so a problem at character i of the text points at the exact place
 * in the file even in quoted and block scalars. `offsets` is absent when the scalar is
 * folded or escaped in a way that cannot be mapped; then the whole scalar is the location.
 */
export interface SourceText {
  readonly text: string;
  readonly span: Span;
  /** offsets[i] = file offset of text[i]; length text.length + 1. */
  readonly offsets?: readonly number[];
  /** The common case, without an array: text[i] is at file offset base + i (plain and unescaped scalars, whole files). */
  readonly base?: number;
  /** How the YAML scalar holding the text is written, when it is one: what an edit inside it may insert (a `"` ends a double-quoted one). */
  readonly scalarStyle?: 'plain' | 'single' | 'double' | 'block';
  /** A plain scalar inside a flow collection (`{ x: a }`), where `[]{},` would end it. */
  readonly inFlowCollection?: true;
}

/** File offset of character i of the text (i may be text.length), or undefined when there is no exact map. */
export function offsetInText(st: SourceText, i: number): number | undefined {
  if (st.base !== undefined) return st.base + Math.max(0, Math.min(i, st.text.length));
  if (!st.offsets) return undefined;
  return st.offsets[Math.max(0, Math.min(i, st.offsets.length - 1))];
}

/** Index of the character at a file offset (the first one at or after it), or undefined. */
export function indexInText(st: SourceText, offset: number): number | undefined {
  if (st.base !== undefined) {
    const i = offset - st.base;
    return i >= 0 && i <= st.text.length ? i : undefined;
  }
  const o = st.offsets;
  if (!o) return undefined;
  for (let i = 0; i < o.length; i++) if (o[i]! >= offset) return i;
  return undefined;
}

/** Map a [start, end) interval of a SourceText's characters to a file span. */
export function spanInText(st: SourceText, start: number, end: number): Span {
  if (st.base !== undefined) {
    const s = offsetInText(st, start)!;
    return { file: st.span.file, start: s, end: Math.max(s, offsetInText(st, Math.max(start, end))!) };
  }
  if (!st.offsets) return st.span;
  const s = st.offsets[Math.max(0, Math.min(start, st.offsets.length - 1))]!;
  const endIdx = Math.max(start, Math.min(end, st.offsets.length - 1));
  // The end of an interval is just after its last character, which in a block scalar may be on another line.
  const e = endIdx > start ? st.offsets[endIdx - 1]! + 1 : s;
  return { file: st.span.file, start: s, end: Math.max(s, e) };
}

export type FileKind = 'config' | 'journey' | 'template' | 'policy';

export type ProjectFile = ConfigFile | JourneyFile | TemplateFile | PolicyFile;

// ---------------------------------------------------------------- herald.yaml

export interface ConfigFile {
  readonly kind: 'config';
  readonly file: string;
  readonly span: Span;
  readonly project: Located<string>;
  readonly defaults: {
    readonly locale: Located<string> | undefined;
    readonly timezone: Located<string> | undefined;
    readonly policy: Located<string> | undefined;
    /**
     * Keys written in `defaults` (or in a mapping under a misspelt `defaults`) that were not
     * read: not one of its keys, or `policy:` with a value that is no text. The shape stage
     * reports each; the link stage asks whether one of them is a default policy written wrong
     * (link/misread-policy.ts), so that it reports no missing or unused policy the mistake explains.
     */
    readonly unread: readonly UnreadKey[];
  };
  readonly channels: readonly ChannelDecl[];
  readonly sources: readonly SourceDecl[];
  readonly events: readonly EventDecl[];
  /** Extra subject-profile fields declared by the project, merged into the built-in profile type. */
  readonly subjectFields: TypeDecl | undefined;
  /** A source query whose result is merged over the stored subject profile. */
  readonly subjectSource: { readonly source: Located<string>; readonly query: Located<string> } | undefined;
  readonly archive: { readonly retention: Located<number> | undefined; readonly redact: readonly Located<string>[] } | undefined;
}

/** A key written where it could not be read, with its value when that is text. */
export interface UnreadKey {
  readonly key: Located<string>;
  readonly value: Located<string> | undefined;
}

/** A JSON value from the file plus a way to find where any part of it was written. */
export interface JsonWithSource {
  readonly value: unknown;
  readonly span: Span;
  /** Span of the value at `path` inside this one (or of its key when `key`), or the nearest parent. */
  readonly locate: (path: readonly (string | number)[], key?: boolean) => Span;
}

export interface PluginUse {
  readonly name: Located<string>;
  /** An npm package name or a path relative to the project root (starts with `.`). */
  readonly use: Located<string>;
  readonly config: JsonWithSource | undefined;
  readonly span: Span;
}

export type ChannelDecl = PluginUse;

export interface SourceDecl extends PluginUse {
  readonly queries: readonly QueryDecl[];
}

export interface QueryDecl {
  readonly name: Located<string>;
  readonly args: TypeDecl;
  readonly returns: TypeDecl;
  /** Plugin-specific query definition (SQL text, HTTP path, ...), validated by the plugin's query schema. */
  readonly with: JsonWithSource | undefined;
  readonly span: Span;
}

export interface EventDecl {
  readonly name: Located<string>;
  readonly description: string | undefined;
  /** The payload field (dotted path) that names the subject; default `subjectId` (link/event-subject.ts). */
  readonly subject: Located<string> | undefined;
  readonly type: TypeDecl;
  /**
   * The JSON Schema of an event declared with `schema:` (undefined for `fields:`), as written:
   * the runtime validates posted and emitted data against it in full (`pattern`,
   * `additionalProperties`, ...), beyond the `type` derived from it for expressions.
   */
  readonly schema: JsonWithSource | undefined;
  readonly span: Span;
}

/** A declared shape, already turned into a Type by the build stage. */
export interface TypeDecl {
  readonly type: Type;
  readonly span: Span;
}

// ---------------------------------------------------------------- journeys

export interface JourneyFile {
  readonly kind: 'journey';
  readonly file: string;
  readonly span: Span;
  readonly id: Located<string>;
  readonly description: string | undefined;
  readonly trigger: Trigger;
  readonly data: readonly DataBinding[];
  readonly steps: readonly Step[];
  /**
   * Steps written but not built: their kind or their value has a problem, reported by the shape
   * or build stage. Not in `steps`, so no later stage sees a half-read step (the type stage and
   * lowering never do); the link stage counts them (link/step-graph.ts `linkSteps`), so their ids
   * stay known targets and the steps around them keep their edges.
   */
  readonly unbuiltSteps: readonly UnbuiltStep[];
}

export type Reentry = 'never' | 'after-exit' | 'always';

export interface Trigger {
  readonly event: Located<string>;
  /** Expression giving the subject id; default `event.subjectId`. */
  readonly subject: SourceText | undefined;
  readonly when: SourceText | undefined;
  /** Expression giving the key reentry is counted per (with the subject); vars `{event}`. */
  readonly key: SourceText | undefined;
  readonly reentry: Located<Reentry> | undefined;
  readonly span: Span;
}

export interface DataBinding {
  readonly name: Located<string>;
  readonly source: Located<string>;
  readonly query: Located<string>;
  readonly args: readonly NamedExpr[];
  readonly span: Span;
}

export interface NamedExpr {
  readonly name: Located<string>;
  readonly expr: SourceText;
}

interface StepBase {
  /** The user's id, when given. */
  readonly id: Located<string> | undefined;
  /** The id used everywhere: the user's id or `#<1-based index>`. */
  readonly key: string;
  readonly index: number;
  readonly span: Span;
  /** Span of the key that names the step kind (`send:`, `wait:`, ...). */
  readonly kindSpan: Span;
}

export interface SendStep extends StepBase {
  readonly kind: 'send';
  readonly template: Located<string>;
  readonly policy: Located<string> | undefined;
  /**
   * Keys of the step that were not read (unknown ones, a `policy:` that is no text), reported by
   * the shape stage: one may stand for the policy (`polcy:`), see link/misread-policy.ts.
   */
  readonly unreadKeys: readonly UnreadKey[];
}

export type WaitFor =
  | { readonly mode: 'duration'; readonly duration: Located<number> }
  | { readonly mode: 'until'; readonly until: SourceText }
  | {
      readonly mode: 'event';
      readonly event: Located<string>;
      readonly match: SourceText | undefined;
      readonly timeout: Located<number> | undefined;
      /** `timeout:` is written, even when it is no duration (`-1d`, reported by the shape stage): the wait is not one without a timeout. */
      readonly timeoutWritten: boolean;
      readonly as: Located<string> | undefined;
    };

export interface WaitStep extends StepBase {
  readonly kind: 'wait';
  readonly wait: WaitFor;
  readonly onEvent: Located<string> | undefined;
  readonly onTimeout: Located<string> | undefined;
  /**
   * Unknown keys of the step and of its wait mapping, reported by the shape stage (`timout:`):
   * what the wait was meant to say is not known, so no rule judges what it seems to lack.
   */
  readonly unreadKeys: readonly UnreadKey[];
}

export interface BranchArm {
  readonly when: SourceText;
  readonly goto: Located<string>;
  readonly span: Span;
}

export interface BranchStep extends StepBase {
  readonly kind: 'branch';
  readonly arms: readonly BranchArm[];
  readonly otherwise: Located<string> | undefined;
}

export interface SplitArm {
  readonly weight: Located<number>;
  readonly goto: Located<string>;
  readonly span: Span;
}

export interface SplitStep extends StepBase {
  readonly kind: 'split';
  readonly arms: readonly SplitArm[];
}

export interface SetStep extends StepBase {
  readonly kind: 'set';
  readonly vars: readonly NamedExpr[];
}

export interface FetchStep extends StepBase {
  readonly kind: 'fetch';
  readonly bindings: readonly DataBinding[];
}

export interface BatchStep extends StepBase {
  readonly kind: 'batch';
  readonly event: Located<string>;
  readonly match: SourceText | undefined;
  readonly window: Located<number>;
  readonly as: Located<string>;
  readonly max: Located<number> | undefined;
}

export interface EmitStep extends StepBase {
  readonly kind: 'emit';
  readonly event: Located<string>;
  readonly data: readonly NamedExpr[];
}

export interface GotoStep extends StepBase {
  readonly kind: 'goto';
  readonly target: Located<string>;
}

export interface ExitStep extends StepBase {
  readonly kind: 'exit';
  readonly reason: Located<string>;
}

export type Step =
  | SendStep
  | WaitStep
  | BranchStep
  | SplitStep
  | SetStep
  | FetchStep
  | BatchStep
  | EmitStep
  | GotoStep
  | ExitStep;

export type StepKind = Step['kind'];

/** A step that could not be built (see `JourneyFile.unbuiltSteps`): what linking can still read of it. */
export interface UnbuiltStep extends StepBase {
  readonly kind: 'unbuilt';
  /** The step kind written, when it has exactly one. */
  readonly written: StepKind | undefined;
  /** The step names it writes as targets (`goto`, `onEvent`, `onTimeout`, arms' `goto` and `else`) that read as text. */
  readonly targets: readonly Located<string>[];
  /** The names it binds (a batch's or an event wait's `as:`), in scope as `any` so reading them is no unknown variable. */
  readonly binds: readonly Located<string>[];
}

export const STEP_KINDS: readonly StepKind[] = [
  'send',
  'wait',
  'branch',
  'split',
  'set',
  'fetch',
  'batch',
  'emit',
  'goto',
  'exit',
];

// ---------------------------------------------------------------- templates

/** Template text: inline in the YAML, or read from `file:` (then the span points into that file). */
export interface TemplateText extends SourceText {
  readonly fromFile: string | undefined;
}

export interface TemplateVariant {
  /** Message kind: email, sms, push, webhook, letter, or a plugin's own. */
  readonly channel: Located<string>;
  readonly locale: Located<string>;
  readonly fields: readonly { readonly name: Located<string>; readonly text: TemplateText }[];
  /**
   * Fields written whose text could not be read (a `file:` that is missing or a folder, a value
   * of the wrong type): their problem is reported where they are written, so they are not missing.
   */
  readonly unreadFields: readonly Located<string>[];
  readonly span: Span;
}

export interface TemplateFile {
  readonly kind: 'template';
  readonly file: string;
  readonly span: Span;
  readonly id: Located<string>;
  readonly description: string | undefined;
  readonly fallbackLocale: Located<string> | undefined;
  readonly partials: readonly { readonly name: Located<string>; readonly text: TemplateText }[];
  /** Partials written whose text could not be read (as `TemplateVariant.unreadFields`): they exist, so including them is no mistake. */
  readonly unreadPartials: readonly Located<string>[];
  readonly variants: readonly TemplateVariant[];
}

// ---------------------------------------------------------------- policies

export type FailoverOn = 'failed' | 'bounced' | 'timeout';
export type Backoff = 'fixed' | 'linear' | 'exponential';

export interface PolicyFile {
  readonly kind: 'policy';
  readonly file: string;
  readonly span: Span;
  readonly id: Located<string>;
  readonly description: string | undefined;
  /** Message category for consent (`marketing`, `billing`, ...). */
  readonly category: Located<string> | undefined;
  /** The channels this policy may use, in default order. */
  readonly channels: readonly Located<string>[];
  /** Expression (list<string>) that reorders the channels, e.g. the subject's preference. */
  readonly order: SourceText | undefined;
  readonly failover:
    | { readonly on: readonly Located<FailoverOn>[]; readonly deliveryTimeout: Located<number> | undefined; readonly span: Span }
    | undefined;
  readonly retry:
    | {
        readonly attempts: Located<number>;
        readonly backoff: Located<Backoff> | undefined;
        readonly initial: Located<number> | undefined;
        readonly max: Located<number> | undefined;
        readonly span: Span;
      }
    | undefined;
  readonly quietHours:
    | { readonly from: Located<string>; readonly to: Located<string>; readonly timezone: SourceText | undefined; readonly span: Span }
    | undefined;
  readonly frequencyCap: { readonly max: Located<number>; readonly per: Located<number>; readonly span: Span } | undefined;
  readonly dedupe: { readonly key: SourceText; readonly window: Located<number>; readonly span: Span } | undefined;
}
