/**
 * Rename a step, template or policy id: the definition and every reference, in every file
 * of the project (steps: in their journey) and in its journey test files, and a template's or
 * policy's file when it is named after the id. The new name must be a valid id and free. Rename a journey's variable: its definitions and every use in the
 * journey's expressions and the templates it sends (variable-symbols.ts), unless a template
 * with a use is sent by another journey too.
 */
import { RESERVED_NAMES } from '@herald/dsl';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LSPErrorCodes, RenameFile, ResponseError, TextDocumentEdit, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { FileSpan } from './definition.js';
import type { DocContext } from './doc-context.js';
import { innerSpan, projectFileText, uriOf } from './doc-context.js';
import { LineIndex } from './positions.js';
import { symbolOccurrences } from './references.js';
import { occurrenceAt, type SymbolOccurrence } from './symbol-index.js';
import { fileOccurrences } from './test-file-symbols.js';
import { variableAt, variableDefinitions, variableOccurrences, type JourneyVariable } from './variable-symbols.js';

/** The id pattern of journey-schema.ts / common-schema.ts (ID_PATTERN). */
const ID = /^[a-z][a-z0-9]*([-_][a-z0-9]+)*$/;
const RENAMEABLE: ReadonlySet<SymbolOccurrence['kind']> = new Set(['step', 'template', 'policy']);

export function prepareRename(doc: DocContext, offset: number): { range: Range; placeholder: string } | null {
  const here = fileOccurrences(doc.project, doc.rel);
  const occ = here ? occurrenceAt(here, offset) : undefined;
  if (!occ) {
    const v = variableAt(doc, offset);
    const at = v && variableOccurrences(doc, v).spans.find((s) => s.file === doc.rel && s.start <= offset && offset <= s.end);
    if (!at) return null;
    const inner = innerSpan(doc.text, at);
    return { range: doc.lines.range(inner.start, inner.end), placeholder: v!.name };
  }
  if (!RENAMEABLE.has(occ.kind)) return null;
  const inner = innerSpan(doc.text, occ.span);
  return { range: doc.lines.range(inner.start, inner.end), placeholder: occ.name };
}

/** `renameFiles`: the client applies file renames (`resourceOperations: ['rename']`), so a template's or policy's file can follow its id. */
export function rename(doc: DocContext, offset: number, newName: string, renameFiles = false): WorkspaceEdit {
  const found = symbolOccurrences(doc, offset);
  if (!found) {
    const v = variableAt(doc, offset);
    if (v) return renameVariable(doc, v, newName);
  }
  if (!found || !RENAMEABLE.has(found.symbol.kind)) throw new ResponseError(LSPErrorCodes.RequestFailed, 'only step, template and policy ids and journey variables can be renamed');
  const { symbol, all } = found;
  if (!ID.test(newName)) {
    throw new ResponseError(LSPErrorCodes.RequestFailed, `\`${newName}\` is not a valid id: use lower-case letters, digits, \`-\` and \`_\`, starting with a letter`);
  }
  if (newName === symbol.name) return { changes: {} };
  if (taken(doc, symbol, newName)) throw new ResponseError(LSPErrorCodes.RequestFailed, `a ${symbol.kind} \`${newName}\` already exists`);
  const edit = editsOf(doc, all, newName);
  return renameFiles ? withFileRenamed(doc, symbol, newName, edit) : edit;
}

/**
 * A template's or policy's file named after its id (`payment-reminder.template.yaml`) is renamed
 * with it, after its text is edited: the file keeps naming what it holds. A file named otherwise
 * keeps its name (ids and file names are independent to the compiler), and so does one whose new
 * name is taken.
 */
function withFileRenamed(doc: DocContext, symbol: SymbolOccurrence, newName: string, edit: WorkspaceEdit): WorkspaceEdit {
  if (symbol.kind !== 'template' && symbol.kind !== 'policy') return edit;
  const file = doc.project.asts(symbol.kind).find((x) => x.id.value === symbol.name)?.file;
  const named = file === undefined ? null : /^(.*\/)?([^/]+)(\.(?:template|policy)\.ya?ml)$/i.exec(file);
  if (!named || named[2] !== symbol.name) return edit;
  const target = `${named[1] ?? ''}${newName}${named[3]}`;
  if (doc.project.texts.has(target) || existsSync(join(doc.project.root, target))) return edit;
  const root = doc.project.root;
  return {
    documentChanges: [
      ...Object.entries(edit.changes ?? {}).map(([uri, edits]) => TextDocumentEdit.create({ uri, version: null }, edits)),
      RenameFile.create(uriOf(root, file!), uriOf(root, target), { overwrite: false }),
    ],
  };
}

/** A variable name as expressions and templates read one. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function renameVariable(doc: DocContext, v: JourneyVariable, newName: string): WorkspaceEdit {
  const fail = (why: string) => new ResponseError(LSPErrorCodes.RequestFailed, why);
  if (!IDENTIFIER.test(newName)) throw fail(`\`${newName}\` is not a valid variable name: letters, digits and \`_\`, starting with a letter or \`_\``);
  if (newName === v.name) return { changes: {} };
  if (RESERVED_NAMES.includes(newName)) throw fail(`\`${newName}\` is a built-in name`);
  if (variableDefinitions(v.journey).has(newName)) throw fail(`journey \`${v.journey.id.value}\` has a variable \`${newName}\` already`);
  const found = variableOccurrences(doc, v);
  if (found.shared.length > 0) {
    const list = found.shared.map((t) => `\`${t}\``).join(', ');
    throw fail(`\`${v.name}\` is used in ${list}, which other journeys use too; rename it there by hand, or give those journeys a template or policy of their own`);
  }
  if (found.inexact) throw fail(`\`${v.name}\` is used in a quoted value with escapes; rename that use by hand`);
  if (found.uncertain.length > 0) {
    const list = found.uncertain.map((t) => `\`${t}\``).join(', ');
    throw fail(`\`{{${v.name}}}\` in ${list} is inside a section over a value of unknown type, which may have a \`${v.name}\` of its own; rename those uses by hand`);
  }
  return editsOf(doc, found.spans, newName);
}

function editsOf(doc: DocContext, all: readonly FileSpan[], newName: string): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  const lineIndexes = new Map<string, LineIndex>();
  for (const s of all) {
    const text = projectFileText(doc, s.file) ?? '';
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
