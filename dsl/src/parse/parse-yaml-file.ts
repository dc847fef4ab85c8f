/**
 * Stage 1: text -> YNode tree with offsets. Reports YAML syntax errors, duplicate keys
 * (with both positions), unquoted `{{...}}` values, alias bombs, over-deep nesting and
 * oversized files as problems; never throws on user input.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type Document, type Node as YamlNode } from 'yaml';
import { firstCollectionDeeperThan } from './cst-depth.js';
import { quoteTemplateValue } from './quote-template-value.js';
import type { Problem } from '../diagnostics/report.js';
import type { Span } from '../source/source-file.js';
import { scalarTextMap } from './scalar-offsets.js';
import type { YEntry, YNode, YScalar } from './yaml-tree.js';
import type { SourceText } from '../model/ast.js';

export interface ParseLimits {
  readonly maxBytes: number;
  readonly maxAliases: number;
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxBytes: 10 * 1024 * 1024, maxAliases: 100, maxDepth: 64 };

export interface ParsedYaml {
  readonly root: YNode | undefined;
  readonly problems: readonly Problem[];
}

export function parseYamlFile(file: string, text: string, limits: ParseLimits = DEFAULT_LIMITS): ParsedYaml {
  const problems: Problem[] = [];
  const at = (start: number, end: number): Span => ({ file, start, end: Math.max(start, end) });
  if (text.length > limits.maxBytes) {
    problems.push({
      code: 'file-too-large',
      message: `file is ${(text.length / 1048576).toFixed(1)} MB; the limit is ${limits.maxBytes / 1048576} MB`,
      span: at(0, 0),
      hint: 'split it into several files; one journey, template or policy per file',
    });
    return { root: undefined, problems };
  }
  const tokens = Array.from(new Parser().parse(text));
  const tooDeep = firstCollectionDeeperThan(tokens, limits.maxDepth);
  if (tooDeep !== undefined) {
    problems.push(nestingTooDeep(at(tooDeep, tooDeep + 1), limits.maxDepth));
    return { root: undefined, problems };
  }
  const docs = Array.from(new Composer({ uniqueKeys: false }).compose(tokens)) as Document.Parsed[];
  const doc = docs[0];
  if (!doc) return { root: undefined, problems };
  for (const extra of docs.slice(1)) {
    const start = extra.range[0];
    problems.push({
      code: 'multiple-documents',
      message: 'a Herald file holds one YAML document; this `---` starts a second',
      span: at(start, start + 3),
      hint: 'move the second document into a file of its own',
    });
  }
  // After the first syntax error the YAML parser reports every later token as unexpected;
  // those cascades are noise, so only the first error and later ones of another kind count.
  let reported = 0;
  let lastLineStart = -1;
  for (const e of [...doc.errors, ...doc.warnings]) {
    const [s, en] = e.pos;
    const lineStart = text.lastIndexOf('\n', s - 1) + 1;
    const isWarning = doc.warnings.includes(e);
    if (!isWarning && reported > 0 && (e.code === 'UNEXPECTED_TOKEN' || lineStart === lastLineStart || reported >= 5)) continue;
    if (!isWarning) {
      reported++;
      lastLineStart = lineStart;
    }
    const template = isWarning ? undefined : unquotedTemplateOnLine(text, lineStart, s);
    if (template !== undefined) {
      problems.push(unquotedTemplateProblem(template.raw, at(template.start, template.end), template.newText));
      continue;
    }
    problems.push({
      code: 'yaml-syntax',
      severity: isWarning ? 'warning' : 'error',
      message: yamlMessage(e.code, e.message),
      span: at(s, en > s ? en : s + 1),
      hint: yamlHint(e.code, text, s),
    });
  }
  if (doc.errors.length > 0) return { root: undefined, problems };
  const walker = new Walker(file, text, doc, limits, problems);
  const root = doc.contents ? walker.node(doc.contents as YamlNode, 0) : undefined;
  return { root, problems };
}

/**
 * `subject: {{ name }}, welcome` is a flow mapping followed by text, which YAML cannot parse: when
 * the error falls in a value that starts with `{{` (quote-template-value.ts finds it, over the
 * lines a plain value spans), the problem is said as `unquoted-template` at that value, with the
 * edit that quotes it as its fix, instead of the parser's "unexpected scalar" at the comma.
 */
