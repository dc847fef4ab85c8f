/**
 * Compiler diagnostics -> LSP diagnostics, one to one: same code, same range (LSP counts
 * from 0), the hint after the message, related locations kept, and the fix in `data` for
 * the quick fix.
 */
import type { Diagnostic as DslDiagnostic } from '@herald/dsl';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { DiagnosticData } from './code-actions.js';
import { toLspRange } from './positions.js';

const SEVERITY: Record<DslDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(d: DslDiagnostic, uriOf: (file: string) => string): Diagnostic {
  const out: Diagnostic = {
    range: toLspRange(d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'herald',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  };
  if (d.code === 'unreachable-step' || d.code === 'goto-next-step') out.tags = [DiagnosticTag.Unnecessary];
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri: uriOf(r.file), range: toLspRange(r.range) }, message: r.message }));
  if (d.fix) out.data = { fix: d.fix } satisfies DiagnosticData;
  return out;
}
