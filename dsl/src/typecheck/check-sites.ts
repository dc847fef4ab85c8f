/**
 * Stage 4: type-check every expression and template of a journey in the scope of the
 * place it is written, and the policy expressions in the scope of each send that uses them.
 */
import { eventSubjectPath } from '../link/event-subject.js';
import type { Problem } from '../diagnostics/report.js';
import { checkExpression, parseExpression, type ExprProblem } from '../expr/index.js';
import { checkTemplate, type TemplateProblem } from '../template/index.js';
import type { ConfigFile, JourneyFile, NamedExpr, PolicyFile, SourceText, TemplateFile } from '../model/ast.js';
import { spanInText } from '../model/ast.js';
import type { Symbols } from '../link/symbols.js';
import { MESSAGE_KINDS } from '../schema/template-schema.js';
import { T, type Type } from '../types/type.js';
import { baseScope, eventType, queryArgsType } from './journey-scope.js';
import { possiblyUnsetVariables } from './possibly-unset.js';

export interface JourneyTypes {
  /** Every name usable in the journey, with `set` variables inferred. */
  readonly scope: Readonly<Record<string, Type>>;
  readonly problems: readonly Problem[];
}

const parseCache = new Map<string, ReturnType<typeof parseExpression>>();

function parseCached(text: string) {
  let r = parseCache.get(text);
  if (!r) {
    if (parseCache.size > 50_000) parseCache.clear();
    r = parseExpression(text);
    parseCache.set(text, r);
  }
  return r;
}

function toProblem(st: SourceText, p: ExprProblem | TemplateProblem, prefix = ''): Problem {
  return {
    code: p.code,
    severity: p.severity,
    message: prefix + p.message,
    span: spanInText(st, p.start, p.end),
    hint: p.hint,
  };
}

/** Check one expression; returns its type (dyn when it does not parse). */
const MUSTACHE_WRAPPED = /^\s*\{\{([^{}]*)\}\}\s*$/;

export function checkSite(st: SourceText, scope: Readonly<Record<string, Type>>, expected: Type | undefined, out: Problem[]): Type {
  // `{{ x }}` is template syntax; a habit from other tools. Say so once instead of a cascade of parse errors.
  const wrapped = MUSTACHE_WRAPPED.exec(st.text);
  if (wrapped) {
    out.push({
      code: 'expr-syntax',
      message: 'expressions are written without `{{ }}`',
      span: st.span,
      hint: `write \`${wrapped[1]!.trim()}\`; \`{{ }}\` is only for templates`,
      fix: { title: 'Remove the braces', span: st.span, newText: JSON.stringify(wrapped[1]!.trim()) },
    });
    return T.dyn;
  }
  const parsed = parseCached(st.text);
  for (const p of parsed.problems) out.push(toProblem(st, p));
  if (!parsed.ast) return T.dyn;
  const { checked, problems } = checkExpression(parsed.ast, scope, expected);
  for (const p of problems) out.push(toProblem(st, p));
  return checked.type;
}

