/**
 * `herald test [dir]`: run the project's journey tests (`*.test.yaml`, docs/testing.md) in
 * memory with a virtual clock: the real orchestrator, engine, policies and templates, with
 * channels captured and data sources answered from fixtures. Exit 1 when a test fails, a test
 * file has a problem, or no test ran.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ANSI, formatNothingRan, formatProblem, formatResult, formatSummary, PLAIN, testRunJson } from '../../testing/format-test-results.js';
import { findTestFiles, runTestFiles } from '../../testing/run-test-files.js';
import { loadProject } from '../load-project.js';
import { renderDiagnostics } from '../print-diagnostics.js';
import { shownPath } from '../shown-path.js';

interface TestOptions {
  readonly filter?: string;
  readonly format: 'pretty' | 'json';
  readonly color: boolean;
}

export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('run the journey tests (*.test.yaml) in memory with a virtual clock (exit 1 on a failure)')
    .argument('[dir]', 'project folder', '.')
    .option('--filter <text>', 'only tests whose name or file contains this text')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--no-color', 'plain output')
    .action(async (dir: string, opts: TestOptions) => {
      const out = (text: string) => process.stdout.write(text);
      const { root, project, result } = await loadProject(dir);
      if (!result.ir) {
        process.stderr.write(`${renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], 'pretty', process.stderr.isTTY === true)}\n`);
        process.stderr.write('herald test: the project does not compile; fix the errors above first\n');
        process.exitCode = 1;
        return;
      }
      const files = findTestFiles(root);
      if (files.length === 0) {
        process.stderr.write(`herald test: no *.test.yaml files in ${dir} (see docs/testing.md)\n`);
        process.exitCode = 1;
        return;
      }
      const pretty = opts.format === 'pretty';
      const style = pretty && opts.color && process.stdout.isTTY === true && !process.env['NO_COLOR'] ? ANSI : PLAIN;
      const display = (file: string) => shownPath(`${root}/${file}`);
      let lastFile: string | undefined;
      const run = await runTestFiles(result.ir, files, {
        projectRoot: root,
        ...(opts.filter ? { filter: opts.filter } : {}),
        onResult: (r) => {
          if (!pretty) return;
          if (r.file !== lastFile) out(`${lastFile === undefined ? '' : '\n'}${display(r.file)}\n`);
          lastFile = r.file;
          out(formatResult(r, style, display));
        },
      });
      if (pretty) {
        if (run.problems.length) out(`\n${run.problems.map((p) => formatProblem(p, style, display)).join('')}`);
        if (run.results.length === 0) out(`\n${formatNothingRan(run, opts.filter, display)}`);
        out(formatSummary(run, style));
      } else out(`${JSON.stringify(testRunJson(run), null, 2)}\n`);
      if (run.problems.length > 0 || run.results.length === 0 || run.results.some((r) => !r.ok)) process.exitCode = 1;
    });
}
