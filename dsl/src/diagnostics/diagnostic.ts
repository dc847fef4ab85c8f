/**
 * The one shape every compiler stage reports problems in. CLI, SARIF, JSON output
 * and the language server all consume this; keep it small and stable.
 */
export type Severity = 'error' | 'warning' | 'info';

/** 1-based line, 1-based column counted in UTF-16 code units (what `yaml` and LSP use), and the 0-based offset. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A text edit that fixes the problem; the language server turns it into a code action. */
export interface Fix {
  readonly title: string;
  readonly range: Range;
  readonly newText: string;
}

export interface RelatedLocation {
  readonly file: string;
  readonly range: Range;
  readonly message: string;
}

export interface Diagnostic {
  /** Stable kebab-case code, listed in docs/diagnostics.md (e.g. `unknown-template`). */
  readonly code: string;
  readonly severity: Severity;
  /** One line: what is wrong. */
  readonly message: string;
  /** Path as given to the compiler (project-relative in CLI output). */
  readonly file: string;
  readonly range: Range;
  /** What to do about it, e.g. "did you mean `customer`?". */
  readonly hint?: string;
  readonly related?: readonly RelatedLocation[];
  readonly fix?: Fix;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.offset !== b.range.start.offset) return a.range.start.offset - b.range.start.offset;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
