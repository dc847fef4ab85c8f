/**
 * `herald validate` checks the project's journey test files (`*.test.yaml`) as `herald test`
 * reads them — keys, steps, times, fixtures, subject profiles, and the names they take from the
 * project (journeys, steps, templates, channels, sources) — so CI that runs only `validate`
 * hears of a broken test file too. Each problem is an error (none of the file's tests runs
 * while it has one), at the same place and with the same code the editor shows.
 *
 * Names are checked against the project's graph, so only when the project itself compiles;
 * otherwise the file's own shape is still checked.
 */
import { classifyFile, testFileDiagnostics, type CheckResult, type Diagnostic, type Project } from '@herald/dsl';
import { RUNTIME_TEST_FILE_CHECKS } from '../testing/read-test-file.js';

/** `checked`: the project's check, made already; lowered to its graph here only when there are test files. */
export function testFilesDiagnostics(project: Project, checked: CheckResult): Diagnostic[] {
  const files = project.paths().filter((f) => classifyFile(f) === 'test');
  if (files.length === 0) return [];
  const graph = project.compileChecked(checked).ir;
  return files.flatMap((file) => testFileDiagnostics(file, project.sourceFile(file)?.text ?? '', graph, RUNTIME_TEST_FILE_CHECKS));
}
