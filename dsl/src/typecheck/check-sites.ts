/**
 * Stage 4: type-check every expression and template of a journey in the scope of the
 * place it is written, and the policy expressions in the scope of each send that uses them.
 */
import { didYouMean, IN_SCOPE_PREFIX } from '../diagnostics/did-you-mean.js';
import { eventSubjectPath } from '../link/event-subject.js';
import type { Problem } from '../diagnostics/report.js';
import { checkExpression, parseExpression, type ExprProblem } from '../expr/index.js';
import { checkTemplate, type TemplateProblem } from '../template/index.js';
import type { ConfigFile, DataBinding, JourneyFile, Located, NamedExpr, PolicyFile, SendStep, SourceText, TemplateFile } from '../model/ast.js';
import { childNodes, type ExprNode } from '../expr/ast.js';
import { comparesWithText, isBooleanWord, quoteComparedNames } from '../expr/bare-words.js';
import { FUNCTION_DEFS } from '../expr/functions.js';
import { stepLabel } from '../link/rules/describe-step.js';
import { indexInText, spanInText } from '../model/ast.js';
import type { Symbols } from '../link/symbols.js';
import { MESSAGE_KINDS } from '../schema/template-schema.js';
import { T, typeToString, type Type } from '../types/type.js';
import { baseScope, eventType, JOURNEY_META_TYPE, queryArgsType } from './journey-scope.js';
import { possiblyUnsetVariables } from './possibly-unset.js';
import { unguardedOptionalReads, type CheckedSite } from './optional-reads.js';

export interface JourneyTypes {
  /** Every name usable in the journey, with `set` variables inferred. */
  readonly scope: Readonly<Record<string, Type>>;
  readonly problems: readonly Problem[];
}

/** What a trigger key may be (`dyn` and `null` are decided at run time: a null key starts nothing). */
const KEY_TYPES: ReadonlySet<Type['kind']> = new Set(['string', 'number', 'dyn', 'null']);

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
    ...('related' in p && p.related ? { related: p.related.map((r) => ({ span: spanInText(st, r.start, r.end), message: r.message })) } : {}),
    ...('replacement' in p && p.replacement !== undefined
      ? { fix: { title: `Change to \`${p.replacement}\``, span: spanInText(st, p.start, p.end), newText: p.replacement } }
      : {}),
    ...('fix' in p && p.fix !== undefined ? { fix: { title: `Change to \`${p.fix.newText}\``, span: spanInText(st, p.fix.start, p.fix.end), newText: p.fix.newText } } : {}),
  };
}

const MUSTACHE_WRAPPED = /^\s*\{\{([^{}]*)\}\}\s*$/;

