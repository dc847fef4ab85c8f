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
 */
import { isDeepStrictEqual } from 'node:util';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver';
import { parseDocument, type Document } from 'yaml';
import { YAML_LIMITS, yamlNestsDeeperThan } from '@herald/dsl';
import type { LineIndex } from './positions.js';

export function formatYaml(text: string, options: FormattingOptions): string | undefined {
  // The yaml library composes recursively; over-deep input could exhaust the server's stack.
  if (yamlNestsDeeperThan(text, YAML_LIMITS.maxDepth)) return undefined;
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const indent = Math.max(2, Math.min(8, options.tabSize || 2));
  let printed: string | undefined;
  try {
    printed = doc.toString({ indent, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: true, indentSeq: true });
  } catch {
    printed = undefined;
  }
  if (printed !== undefined && roundTripIsSafe(doc, text, printed)) return finish(printed, options);
  return finish(normaliseWhitespace(text), options);
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
  return isDeepStrictEqual(comments(before), comments(after));
}

/** The comments of a YAML text, in order (a `#` at a line start or after a blank, outside quotes). */
function comments(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if ((c === '"' || c === "'") && (i === 0 || /[\s:,[{-]/.test(line[i - 1]!))) quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
        out.push(line.slice(i).trimEnd());
        break;
      }
    }
  }
  return out;
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

function finish(text: string, options: FormattingOptions): string {
  let out = options.trimTrailingWhitespace === false ? text : text.replace(/[ \t]+$/gm, '');
  if (options.trimFinalNewlines !== false) out = out.replace(/\n+$/, '\n');
  if (options.insertFinalNewline !== false && !out.endsWith('\n')) out += '\n';
  return out;
}

/** One edit per changed run of lines, so the editor keeps the cursor and folds where nothing changed. */
export function formattingEdits(text: string, lines: LineIndex, options: FormattingOptions): TextEdit[] {
  const lf = formatYaml(text, options);
  // The printer writes LF: a file with Windows line endings keeps them, so only what changed is edited.
  const formatted = lf !== undefined && text.includes('\r\n') ? lf.replace(/\r?\n/g, '\r\n') : lf;
  if (formatted === undefined || formatted === text) return [];
  const a = text.split('\n');
  const b = formatted.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const start = lines.offsetAt({ line: head, character: 0 });
  const endLine = a.length - tail;
  const end = endLine >= a.length ? text.length : lines.offsetAt({ line: endLine, character: 0 });
  const newText = b.slice(head, b.length - tail).join('\n') + (endLine >= a.length ? '' : '\n');
  return [{ range: lines.range(start, end), newText }];
}
