import { codeFrameColumns } from '@babel/code-frame';
import type { Diagnostic } from './diagnostic.js';

export interface PrettyOptions {
  readonly color: boolean;
  /** Text of a file by the path diagnostics name, for the code frame. */
  readonly textOf: (file: string) => string | undefined;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/** tsc-style: `file:line:col - error code: message`, a code frame, then the hint. */
export function formatPretty(diagnostics: readonly Diagnostic[], opts: PrettyOptions): string {
  const out: string[] = [];
  for (const d of diagnostics) {
    const sev = d.severity === 'error' ? paint(opts.color, '31', 'error') : d.severity === 'warning' ? paint(opts.color, '33', 'warning') : paint(opts.color, '36', 'info');
    const loc = paint(opts.color, '36', `${d.file}:${d.range.start.line}:${d.range.start.column}`);
    out.push(`${loc} - ${sev} ${paint(opts.color, '90', d.code)}: ${d.message}`);
    const text = opts.textOf(d.file);
    if (text !== undefined && text.length > 0) {
      const end = d.range.end.offset > d.range.start.offset ? d.range.end : { line: d.range.start.line, column: d.range.start.column + 1 };
      out.push(
        codeFrameColumns(
          text,
          { start: { line: d.range.start.line, column: d.range.start.column }, end: { line: end.line, column: end.column } },
          { highlightCode: false, forceColor: opts.color, linesAbove: 1, linesBelow: 1 },
        ),
      );
    }
    if (d.hint) out.push(`  ${paint(opts.color, '32', 'hint')}: ${d.hint}`);
    for (const r of d.related ?? []) out.push(`  ${paint(opts.color, '90', `${r.file}:${r.range.start.line}:${r.range.start.column}`)}: ${r.message}`);
    out.push('');
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const files = new Set(diagnostics.map((d) => d.file)).size;
  out.push(
    errors + warnings === 0
      ? 'No problems found.'
      : `Found ${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.`,
  );
  return out.join('\n');
}
