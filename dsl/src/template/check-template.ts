/**
 * Checks every tag of a Mustache template against the typed context of the step that sends
 * it: unknown names and fields, lists and objects interpolated as text, unescaped output in
 * HTML, partials (checked in the including context), and syntax errors.
 */
import { didYouMean, didYouMeanHint, inScopeHint } from '../diagnostics/did-you-mean.js';
import { FUNCTION_DEFS } from '../expr/functions.js';
import { T, typeToString, type Type } from '../types/type.js';
import {
  enterSection,
  memberNames,
  resolvePath,
  rootContext,
  visibleNames,
  type ContextStack,
} from './context-stack.js';
import { parseTemplate, type ParsedTemplate, type TemplateNode } from './parse-template.js';
import { problem, sortProblems, type TemplateProblem, type TemplateTag } from './template-problem.js';

export interface TemplateCheckOptions {
  /** The names the template may use (trigger, subject, data, journey variables) and their types. */
  readonly scope: Readonly<Record<string, Type>>;
  /** The partials `{{> name}}` may include, by name. */
  readonly partials: Readonly<Record<string, string>>;
  /** The variant is HTML: output is escaped, so `{{{x}}}` / `{{& x}}` deserve a warning. */
  readonly html: boolean;
  /**
   * `scope` holds only some of the names the template will see (a template that no journey
   * sends is checked with `subject` and `journey` alone): a name found nowhere on the stack may
   * be one of the others (`trigger`, a journey variable), so it is not reported and reads as
   * `any`. Fields of the names in scope are checked as usual.
   */
  readonly openScope?: boolean;
}

/** Bounds the work on partials that include each other many times over (a → b b → c c c ...). */
const MAX_PARTIAL_EXPANSIONS = 256;

export function checkTemplate(text: string, options: TemplateCheckOptions): TemplateProblem[] {
  const checker = new TemplateChecker(options);
  return sortProblems(checker.check(parseTemplate(text), rootContext(options.scope), []));
}

interface Include {
  readonly name: string;
  /**
   * The context stack's height when the partial was entered. Meeting the partial again at
   * the same height means nothing was pushed in between (no section over a list or object),
   * so it would be rendered in the same context, and again, forever.
   */
  readonly height: number;
}

class TemplateChecker {
  private expansions = 0;
  private readonly parsedPartials = new Map<string, ParsedTemplate>();

  constructor(private readonly options: TemplateCheckOptions) {}

  check(parsed: ParsedTemplate, stack: ContextStack, includes: readonly Include[]): TemplateProblem[] {
    const out = [...parsed.problems];
    this.checkNodes(parsed.nodes, stack, includes, out);
    return out;
  }

  private checkNodes(
    nodes: readonly TemplateNode[],
    stack: ContextStack,
    includes: readonly Include[],
    out: TemplateProblem[],
  ): void {
    for (const node of nodes) {
      const { tag } = node;
      switch (tag.kind) {
        case 'comment':
          break;
        case 'name':
        case 'unescaped': {
          if (tag.kind === 'unescaped' && this.options.html) out.push(unescapedInHtml(tag));
          const type = node.checkable ? this.resolve(tag, stack, out) : undefined;
          if (type) {
            const p = rendersObject(tag, type);
            if (p) out.push(p);
          }
          break;
        }
        case 'section':
        case 'inverted': {
          // An unknown name is reported once; inside, anything goes rather than a cascade of errors.
          const type = node.checkable ? (this.resolve(tag, stack, out) ?? T.dyn) : T.dyn;
          const inner = tag.kind === 'section' ? enterSection(stack, type) : stack;
          this.checkNodes(node.children, inner, includes, out);
          break;
        }
        case 'partial':
          if (node.checkable) this.checkPartial(tag, stack, includes, out);
          break;
      }
    }
  }

