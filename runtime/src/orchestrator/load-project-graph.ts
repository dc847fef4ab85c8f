/**
 * Compiles a project folder on disk to its execution graph: what `herald start` and the tests
 * do before `createRuntime`. The compiler itself does no I/O; this reads the files for it.
 * Bundled plugins' manifests are found from the runtime's own install (its ancestors'
 * node_modules), as the runtime loads them from there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, classifyFile, hasErrors, fileSizeOnDisk, isFileOnDisk, isFolderOnDisk, readFileOrUndefined, type Diagnostic, type GraphIR } from '@herald/dsl';

export interface LoadedGraph {
  readonly ir: GraphIR | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', '.herald']);

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
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(join(dir, entry.name));
        continue;
      }
      const rel = relative(projectRoot, join(dir, entry.name)).split(sep).join('/');
      const kind = classifyFile(rel);
      if (kind !== undefined && kind !== 'test') project.setFile(rel, readFileSync(join(dir, entry.name), 'utf8'));
    }
  };
  walk(projectRoot);
  const { ir, diagnostics } = project.compile();
  return { ir: hasErrors(diagnostics) ? undefined : ir, diagnostics };
}
