/**
 * A Herald file opened from outside every workspace folder, with no herald.yaml above it: no
 * project to check it in. Names and types cannot be checked (every template, event and
 * source would be "unknown"), so such a file gets what the compiler finds from its text
 * alone, and one note saying why the rest is missing.
 */
import type { Diagnostic } from '@herald/dsl';

/** What a stage reports, as far as matching it with its diagnostic goes. */
interface ProblemKey {
  readonly code: string;
  readonly message: string;
  readonly span: { readonly start: number };
}

/** Syntax inside values, reported by later stages but decided by the text alone. */
const SYNTAX_CODES: ReadonlySet<string> = new Set(['expr-syntax', 'template-syntax']);

export const NO_PROJECT_CODE = 'missing-project-file';

/**
 * The diagnostics the file's own text decides: those of parsing, the schema and building the
 * AST (`ownProblems`, what the compiler found compiling the file alone), and syntax errors in
 * expressions and templates.
 */
export function fileLocalDiagnostics(diagnostics: readonly Diagnostic[], ownProblems: readonly ProblemKey[]): Diagnostic[] {
  const own = new Set(ownProblems.map((p) => `${p.code}\0${p.span.start}\0${p.message}`));
  return diagnostics.filter((d) => SYNTAX_CODES.has(d.code) || own.has(`${d.code}\0${d.range.start.offset}\0${d.message}`));
}

/** The note at the top of a loose file. */
export function noProjectNotice(file: string): Diagnostic {
  const at = { line: 1, column: 1, offset: 0 };
  return {
    code: NO_PROJECT_CODE,
    severity: 'info',
    message: 'no herald.yaml in this folder or above it: only YAML syntax and the shape of this file are checked',
    hint: 'open the folder that holds the project\'s herald.yaml to check names and types, or create one there with `project: <name>`',
    file,
    range: { start: at, end: at },
  };
}
