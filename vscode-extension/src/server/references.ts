/**
 * Find references: every place a step, template, policy, event, channel, source, query or
 * partial is named, across the project (steps and partials: within their file), journey test
 * files included (test-file-symbols.ts); and every place a journey's variable is defined or
 * used (variable-symbols.ts).
 */
import type { Location } from 'vscode-languageserver';
import type { DocContext } from './doc-context.js';
import { toLocation, type FileSpan } from './definition.js';
import { kindsOfFilesFor, occurrenceAt, occurrences, symbolKey, type SymbolOccurrence } from './symbol-index.js';
import { allTestFileOccurrences, fileOccurrences, TEST_FILE_KINDS } from './test-file-symbols.js';
import { variableAt, variableOccurrences } from './variable-symbols.js';

/** Every occurrence of the symbol under the cursor, definitions included; undefined when there is none. */
export function symbolOccurrences(doc: DocContext, offset: number): { symbol: SymbolOccurrence; all: FileSpan[] } | undefined {
  const here = fileOccurrences(doc.project, doc.rel);
  const symbol = here ? occurrenceAt(here, offset) : undefined;
  if (!symbol) return undefined;
  const key = symbolKey(symbol);
  const files =
    symbol.container !== '' ? [doc.project.ast(symbol.container)] : kindsOfFilesFor(symbol.kind).flatMap((k) => doc.project.asts(k));
  const all: FileSpan[] = [];
  for (const f of files) {
    if (!f) continue;
    for (const o of occurrences(f)) if (symbolKey(o) === key) all.push({ file: o.span.file, start: o.span.start, end: o.span.end, def: o.def });
  }
  if (TEST_FILE_KINDS.has(symbol.kind)) {
    for (const o of allTestFileOccurrences(doc.project)) if (symbolKey(o) === key) all.push({ file: o.span.file, start: o.span.start, end: o.span.end, def: false });
  }
  return { symbol, all };
}

export function references(doc: DocContext, offset: number, includeDeclaration: boolean): Location[] {
  const found = symbolOccurrences(doc, offset);
  const variable = found ? undefined : variableAt(doc, offset);
  const all = found?.all ?? (variable ? variableOccurrences(doc, variable).spans : []);
  return all.filter((s) => includeDeclaration || !s.def).map((s) => toLocation(doc, s));
}