export function checkJourney(
  j: JourneyFile,
  symbols: Symbols,
  config: ConfigFile | undefined,
): JourneyTypes {
  const out: Problem[] = [];
  const scope: Record<string, Type> = baseScope(j, symbols, config);
  const trigType = scope['trigger']!;
  const withEvent = (t: Type) => ({ ...scope, event: t });

  // Trigger expressions see only the incoming event: nothing else exists yet.
  const triggerScope = { event: trigType, subject: scope['subject']! };
  const triggerEvent = symbols.events.get(j.trigger.event.value);
  if (j.trigger.subject) checkSite(j.trigger.subject, { event: trigType }, T.string, out);
  else if (triggerEvent && eventSubjectPath(triggerEvent) === null) {
    out.push({
      code: 'missing-key',
      message: `the trigger has no \`subject:\` and event \`${j.trigger.event.value}\` names no subject (no \`subject:\` in its declaration, no \`subjectId\` field)`,
      span: j.trigger.event.span,
      hint: 'add `subject: <field>` to the event in herald.yaml, or `subject: event.<field that holds the customer id>` to the trigger',
    });
  }
  if (j.trigger.when) checkSite(j.trigger.when, triggerScope, T.bool, out);

  const argsOf = (bindings: JourneyFile['data'], sc: Record<string, Type>) => {
    for (const b of bindings) {
      const argsType = queryArgsType(symbols, b);
      for (const a of b.args) {
        const expected = argsType?.kind === 'object' ? argsType.fields[a.name.value]?.type : undefined;
        checkSite(a.expr, sc, expected, out);
      }
    }
  };
  // Data is loaded before the first step: only trigger, subject and journey exist then.
  argsOf(j.data, { trigger: trigType, subject: scope['subject']!, journey: scope['journey']! });

  // `set` variables in step order: each sees those set before it.
  const setNames = new Set(j.steps.flatMap((s) => (s.kind === 'set' ? s.vars.map((v) => v.name.value) : [])));
  for (const n of setNames) scope[n] ??= T.dyn;
  for (const s of j.steps) {
    switch (s.kind) {
      case 'set':
        for (const v of s.vars) scope[v.name.value] = checkSite(v.expr, scope, undefined, out);
        break;
      case 'wait':
        if (s.wait.mode === 'until') checkSite(s.wait.until, scope, T.timestamp, out);
        if (s.wait.mode === 'event' && s.wait.match) checkSite(s.wait.match, withEvent(eventType(symbols, s.wait.event.value)), T.bool, out);
        break;
      case 'branch':
        for (const a of s.arms) checkSite(a.when, scope, T.bool, out);
        break;
      case 'fetch':
        argsOf(s.bindings, scope);
        break;
      case 'batch':
        if (s.match) checkSite(s.match, withEvent(eventType(symbols, s.event.value)), T.bool, out);
        break;
      case 'emit':
        checkEmit(s.data, eventType(symbols, s.event.value), s.event.value, scope, out, s.kindSpan);
        break;
      case 'send':
      case 'split':
      case 'goto':
      case 'exit':
        break;
    }
  }
  out.push(...possiblyUnsetVariables(j, (text) => {
    const parsed = parseCached(text);
    return parsed.problems.length === 0 ? parsed.ast : undefined; // a broken one is reported above
  }));
  return { scope, problems: out };
}

function checkEmit(data: readonly NamedExpr[], type: Type, name: string, scope: Record<string, Type>, out: Problem[], at: Problem['span']) {
  const fields = type.kind === 'object' ? type.fields : undefined;
  for (const d of data) {
    const f = fields?.[d.name.value];
    if (fields && !f) {
      out.push({ code: 'unknown-field', message: `event \`${name}\` has no field \`${d.name.value}\``, span: d.name.span, hint: `its fields: ${Object.keys(fields).join(', ')}` });
    }
    checkSite(d.expr, scope, f?.type, out);
  }
  if (fields) {
    const given = new Set(data.map((d) => d.name.value));
    const missing = Object.entries(fields).filter(([k, f]) => !f.optional && !given.has(k)).map(([k]) => k);
    if (missing.length) {
      out.push({ code: 'missing-key', message: `event \`${name}\` needs ${missing.map((m) => `\`${m}\``).join(', ')} in \`data:\``, span: at });
    }
  }
}

/** Every variant of a template against the scope of one journey that sends it. */
export function checkTemplateInScope(t: TemplateFile, scope: Readonly<Record<string, Type>>): Problem[] {
  const out: Problem[] = [];
  const partials: Record<string, string> = {};
  for (const p of t.partials) partials[p.name.value] = p.text.text;
  for (const v of t.variants) {
    for (const f of v.fields) {
      const html = MESSAGE_KINDS[v.channel.value]?.fields[f.name.value]?.html ?? false;
      for (const p of checkTemplate(f.text.text, { scope, partials, html })) out.push(toProblem(f.text, p));
    }
  }
  return out;
}

/** A policy's expressions in the scope of a journey that sends with it. */
export function checkPolicyInScope(p: PolicyFile, scope: Readonly<Record<string, Type>>): Problem[] {
  const out: Problem[] = [];
  if (p.order) checkSite(p.order, scope, T.list(T.string), out);
  if (p.quietHours?.timezone) checkSite(p.quietHours.timezone, scope, T.string, out);
  if (p.dedupe) checkSite(p.dedupe.key, scope, undefined, out);
  return out;
}
