/**
 * Rename a step, template or policy id: the definition and every reference, in every file
 * of the project (steps: in their journey) and in its journey test files. The new name must be
 * a valid id and free.
 */
import { LSPErrorCodes, ResponseError, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { DocContext } from './doc-context.js';
import { innerSpan, uriOf } from './doc-context.js';
import { LineIndex } from './positions.js';
import { symbolOccurrences } from './references.js';
import { occurrenceAt, type SymbolOccurrence } from './symbol-index.js';
import { fileOccurrences } from './test-file-symbols.js';

/** The id pattern of journey-schema.ts / common-schema.ts (ID_PATTERN). */
const ID = /^[a-z][a-z0-9]*([-_][a-z0-9]+)*$/;
const RENAMEABLE: ReadonlySet<SymbolOccurrence['kind']> = new Set(['step', 'template', 'policy']);

export function prepareRename(doc: DocContext, offset: number): { range: Range; placeholder: string } | null {
  const here = fileOccurrences(doc.project, doc.rel);
  const occ = here ? occurrenceAt(here, offset) : undefined;
  if (!occ || !RENAMEABLE.has(occ.kind)) return null;
  const inner = innerSpan(doc.text, occ.span);
  return { range: doc.lines.range(inner.start, inner.end), placeholder: occ.name };
}

export function rename(doc: DocContext, offset: number, newName: string): WorkspaceEdit {
  const found = symbolOccurrences(doc, offset);
  if (!found || !RENAMEABLE.has(found.symbol.kind)) throw new ResponseError(LSPErrorCodes.RequestFailed, 'only step, template and policy ids can be renamed');
  const { symbol, all } = found;
  if (!ID.test(newName)) {
    throw new ResponseError(LSPErrorCodes.RequestFailed, `\`${newName}\` is not a valid id: use lower-case letters, digits, \`-\` and \`_\`, starting with a letter`);
  }
  if (newName === symbol.name) return { changes: {} };
  if (taken(doc, symbol, newName)) throw new ResponseError(LSPErrorCodes.RequestFailed, `a ${symbol.kind} \`${newName}\` already exists`);
  const changes: Record<string, TextEdit[]> = {};
  const lineIndexes = new Map<string, LineIndex>();
  for (const s of all) {
    const text = doc.project.texts.get(s.file) ?? '';
    let li = lineIndexes.get(s.file);
    if (!li) lineIndexes.set(s.file, (li = s.file === doc.rel ? doc.lines : new LineIndex(text)));
    const inner = innerSpan(text, s);
    const uri = uriOf(doc.project.root, s.file);
    (changes[uri] ??= []).push({ range: li.range(inner.start, inner.end), newText: newName });
  }
  return { changes };
}

function taken(doc: DocContext, symbol: SymbolOccurrence, name: string): boolean {
  switch (symbol.kind) {
    case 'step': {
      const j = doc.project.ast(symbol.container);
      return j?.kind === 'journey' && j.steps.some((s) => s.id?.value === name);
    }
    case 'template':
      return doc.project.asts('template').some((t) => t.id.value === name);
    case 'policy':
      return doc.project.asts('policy').some((p) => p.id.value === name);
    default:
      return false;
  }
}
