/**
 * A journey test file's problems as compiler diagnostics, for the editor and `herald validate`:
 * every problem `herald test` would stop on, at the same place, with its code and hint. Test
 * files are not part of the project's compile; their problems are errors because none of the
 * file's tests runs while it has one.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { GraphIR } from '../lower/ir.js';
import type { TestFileProblem } from './journey-test.js';
import { readTestFile, type TestFileChecks } from './read-test-file.js';

export function testFileDiagnostics(file: string, text: string, graph?: GraphIR, checks?: TestFileChecks): Diagnostic[] {
  return readTestFile(file, text, graph, checks).problems.map(asDiagnostic);
}

function asDiagnostic(p: TestFileProblem): Diagnostic {
  const at = { line: p.line, column: p.column, offset: p.range?.start.offset ?? 0 };
  return {
    code: p.code,
    severity: 'error',
    message: p.message,
    file: p.file,
    range: p.range ?? { start: at, end: at },
    ...(p.hint ? { hint: p.hint } : {}),
  };
}
