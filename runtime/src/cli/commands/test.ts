/**
 * `herald test [paths...]`: run the journey tests (`*.test.yaml`, docs/testing.md) of one or more
 * projects in memory with a virtual clock: the real orchestrator, engine, policies and templates,
 * with channels captured and data sources answered from fixtures. A folder of projects tests
 * each, as `herald validate` checks each; a test file (`tests/x.test.yaml[:line]`) runs its
 * tests, or the one at the line, in its project (test-targets.ts). Exit 1 when a test fails, a
 * test file has a problem, a project does not compile or has no tests, or no test ran.
 *
 * Every path printed, pretty or JSON, is as `shownPath` gives it (relative to the current folder
 * when inside it), as validate's are: results of several projects stay apart.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { watch } from 'chokidar';
import type { Command } from 'commander';
import { Option } from 'commander';
import { isSkippedPath, type Diagnostic, type TestFileProblem } from '@herald/dsl';
import { ANSI, formatNothingRan, formatProblem, formatResult, formatSummary, PLAIN, testRunJson } from '../../testing/format-test-results.js';
import { testRunJunit } from '../../testing/junit-report.js';
import { findTestFiles, runTestFiles, type TestRun } from '../../testing/run-test-files.js';
import { expandProjectDirs, openProject, openProjects, reportRefused, type OpenedProjects } from '../load-project.js';
import { testTargets, type TestTargets } from '../test-targets.js';
import { isProjectDir } from '../require-project-dir.js';
import { renderDiagnostics } from '../print-diagnostics.js';
import { shownPath } from '../shown-path.js';
import { useColor } from '../use-color.js';

interface TestOptions {
  readonly filter?: string;
  readonly format: 'pretty' | 'json' | 'junit';
  readonly color: boolean;
  readonly watch?: boolean;
}

/** The code of the problem a project without `*.test.yaml` files gives in `--format json`. */
export const NO_TEST_FILES = 'no-test-files';

/**
 * Errors about a plugin's files (a source's data file missing or not JSON): journey tests swap
 * every source for its fixtures and every channel for a capture, so they run without the files;
 * said as warnings (`herald validate`, `dev` and `start` still stop on them).
 */
export const TOLERATED_IN_TESTS: ReadonlySet<string> = new Set(['missing-plugin-file', 'invalid-plugin-file']);

export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('run the journey tests (*.test.yaml) in memory with a virtual clock (exit 1 on a failure)')
    .argument('[paths...]', 'project folders (a folder of projects tests each), or test files: tests/x.test.yaml, tests/x.test.yaml:14 for the test at line 14', ['.'])
    .option('--filter <text>', 'only tests whose name or file contains this text')
    .addOption(new Option('-f, --format <format>', 'output format (junit: a JUnit XML report for CI)').choices(['pretty', 'json', 'junit']).default('pretty'))
    .option('--no-color', 'plain output')
    .option('-w, --watch', 'run the tests again whenever a file of the project changes (until Ctrl-C)')
    .action(async (paths: string[], opts: TestOptions) => {
      const targets = testTargets(paths);
      if (!opts.watch) return runTests(targets, opts);
      if (opts.format !== 'pretty') throw new Error(`--watch prints for a person; use it without --format ${opts.format}`);
      return watchTests(targets, opts);
    });
}

