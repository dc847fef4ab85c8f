/**
 * Formatting that keeps comments.
 *
 * The file goes through `yaml`'s Document round-trip (the library the compiler parses with):
 * it keeps comments, blank lines, quoting and block scalars, and re-indents consistently.
 * The result is used only when it is provably harmless: it must parse to the same data and
 * hold the same comments, in the same order. Otherwise (anchors the printer would
 * restructure, comments it would move, exotic scalars) the formatter falls back to a
 * conservative clean-up that touches only whitespace: trailing spaces, tabs in indentation
 * and blank lines at the end. A file that is not valid YAML, or nests deeper than the compiler
 * accepts, is left alone.
 *
 * The printer puts one space before a comment at the end of a line; comments aligned in a
 * column (as Herald's examples write them) keep their column instead, moved with the line's
 * indentation, unless the line's code now reaches past it.
 *
 * Flow collections follow Prettier's YAML style, which Herald's examples and docs write:
 * maps padded (`{ event: a.b }`), sequences not (`[email, sms]`). The printer has one switch
 * for both, so each flow collection sets it for itself.
 */
import { isDeepStrictEqual } from 'node:util';
import { isCollection, parseDocument, visit, type Document } from 'yaml';
import { DEFAULT_LIMITS as YAML_LIMITS } from '../parse/parse-yaml-file.js';
import { yamlNestsDeeperThan } from '../parse/cst-depth.js';

/** The editor's formatting options, as far as formatting reads them (LSP `FormattingOptions` fits). */
export interface FormatOptions {
  /** Spaces per level, 2 to 8; default 2. */
  readonly tabSize?: number;
  readonly trimTrailingWhitespace?: boolean;
  readonly trimFinalNewlines?: boolean;
  readonly insertFinalNewline?: boolean;
}

/**
 * The file formatted, with the file's own line endings (CRLF stays CRLF) and byte order mark;
 * undefined when it is left alone (not valid YAML, too deep).
 */
export function formatFile(text: string, options: FormatOptions = {}): string | undefined {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lf = formatYaml(text.slice(bom.length), options);
  if (lf === undefined) return undefined;
  // The printer writes LF: a file with Windows line endings keeps them.
  return bom + (text.includes('\r\n') ? lf.replace(/\r?\n/g, '\r\n') : lf);
}

/** The file formatted, with LF line endings; undefined when it is left alone. */
export function formatYaml(text: string, options: FormatOptions = {}): string | undefined {
  // The yaml library composes recursively; over-deep input could exhaust the server's stack.
  if (yamlNestsDeeperThan(text, YAML_LIMITS.maxDepth)) return undefined;
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const indent = Math.max(2, Math.min(8, options.tabSize ?? 2));
  // A collection as a key (`{{ x }}`: a template tag YAML read as a map) would come out as
  // `{ ? { x } }`: the same data, the author's mistake harder to see.
  const printed = hasCollectionKey(doc) ? undefined : print(doc, indent);
  if (printed !== undefined && roundTripIsSafe(doc, text, printed)) {
    const aligned = keepCommentColumns(text, printed);
    return finish(aligned !== printed && roundTripIsSafe(doc, text, aligned) ? aligned : printed, options);
  }
  return finish(normaliseWhitespace(text), options);
}

/** The printer's context, as far as this file touches it (the library does not export its type). */
type Printable = { toString(ctx?: { flowCollectionPadding: string }, ...rest: unknown[]): string };

/** Gives each flow collection of `doc` its own padding: `{ a: 1 }`, `[a, b]`. */
function padFlowCollections(doc: Document): void {
  const pad = (node: Printable, padding: string) => {
    const print = node.toString;
    // The printer passes its context down to the items, so each collection sets its own.
    node.toString = (ctx, ...rest) => print.call(node, ctx && { ...ctx, flowCollectionPadding: padding }, ...rest);
  };
  visit(doc, {
    Map(_, node) {
      if (node.flow) pad(node as unknown as Printable, ' ');
    },
    Seq(_, node) {
      if (node.flow) pad(node as unknown as Printable, '');
    },
  });
}

