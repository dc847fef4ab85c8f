/** The CLI's file I/O for the compiler: read a project folder into a Project and compile it. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isYamlFile, Project, type CompileResult } from '@herald/dsl';
import { isProjectDir, requireProjectDir } from './require-project-dir.js';

const SKIP_DIRS = new Set(['node_modules', '.git', '.herald', 'dist', 'out']);

export function readFileOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Folders above the CLI's own package: where the bundled @herald/* plugins are installed. */
export function bundledPluginRoots(): string[] {
  const roots: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    roots.push(dir.split(sep).join('/'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return roots;
}

export function listYamlFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (SKIP_DIRS.has(name)) continue;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (isYamlFile(name)) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

export interface LoadedProject {
  readonly root: string;
  readonly project: Project;
  readonly result: CompileResult;
}

/** Throws when `dir` holds no herald.yaml (require-project-dir.ts). */
export function openProject(dir: string): Project {
  requireProjectDir(dir);
  const root = resolve(dir).split(sep).join('/');
  const project = new Project(root, { readFile: readFileOrUndefined, pluginRoots: bundledPluginRoots() });
  for (const f of listYamlFiles(root)) project.setFile(f, readFileSync(join(root, f), 'utf8'));
  return project;
}

export async function loadProject(dir: string): Promise<LoadedProject> {
  const project = openProject(dir);
  return { root: project.root, project, result: project.compile() };
}

/** `herald validate examples` validates each sub-folder that is a project when the folder itself is not one. */
export function expandProjectDirs(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (isProjectDir(d) || !existsSync(d) || !statSync(d).isDirectory()) {
      out.push(d);
      continue;
    }
    const subs = readdirSync(d)
      .sort()
      .map((n) => join(d, n))
      .filter((p) => statSync(p).isDirectory() && isProjectDir(p));
    out.push(...(subs.length ? subs : [d]));
  }
  return out;
}
