/**
 * A journey's variables as symbols, for find references and rename: the names a journey binds
 * (`data:` and `fetch` bindings, `set` variables, a wait's or batch's `as:`) and every place
 * they are used — the journey's expressions, and the `{{tags}}` of the templates it sends
 * (closing tags of sections included), inline or in an included file.
 *
 * A template (and a policy, whose expressions see the journey's names too) is shared by every
 * journey that sends with it, so the uses in one another journey uses too are listed, and a
 * rename that would change them is refused with their names (the other journey may have no
 * such variable). `trigger`, `subject`, `journey`,
 * `event` and `now` are no variables.
 */
import { expr, indexInText, RESERVED_NAMES, spanInText, template as templateLib, type JourneyFile, type SourceText, type Span, type TemplateFile } from '@herald/dsl';
import { placedTextAt, placedTexts } from './ast-texts.js';
import type { FileSpan } from './definition.js';
import type { DocContext } from './doc-context.js';
import { scopeAt, templateOwner } from './scopes.js';

export interface JourneyVariable {
  readonly journey: JourneyFile;
  readonly name: string;
}

export interface VariableOccurrences {
  /** Definitions (`def`) and uses. */
  readonly spans: readonly FileSpan[];
  /** Templates and policies with uses that other journeys use too (their ids). */
  readonly shared: readonly string[];
  /** A use whose characters cannot be placed exactly (an escaped quoted scalar): listed at its text, not renameable. */
  readonly inexact: boolean;
}

/** The definitions of the journey's variables, by name. */
export function variableDefinitions(j: JourneyFile): Map<string, Span[]> {
  const defs = new Map<string, Span[]>();
  const add = (name: string, span: Span) => defs.set(name, [...(defs.get(name) ?? []), span]);
  for (const b of j.data) add(b.name.value, b.name.span);
  for (const s of j.steps) {
    if (s.kind === 'fetch') for (const b of s.bindings) add(b.name.value, b.name.span);
    if (s.kind === 'set') for (const v of s.vars) add(v.name.value, v.name.span);
    if (s.kind === 'wait' && s.wait.mode === 'event' && s.wait.as) add(s.wait.as.value, s.wait.as.span);
    if (s.kind === 'batch') add(s.as.value, s.as.span);
  }
  for (const r of RESERVED_NAMES) defs.delete(r);
  return defs;
}

/** The journey variable defined or used at `offset`, if any. */
export function variableAt(doc: DocContext, offset: number): JourneyVariable | undefined {
  const ast = doc.project.ast(doc.rel);
  if (ast?.kind === 'journey') {
    for (const [name, spans] of variableDefinitions(ast)) if (spans.some((s) => s.start <= offset && offset <= s.end)) return { journey: ast, name };
    const placed = placedTextAt(placedTexts(ast), doc.rel, offset);
    const name = placed?.kind === 'expression' ? identAt(placed.text, offset) : undefined;
    return name !== undefined && variableDefinitions(ast).has(name) ? { journey: ast, name } : undefined;
  }
  // A template, or a file a template includes: the root of the tag under the cursor, in the scope of a journey that sends it.
  const owner = templateOwner(doc);
  const text = owner !== undefined ? { text: doc.text, span: { file: doc.rel, start: 0, end: doc.text.length }, base: 0 } : ast && placedTextAt(placedTexts(ast), doc.rel, offset)?.text;
  if (!text) return undefined;
  const name = tagRootAt(text, offset);
  const journey = name === undefined ? undefined : scopeAt(doc, [])?.journey;
  return journey && variableDefinitions(journey).has(name!) ? { journey, name: name! } : undefined;
}

