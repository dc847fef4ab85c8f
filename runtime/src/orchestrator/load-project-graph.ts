/**
 * Compiles a project folder on disk to its execution graph, for code that embeds the runtime
 * (and the tests) before `createRuntime`; the files are those the CLI reads. The compiler itself does no I/O; this reads the files for it.
 * Bundled plugins' manifests are found from the runtime's own install (its ancestors'
 * node_modules), as the runtime loads them from there.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, hasErrors, listProjectYamlFiles, fileSizeOnDisk, isFileOnDisk, isFolderOnDisk, readFileOrUndefined, type Diagnostic, type GraphIR } from '@herald/dsl';

export interface LoadedGraph {
  readonly ir: GraphIR | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function runtimePluginRoots(): string[] {
  const roots: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    roots.push(dir);
    const parent = dirname(dir);
    if (parent === dir) return roots;
    dir = parent;
  }
}

export function loadProjectGraph(projectRoot: string): LoadedGraph {
  const project = new Project(projectRoot, { readFile: readFileOrUndefined, isFolder: isFolderOnDisk, isFile: isFileOnDisk, fileSize: fileSizeOnDisk, pluginRoots: runtimePluginRoots() });
  // The files the CLI reads (the same list), so a folder compiles to the graph `herald start` runs.
  for (const rel of listProjectYamlFiles(projectRoot)) project.setFile(rel, readFileSync(join(projectRoot, rel), 'utf8'));
  const { ir, diagnostics } = project.compile();
  return { ir: hasErrors(diagnostics) ? undefined : ir, diagnostics };
}
