/**
 * `herald diff [dir] --against <git ref> | --base <graph.json>`: what deploying the project
 * would change, against the project as a git commit has it (compiled from the commit's files,
 * its templates' includes too) or a graph `herald compile -o` wrote: journeys, steps,
 * templates, policies and declarations added, removed or changed, with the fields that differ
 * (dsl/src/graph/diff-graphs.ts). For the review of a pull request. Instances in flight keep
 * the version they started on, which the output says last.
 */
import { spawnSync } from 'node:child_process';
import { relative, sep } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { diffGraphs, IR_FORMAT, readFileOrUndefined, type GraphChange, type GraphDiff, type GraphIR } from '@herald/dsl';
import { shortVersion } from '../../engine/describe.js';
import { loadProject, openProjectFrom } from '../load-project.js';
import { renderDiagnostics } from '../print-diagnostics.js';
import { readInputFile } from '../read-input-file.js';
import { useColor } from '../use-color.js';

interface DiffOptions {
  readonly format: 'pretty' | 'json';
  readonly exitCode?: boolean;
  readonly base?: string;
  readonly against?: string;
}

export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description("show what the project's graph changes against a git commit (--against main) or a compiled graph (--base graph.json)")
    .argument('[dir]', 'project folder', '.')
    .option('--against <ref>', 'compare with the project as this git commit, branch or tag has it')
    .option('--base <file>', 'compare with a graph `herald compile -o` wrote (- for stdin)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .option('--exit-code', 'exit 1 when there are changes, as git diff --exit-code')
    .action(async (dir: string, opts: DiffOptions) => {
      if ((opts.base === undefined) === (opts.against === undefined)) throw new Error('give what to compare with: --against <git ref> or --base <graph.json> (one of them)');
      const { root, project, result } = await loadProject(dir);
      if (!result.ir) {
        process.stderr.write(renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], 'pretty', useColor(process.stderr)) + '\n');
        process.stderr.write(`herald diff: ${dir} does not compile; fix the errors above first\n`);
        process.exitCode = 1;
        return;
      }
      const base = opts.base !== undefined ? readBaseGraph(opts.base) : graphAtCommit(root, opts.against!);
      const diff = diffGraphs(base, result.ir);
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));
      if (opts.exitCode && diff.changes.length > 0) process.exitCode = 1;
    });
}

/** The project's graph as commit `ref` has it; a project that did not compile there is said so. */
function graphAtCommit(root: string, ref: string): GraphIR {
  const inRepo = git(root, ['rev-parse', '--show-toplevel']);
  if (inRepo.status !== 0) throw new Error(`${root} is not in a git repository; compare with a compiled graph instead (--base)`);
  const top = inRepo.stdout.toString('utf8').trim();
  if (git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).status !== 0) throw new Error(`git knows no commit \`${ref}\` in ${top}`);
  const prefix = relative(top, root).split(sep).join('/');
  const files = filesAtCommit(top, ref, prefix);
  // The project's own files as the commit has them, a template's include too; the rest (plugin manifests) from disk.
  const project = openProjectFrom(root, (abs) => {
    const rel = relative(root, abs);
    return rel.startsWith('..') ? readFileOrUndefined(abs) : files.get(rel.split(sep).join('/'));
  });
  for (const [rel, text] of files) if (/\.ya?ml$/i.test(rel)) project.setFile(rel, text);
  const { ir, diagnostics } = project.compile();
  if (!ir) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    throw new Error(`the project at ${ref} does not compile (${errors} error${errors === 1 ? '' : 's'}); compare with a commit where it does`);
  }
  return ir;
}

function git(cwd: string, args: readonly string[], input?: string) {
  const r = spawnSync('git', ['-C', cwd, ...args], { maxBuffer: 256 * 1024 * 1024, ...(input === undefined ? {} : { input }) });
  if (r.error) throw new Error(`git is not available: ${r.error.message}`);
  return r;
}

/** Every file under `prefix` at `ref`, by its path in the project, read in one `git cat-file --batch`. */
function filesAtCommit(top: string, ref: string, prefix: string): Map<string, string> {
  // Paths from the top of the repository (ls-tree names them relative to where it runs).
  const listed = git(top, ['ls-tree', '-r', '-z', '--name-only', ref, '--', prefix === '' ? '.' : prefix]);
  if (listed.status !== 0) throw new Error(`git ls-tree ${ref}: ${listed.stderr.toString('utf8').trim()}`);
  const paths = listed.stdout.toString('utf8').split('\0').filter(Boolean);
  const batch = git(top, ['cat-file', '--batch'], paths.map((p) => `${ref}:${p}\n`).join(''));
  const out = new Map<string, string>();
  const buf = batch.stdout;
  let at = 0;
  for (const path of paths) {
    // `<oid> <type> <size>\n<content>\n` per object (`<name> missing\n` for none).
    const eol = buf.indexOf(0x0a, at);
    const header = buf.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (header.length !== 3) continue;
    const size = Number(header[2]);
    if (header[1] === 'blob') out.set(prefix === '' ? path : path.slice(prefix.length + 1), buf.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return out;
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

function formatDiff(diff: GraphDiff): string {
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
