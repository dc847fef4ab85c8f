import type { Command } from 'commander';
import { Option } from 'commander';
import { didYouMeanHint, toDot, toMermaid } from '@herald/dsl';
import { loadProject } from '../load-project.js';
import { renderDiagnostics } from '../print-diagnostics.js';

export function registerGraphCommand(program: Command): void {
  program
    .command('graph')
    .description('draw a journey as Mermaid or Graphviz DOT')
    .argument('<journey>', 'journey id')
    .option('-d, --dir <dir>', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .action(async (journey: string, opts: { dir: string; format: 'mermaid' | 'dot' }) => {
      const { root, project, result } = await loadProject(opts.dir);
      if (!result.ir) {
        process.stderr.write(renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], 'pretty', false) + '\n');
        process.exitCode = 1;
        return;
      }
      const j = result.ir.journeys.find((x) => x.id === journey);
      if (!j) {
        const hint = didYouMeanHint(journey, result.ir.journeys.map((x) => x.id));
        process.stderr.write(`herald: no journey \`${journey}\`${hint ? ` — ${hint}` : ''}; journeys: ${result.ir.journeys.map((x) => x.id).join(', ')}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(opts.format === 'dot' ? toDot(j) : toMermaid(j));
    });
}
