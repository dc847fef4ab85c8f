/**
 * GraphIR -> CompiledGraph: every expression of the graph compiled to a closure once, in
 * the scope the compiler checked it in (the static types choose operations, e.g. timestamp
 * arithmetic). The orchestrator compiles each graph version once and keeps the result;
 * `compileGraph` also remembers its answer per IR object.
 *
 * Expressions in the IR were type-checked by `herald compile`, so a compile error here means
 * the IR was edited or produced by a different compiler: that is thrown (a bug, not user data).
 */
import { compileExpressionText, T, type CompiledExpr, type DataLoadIR, type Expr, type GraphIR, type JourneyIR, type NodeIR, type PolicyIR, type Type } from '@herald/dsl';
import { assertNever } from './assert-never.js';

type Scope = Readonly<Record<string, Type>>;
type NodeOf<K extends NodeIR['kind']> = Extract<NodeIR, { kind: K }>;
type WaitOf<M extends NodeOf<'wait'>['mode']> = Extract<NodeOf<'wait'>, { mode: M }>;

/** A compiled `name: expression` pair, in declaration order. */
export type CompiledField = readonly [name: string, expr: CompiledExpr];

export interface CompiledLoad {
  readonly name: string;
  readonly source: string;
  readonly query: string;
  readonly args: readonly CompiledField[];
}

export interface CompiledPolicy {
  readonly ir: PolicyIR;
  readonly order: CompiledExpr | null;
  /** null when the policy has no quiet hours (the subject's zone is then irrelevant to it). */
  readonly timezone: CompiledExpr | null;
  readonly dedupeKey: CompiledExpr | null;
}

/** One node with its expressions compiled. `kind` splits `wait` by mode, so each case has one shape. */
export type CompiledNode =
  | { readonly kind: 'send'; readonly ir: NodeOf<'send'> }
  | { readonly kind: 'wait-duration'; readonly ir: WaitOf<'duration'> }
  | { readonly kind: 'wait-until'; readonly ir: WaitOf<'until'>; readonly until: CompiledExpr }
  | { readonly kind: 'wait-event'; readonly ir: WaitOf<'event'>; readonly match: CompiledExpr | null }
  | { readonly kind: 'branch'; readonly ir: NodeOf<'branch'>; readonly arms: readonly { readonly when: CompiledExpr; readonly text: Expr; readonly next: string | null }[] }
  | { readonly kind: 'split'; readonly ir: NodeOf<'split'>; readonly totalWeight: number }
  /** `vars` in source order. */
  | { readonly kind: 'set'; readonly ir: NodeOf<'set'>; readonly vars: readonly CompiledField[] }
  | { readonly kind: 'fetch'; readonly ir: NodeOf<'fetch'>; readonly loads: readonly CompiledLoad[] }
  | { readonly kind: 'batch'; readonly ir: NodeOf<'batch'>; readonly match: CompiledExpr | null }
  | { readonly kind: 'emit'; readonly ir: NodeOf<'emit'>; readonly data: readonly CompiledField[] }
  | { readonly kind: 'exit'; readonly ir: NodeOf<'exit'> };

export type CompiledNodeKind = CompiledNode['kind'];

export interface CompiledJourney {
  readonly id: string;
  readonly ir: JourneyIR;
  /** `trigger.subject`, vars `{event}`. */
  readonly subject: CompiledExpr;
  /** `trigger.when`, vars `{event, subject}`. */
  readonly when: CompiledExpr | null;
  /** `trigger.key`, vars `{event}`; null when the journey has none. */
  readonly key: CompiledExpr | null;
  /** Loaded before the entry node; args see `trigger`, `subject`, `journey`. */
  readonly data: readonly CompiledLoad[];
  readonly nodes: ReadonlyMap<string, CompiledNode>;
  /** The policies this journey's sends use, compiled in the journey's scope. */
  readonly policies: ReadonlyMap<string, CompiledPolicy>;
  /** The event types its `wait` steps wait for: an instance keeps such an event that comes early. */
  readonly awaits: ReadonlySet<string>;
}

export interface CompiledGraph {
  readonly ir: GraphIR;
  readonly version: string;
  readonly journeys: ReadonlyMap<string, CompiledJourney>;
  /** Journeys by the event type that triggers them, in IR order. */
  readonly triggeredBy: ReadonlyMap<string, readonly CompiledJourney[]>;
  /** Journeys by the event types their `wait` steps wait for (CompiledJourney.awaits), in IR order. */
  readonly awaitedBy: ReadonlyMap<string, readonly CompiledJourney[]>;
  /** Every policy compiled with `dyn` names: for a delivery whose journey does not use it (never in a compiled graph). */
  readonly policies: ReadonlyMap<string, CompiledPolicy>;
}

const compiledGraphs = new WeakMap<GraphIR, CompiledGraph>();