export function variableOccurrences(doc: DocContext, v: JourneyVariable): VariableOccurrences {
  const spans: FileSpan[] = (variableDefinitions(v.journey).get(v.name) ?? []).map((s) => ({ file: s.file, start: s.start, end: s.end, def: true }));
  let inexact = false;
  // A file two variants include is one place, not two: each use once, or a rename edits it twice.
  const seen = new Set<string>();
  const use = (st: SourceText, start: number, end: number) => {
    if (st.base === undefined && st.offsets === undefined) inexact = true;
    const s = spanInText(st, start, end);
    const key = `${s.file}:${s.start}:${s.end}`;
    if (seen.has(key)) return;
    seen.add(key);
    spans.push({ file: s.file, start: s.start, end: s.end, def: false });
  };
  for (const placed of placedTexts(v.journey)) {
    if (placed.kind !== 'expression') continue;
    const parsed = expr.parseExpression(placed.text.text);
    if (parsed.ast) for (const id of identsNamed(parsed.ast, v.name)) use(placed.text, id.start, id.end);
  }
  const shared: string[] = [];
  // A policy's expressions (order, quiet hours' time zone, dedupe key) see the journey's names too.
  const usedBy = journeysUsingPolicies(doc);
  for (const policy of policiesOf(doc, v.journey)) {
    const ast = doc.project.asts('policy').find((x) => x.id.value === policy);
    if (!ast) continue;
    let used = false;
    for (const placed of placedTexts(ast)) {
      const parsed = placed.kind === 'expression' ? expr.parseExpression(placed.text.text) : undefined;
      for (const id of parsed?.ast ? identsNamed(parsed.ast, v.name) : []) {
        use(placed.text, id.start, id.end);
        used = true;
      }
    }
    if (used && (usedBy.get(policy)?.size ?? 0) > 1) shared.push(policy);
  }
  const sentBy = journeysSending(doc);
  const sent = new Set(v.journey.steps.flatMap((s) => (s.kind === 'send' ? [s.template.value] : [])));
  for (const t of doc.project.asts('template')) {
    if (!sent.has(t.id.value)) continue;
    let used = false;
    for (const st of templateTexts(t)) {
      for (const tag of templateLib.scanTags(st.text).tags) {
        if (!['name', '&', '{', '#', '^', '/'].includes(tag.sigil) || rootOf(tag.value) !== v.name) continue;
        use(st, tag.valueStart, tag.valueStart + v.name.length);
        used = true;
      }
    }
    if (used && (sentBy.get(t.id.value)?.size ?? 0) > 1) shared.push(t.id.value);
  }
  return { spans, shared, inexact };
}

/** A template's texts, inline and included, partials too. */
function templateTexts(t: TemplateFile): SourceText[] {
  return [...t.partials.map((p) => p.text), ...t.variants.flatMap((v) => v.fields.map((f) => f.text))];
}

/** The policies a journey's sends use: their own, or the project's default. */
function policiesOf(doc: DocContext, j: JourneyFile): Set<string> {
  const fallback = doc.project.config()?.defaults.policy?.value;
  return new Set(j.steps.flatMap((s) => (s.kind !== 'send' ? [] : s.policy ? [s.policy.value] : fallback ? [fallback] : [])));
}

/** Policy id -> the journeys that send with it. */
function journeysUsingPolicies(doc: DocContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const j of doc.project.asts('journey')) for (const p of policiesOf(doc, j)) (out.get(p) ?? out.set(p, new Set()).get(p)!).add(j.id.value);
  return out;
}

/** Template id -> the journeys that send it. */
function journeysSending(doc: DocContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const j of doc.project.asts('journey')) {
    for (const s of j.steps) if (s.kind === 'send') (out.get(s.template.value) ?? out.set(s.template.value, new Set()).get(s.template.value)!).add(j.id.value);
  }
  return out;
}

/** `customer` of `customer.name`, `customer` of `customer`; a tag name is its first segment. */
const rootOf = (path: string): string => path.trim().split('.')[0]!;

/** Identifiers that read the variable: not map keys written bare (`{name: 1}` is the string "name"). */
function identsNamed(root: expr.ExprNode, name: string): expr.ExprNode[] {
  const out: expr.ExprNode[] = [];
  const bareKeys = new Set<expr.ExprNode>();
  const visit = (n: expr.ExprNode) => {
    if (n.kind === 'map') for (const e of n.entries) if (e.bareKey) bareKeys.add(e.key);
    if (n.kind === 'ident' && n.name === name && !bareKeys.has(n)) out.push(n);
    for (const c of expr.childNodes(n)) visit(c);
  };
  visit(root);
  return out;
}

function identAt(st: SourceText, offset: number): string | undefined {
  const idx = indexInText(st, offset);
  const parsed = idx === undefined ? undefined : expr.parseExpression(st.text);
  if (!parsed?.ast) return undefined;
  const node = expr.nodesAt(parsed.ast, idx!).at(-1);
  return node?.kind === 'ident' && identsNamed(parsed.ast, node.name).includes(node) ? node.name : undefined;
}

function tagRootAt(st: SourceText, offset: number): string | undefined {
  const idx = indexInText(st, offset);
  if (idx === undefined) return undefined;
  const tag = templateLib.scanTags(st.text).tags.find((t) => t.valueStart <= idx && idx <= t.valueEnd);
  if (!tag || !['name', '&', '{', '#', '^', '/'].includes(tag.sigil)) return undefined;
  const root = rootOf(tag.value);
  // Only on the root segment: `customer` of `customer.name`, not `name`.
  return idx <= tag.valueStart + root.length ? root : undefined;
}
