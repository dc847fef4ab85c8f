/**
 * `optional-field-read` (warning): an expression reads a field declared optional (`card:
 * string?`) as if it were always there — `upper(trigger.card)`. When the event (or the data
 * load) leaves it out, the read fails the step at run time ("`trigger` has no field `card`"),
 * and with it the instance. Reads that allow a missing value are fine: the left side of `??`,
 * the operand of `has()`, the arguments of `coalesce()` (expr/strict-reads.ts `walkReads`, as
 * compile-expression.ts evaluates them).
 *
 * A presence test can also be a step away from the read (a `branch` on `has(trigger.card)`
 * before the step that reads it, or `has(x) ? x : ...`), which this check does not follow
 * through the step graph: a path the journey tests anywhere (`has(trigger.card)`,
 * `trigger.card ?? ...`) counts as guarded everywhere in it. So the warning is about fields the
 * journey never tests at all, one per path and expression, at the read.
 */
import type { Problem } from '../diagnostics/report.js';
import { childNodes, type ExprNode, type MemberNode } from '../expr/ast.js';
import { walkReads } from '../expr/strict-reads.js';
import { spanInText, type SourceText } from '../model/ast.js';
import { typeToString, type Type } from '../types/type.js';

/** One checked expression of a journey, with what the checker found about it. */
export interface CheckedSite {
  readonly st: SourceText;
  readonly ast: ExprNode;
  readonly nodeTypes: ReadonlyMap<ExprNode, Type>;
  readonly optionalReads: readonly MemberNode[];
  /**
   * What a missing value costs: a step fails (the default), or — for a trigger's `subject` and
   * `key`, worked out before any step — the event starts nothing for the journey.
   */
  readonly whenMissing?: 'step-fails' | 'starts-nothing';
}

/** `trigger.card.kind` for a chain of names; undefined for anything else (a call, an index). */
function pathOf(node: ExprNode): string | undefined {
  if (node.kind === 'ident') return node.name;
  if (node.kind === 'member') {
    const object = pathOf(node.object);
    return object === undefined ? undefined : `${object}.${node.name}`;
  }
  return undefined;
}

export function unguardedOptionalReads(sites: readonly CheckedSite[]): Problem[] {
  const tolerant = new Set<ExprNode>();
  for (const site of sites) {
    walkReads(site.ast, (read, isTolerant) => {
      if (isTolerant && read.kind === 'member') tolerant.add(read);
    });
  }
  const guarded = new Set<string>();
  for (const node of tolerant) {
    const path = pathOf(node);
    if (path !== undefined) guarded.add(path);
  }
  const problems: Problem[] = [];
  for (const site of sites) {
    const told = new Set<string>();
    for (const read of site.optionalReads) {
      const path = pathOf(read);
      if (path === undefined || tolerant.has(read) || guarded.has(path) || told.has(path)) continue;
      told.add(path);
      const type = site.nodeTypes.get(read);
      const startsNothing = site.whenMissing === 'starts-nothing';
      problems.push({
        code: 'optional-field-read',
        message: `\`${path}\` is optional${type && type.kind !== 'dyn' ? ` (\`${typeToString(type)}?\`)` : ''}, and this reads it as if it were always there: when it is missing, ${startsNothing ? 'the event starts nothing for this journey' : 'the step fails'}`,
        span: spanInText(site.st, read.start, read.end),
        hint: startsNothing
          ? `make it required in the event's declaration if every event has it, or give a non-empty default (\`${path} ?? "none"\`): an empty one starts nothing too`
          : `give a default (\`${path} ?? ""\`), or test \`has(${path})\` first (in a \`branch\` before this step, or \`has(${path}) ? ... : ...\`)`,
        ...(startsNothing ? {} : defaultFix(site, read, path, type)),
      });
    }
  }
  return problems;
}

/**
 * The quick fix `<read> ?? <empty value of its type>` — `""`, `0`, `false`, and `[]` or `{}` for a
 * list or map except in a plain scalar inside a flow collection (`{ x: a }`), which `[]{},` would
 * end. The string literal takes the quote its scalar does not use; the default is in parentheses
 * unless the read is the whole expression or an argument (`??` binds loosest).
 */
function defaultFix(site: CheckedSite, read: MemberNode, path: string, type: Type | undefined): Pick<Problem, 'fix'> {
  const st = site.st;
  if (st.base === undefined && st.offsets === undefined) return {};
  const empty = emptyLiteral(type, st);
  if (empty === undefined) return {};
  const parent = parentOf(site.ast, read);
  const bare = parent === undefined || (parent.kind === 'call' && parent.args.includes(read));
  const text = `${st.text.slice(read.start, read.end)} ?? ${empty}`;
  return { fix: { title: `Default to ${empty} when \`${path}\` is missing`, span: spanInText(st, read.start, read.end), newText: bare ? text : `(${text})` } };
}

function emptyLiteral(type: Type | undefined, st: CheckedSite['st']): string | undefined {
  switch (type?.kind) {
    case 'string':
      return st.scalarStyle === 'double' ? "''" : '""';
    case 'number':
      return '0';
    case 'bool':
      return 'false';
    case 'list':
      return st.inFlowCollection ? undefined : '[]';
    case 'map':
      return st.inFlowCollection ? undefined : '{}';
    default:
      return undefined;
  }
}

function parentOf(root: ExprNode, node: ExprNode): ExprNode | undefined {
  for (const child of childNodes(root)) {
    if (child === node) return root;
    const found = parentOf(child, node);
    if (found) return found;
  }
  return undefined;
}