export function compileGraph(ir: GraphIR): CompiledGraph {
  const cached = compiledGraphs.get(ir);
  if (cached) return cached;
  const journeys = new Map<string, CompiledJourney>();
  const triggeredBy = new Map<string, CompiledJourney[]>();
  const awaitedBy = new Map<string, CompiledJourney[]>();
  const index = (by: Map<string, CompiledJourney[]>, type: string, cj: CompiledJourney) => {
    const list = by.get(type);
    if (list) list.push(cj);
    else by.set(type, [cj]);
  };
  for (const j of ir.journeys) {
    const cj = compileJourney(ir, j);
    journeys.set(j.id, cj);
    index(triggeredBy, j.trigger.event, cj);
    for (const type of cj.awaits) index(awaitedBy, type, cj);
  }
  const policies = new Map<string, CompiledPolicy>();
  for (const [id, p] of Object.entries(ir.policies)) policies.set(id, compilePolicy(p, undefined, `policy ${id}`));
  const graph: CompiledGraph = { ir, version: ir.version, journeys, triggeredBy, awaitedBy, policies };
  compiledGraphs.set(ir, graph);
  return graph;
}

function compileJourney(ir: GraphIR, j: JourneyIR): CompiledJourney {
  const where = `journey ${j.id}`;
  const eventType = (name: string): Type => ir.events[name]?.type ?? T.dyn;
  const triggerEvent = eventType(j.trigger.event);
  const subject = compile(j.trigger.subject, { event: triggerEvent }, `${where}, trigger.subject`);
  const when = j.trigger.when === null ? null : compile(j.trigger.when, { event: triggerEvent, subject: ir.subject.type }, `${where}, trigger.when`);
  const key = j.trigger.key === undefined ? null : compile(j.trigger.key, { event: triggerEvent }, `${where}, trigger.key`);
  const data = j.data.map((d) => compileLoad(d, j.scope, `${where}, data ${d.name}`));
  const nodes = new Map<string, CompiledNode>();
  const policies = new Map<string, CompiledPolicy>();
  for (const n of j.nodes) {
    nodes.set(n.id, compileNode(n, j.scope, eventType, `${where}, node ${n.id}`));
    if (n.kind === 'send' && !policies.has(n.policy)) {
      const p = ir.policies[n.policy];
      if (!p) throw new Error(`${where}, node ${n.id}: unknown policy ${n.policy}`);
      policies.set(n.policy, compilePolicy(p, j.scope, `${where}, policy ${n.policy}`));
    }
  }
  const awaits = new Set([...nodes.values()].flatMap((n) => (n.kind === 'wait-event' ? [n.ir.event] : [])));
  return { id: j.id, ir: j, subject, when, key, data, nodes, policies, awaits };
}

function compileNode(n: NodeIR, scope: Scope, eventType: (name: string) => Type, where: string): CompiledNode {
  switch (n.kind) {
    case 'send':
      return { kind: 'send', ir: n };
    case 'wait':
      switch (n.mode) {
        case 'duration':
          return { kind: 'wait-duration', ir: n };
        case 'until':
          return { kind: 'wait-until', ir: n, until: compile(n.until, scope, `${where}, until`) };
        case 'event':
          return { kind: 'wait-event', ir: n, match: n.match === null ? null : compile(n.match, { ...scope, event: eventType(n.event) }, `${where}, match`) };
        default:
          return assertNever(n);
      }
    case 'branch':
      return { kind: 'branch', ir: n, arms: n.arms.map((a) => ({ when: compile(a.when, scope, `${where}, when`), text: a.when, next: a.next })) };
    case 'split':
      return { kind: 'split', ir: n, totalWeight: n.arms.reduce((s, a) => s + a.weight, 0) };
    case 'set':
      return { kind: 'set', ir: n, vars: n.vars.map((v) => [v.name, compile(v.expr, scope, `${where}, ${v.name}`)] as const) };
    case 'fetch':
      return { kind: 'fetch', ir: n, loads: n.data.map((d) => compileLoad(d, scope, `${where}, ${d.name}`)) };
    case 'batch':
      return { kind: 'batch', ir: n, match: n.match === null ? null : compile(n.match, { ...scope, event: eventType(n.event) }, `${where}, match`) };
    case 'emit':
      return { kind: 'emit', ir: n, data: compileFields(n.data, scope, where) };
    case 'exit':
      return { kind: 'exit', ir: n };
    default:
      return assertNever(n);
  }
}

function compilePolicy(p: PolicyIR, scope: Scope | undefined, where: string): CompiledPolicy {
  return {
    ir: p,
    order: p.order === null ? null : compile(p.order, scope, `${where}, order`),
    timezone: p.quietHours === null ? null : compile(p.quietHours.timezone, scope, `${where}, quietHours.timezone`),
    dedupeKey: p.dedupe === null ? null : compile(p.dedupe.key, scope, `${where}, dedupe.key`),
  };
}

function compileLoad(d: DataLoadIR, scope: Scope, where: string): CompiledLoad {
  return { name: d.name, source: d.source, query: d.query, args: compileFields(d.args, scope, where) };
}

function compileFields(fields: Readonly<Record<string, Expr>>, scope: Scope, where: string): CompiledField[] {
  return Object.entries(fields).map(([name, text]) => [name, compile(text, scope, `${where}, ${name}`)] as const);
}

function compile(text: Expr, scope: Scope | undefined, where: string): CompiledExpr {
  try {
    return compileExpressionText(text, scope);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
  }
}
