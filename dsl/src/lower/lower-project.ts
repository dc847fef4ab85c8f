/**
 * Stage 5: a checked project -> the execution graph IR. Runs only on a project without
 * errors, so every reference here resolves. `goto` steps become edges, defaults are made
 * explicit, and every node keeps the span it came from.
 */
import type { DataBinding, JourneyFile, NamedExpr, PolicyFile, Step, TemplateFile } from '../model/ast.js';
import type { ProjectModel, Symbols } from '../link/symbols.js';
import type { SourceFile, Span } from '../source/source-file.js';
import { projectSubjectType } from '../typecheck/journey-scope.js';
import { assertNever, type Type } from '../types/type.js';
import { channelMessageKind } from '../link/symbols.js';
import { eventSubjectPath } from '../link/event-subject.js';
import { contentHash, sortKeys } from './stable-json.js';
import { IR_FORMAT, type DataLoadIR, type EventIR, type GraphIR, type IrSpan, type JourneyIR, type Next, type NodeIR, type PolicyIR, type TemplateIR } from './ir.js';

export const DEFAULT_SUBJECT_EXPR = 'event.subjectId';

/** A trigger's subject when it names none: the field its event's declaration names (see link/event-subject.ts). */
function defaultTriggerSubject(symbols: Symbols, event: string): string {
  const decl = symbols.events.get(event);
  const path = decl ? eventSubjectPath(decl) : null;
  return path === null ? DEFAULT_SUBJECT_EXPR : `event.${path}`;
}
export const DEFAULT_TIMEZONE_EXPR = 'subject.timezone';

export interface LowerInput {
  readonly model: ProjectModel;
  readonly symbols: Symbols;
  /** Scope (with inferred `set` types) of each journey, from the type stage. */
  readonly scopes: ReadonlyMap<JourneyFile, Readonly<Record<string, Type>>>;
  readonly fileOf: (path: string) => SourceFile | undefined;
}

export function lowerProject(input: LowerInput): GraphIR {
  const { model, symbols } = input;
  const cfg = model.config;
  const span = (s: Span): IrSpan => {
    const f = input.fileOf(s.file);
    const a = f?.position(s.start) ?? { line: 1, column: 1 };
    const b = f?.position(s.end) ?? a;
    return { file: s.file, start: [a.line, a.column], end: [b.line, b.column] };
  };
  const defaultLocale = cfg?.defaults.locale?.value ?? 'en';
  const defaultPolicy = cfg?.defaults.policy?.value ?? null;

  const journeys = [...symbols.journeys.values()]
    .sort((a, b) => (a.id.value < b.id.value ? -1 : 1))
    .map((j) => lowerJourney(j, input.scopes.get(j) ?? {}, defaultPolicy, span, defaultTriggerSubject(symbols, j.trigger.event.value)));

  const templates: Record<string, TemplateIR> = {};
  for (const t of symbols.templates.values()) templates[t.id.value] = lowerTemplate(t, defaultLocale);
  const policies: Record<string, PolicyIR> = {};
  for (const p of symbols.policies.values()) policies[p.id.value] = lowerPolicy(p);

  const ir: Omit<GraphIR, 'version'> = {
    format: IR_FORMAT,
    project: {
      name: cfg?.project.value ?? 'herald',
      defaults: { locale: defaultLocale, timezone: cfg?.defaults.timezone?.value ?? 'UTC', policy: defaultPolicy },
      subjectSource: cfg?.subjectSource ? { source: cfg.subjectSource.source.value, query: cfg.subjectSource.query.value } : null,
      archive: { retentionMs: cfg?.archive?.retention?.value ?? null, redact: cfg?.archive?.redact.map((r) => r.value) ?? [] },
    },
    events: Object.fromEntries(
      [...symbols.events.values()].map((e): [string, EventIR] => [
        e.name.value,
        { type: e.type.type, subject: eventSubjectPath(e), ...(e.schema ? { schema: e.schema.value as Record<string, unknown> } : {}) },
      ]),
    ),
    subject: { type: projectSubjectType(symbols, cfg) },
    channels: Object.fromEntries(
      [...symbols.channels.values()].map((c) => [
        c.name.value,
        { use: c.use.value, message: channelMessageKind(model, c) ?? 'any', config: c.config?.value ?? {} },
      ]),
    ),
    sources: Object.fromEntries(
      [...symbols.sources.values()].map((s) => [
        s.name.value,
        {
          use: s.use.value,
          config: s.config?.value ?? {},
          queries: Object.fromEntries(s.queries.map((q) => [q.name.value, { args: q.args.type, returns: q.returns.type, with: q.with?.value ?? null }])),
        },
      ]),
    ),
    journeys,
    templates,
    policies,
  };
  const sorted = sortKeys(ir) as Omit<GraphIR, 'version'>;
  return sortKeys({ ...sorted, version: contentHash(sorted) }) as GraphIR;
}