function unquotedTemplateOnLine(text: string, lineStart: number, errorAt: number): { raw: string; start: number; end: number; newText: string } | undefined {
  const line = lineIndexAt(text, lineStart);
  const edit = quoteTemplateValue(text, line);
  if (!edit) return undefined;
  const start = offsetOf(text, edit.range.start.line, edit.range.start.character);
  const end = offsetOf(text, edit.range.end.line, edit.range.end.character);
  if (errorAt < start || errorAt > end) return undefined;
  return { raw: text.slice(start, end), start, end, newText: edit.newText };
}

function lineIndexAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function offsetOf(text: string, line: number, character: number): number {
  let at = 0;
  for (let l = 0; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + character;
}

function unquotedTemplateProblem(raw: string, span: Span, newText = JSON.stringify(raw)): Problem {
  const shown = raw.replace(/\s+/g, ' ');
  return {
    code: 'unquoted-template',
    message: `\`${shown.length > 40 ? shown.slice(0, 37) + '...' : shown}\` is read by YAML as a mapping, not as text`,
    span,
    hint: 'quote this value: a YAML value that starts with `{` is a flow mapping',
    fix: { title: 'Quote this value', span, newText },
  };
}

function nestingTooDeep(span: Span, maxDepth: number): Problem {
  return {
    code: 'nesting-too-deep',
    message: `the YAML nests deeper than ${maxDepth} levels`,
    span,
    hint: 'Herald files nest a handful of levels; look for an unclosed `[` or `{`, or an alias that refers to itself through others',
  };
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
  return `${first} (${code})`;
}

function yamlHint(code: string, text: string, at: number): string | undefined {
  const line = text.slice(text.lastIndexOf('\n', at - 1) + 1, text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
  if (line.includes('${') && /[{[]/.test(line.replace(/\$\{/g, ''))) {
    return 'quote values with `${VAR}`: inside `{ }` or `[ ]` YAML reads `{` as the start of a mapping (write "${VAR}")';
  }
  if (line.includes('{{')) return 'quote values with `{{...}}`: YAML reads `{` as the start of a mapping';
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces; YAML does not allow tabs for indentation';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation of this line against the lines above it';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a `:` may be missing at the end of the previous key, or a value needs quotes';
    case 'DUPLICATE_KEY':
      return 'remove one of the keys';
    default:
      return undefined;
  }
}

class Walker {
  private aliases = 0;
  private aliasReported = false;
  private depthReported = false;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly limits: ParseLimits,
    private readonly problems: Problem[],
  ) {}

  private span(node: { range?: [number, number, number] | null | undefined }): Span {
    const r = node.range ?? [0, 0, 0];
    return { file: this.file, start: r[0], end: r[1] };
  }

  /** `inFlow`: inside a flow collection (`{ ... }`, `[ ... ]`), where a plain scalar ends at `[]{},`. */
  node(n: YamlNode, depth: number, inFlow = false): YNode | undefined {
    if (depth > this.limits.maxDepth) {
      if (!this.depthReported) {
        this.depthReported = true;
        this.problems.push(nestingTooDeep(this.span(n), this.limits.maxDepth));
      }
      return undefined;
    }
    if (isAlias(n)) {
      this.aliases++;
      if (this.aliases > this.limits.maxAliases) {
        if (!this.aliasReported) {
          this.aliasReported = true;
          this.problems.push({
            code: 'too-many-aliases',
            message: `more than ${this.limits.maxAliases} alias uses in one file`,
            span: this.span(n),
            hint: 'this looks like an alias bomb; expand the aliases or split the file',
          });
        }
        return undefined;
      }
      const target = n.resolve(this.doc);
      if (!target) {
        this.problems.push({ code: 'unresolved-alias', message: `alias \`*${n.source}\` names no anchor`, span: this.span(n) });
        return undefined;
      }
      // An alias stands for its anchor's value; positions stay those of the anchor.
      // Written at the anchor, whose context is not known here: taken as the stricter one.
      return this.node(target as YamlNode, depth + 1, true);
    }
    if (isScalar(n)) return this.scalar(n, inFlow);
    if (isMap(n)) {
      if (n.flow && this.text.startsWith('{{', n.range?.[0] ?? -1)) return this.unquotedTemplate(n);
      const entries: YEntry[] = [];
      const seen = new Map<string, Span>();
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as YamlNode | null;
        if (!k || !isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number' && typeof k.value !== 'boolean')) {
          if (k && isMap(k) && this.text.startsWith('{{', k.range?.[0] ?? -1)) {
            entries.push({ key: '', keySpan: this.span(k), value: this.unquotedTemplate(k) });
            continue;
          }
          this.problems.push({
            code: 'non-string-key',
            message: 'a mapping key must be a plain string',
            span: k ? this.span(k) : this.span(n),
          });
          continue;
        }
        // A key YAML reads as a number or boolean (`007:`, `1e21:`, `1.0:`) is the name as written:
        // String() of the number would turn those into `7`, `1e+21` and `1`.
        const key = typeof k.value === 'string' ? k.value : this.text.slice(k.range![0], k.range![1]);
        const keySpan = this.span(k);
        const earlier = seen.get(key);
        if (earlier) {
          this.problems.push({
            code: 'duplicate-key',
            message: `key \`${key}\` appears twice in this mapping`,
            span: keySpan,
            hint: 'remove one; only the last one would count',
            related: [{ span: earlier, message: `\`${key}\` first appears here` }],
          });
        }
        seen.set(key, keySpan);
        const v = pair.value as YamlNode | null;
        const value: YNode = v
          ? (this.node(v, depth + 1, inFlow || n.flow === true) ?? { kind: 'scalar', value: null, span: this.span(v), text: undefined })
          : { kind: 'scalar', value: null, span: { file: this.file, start: keySpan.end, end: keySpan.end }, text: undefined };
        entries.push({ key, keySpan, value });
      }
      return { kind: 'map', entries, span: this.span(n) };
    }
    if (isSeq(n)) {
      const items: YNode[] = [];
      for (const item of n.items) {
        const y = item ? this.node(item as YamlNode, depth + 1, inFlow || n.flow === true) : undefined;
        if (y) items.push(y);
      }
      return { kind: 'seq', items, span: this.span(n) };
    }
    return undefined;
  }

  private scalar(n: import('yaml').Scalar, inFlow: boolean): YScalar {
    const span = this.span(n);
    const v = n.value;
    if (typeof v === 'string') {
      const map = scalarTextMap(this.text, span.start, span.end, n.type, v);
      const scalarStyle: NonNullable<SourceText['scalarStyle']> = n.type === 'PLAIN' ? 'plain' : n.type === 'QUOTE_SINGLE' ? 'single' : n.type === 'QUOTE_DOUBLE' ? 'double' : 'block';
      const style: Partial<Pick<SourceText, 'scalarStyle' | 'inFlowCollection'>> = scalarStyle === 'plain' && inFlow ? { scalarStyle, inFlowCollection: true } : { scalarStyle };
      return { kind: 'scalar', value: v, span, text: map ? { text: v, span, ...map, ...style } : { text: v, span, ...style } };
    }
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return { kind: 'scalar', value: v, span, text: undefined };
    // Dates, bigints and other YAML 1.1 types: keep what the user wrote.
    const raw = this.text.slice(span.start, span.end);
    return { kind: 'scalar', value: raw, span, text: { text: raw, span, base: span.start } };
  }

  /**
   * `subject: {{ x }}` parses as a flow mapping. Report it once with a fix that quotes the
   * value, and carry on as if it had been quoted, so no schema error piles on top.
   */
  private unquotedTemplate(n: YamlNode): YScalar {
    const span = this.span(n);
    const raw = this.text.slice(span.start, span.end);
    this.problems.push(unquotedTemplateProblem(raw, span));
    return { kind: 'scalar', value: raw, span, text: { text: raw, span, base: span.start } };
  }
}
