import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { stableStringify } from '@herald/dsl';
import { shortVersion } from '../../engine/describe.js';
import { loadProject } from '../load-project.js';
import { renderDiagnostics, type DiagnosticFormat } from '../print-diagnostics.js';
import { useColor } from '../use-color.js';

export function registerCompileCommand(program: Command): void {
  program
    .command('compile')
    .description('compile a project to its execution graph (deterministic JSON; same sources, same bytes)')
    .argument('[dir]', 'project folder', '.')
    .option('-o, --out <file>', 'write the graph here instead of stdout')
    .addOption(new Option('-f, --format <format>', 'diagnostics format (on stderr)').choices(['pretty', 'json', 'sarif']).default('pretty'))
    .action(async (dir: string, opts: { out?: string; format: DiagnosticFormat }) => {
      const { root, project, result } = await loadProject(dir);
      const pretty = opts.format === 'pretty';
      // json and sarif: stderr is exactly one document, `[]` (or a run without results) when all is well,
      // so a tool can parse it whatever happened; pretty says nothing when there is nothing to say.
      if (!pretty || result.diagnostics.length > 0 || !result.ir) {
        process.stderr.write(renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], opts.format, pretty && useColor(process.stderr)) + '\n');
      }
      if (!result.ir) {
        process.exitCode = 1;
        return;
      }
      const json = stableStringify(result.ir, 2) + '\n';
      if (opts.out) {
        mkdirSync(dirname(opts.out), { recursive: true });
        writeFileSync(opts.out, json);
        // For a person: in json and sarif it would make stderr no longer one document.
        const journeys = result.ir.journeys.length;
        if (pretty) process.stderr.write(`wrote ${opts.out} (${journeys} journey${journeys === 1 ? '' : 's'}, version ${shortVersion(result.ir.version)})\n`);
      } else process.stdout.write(json);
    });
}
