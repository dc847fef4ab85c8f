/**
 * What `herald test` is pointed at: project folders (or folders of projects), tested whole, and
 * test files, `tests/payment.test.yaml` for one file's tests and `tests/payment.test.yaml:14`
 * for the test at line 14 — what an editor's "run this test" or a failure's `file:line` gives.
 * A file is tested in the project it lies in (the nearest folder above it with a herald.yaml),
 * against that project's graph.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { classifyFile } from '@herald/dsl';
import { projectAbove } from './require-project-dir.js';
import { shownPath } from './shown-path.js';

/** Lines asked for in one test file; empty for the whole file. */
export type PickedLines = readonly number[];

export interface TestTargets {
  /** Folders as given: each a project or a folder of projects, tested whole. */
  readonly dirs: readonly string[];
  /**
   * Test files named, by the absolute POSIX path of their project's folder (as `Project.root`
   * has it): each file project-relative, with the lines asked for.
   */
  readonly files: ReadonlyMap<string, ReadonlyMap<string, PickedLines>>;
}

const TEST_FILE_ARG = /^(.*\.test\.ya?ml)(?::(\d+))?$/i;

/** Throws, saying what is wrong, for a test file that is not there or lies in no project. */
export function testTargets(args: readonly string[]): TestTargets {
  const dirs: string[] = [];
  const files = new Map<string, Map<string, number[]>>();
  for (const arg of args) {
    const m = TEST_FILE_ARG.exec(arg);
    if (!m || (m[2] === undefined && existsSync(arg) && statSync(arg).isDirectory())) {
      // `herald.yaml:3`: a line of a file that holds no tests.
      const other = /^(.*):\d+$/.exec(arg)?.[1];
      if (other !== undefined && !existsSync(arg) && existsSync(other) && statSync(other).isFile()) throw new Error(`${shownPath(other)} is not a test file (*.test.yaml)`);
      dirs.push(arg);
      continue;
    }
    const path = m[1]!;
    if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`no such test file: ${shownPath(path)}`);
    const root = projectAbove(path);
    if (root === undefined) throw new Error(`${shownPath(path)} is in no Herald project (no herald.yaml in its folder or above it)`);
    const file = relative(root, resolve(path)).split(sep).join('/');
    if (classifyFile(file) !== 'test') throw new Error(`${shownPath(path)} is not a test file (*.test.yaml)`);
    const line = m[2] === undefined ? undefined : Number(m[2]);
    if (line === 0) throw new Error(`${arg}: lines count from 1`);
    const byFile = files.get(posix(root)) ?? new Map<string, number[]>();
    files.set(posix(root), byFile);
    const lines = byFile.get(file);
    // The whole file once asked for stays whole; lines add up.
    if (lines === undefined) byFile.set(file, line === undefined ? [] : [line]);
    else if (lines.length > 0) {
      if (line === undefined) byFile.set(file, []);
      else if (!lines.includes(line)) lines.push(line);
    }
  }
  return { dirs, files };
}

function posix(path: string): string {
  return path.split(sep).join('/');
}
