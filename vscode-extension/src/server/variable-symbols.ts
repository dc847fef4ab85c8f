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
import { expr, RESERVED_NAMES, spanInText, template as templateLib, type JourneyFile, type ProjectFile, type SourceText, type Span, type TemplateFile, type Type } from '@herald/dsl';
import { placedTexts } from './ast-texts.js';
import type { FileSpan } from './definition.js';
import type { DocContext } from './doc-context.js';
import { nameChainAt, NAMING_SIGILS } from './names-at.js';
import { scopeAt } from './scopes.js';

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
  /**
   * Templates with a `{{tag}}` of the name inside a section over a value of unknown type, which
   * may be the value's own field rather than the variable: listed, not renameable (their ids).
   */
  readonly uncertain: readonly string[];
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

/** The journey variable defined or used at `offset`, if any: a root name in the scope of the journey the text is (or, for a template, is sent) in. */
export function variableAt(doc: DocContext, offset: number): JourneyVariable | undefined {
  const ast = doc.project.ast(doc.rel);
  if (ast?.kind === 'journey') {
    for (const [name, spans] of variableDefinitions(ast)) if (spans.some((s) => s.start <= offset && offset <= s.end)) return { journey: ast, name };
  }
  const at = nameChainAt(doc, offset);
  if (!at || at.chain.length > 1) return undefined;
  const journey = ast?.kind === 'journey' ? ast : scopeAt(doc, at.path)?.journey;
  return journey && variableDefinitions(journey).has(at.chain[0]) ? { journey, name: at.chain[0] } : undefined;
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
  /** Records the uses in the file's expressions; whether there were any. */
  const inExpressions = (file: ProjectFile): boolean => {
    let used = false;
    for (const placed of placedTexts(file)) {
      const parsed = placed.kind === 'expression' ? expr.parseExpression(placed.text.text) : undefined;
      for (const id of parsed?.ast ? identsNamed(parsed.ast, v.name) : []) {
        use(placed.text, id.start, id.end);
        used = true;
      }
    }
    return used;
  };
  inExpressions(v.journey);
  const shared: string[] = [];
  // A policy's expressions (order, quiet hours' time zone, dedupe key) see the journey's names too.
  const usedBy = journeysUsing(doc, (j) => policiesOf(doc, j));
  for (const policy of policiesOf(doc, v.journey)) {
    const ast = doc.project.asts('policy').find((x) => x.id.value === policy);
    if (ast && inExpressions(ast) && (usedBy.get(policy)?.size ?? 0) > 1) shared.push(policy);
  }
  const sentBy = journeysUsing(doc, templatesOf);
  const sent = templatesOf(v.journey);
  const uncertain: string[] = [];
  for (const t of doc.project.asts('template')) {
    if (!sent.has(t.id.value)) continue;
    // The types the journey sends the template with tell a section's item's fields from the journey's names.
    const scope = doc.project.scopesOf(t.file).find((s) => s.journey.id.value === v.journey.id.value)?.scope;
    let used = false;
    for (const st of templateTexts(t)) {
      for (const found of usesIn(st.text, scope, v.name)) {
        use(st, found.start, found.end);
        used = true;
        if (!found.certain && !uncertain.includes(t.id.value)) uncertain.push(t.id.value);
      }
    }
    if (used && (sentBy.get(t.id.value)?.size ?? 0) > 1) shared.push(t.id.value);
  }
  return { spans, shared, inexact, uncertain };
}

/**
 * The template's uses of the name: with the scope, those Mustache looks up in the scope (not an
 * item's field of the same name inside a section); without one (no journey was checked sending
 * it yet), every tag whose first name it is.
 */
function usesIn(text: string, scope: Readonly<Record<string, Type>> | undefined, name: string): { start: number; end: number; certain: boolean }[] {
  if (scope !== undefined) return templateLib.scopeNameUses(text, scope, name);
  return templateLib
    .scanTags(text)
    .tags.filter((tag) => NAMING_SIGILS.has(tag.sigil) && rootOf(tag.value) === name)
    .map((tag) => ({ start: tag.valueStart, end: tag.valueStart + name.length, certain: true }));
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

/** The templates a journey sends. */
function templatesOf(j: JourneyFile): Set<string> {
  return new Set(j.steps.flatMap((s) => (s.kind === 'send' ? [s.template.value] : [])));
}

/** Template or policy id (as `used` lists them per journey) -> the journeys that use it. */
function journeysUsing(doc: DocContext, used: (j: JourneyFile) => Iterable<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const j of doc.project.asts('journey')) for (const id of used(j)) (out.get(id) ?? out.set(id, new Set()).get(id)!).add(j.id.value);
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
