/**
 * Quick fixes: a diagnostic that carries a `fix` (the did-you-mean of an unknown name, a key
 * or a value; quoting a `{{...}}` value) becomes a code action with that edit. A YAML syntax
 * error on a value that starts with `{{` and goes on with more text gets the same quoting,
 * found from the line (the dsl's quoteTemplateValue), where the compiler did not attach it.
 */
import { quoteTemplateValue, type Diagnostic as DslDiagnostic } from '@herald/dsl';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { toLspRange } from './positions.js';

/** What the server puts in an LSP diagnostic's `data`, and gets back in a code action request. */
export interface DiagnosticData {
  readonly fix?: DslDiagnostic['fix'];
}

/** Codes a value that YAML reads as a mapping followed by more text may be reported under. */
const SYNTAX_CODES: ReadonlySet<unknown> = new Set(['yaml-syntax', 'unquoted-template']);

export function codeActions(params: CodeActionParams, published: readonly Diagnostic[], text: string | undefined): CodeAction[] {
  if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
  const uri = params.textDocument.uri;
  const out: CodeAction[] = [];
  const quotedLines = new Set<number>();
  for (const d of params.context.diagnostics) {
    if (d.source !== 'herald') continue;
    // Clients send back `data`; look the diagnostic up among those published when one does not.
    const data = (d.data as DiagnosticData | undefined) ?? (published.find((p) => p.code === d.code && sameRange(p.range, d.range))?.data as DiagnosticData | undefined);
    const fix = data?.fix;
    if (fix) {
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [uri]: [{ range: toLspRange(fix.range), newText: fix.newText }] } },
      });
      continue;
    }
    if (text === undefined || !SYNTAX_CODES.has(d.code)) continue;
    const line = d.range.start.line;
    const quote = quotedLines.has(line) ? undefined : quoteTemplateValue(text, line);
    if (!quote) continue;
    // The parser may report one bad line more than once; one action quotes it.
    quotedLines.add(line);
    out.push({
      title: 'Quote this value',
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [uri]: [quote] } },
    });
  }
  return out;
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