/** `{{` outside string literals: template syntax in an expression. */
function hasMustache(text: string): boolean {
  return text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""').includes('{{');
}

/**
 * The expression `text` meant without its `{{ }}`. Whoever wrote `{{user.plan}} == pro` thinks
 * in templates, where text outside the braces is text: a bare word compared outside them that
 * names nothing in scope is quoted (`user.plan == "pro"`), so the quick fix does not lead
 * straight to an `unknown-variable`.
 */
function withoutBraces(text: string, scope: Readonly<Record<string, Type>>): string {
  let out = '';
  /** For each character of `out`, whether it was written inside `{{ }}`. */
  const inside: boolean[] = [];
  let inBraces = false;
  for (const part of text.split(/(\{\{\s*|\s*\}\})/)) {
    if (/^\{\{\s*$/.test(part)) inBraces = true;
    else if (/^\s*\}\}$/.test(part)) inBraces = false;
    else {
      out += part;
      for (let i = 0; i < part.length; i++) inside.push(inBraces);
    }
  }
  const lead = out.length - out.trimStart().length;
  const trimmed = out.trim();
  const parsed = parseCached(trimmed);
  if (!parsed.ast || parsed.problems.length > 0) return trimmed;
  const { nodeTypes } = checkExpression(parsed.ast, scope).checked;
  return quoteComparedNames(trimmed, parsed.ast, ({ name, other }) => {
    const word = name.name;
    return !inside[lead + name.start] && !Object.hasOwn(scope, word) && !FUNCTION_DEFS.has(word) && !isBooleanWord(word) && comparesWithText(nodeTypes.get(other));
  });
}

/** Check one expression; returns its type (dyn when it does not parse). */
export function checkSite(st: SourceText, scope: Readonly<Record<string, Type>>, expected: Type | undefined, out: Problem[], sites?: CheckedSite[]): Type {
  // `key: ""`: the schema says it must not be empty (every expression's minLength); a parse error would say it twice.
  if (st.text === '') return T.dyn;
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
  // Part of it in `{{ }}` (`{{trigger.plan}} == 'pro'`): the parse errors would only be noise.
  if (hasMustache(st.text)) {
    const unwrapped = withoutBraces(st.text, scope);
    out.push({
      code: 'expr-syntax',
      message: `expressions are written without \`{{ }}\`: write \`${unwrapped}\``,
      span: st.span,
      hint: '`{{ }}` is only for templates; an expression names its values directly',
      fix: { title: 'Remove the braces', span: st.span, newText: JSON.stringify(unwrapped) },
    });
    return T.dyn;
  }
  const parsed = parseCached(st.text);
  for (const p of parsed.problems) out.push(toProblem(st, p));
  if (!parsed.ast) return T.dyn;
  const { checked, problems } = checkExpression(parsed.ast, scope, expected);
  for (const p of problems) out.push(toProblem(st, p));
  sites?.push({ st, ast: parsed.ast, nodeTypes: checked.nodeTypes, optionalReads: checked.optionalReads });
  return checked.type;
}

export function checkJourney(
  j: JourneyFile,
  symbols: Symbols,
  config: ConfigFile | undefined,
): JourneyTypes {
  const out: Problem[] = [];
  /** The journey's checked expressions, for the reads of optional fields it never tests (optional-reads.ts). */
  const sites: CheckedSite[] = [];
  const scope: Record<string, Type> = baseScope(j, symbols, config);
  const trigType = scope['trigger']!;
  const withEvent = (t: Type) => ({ ...scope, event: t });

  // Trigger expressions see only the incoming event: nothing else exists yet.
  const triggerScope = { event: trigType, subject: scope['subject']! };
  const triggerEvent = symbols.events.get(j.trigger.event.value);
  // `trigger.x` there is the most natural slip: the event that will be the trigger is `event` here.
  const checkTriggerSite = (st: SourceText, sc: Record<string, Type>, expected: Type | undefined, key: string): Type => {
    const found: Problem[] = [];
    const at = sites.length;
    const type = checkSite(st, sc, expected, found, sites);
    // A subject id or key that is missing does not fail a step: the event starts nothing.
    if ((key === 'subject' || key === 'key') && sites.length > at) sites[at] = { ...sites[at]!, whenMissing: 'starts-nothing' };
    for (const p of found) out.push(p.code === 'unknown-variable' && p.message === 'unknown variable `trigger`' ? triggerInTrigger(p, st, key, Object.keys(sc)) : p);
    return type;
  };
  if (j.trigger.subject) checkTriggerSite(j.trigger.subject, { event: trigType }, T.string, 'subject');
  else if (triggerEvent && eventSubjectPath(triggerEvent) === null) {
    out.push({
      code: 'missing-key',
      message: `the trigger has no \`subject:\` and event \`${j.trigger.event.value}\` names no subject (no \`subject:\` in its declaration, no \`subjectId\` field)`,
      span: j.trigger.event.span,
      hint: 'add `subject: <field>` to the event in herald.yaml, or `subject: event.<field that holds the customer id>` to the trigger',
    });
  }
  if (j.trigger.when) checkTriggerSite(j.trigger.when, triggerScope, T.bool, 'when');
  // The key is worked out with the subject id, before the profile is loaded: it sees what `subject:` sees.
  if (j.trigger.key) {
    const type = checkTriggerSite(j.trigger.key, { event: trigType }, undefined, 'key');
    if (!KEY_TYPES.has(type.kind)) {
      out.push({
        code: 'wrong-expression-type',
        message: `a trigger's \`key\` must be a \`string\` or a \`number\`, got \`${typeToString(type)}\``,
        span: j.trigger.key.span,
        hint: 'name one field of the event that tells its instances apart, e.g. `event.invoiceId`',
      });
    }
  }

  const argsOf = (bindings: JourneyFile['data'], sc: Record<string, Type>) => {
    for (const b of bindings) {
      const argsType = queryArgsType(symbols, b);
      const fields = argsType?.kind === 'object' ? argsType.fields : undefined;
      for (const a of b.args) {
        const f = fields?.[a.name.value];
        if (fields && !f) out.push(unknownArgument(b, a, Object.keys(fields)));
        checkSite(a.expr, sc, f?.type, out, sites);
      }
      // A missing argument reaches the plugin as absent: its query then runs on `undefined`.
      const given = new Set(b.args.map((a) => a.name.value));
      const missing = fields ? Object.entries(fields).filter(([k, f]) => !f.optional && !given.has(k)).map(([k]) => k) : [];
      if (missing.length > 0) {
        out.push({
          code: 'missing-key',
          message: `query \`${b.source.value}.${b.query.value}\` needs ${missing.map((m) => `\`${m}\``).join(', ')} in \`args:\``,
          span: b.query.span,
          hint: `its arguments: ${Object.entries(fields!).map(([k, f]) => `${k}${f.optional ? '?' : ''}`).join(', ')}`,
        });
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
        for (const v of s.vars) scope[v.name.value] = checkSite(v.expr, scope, undefined, out, sites);
        break;
      case 'wait':
        if (s.wait.mode === 'until') checkSite(s.wait.until, scope, T.timestamp, out, sites);
        if (s.wait.mode === 'event' && s.wait.match) checkSite(s.wait.match, withEvent(eventType(symbols, s.wait.event.value)), T.bool, out, sites);
        break;
      case 'branch':
        for (const a of s.arms) checkSite(a.when, scope, T.bool, out, sites);
        break;
      case 'fetch':
        argsOf(s.bindings, scope);
        break;
      case 'batch':
        if (s.match) checkSite(s.match, withEvent(eventType(symbols, s.event.value)), T.bool, out, sites);
        break;
      case 'emit':
        checkEmit(s.data, eventType(symbols, s.event.value), s.event.value, scope, out, s.kindSpan, sites);
        break;
      case 'send':
      case 'split':
      case 'goto':
      case 'exit':
        break;
    }
  }
  out.push(...unguardedOptionalReads(sites));
  out.push(...possiblyUnsetVariables(j, (text) => {
    const parsed = parseCached(text);
    return parsed.problems.length === 0 ? parsed.ast : undefined; // a broken one is reported above
  }));
  return { scope, problems: out };
}

/** `unknown variable trigger` in a trigger's own `when`/`subject`: say what it sees, and offer `event` instead. */
function triggerInTrigger(p: Problem, st: SourceText, key: string, names: readonly string[]): Problem {
  const i = indexInText(st, p.span.start);
  const exact = i !== undefined && p.span.end - p.span.start === 'trigger'.length && st.text.startsWith('trigger', i);
  const rest = exact ? (/^trigger((?:\s*\.\s*[A-Za-z_]\w*)*)/.exec(st.text.slice(i))?.[1] ?? '').replace(/\s+/g, '') : '';
  const sees = names.map((n) => `\`${n}\``).join(' and ');
  return {
    ...p,
    hint: `a trigger's \`${key}\` sees ${sees}: write \`event${rest}\``,
    ...(exact ? { fix: { title: 'Change to `event`', span: p.span, newText: 'event' } } : {}),
  };
}

function unknownArgument(b: DataBinding, a: NamedExpr, known: readonly string[]): Problem {
  const close = didYouMean(a.name.value, known);
  return {
    code: 'unknown-field',
    message: `query \`${b.source.value}.${b.query.value}\` has no argument \`${a.name.value}\``,
    span: a.name.span,
    hint: close !== undefined ? `did you mean \`${close}\`?` : known.length > 0 ? `its arguments: ${known.join(', ')}` : 'it takes no arguments: declare them under its `args:` in herald.yaml',
    ...(close !== undefined ? { fix: { title: `Change to \`${close}\``, span: a.name.span, newText: close } } : {}),
  };
}

function checkEmit(data: readonly NamedExpr[], type: Type, name: string, scope: Record<string, Type>, out: Problem[], at: Problem['span'], sites?: CheckedSite[]) {
  const fields = type.kind === 'object' ? type.fields : undefined;
  for (const d of data) {
    const f = fields?.[d.name.value];
    if (fields && !f) {
      out.push({ code: 'unknown-field', message: `event \`${name}\` has no field \`${d.name.value}\``, span: d.name.span, hint: `its fields: ${Object.keys(fields).join(', ')}` });
    }
    checkSite(d.expr, scope, f?.type, out, sites);
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
  return checkVariants(t, scope, false);
}

/** A template checked for one journey that sends it (checkTemplateInScope), at its first send there. */
export interface TemplateSend {
  readonly journey: JourneyFile;
  readonly send: SendStep;
  readonly problems: readonly Problem[];
}

/** How many sending journeys a hint names before it counts the rest. */
const NAMED_SENDERS = 3;

/**
 * The problems of a template over every journey that sends it, each once per distinct message.
 * A problem found for every sender is the template's own and is said as it is. One found for
 * only some senders depends on what those journeys put in scope (`{{user.name}}` where one
 * journey loads no `user`), and the template alone does not show which: the hint names those
 * journeys (file and line of the send, via `lineOf`) and what their scopes hold, and each send
 * is a related location.
 */
export function templateProblemsOverSenders(t: TemplateFile, sends: readonly TemplateSend[], lineOf: (span: Problem['span']) => number): Problem[] {
  const groups = new Map<string, { problem: Problem; sends: TemplateSend[]; hints: (string | undefined)[] }>();
  for (const s of sends) {
    for (const p of s.problems) {
      const key = `${p.span.file}:${p.span.start}:${p.span.end}:${p.code}:${p.message}`;
      const g = groups.get(key);
      if (!g) groups.set(key, { problem: p, sends: [s], hints: [p.hint] });
      else if (!g.sends.includes(s)) {
        g.sends.push(s);
        g.hints.push(p.hint);
      }
    }
  }
  const senders = new Set(sends.map((s) => s.journey)).size;
  return [...groups.values()].map((g) => {
    if (new Set(g.sends.map((s) => s.journey)).size === senders) return g.problem;
    return {
      ...g.problem,
      hint: sendersHint(g.sends, g.hints, lineOf),
      related: [
        ...(g.problem.related ?? []),
        ...g.sends.map((s) => ({ span: s.send.kindSpan, message: `journey \`${s.journey.id.value}\` sends template \`${t.id.value}\` here` })),
      ],
    };
  });
}

/** "sent by journey `a` (journeys/a.journey.yaml:4), whose scope has ...", after the problem's own hint when that is not the scope's names. */
function sendersHint(sends: readonly TemplateSend[], hints: readonly (string | undefined)[], lineOf: (span: Problem['span']) => number): string {
  const where = (s: TemplateSend) => `\`${s.journey.id.value}\` (${s.send.kindSpan.file}:${lineOf(s.send.kindSpan)})`;
  const scopes = hints.map((h) => (h?.startsWith(IN_SCOPE_PREFIX) ? h.slice(IN_SCOPE_PREFIX.length) : undefined));
  const own = [...new Set(hints.filter((h): h is string => h !== undefined && !h.startsWith(IN_SCOPE_PREFIX)))];
  const named = sends.slice(0, NAMED_SENDERS);
  const more = sends.length - named.length;
  let by: string;
  if (scopes.every((x) => x === scopes[0])) {
    const list = named.map(where);
    if (more > 0) list.push(`${more} more`);
    const joined = list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
    const scope = scopes[0] === undefined ? '' : sends.length === 1 ? `, whose scope has ${scopes[0]}` : `, whose scopes have ${scopes[0]}`;
    by = `sent by journey${sends.length === 1 ? '' : 's'} ${joined}${scope}`;
  } else {
    // Different scopes: each journey with its own names.
    by = `sent by ${named.map((s, i) => `journey ${where(s)}${scopes[i] === undefined ? '' : `, whose scope has ${scopes[i]}`}`).join('; and by ')}${more > 0 ? `; and by ${more} more` : ''}`;
  }
  return own.length > 0 ? `${own.join('; ')}; ${by}` : by;
}

/**
 * A template that no journey sends, checked on its own: its Mustache syntax, partials and
 * escaping, and the names that mean the same whichever journey sends it (`subject.*`,
 * `journey.*`) against their types. Any other name (`trigger`, data, variables) depends on the
 * journey, so it is left unchecked until a journey sends the template.
 */
export function checkTemplateAlone(t: TemplateFile, scope: Readonly<Record<string, Type>>): Problem[] {
  return checkVariants(t, { subject: scope['subject'] ?? T.dyn, journey: scope['journey'] ?? JOURNEY_META_TYPE }, true);
}

function checkVariants(t: TemplateFile, scope: Readonly<Record<string, Type>>, openScope: boolean): Problem[] {
  const out: Problem[] = [];
  const partials: Record<string, string> = {};
  for (const p of t.partials) partials[p.name.value] = p.text.text;
  // A partial whose text could not be read has its own problem; including it is no mistake.
  for (const p of t.unreadPartials) partials[p.value] ??= '';
  for (const v of t.variants) {
    for (const f of v.fields) {
      const html = MESSAGE_KINDS[v.channel.value]?.fields[f.name.value]?.html ?? false;
      for (const p of checkTemplate(f.text.text, { scope, partials, html, openScope })) out.push(toProblem(f.text, p));
    }
  }
  return out;
}

/** Names a policy expression may read without depending on which journey sends with the policy. */
const JOURNEY_INDEPENDENT = new Set(['subject', 'journey']);

function freeNames(node: ExprNode, out: Set<string>): Set<string> {
  if (node.kind === 'ident') out.add(node.name);
  for (const c of childNodes(node)) freeNames(c, out);
  return out;
}

/**
 * Whether a policy expression is checked once for the policy instead of per journey: it does
 * not parse (its syntax errors are the same for every journey), or it reads only `subject`,
 * `journey` and functions, whose types do not depend on the journey.
 */
export function isJourneyIndependent(st: SourceText): boolean {
  if (hasMustache(st.text)) return true;
  const parsed = parseCached(st.text);
  if (parsed.problems.length > 0 || !parsed.ast) return true;
  return [...freeNames(parsed.ast, new Set())].every((n) => JOURNEY_INDEPENDENT.has(n));
}

function policySites(p: PolicyFile): { st: SourceText; expected: Type | undefined }[] {
  const sites: { st: SourceText; expected: Type | undefined }[] = [];
  if (p.order) sites.push({ st: p.order, expected: T.list(T.string) });
  if (p.quietHours?.timezone) sites.push({ st: p.quietHours.timezone, expected: T.string });
  if (p.dedupe) sites.push({ st: p.dedupe.key, expected: undefined });
  return sites;
}

/**
 * A policy's expressions that do not depend on the journey (see isJourneyIndependent), checked
 * once per policy whether or not a journey uses it, in a scope of `subject` and `journey` only.
 */
export function checkPolicyAlone(p: PolicyFile, scope: Readonly<Record<string, Type>>): Problem[] {
  const out: Problem[] = [];
  const alone = { subject: scope['subject'] ?? T.dyn, journey: scope['journey'] ?? JOURNEY_META_TYPE };
  for (const { st, expected } of policySites(p)) if (isJourneyIndependent(st)) checkSite(st, alone, expected, out);
  return out;
}

/** Which journey a policy is checked for: its first send with the policy, and the `defaults.policy` it came from, if so. */
export interface PolicyUse {
  readonly journey: JourneyFile;
  readonly send: SendStep;
  readonly fromDefaults: Located<string> | undefined;
}

/**
 * A policy's expressions that depend on the journey (they read `trigger`, a data name, a
 * variable), in the scope of a journey that sends with it. Each problem says which journey.
 */
export function checkPolicyInScope(p: PolicyFile, scope: Readonly<Record<string, Type>>, use?: PolicyUse): Problem[] {
  const out: Problem[] = [];
  for (const { st, expected } of policySites(p)) if (!isJourneyIndependent(st)) checkSite(st, scope, expected, out);
  if (!use) return out;
  const where = `send at ${stepLabel(use.send)}${use.fromDefaults ? ', policy from `defaults.policy`' : ''}`;
  const related: { span: Problem['span']; message: string }[] = [
    { span: use.send.kindSpan, message: `journey \`${use.journey.id.value}\` sends with policy \`${p.id.value}\` here` },
  ];
  if (use.fromDefaults) related.push({ span: use.fromDefaults.span, message: `the send takes policy \`${p.id.value}\` from \`defaults.policy\`` });
  return out.map((x) => ({ ...x, message: `${x.message} for journey \`${use.journey.id.value}\` (${where})`, related: [...(x.related ?? []), ...related] }));
}