function print(doc: Document, indent: number): string | undefined {
  padFlowCollections(doc);
  try {
    return doc.toString({ indent, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: true, indentSeq: true });
  } catch {
    return undefined;
  }
}

function hasCollectionKey(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** `doc`: `before`, parsed already (printing does not change it). */
function roundTripIsSafe(doc: Document, before: string, after: string): boolean {
  const b = parseDocument(after, { uniqueKeys: false });
  if (b.errors.length > 0) return false;
  try {
    // The default alias limit also keeps an alias bomb from being expanded here.
    if (!isDeepStrictEqual(doc.toJS(), b.toJS())) return false;
  } catch {
    return false;
  }
  return isDeepStrictEqual(comments(before).map((c) => c.text), comments(after).map((c) => c.text));
}

interface Comment {
  /** 0-based line and column of its `#`. */
  readonly line: number;
  readonly column: number;
  readonly text: string;
  /** After code on its line (not a line of its own). */
  readonly trailing: boolean;
}

/** The comments of a YAML text, in order (a `#` at a line start or after a blank, outside quotes). */
function comments(text: string): Comment[] {
  const out: Comment[] = [];
  for (const [n, line] of text.split('\n').entries()) {
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if ((c === '"' || c === "'") && (i === 0 || /[\s:,[{-]/.test(line[i - 1]!))) quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
        out.push({ line: n, column: i, text: line.slice(i).trimEnd(), trailing: line.slice(0, i).trim() !== '' });
        break;
      }
    }
  }
  return out;
}

const indentOf = (line: string) => /^ */.exec(line)![0].length;

/**
 * `printed` with each end-of-line comment at the column it had in `original`, shifted by the
 * change of its line's indentation, where the code before it leaves room. The two hold the same
 * comments in the same order (roundTripIsSafe checked).
 */
function keepCommentColumns(original: string, printed: string): string {
  const before = comments(original);
  const after = comments(printed);
  if (before.length !== after.length) return printed;
  const originalLines = original.split('\n');
  const lines = printed.split('\n');
  const gone = new Set<number>();
  for (const [i, found] of after.entries()) {
    const was = before[i]!;
    let c = found;
    if (!was.trailing || was.text !== c.text) continue;
    // The printer moves the comment of a key whose value is a block (`subjects:   # by id`) to a
    // line of its own below it: it goes back where it was.
    if (!c.trailing && c.line > 0 && lines[c.line - 1]!.trim() === originalLines[was.line]!.slice(0, was.column).trim()) {
      gone.add(c.line);
      c = { line: c.line - 1, column: lines[c.line - 1]!.trimEnd().length + 1, text: c.text, trailing: true };
      lines[c.line] = `${lines[c.line]!.trimEnd()} ${c.text}`;
    }
    if (!c.trailing) continue;
    const line = lines[c.line]!;
    const code = line.slice(0, c.column).trimEnd();
    const column = was.column + indentOf(line) - indentOf(originalLines[was.line]!);
    if (column > code.length) lines[c.line] = code + ' '.repeat(column - code.length) + line.slice(c.column);
  }
  return lines.filter((_, n) => !gone.has(n)).join('\n');
}

function normaliseWhitespace(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const m = /^[ \t]*/.exec(line)![0];
      return (m.includes('\t') ? m.replace(/\t/g, '  ') : m) + line.slice(m.length).replace(/[ \t]+$/, '');
    })
    .join('\n');
}

function finish(text: string, options: FormatOptions): string {
  let out = options.trimTrailingWhitespace === false ? text : text.replace(/[ \t]+$/gm, '');
  if (options.trimFinalNewlines !== false) out = out.replace(/\n+$/, '\n');
  if (options.insertFinalNewline !== false && !out.endsWith('\n')) out += '\n';
  return out;
}