/** One run of the tests of every project and test file named, with its output; sets the exit code. */
async function runTests(targets: TestTargets, opts: TestOptions): Promise<void> {
  const out = (text: string) => process.stdout.write(text);
  const pretty = opts.format === 'pretty';
  const style = pretty && useColor(process.stdout, opts.color) ? ANSI : PLAIN;
  // A folder that is no project is said (after the output) and skipped, as validate does; none at all is a usage error.
  const { projects, refused, whole } = openTargets(targets);
  /** Each project's run, paths as shown; one that ran nothing (it does not compile, or has no test files) has only its problem(s). */
  const runs: TestRun[] = [];
  /** Of those, the runs of test files: what the pretty output reports after the results (the rest went to stderr as it came). */
  const tested: TestRun[] = [];
  let lastFile: string | undefined;
  /** Projects whose tests did not run because they do not compile, as shown. */
  const uncompiled: string[] = [];
  for (const project of projects) {
    const root = project.root;
    const shown = (file: string) => shownPath(`${root}/${file}`);
    const result = project.compile({ tolerate: TOLERATED_IN_TESTS });
    const tolerated = result.ir ? result.diagnostics.filter((d) => TOLERATED_IN_TESTS.has(d.code)) : [];
    if (pretty && tolerated.length > 0) {
      process.stderr.write(`${renderDiagnostics([{ root, project, diagnostics: tolerated }], 'pretty', useColor(process.stderr, opts.color))}\n`);
      process.stderr.write(`herald test: the tests of ${shownPath(root)} run on fixtures, so they run; herald dev and herald start would stop on the above\n`);
    }
    if (!result.ir) {
      if (pretty) {
        process.stderr.write(`${renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], 'pretty', useColor(process.stderr, opts.color))}\n`);
        process.stderr.write(`herald test: ${shownPath(root)} does not compile; fix the errors above first\n`);
      }
      uncompiled.push(shownPath(root));
      runs.push(nothingRan(result.diagnostics.filter((d) => d.severity === 'error').map((d) => asProblem(d, shown))));
      continue;
    }
    const picked = whole.has(root) ? undefined : targets.files.get(root);
    const files = picked ? [...picked.keys()].sort() : findTestFiles(root);
    if (files.length === 0) {
      const message = `no *.test.yaml files in ${shownPath(root)} (see docs/testing.md)`;
      if (pretty) process.stderr.write(`herald test: ${message}\n`);
      runs.push(nothingRan([{ file: shown(configFile(root)), line: 1, column: 1, code: NO_TEST_FILES, message }]));
      continue;
    }
    const run = await runTestFiles(result.ir, files, {
      projectRoot: root,
      ...(opts.filter ? { filter: opts.filter } : {}),
      ...(picked ? { lines: picked } : {}),
      onResult: (r) => {
        if (!pretty) return;
        const file = shown(r.file);
        if (file !== lastFile) out(`${lastFile === undefined ? '' : '\n'}${file}\n`);
        lastFile = file;
        out(formatResult({ ...r, file }, style, same));
      },
    });
    runs.push(shownPaths(run, shown));
    tested.push(runs.at(-1)!);
  }
  const run = merged(runs);
  const ran = run.results.length > 0;
  if (pretty) {
    // Projects that do not compile, or have no tests, alone: stderr has said all there is to say.
    if (tested.length > 0) {
      const testFiles = merged(tested);
      if (testFiles.problems.length) out(`\n${testFiles.problems.map((p) => formatProblem(p, style, same)).join('')}`);
      if (!ran) out(`\n${formatNothingRan(testFiles, opts.filter, same)}`);
      out(formatSummary(testFiles, style, uncompiled));
    }
  } else out(opts.format === 'junit' ? testRunJunit(run) : `${JSON.stringify(testRunJson(run), null, 2)}\n`);
  if (run.problems.length > 0 || !ran || run.results.some((r) => !r.ok)) process.exitCode = 1;
  reportRefused(refused);
}

/**
 * `--watch`: the tests run, then again after each change to a file of the projects (a journey,
 * template, policy, herald.yaml, test file, a file a template includes or a plugin reads), a
 * burst of changes (an editor saving several files) running them once. Runs never overlap: a
 * change during a run starts the next one when it ends. Until Ctrl-C.
 */
