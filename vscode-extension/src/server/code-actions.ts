/**
 * Quick fixes: a diagnostic that carries a `fix` (the did-you-mean of an unknown name, a key
 * or a value; quoting a `{{...}}` value, also one YAML cannot parse because text follows it,
 * which the compiler reports as `unquoted-template` with the fix) becomes a code action with
 * that edit.
 */
import type { Diagnostic as DslDiagnostic } from '@herald/dsl';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { toLspRange } from './positions.js';

/** What the server puts in an LSP diagnostic's `data`, and gets back in a code action request. */
export interface DiagnosticData {
  readonly fix?: DslDiagnostic['fix'];
}

export function codeActions(params: CodeActionParams, published: readonly Diagnostic[]): CodeAction[] {
  if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
  const uri = params.textDocument.uri;
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'herald') continue;
    // Clients send back `data`; look the diagnostic up among those published when one does not.
    const data = (d.data as DiagnosticData | undefined) ?? (published.find((p) => p.code === d.code && sameRange(p.range, d.range))?.data as DiagnosticData | undefined);
    const fix = data?.fix;
    if (!fix) continue;
    out.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [uri]: [{ range: toLspRange(fix.range), newText: fix.newText }] } },
    });
  }
  return out;
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