  /** The path's type, or undefined after reporting why it has none. */
  private resolve(tag: TemplateTag, stack: ContextStack, out: TemplateProblem[]): Type | undefined {
    if (tag.path.includes('|')) {
      out.push(pipeInTag(tag));
      return undefined;
    }
    const r = resolvePath(stack, tag.path);
    if (r.ok) return r.type;
    if (r.kind === 'unknown-variable') {
      // No journey can define a name with a leading dot, so that mistake is worth reporting even so.
      if (this.options.openScope && !tag.path.startsWith('.')) return T.dyn;
      const names = visibleNames(stack);
      const hint = unknownVariableHint(r.name, tag.path, names);
      // A section's name is written again in its closing tag: renaming one end alone would break it.
      const fixable = (tag.kind === 'name' || tag.kind === 'unescaped') && tag.path.startsWith(r.name);
      const similar = fixable ? didYouMean(r.name, names.keys()) : undefined;
      const found = problem('unknown-variable', 'error', `unknown variable \`${r.name}\``, tag.start, tag.end, hint);
      out.push(similar === undefined ? found : { ...found, fix: { start: tag.start, end: tag.start + r.name.length, newText: similar } });
      return undefined;
    }
    // Mustache would go on to look the path up in the template's scope, where a name the open scope does not hold may have it.
    if (this.options.openScope && !Object.hasOwn(this.options.scope, r.segments[0]!)) return T.dyn;
    const owner = r.segments.slice(0, r.segment).join('.');
    const name = r.segments[r.segment]!;
    const start = tag.start + owner.length + 1;
    const message =
      r.ownerType.kind === 'object' || r.ownerType.kind === 'map'
        ? `\`${owner}\` has no field \`${name}\``
        : `\`${owner}\` is ${describe(r.ownerType)}, which has no field \`${name}\``;
    const found = problem('unknown-field', 'error', message, start, start + name.length, unknownFieldHint(owner, name, r.ownerType));
    const similar = tag.kind === 'name' || tag.kind === 'unescaped' ? didYouMean(name, memberNames(r.ownerType)) : undefined;
    out.push(similar === undefined ? found : { ...found, fix: { start, end: start + name.length, newText: similar } });
    return undefined;
  }

  private checkPartial(
    tag: TemplateTag,
    stack: ContextStack,
    includes: readonly Include[],
    out: TemplateProblem[],
  ): void {
    const name = tag.path;
    const { partials } = this.options;
    if (!Object.hasOwn(partials, name)) {
      const similar = didYouMean(name, Object.keys(partials));
      const hint = (similar === undefined ? undefined : `did you mean \`${similar}\`?`) ?? knownPartialsHint(Object.keys(partials));
      const found = problem('unknown-partial', 'error', `unknown partial \`${name}\``, tag.start, tag.end, hint);
      out.push(similar === undefined ? found : { ...found, fix: { start: tag.start, end: tag.end, newText: similar } });
      return;
    }
    const cycleAt = includes.findIndex((i) => i.name === name);
    if (cycleAt >= 0) {
      // Included again in a deeper context (a tree rendered by a partial): it recurses only as
      // deep as the data goes, and it has been checked once already.
      if (includes[cycleAt]!.height !== stack.length) return;
      const cycle = [...includes.slice(cycleAt).map((i) => i.name), name].join(' → ');
      out.push(
        problem(
          'template-recursive-partial',
          'error',
          `partial \`${name}\` includes itself (${cycle}) in the same context, so rendering never ends`,
          tag.tagStart,
          tag.tagEnd,
          `include it only inside a section over nested data, e.g. {{#children}}{{> ${name}}}{{/children}}`,
        ),
      );
      return;
    }
    if (++this.expansions > MAX_PARTIAL_EXPANSIONS) return;

    let parsed = this.parsedPartials.get(name);
    if (!parsed) {
      parsed = parseTemplate(partials[name]!);
      this.parsedPartials.set(name, parsed);
    }
    // Offsets inside the partial mean nothing in this text: report at the include.
    for (const p of this.check(parsed, stack, [...includes, { name, height: stack.length }])) {
      out.push(problem(p.code, p.severity, `in partial \`${name}\`: ${p.message}`, tag.tagStart, tag.tagEnd, p.hint));
    }
  }
}

function describe(type: Type): string {
  const s = typeToString(type);
  return s.length <= 40 ? `\`${s}\`` : `a ${type.kind}`;
}

