import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { compareDiagnostics } from '@herald/dsl';
import { pluginManifestDiagnostics } from '../check-plugin-manifests.js';
import { testFilesDiagnostics } from '../check-test-files.js';
import { openProjects, reportRefused } from '../load-project.js';
import { renderDiagnostics, type DiagnosticFormat } from '../print-diagnostics.js';
import { useColor } from '../use-color.js';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check every file of one or more projects, journey test files included, and print all problems at once (exit 1 on errors)')
    .argument('[dirs...]', 'project folders (a folder of projects checks each)', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'sarif']).default('pretty'))
    .option('--no-color', 'plain output')
    .option('--max-warnings <n>', 'also fail when there are more warnings than this', wholeNumber)
    .action((dirs: string[], opts: { format: DiagnosticFormat; color: boolean; maxWarnings?: number }) => {
      // A folder that is no project (or none at all) is said and skipped: the other projects are still checked.
      const { projects, refused } = openProjects(dirs);
      const results = projects.map((project) => {
        const checked = project.check();
        // The compiler reads only what it needs of each plugin's manifest; the SDK checks all of it.
        // Test files are not part of the compile; they are checked as `herald test` reads them.
        const diagnostics = [...checked.diagnostics, ...pluginManifestDiagnostics(project, checked), ...testFilesDiagnostics(project, checked)].sort(compareDiagnostics);
        return { root: project.root, project, diagnostics };
      });
      const color = opts.format === 'pretty' && useColor(process.stdout, opts.color);
      process.stdout.write(renderDiagnostics(results, opts.format, color) + '\n');
      const all = results.flatMap((r) => r.diagnostics);
      const errors = all.filter((d) => d.severity === 'error').length;
      const warnings = all.filter((d) => d.severity === 'warning').length;
      const tooManyWarnings = opts.maxWarnings !== undefined && warnings > opts.maxWarnings;
      if (tooManyWarnings && opts.format === 'pretty') {
        process.stderr.write(`herald validate: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${opts.maxWarnings} allows\n`);
      }
      if (errors > 0 || tooManyWarnings) process.exitCode = 1;
      reportRefused(refused);
    });
}

/** `--max-warnings`: a count; anything else is a usage error (exit 2), not a limit silently ignored. */
function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return Number(value);
}
