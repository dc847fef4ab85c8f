import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { stableStringify } from '@herald/dsl';
import { loadProject } from '../load-project.js';
import { renderDiagnostics, type DiagnosticFormat } from '../print-diagnostics.js';

export function registerCompileCommand(program: Command): void {
  program
    .command('compile')
    .description('compile a project to its execution graph (deterministic JSON; same sources, same bytes)')
    .argument('[dir]', 'project folder', '.')
    .option('-o, --out <file>', 'write the graph here instead of stdout')
    .addOption(new Option('-f, --format <format>', 'diagnostics format').choices(['pretty', 'json', 'sarif']).default('pretty'))
    .action(async (dir: string, opts: { out?: string; format: DiagnosticFormat }) => {
      const { root, project, result } = await loadProject(dir);
      if (result.diagnostics.length > 0 || !result.ir) {
        process.stderr.write(renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], opts.format, process.stderr.isTTY === true) + '\n');
      }
      if (!result.ir) {
        process.exitCode = 1;
        return;
      }
      const json = stableStringify(result.ir, 2) + '\n';
      if (opts.out) {
        mkdirSync(dirname(opts.out), { recursive: true });
        writeFileSync(opts.out, json);
        process.stderr.write(`wrote ${opts.out} (${result.ir.journeys.length} journey${result.ir.journeys.length === 1 ? '' : 's'}, version ${result.ir.version.slice(0, 19)})\n`);
      } else process.stdout.write(json);
    });
}
