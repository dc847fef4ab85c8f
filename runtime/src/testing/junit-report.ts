/**
 * `herald test --format junit`: the run as JUnit XML, the report format CI systems read
 * (GitLab's test reports, Jenkins, GitHub actions that annotate pull requests). One
 * `<testsuite>` per test file, one `<testcase>` per test with its file and line; a failed test
 * has a `<failure>` with where and what differed. A file with mistakes (none of its tests ran),
 * a project that does not compile or has no test files, is a `<testsuite>` with an `<error>` per
 * problem, so a broken file is red in the report too instead of missing from it. Written with
 * `xmlbuilder2`, which escapes what the names and messages hold.
 */
import type { TestFileProblem } from '@herald/dsl';
import { create } from 'xmlbuilder2';
import type { TestResult } from './run-journey-test.js';
import type { TestRun } from './run-test-files.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function testRunJunit(run: TestRun): string {
  const byFile = new Map<string, { results: TestResult[]; problems: TestFileProblem[] }>();
  const of = (file: string) => byFile.get(file) ?? byFile.set(file, { results: [], problems: [] }).get(file)!;
  for (const r of run.results) of(r.file).results.push(r);
  for (const p of run.problems) of(p.file).problems.push(p);

  const failures = run.results.filter((r) => !r.ok).length;
  const time = run.results.reduce((ms, r) => ms + r.durationMs, 0);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'herald test',
    tests: String(run.results.length + run.problems.length),
    failures: String(failures),
    errors: String(run.problems.length),
    skipped: String(run.skipped),
    time: seconds(time),
  });
  for (const [file, { results, problems }] of byFile) {
    const suite = root.ele('testsuite', {
      name: file,
      tests: String(results.length + problems.length),
      failures: String(results.filter((r) => !r.ok).length),
      errors: String(problems.length),
      time: seconds(results.reduce((ms, r) => ms + r.durationMs, 0)),
      file,
    });
    for (const r of results) {
      const testcase = suite.ele('testcase', { name: r.name, classname: file, file, line: String(r.line), time: seconds(r.durationMs) });
      if (r.ok || !r.failure) continue;
      const at = r.failure.at ? `${file}:${r.failure.at.line}:${r.failure.at.column}` : `${file}:${r.line}`;
      const head = r.failure.step ? `${r.failure.step} at ${at}` : at;
      testcase.ele('failure', { message: r.failure.messages[0] ?? 'failed', type: 'expectation' }).txt([head, ...r.failure.messages].join('\n'));
    }
    for (const p of problems) {
      suite
        .ele('testcase', { name: `${file}:${p.line}:${p.column} ${p.code}`, classname: file, file, line: String(p.line), time: '0.000' })
        .ele('error', { message: p.message, type: p.code })
        .txt([`${file}:${p.line}:${p.column} ${p.code}: ${p.message}`, ...(p.hint ? [`hint: ${p.hint}`] : [])].join('\n'));
    }
  }
  return root.end({ prettyPrint: true }) + '\n';
}
