/**
 * `herald test`'s loop: find the project's `*.test.yaml`, read them against the project (a file
 * with problems runs none of its tests), keep the tests the filter names, run them one by one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyFile, listProjectYamlFiles, type GraphIR, type TestFileProblem } from '@herald/dsl';
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
    for (const test of read.tests) {
      if (!matches(file, test.name)) {
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