async function watchTests(targets: TestTargets, opts: TestOptions): Promise<void> {
  // The project folders only: each run reads the projects' files itself.
  const roots = [...new Set([...expandProjectDirs(targets.dirs).filter(isProjectDir).map((d) => resolve(d)), ...[...targets.files.keys()].map((r) => resolve(r))])];
  // No project at all is the usage error a single run gives.
  if (roots.length === 0) openProjects(targets.dirs);
  let running: Promise<void> | undefined;
  /** The last file changed since the run in progress started, if any. */
  let again: string | undefined;
  const runOnce = async (): Promise<void> => {
    const changed = again;
    again = undefined;
    if (changed !== undefined) process.stdout.write(`\nherald test: ${shownPath(changed)} changed; running the tests again\n\n`);
    process.exitCode = undefined;
    try {
      await runTests(targets, opts);
    } catch (error) {
      // A folder that stopped being a project, say: said, and the watch goes on.
      process.stderr.write(`herald test: ${(error as Error).message}\n`);
    }
    process.stdout.write(`\nherald test: watching ${roots.map((r) => shownPath(r)).join(', ')} for changes (Ctrl-C to stop)\n`);
  };
  const kick = (): void => {
    if (running) return;
    running = runOnce().finally(() => {
      running = undefined;
      if (again !== undefined) kick();
    });
  };
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(roots, { ignoreInitial: true, ignored: (path) => roots.some((root) => isSkippedPath(root, path)) });
  watcher.on('all', (_event, path) => {
    again = path;
    clearTimeout(timer);
    timer = setTimeout(kick, 150);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  kick();
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  clearTimeout(timer);
  await watcher.close();
  await running;
  process.exitCode = 0;
}

/**
 * The projects named whole (a folder of projects gives each), then those of the test files named
 * that are not among them: a project named whole runs all of its tests.
 */
function openTargets(targets: TestTargets): OpenedProjects & { readonly whole: ReadonlySet<string> } {
  // Only test files named: no folder is meant (commander's default '.' is given only without arguments).
  const named = targets.dirs.length > 0 ? openProjects(targets.dirs) : { projects: [], refused: [] };
  const whole = new Set(named.projects.map((p) => p.root));
  const byFile = [...targets.files.keys()].filter((root) => !whole.has(root)).map((root) => openProject(root));
  return { projects: [...named.projects, ...byFile], refused: named.refused, whole };
}

/** Paths are made as shown once, in shownPaths: the formatters print them as they are. */
const same = (file: string) => file;

/** A compile error of a project that does not compile, as test-file problems are given (`file` as shown). */
function asProblem(d: Diagnostic, shown: (file: string) => string): TestFileProblem {
  return { file: shown(d.file), line: d.range.start.line, column: d.range.start.column, code: d.code, message: d.message, ...(d.hint ? { hint: d.hint } : {}) };
}

function nothingRan(problems: readonly TestFileProblem[]): TestRun {
  return { results: [], problems, skipped: 0, notRun: [] };
}

/** `herald.yaml` or `herald.yml`, whichever the project has. */
function configFile(root: string): string {
  return existsSync(`${root}/herald.yml`) && !existsSync(`${root}/herald.yaml`) ? 'herald.yml' : 'herald.yaml';
}

/** The run with every file path as the user is shown it. */
function shownPaths(run: TestRun, shown: (file: string) => string): TestRun {
  return {
    ...run,
    results: run.results.map((r) => ({ ...r, file: shown(r.file) })),
    // The documented `{ file, line, column, code, message, hint? }`: the range is the editor's.
    problems: run.problems.map(({ range: _range, ...p }) => ({ ...p, file: shown(p.file) })),
    notRun: run.notRun.map(shown),
  };
}

/** One run of every project's: what one summary and one JSON document report. */
function merged(runs: readonly TestRun[]): TestRun {
  return {
    results: runs.flatMap((r) => r.results),
    problems: runs.flatMap((r) => r.problems),
    skipped: runs.reduce((n, r) => n + r.skipped, 0),
    notRun: runs.flatMap((r) => r.notRun),
  };
}
