/**
 * `herald test` output. Pretty: one line per test as it finishes, failures with their
 * `file:line:col`, the step and what differed; then `N passed, N failed` alone on the last
 * line (what CI logs are scanned for). JSON: the whole run as one document.
 */
import type { TestFileProblem } from '@herald/dsl';
import type { TestRun } from './run-test-files.js';
import type { TestResult } from './run-journey-test.js';

export interface Style {
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly dim: (s: string) => string;
}

export const PLAIN: Style = { green: (s) => s, red: (s) => s, dim: (s) => s };
export const ANSI: Style = {
  green: (s) => `\u001b[32m${s}\u001b[39m`,
  red: (s) => `\u001b[31m${s}\u001b[39m`,
  dim: (s) => `\u001b[2m${s}\u001b[22m`,
};

/** `display` maps a project-relative file to what the user should see (relative to their cwd). */
export function formatResult(r: TestResult, style: Style, display: (file: string) => string): string {
  if (r.ok) return `  ${style.green('✓')} ${r.name} ${style.dim(`(${r.durationMs} ms)`)}\n`;
  const lines = [`  ${style.red('✗')} ${r.name} ${style.dim(`(${r.durationMs} ms)`)}`];
  const f = r.failure!;
  const where = f.at ? `${display(r.file)}:${f.at.line}:${f.at.column}` : `${display(r.file)}:${r.line}`;
  lines.push(`      ${style.dim(`${where}${f.step ? `  ${f.step}` : ''}`)}`);
  for (const m of f.messages) lines.push(`      ${style.red(m)}`);
  return `${lines.join('\n')}\n`;
}

/** As compile diagnostics print: `file:line:col - error code: message`, then the hint. */
export function formatProblem(p: TestFileProblem, style: Style, display: (file: string) => string): string {
  const hint = p.hint ? `  ${style.green('hint')}: ${p.hint}\n` : '';
  return `${display(p.file)}:${p.line}:${p.column} - ${style.red('error')} ${style.dim(p.code)}: ${p.message}\n${hint}`;
}

/** Why no test ran: files with mistakes the filter matched, or a filter that matched nothing. */
export function formatNothingRan(run: TestRun, filter: string | undefined, display: (file: string) => string): string {
  if (run.notRun.length > 0) {
    const files = run.notRun.map(display).join(', ');
    return `no test ran: ${files} ${run.notRun.length === 1 ? 'has' : 'have'} mistakes (above), so none of ${run.notRun.length === 1 ? 'its' : 'their'} tests ran\n`;
  }
  return `no test ran${filter ? ` (none matches --filter ${JSON.stringify(filter)})` : ''}\n`;
}

/**
 * `uncompiled`: projects given whose tests did not run because they do not compile (as shown):
 * named on the summary line, which must not read as a pass when the exit code says otherwise.
 */
export function formatSummary(run: TestRun, style: Style, uncompiled: readonly string[] = []): string {
  const passed = run.results.filter((r) => r.ok).length;
  const failed = run.results.length - passed;
  const extra = [
    run.problems.length && `${run.problems.length} problem${run.problems.length === 1 ? '' : 's'} in test files`,
    run.skipped && `${run.skipped} filtered out`,
  ].filter(Boolean);
  const note = extra.length ? `${style.dim(extra.join(', '))}\n` : '';
  const notCompiled = uncompiled.length === 0 ? '' : `; ${uncompiled.length} project${uncompiled.length === 1 ? ' does' : 's do'} not compile (${uncompiled.join(', ')})`;
  const line = `${passed} passed, ${failed} failed${notCompiled}`;
  return `\n${note}${failed || run.problems.length || uncompiled.length ? style.red(line) : style.green(line)}\n`;
}

export function testRunJson(run: TestRun): unknown {
  const passed = run.results.filter((r) => r.ok).length;
  return { passed, failed: run.results.length - passed, skipped: run.skipped, notRun: run.notRun, problems: run.problems, results: run.results };
}
