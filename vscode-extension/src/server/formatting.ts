/**
 * Formatting for the editor: the compiler's formatter (dsl/src/format/format-yaml.ts, which
 * `herald fmt` uses too) as one edit per changed run of lines.
 */
import type { FormattingOptions, TextEdit } from 'vscode-languageserver';
import { formatFile } from '@herald/dsl';
import type { LineIndex } from './positions.js';

/** One edit per changed run of lines, so the editor keeps the cursor and folds where nothing changed. */
export function formattingEdits(text: string, lines: LineIndex, options: FormattingOptions): TextEdit[] {
  // A file with Windows line endings keeps them, so only what changed is edited.
  const formatted = formatFile(text, options);
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