function dataLoads(bindings: readonly DataBinding[]): DataLoadIR[] {
  return bindings.map((b) => ({ name: b.name.value, source: b.source.value, query: b.query.value, args: exprMap(b.args) }));
}

function exprMap(xs: readonly NamedExpr[]): Record<string, string> {
  return Object.fromEntries(xs.map((x) => [x.name.value, x.expr.text]));
}

function lowerJourney(
  j: JourneyFile,
  scope: Readonly<Record<string, Type>>,
  defaultPolicy: string | null,
  span: (s: Span) => IrSpan,
  defaultSubject: string,
): JourneyIR {
  // A step that was not built has its error reported, and a project with errors is not lowered
  // (Project.compile): reaching here with one is a bug, and the IR would silently lack the step.
  const unbuilt = j.unbuiltSteps[0];
  if (unbuilt) throw new Error(`cannot lower journey \`${j.id.value}\`: step ${unbuilt.id ? `\`${unbuilt.id.value}\`` : `#${unbuilt.index + 1}`} was not built`);
  const byKey = new Map(j.steps.map((s) => [s.key, s]));
  const after = (s: Step): string | null => j.steps[j.steps.indexOf(s) + 1]?.key ?? null;
  // A goto is an edge, not a node: follow chains of gotos to the step they land on.
  const resolve = (key: string | null): Next => {
    const seen = new Set<string>();
    let k = key;
    while (k !== null) {
      const s = byKey.get(k);
      if (!s || s.kind !== 'goto' || seen.has(k)) return k;
      seen.add(k);
      k = s.target.value;
    }
    return null;
  };
  const nodes: NodeIR[] = [];
  for (const s of j.steps) {
    if (s.kind === 'goto') continue;
    const base = { id: s.key, span: span(s.span) };
    const next = resolve(after(s));
    switch (s.kind) {
      case 'send':
        nodes.push({ ...base, kind: 'send', template: s.template.value, policy: s.policy?.value ?? defaultPolicy ?? '', next });
        break;
      case 'wait':
        if (s.wait.mode === 'duration') nodes.push({ ...base, kind: 'wait', mode: 'duration', ms: s.wait.duration.value, next });
        else if (s.wait.mode === 'until') nodes.push({ ...base, kind: 'wait', mode: 'until', until: s.wait.until.text, next });
        else
          nodes.push({
            ...base,
            kind: 'wait',
            mode: 'event',
            event: s.wait.event.value,
            match: s.wait.match?.text ?? null,
            timeoutMs: s.wait.timeout?.value ?? null,
            as: s.wait.as?.value ?? null,
            onEvent: resolve(s.onEvent?.value ?? after(s)),
            onTimeout: resolve(s.onTimeout?.value ?? after(s)),
          });
        break;
      case 'branch':
        nodes.push({
          ...base,
          kind: 'branch',
          arms: s.arms.map((a) => ({ when: a.when.text, next: resolve(a.goto.value) })),
          otherwise: resolve(s.otherwise?.value ?? after(s)),
        });
        break;
      case 'split':
        nodes.push({ ...base, kind: 'split', arms: s.arms.map((a) => ({ weight: a.weight.value, next: resolve(a.goto.value) })) });
        break;
      case 'set':
        nodes.push({ ...base, kind: 'set', vars: s.vars.map((v) => ({ name: v.name.value, expr: v.expr.text })), next });
        break;
      case 'fetch':
        nodes.push({ ...base, kind: 'fetch', data: dataLoads(s.bindings), next });
        break;
      case 'batch':
        nodes.push({ ...base, kind: 'batch', event: s.event.value, match: s.match?.text ?? null, windowMs: s.window.value, max: s.max?.value ?? null, as: s.as.value, next });
        break;
      case 'emit':
        nodes.push({ ...base, kind: 'emit', event: s.event.value, data: exprMap(s.data), next });
        break;
      case 'exit':
        nodes.push({ ...base, kind: 'exit', reason: s.reason.value });
        break;
      default:
        assertNever(s);
    }
  }
  return {
    id: j.id.value,
    trigger: {
      event: j.trigger.event.value,
      subject: j.trigger.subject?.text ?? defaultSubject,
      when: j.trigger.when?.text ?? null,
      reentry: j.trigger.reentry?.value ?? 'never',
      ...(j.trigger.key ? { key: j.trigger.key.text } : {}),
    },
    data: dataLoads(j.data),
    scope,
    entry: resolve(j.steps[0]?.key ?? null) ?? '',
    nodes,
    span: span(j.span),
  };
}

function lowerTemplate(t: TemplateFile, defaultLocale: string): TemplateIR {
  const variants: Record<string, Record<string, Record<string, string>>> = {};
  for (const v of t.variants) {
    const byLocale = (variants[v.channel.value] ??= {});
    byLocale[v.locale.value] = Object.fromEntries(v.fields.map((f) => [f.name.value, f.text.text]));
  }
  return {
    id: t.id.value,
    fallbackLocale: t.fallbackLocale?.value ?? defaultLocale,
    variants,
    partials: Object.fromEntries(t.partials.map((p) => [p.name.value, p.text.text])),
  };
}

export const POLICY_DEFAULTS = {
  category: 'transactional',
  failoverOn: ['failed', 'bounced', 'timeout'] as const,
  retry: { attempts: 1, backoff: 'exponential' as const, initialMs: 30_000, maxMs: 3_600_000 },
};

function lowerPolicy(p: PolicyFile): PolicyIR {
  return {
    id: p.id.value,
    category: p.category?.value ?? POLICY_DEFAULTS.category,
    channels: p.channels.map((c) => c.value),
    order: p.order?.text ?? null,
    failover: {
      on: p.failover ? p.failover.on.map((o) => o.value) : [...POLICY_DEFAULTS.failoverOn],
      deliveryTimeoutMs: p.failover?.deliveryTimeout?.value ?? null,
    },
    retry: {
      attempts: p.retry?.attempts.value ?? POLICY_DEFAULTS.retry.attempts,
      backoff: p.retry?.backoff?.value ?? POLICY_DEFAULTS.retry.backoff,
      initialMs: p.retry?.initial?.value ?? POLICY_DEFAULTS.retry.initialMs,
      maxMs: p.retry?.max?.value ?? POLICY_DEFAULTS.retry.maxMs,
    },
    quietHours: p.quietHours
      ? { from: p.quietHours.from.value, to: p.quietHours.to.value, timezone: p.quietHours.timezone?.text ?? DEFAULT_TIMEZONE_EXPR }
      : null,
    frequencyCap: p.frequencyCap ? { max: p.frequencyCap.max.value, perMs: p.frequencyCap.per.value } : null,
    dedupe: p.dedupe ? { key: p.dedupe.key.text, windowMs: p.dedupe.window.value } : null,
  };
}
