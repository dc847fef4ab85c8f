/**
 * `herald diff <base.json> [dir]`: what deploying the project would change, against a graph
 * `herald compile -o` wrote before (the main branch's, in CI): journeys, steps, templates,
 * policies and declarations added, removed or changed, with the fields that differ
 * (dsl/src/graph/diff-graphs.ts). For the review of a pull request. Instances in flight keep
 * the version they started on, which the output says last.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { diffGraphs, IR_FORMAT, type GraphChange, type GraphDiff, type GraphIR } from '@herald/dsl';
import { shortVersion } from '../../engine/describe.js';
import { loadProject } from '../load-project.js';
import { renderDiagnostics } from '../print-diagnostics.js';
import { readInputFile } from '../read-input-file.js';
import { useColor } from '../use-color.js';

interface DiffOptions {
  readonly format: 'pretty' | 'json';
  readonly exitCode?: boolean;
}

export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description("show what the project's graph changes against one `herald compile -o` wrote (journeys, steps, templates, policies)")
    .argument('<base>', 'the graph to compare with (a file `herald compile -o` wrote; - for stdin)')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--exit-code', 'exit 1 when there are changes, as git diff --exit-code')
    .action(async (basePath: string, dir: string, opts: DiffOptions) => {
      const base = readBaseGraph(basePath);
      const { root, project, result } = await loadProject(dir);
      if (!result.ir) {
        process.stderr.write(renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], 'pretty', useColor(process.stderr)) + '\n');
        process.stderr.write(`herald diff: ${dir} does not compile; fix the errors above first\n`);
        process.exitCode = 1;
        return;
      }
      const diff = diffGraphs(base, result.ir);
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));
      if (opts.exitCode && diff.changes.length > 0) process.exitCode = 1;
    });
}

function readBaseGraph(path: string): GraphIR {
  const text = readInputFile(path);
  let graph: unknown;
  try {
    graph = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON (${(error as Error).message}); give a graph \`herald compile -o\` wrote`);
  }
  const format = (graph as { format?: unknown } | null)?.format;
  if (format !== IR_FORMAT || !Array.isArray((graph as { journeys?: unknown }).journeys)) {
    throw new Error(`${path} is not a graph \`herald compile -o\` wrote (format ${IR_FORMAT}${typeof format === 'string' ? `, it says ${format}` : ''})`);
  }
  return graph as GraphIR;
}

const SIGN: Readonly<Record<GraphChange['kind'], string>> = { added: '+', removed: '-', changed: '~' };

/** A value on one line, cut at 80 characters. */
function shown(value: unknown): string {
  const text = value === undefined ? '(none)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatDiff(diff: GraphDiff): string {
  const from = shortVersion(diff.before);
  const to = shortVersion(diff.after);
  if (diff.changes.length === 0) return `No changes: the graph is the same as the base (${to}).\n`;
  const n = diff.changes.length;
  const lines = [`graph ${from} → ${to}: ${n} change${n === 1 ? '' : 's'}`, ''];
  for (const c of diff.changes) {
    lines.push(`${SIGN[c.kind]} ${c.part} ${c.journey === undefined ? c.id : `${c.journey}/${c.id}`}${c.kind === 'changed' ? '' : ` (${c.kind})`}`);
    for (const f of c.fields) lines.push(`    ${f.path === '' ? '(value)' : f.path}: ${shown(f.before)} → ${shown(f.after)}`);
  }
  lines.push('', `Instances started on ${from} finish on it; new instances start on ${to}.`);
  return `${lines.join('\n')}\n`;
}