function unknownVariableHint(name: string, path: string, names: ReadonlyMap<string, Type>): string | undefined {
  if (path.startsWith('.') && path.length > 1) {
    const field = path.slice(1);
    return `mustache.js reads a leading dot as part of the name; write {{${field}}} for a field of the current element`;
  }
  const similar = didYouMeanHint(name, names.keys());
  if (similar) return similar;
  for (const [list, type] of names) {
    if (type.kind === 'list' && type.element.kind === 'object' && Object.hasOwn(type.element.fields, name)) {
      return `\`${name}\` is a field of each element of \`${list}\`: use it inside {{#${list}}}...{{/${list}}}`;
    }
  }
  return inScopeHint([...names.keys()]);
}

function unknownFieldHint(owner: string, name: string, ownerType: Type): string | undefined {
  const similar = didYouMeanHint(name, memberNames(ownerType));
  if (similar) return similar;
  if (ownerType.kind === 'list' && ownerType.element.kind === 'object' && Object.hasOwn(ownerType.element.fields, name)) {
    return `\`${owner}\` is a list: use {{#${owner}}}{{${name}}}{{/${owner}}} to render it for each element`;
  }
  if (ownerType.kind === 'object') {
    const fields = Object.keys(ownerType.fields);
    if (fields.length > 0 && fields.length <= 12) return `its fields: ${fields.map((f) => `\`${f}\``).join(', ')}`;
  }
  return undefined;
}

function knownPartialsHint(names: readonly string[]): string {
  return names.length === 0
    ? 'this template declares no partials'
    : `partials of this template: ${names.map((n) => `\`${n}\``).join(', ')}`;
}

function rendersObject(tag: TemplateTag, type: Type): TemplateProblem | undefined {
  const p = tag.path;
  switch (type.kind) {
    case 'list':
      return problem(
        'template-renders-object',
        'warning',
        `\`${p}\` is a list: it renders as its elements joined with commas, objects as [object Object]`,
        tag.start,
        tag.end,
        p === '.' ? 'render the fields of each element instead' : `render each element with {{#${p}}}...{{/${p}}}`,
      );
    case 'object':
    case 'map': {
      const first = type.kind === 'object' ? Object.keys(type.fields)[0] : undefined;
      const example = first !== undefined ? ` {{${p === '.' ? first : `${p}.${first}`}}}` : '';
      return problem(
        'template-renders-object',
        'warning',
        `\`${p}\` is ${type.kind === 'map' ? 'a map' : 'an object'} and renders as [object Object]`,
        tag.start,
        tag.end,
        `render one of its fields${example ? `, e.g.${example}` : ''}`,
      );
    }
    default:
      return undefined;
  }
}

function unescapedInHtml(tag: TemplateTag): TemplateProblem {
  return problem(
    'template-unescaped-html',
    'warning',
    `\`${tag.path}\` is written into the HTML without escaping`,
    tag.tagStart,
    tag.tagEnd,
    `use {{${tag.path}}} so the value is HTML-escaped, or keep the triple mustache only for trusted HTML`,
  );
}

/**
 * `{{trigger.plan | upper}}`: Mustache has no filters, so it would look up a name
 * `trigger.plan | upper` and render nothing. The value is computed in the journey instead.
 */
function pipeInTag(tag: TemplateTag): TemplateProblem {
  const bar = tag.path.indexOf('|');
  const base = tag.path.slice(0, bar).trim();
  const filter = /^\s*([A-Za-z_]\w*)/.exec(tag.path.slice(bar + 1))?.[1];
  const last = base.split('.').pop() || 'value';
  const fn = filter !== undefined && FUNCTION_DEFS.has(filter) ? filter : undefined;
  const variable = fn ? `${last}${fn[0]!.toUpperCase()}${fn.slice(1)}` : `${last}Text`;
  const expr = fn ? `${fn}(${base || 'x'})` : `<expression over ${base || 'the value'}>`;
  const message = `Mustache has no filters or pipes: \`${tag.path}\` would be looked up as one name and render nothing`;
  const hint = `compute the value in the journey with a \`set:\` step, e.g. \`set: { ${variable}: "${expr}" }\`, and write {{${variable}}}`;
  return problem('template-syntax', 'error', message, tag.start, tag.end, hint);
}
