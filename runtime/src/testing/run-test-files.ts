/**
 * `herald test`'s loop: find the project's `*.test.yaml`, read them against the project (a file
 * with problems runs none of its tests), keep the tests the filter names, run them one by one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyFile, listProjectYamlFiles, type GraphIR, type JourneyTest, type TestFileProblem } from '@herald/dsl';
import { readTestFile } from './read-test-file.js';
import { runJourneyTest, type RunTestOptions, type TestResult } from './run-journey-test.js';

/** Project-relative POSIX paths of every `*.test.yaml` / `*.test.yml` among the project's files, sorted. */
export function findTestFiles(root: string): string[] {
  return listProjectYamlFiles(root)
    .filter((file) => classifyFile(file) === 'test')
    .sort();
}

export interface TestRun {
  readonly results: readonly TestResult[];
  readonly problems: readonly TestFileProblem[];
  /** Tests the filter left out. */
  readonly skipped: number;
  /** Files with problems that the filter matched (by their name or a test's): none of their tests ran. */
  readonly notRun: readonly string[];
}

export interface RunTestFilesOptions extends RunTestOptions {
  /** Only tests whose name or file contains this text (case-insensitive). */
  readonly filter?: string;
  /**
   * Of the files named here, only the tests at these lines (`herald test tests/x.test.yaml:14`):
   * the test a line picks is the one it is in, the last that begins at or above it. No lines:
   * the whole file. A line above the file's first test is a `no-test-at-line` problem.
   */
  readonly lines?: ReadonlyMap<string, readonly number[]>;
  /** Called as each test finishes (for streaming output). */
  readonly onResult?: (result: TestResult) => void;
}

export async function runTestFiles(ir: GraphIR, files: readonly string[], options: RunTestFilesOptions): Promise<TestRun> {
  const problems: TestFileProblem[] = [];
  const results: TestResult[] = [];
  const notRun: string[] = [];
  let skipped = 0;
  const wanted = options.filter?.toLowerCase();
  const matches = (file: string, name?: string) => !wanted || file.toLowerCase().includes(wanted) || (name !== undefined && name.toLowerCase().includes(wanted));
  for (const file of files) {
    const read = readTestFile(file, readFileSync(join(options.projectRoot, file), 'utf8'), ir);
    problems.push(...read.problems);
    if (read.problems.length > 0 && (matches(file) || read.names.some((n) => matches(file, n)))) notRun.push(file);
    const picked = testsAtLines(file, read.tests, options.lines?.get(file) ?? [], problems);
    for (const test of read.tests) {
      if (!matches(file, test.name) || (picked !== undefined && !picked.has(test))) {
        skipped++;
        continue;
      }
      const result = await runJourneyTest(ir, test, options);
      results.push(result);
      options.onResult?.(result);
    }
  }
  return { results, problems, skipped, notRun };
}

/**
 * The tests the lines pick (undefined: no lines, every test); a line that picks none is a problem.
 * A file with mistakes has no tests read, and its mistakes say why none runs.
 */
function testsAtLines(file: string, tests: readonly JourneyTest[], lines: readonly number[], problems: TestFileProblem[]): ReadonlySet<JourneyTest> | undefined {
  if (lines.length === 0) return undefined;
  const picked = new Set<JourneyTest>();
  if (tests.length === 0) return picked;
  for (const line of lines) {
    const test = tests.findLast((t) => t.line <= line);
    if (test !== undefined) picked.add(test);
    else {
      const starts = tests.map((t) => t.line);
      problems.push({
        file,
        line,
        column: 1,
        code: NO_TEST_AT_LINE,
        message: `no test at line ${line}: the file's tests begin at line${starts.length === 1 ? '' : 's'} ${listed(starts)}`,
        hint: `name a line of a test (its \`- name:\` or below), or the file alone for all of its tests`,
      });
    }
  }
  return picked;
}

/** The code of the problem a `file:line` that is above every test of the file gives. */
export const NO_TEST_AT_LINE = 'no-test-at-line';

function listed(items: readonly number[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}
