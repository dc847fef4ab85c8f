/** The CLI's file I/O for the compiler: read a project folder into a Project and compile it. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileSizeOnDisk, isFileOnDisk, isFolderOnDisk, listProjectYamlFiles, Project, readFileOrUndefined, type CompileResult } from '@herald/dsl';
import { isProjectDir, requireProjectDir } from './require-project-dir.js';

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

export interface LoadedProject {
  readonly root: string;
  readonly project: Project;
  readonly result: CompileResult;
}

/** Throws when `dir` holds no herald.yaml (require-project-dir.ts). */
export function openProject(dir: string): Project {
  requireProjectDir(dir);
  const root = resolve(dir).split(sep).join('/');
  const project = openProjectFrom(root, readFileOrUndefined);
  for (const f of listProjectYamlFiles(root)) project.setFile(f, readFileSync(join(root, f), 'utf8'));
  return project;
}

/** An empty project at `root` whose compiler reads other files (plugin manifests, template includes) with `readFile`. */
export function openProjectFrom(root: string, readFile: (absPath: string) => string | undefined): Project {
  return new Project(root, { readFile, isFolder: isFolderOnDisk, isFile: isFileOnDisk, fileSize: fileSizeOnDisk, pluginRoots: bundledPluginRoots() });
}

export async function loadProject(dir: string): Promise<LoadedProject> {
  const project = openProject(dir);
  return { root: project.root, project, result: project.compile() };
}

/** `herald validate examples` (and `herald test examples`) take each sub-folder that is a project when the folder itself is not one. */
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

export interface OpenedProjects {
  readonly projects: readonly Project[];
  /** Why each folder that is no project (or none at all) was skipped: `no herald.yaml in ...`, with where to look. */
  readonly refused: readonly Error[];
}

/**
 * The projects among `dirs`, as `herald validate` and `herald test` take them: a folder of
 * projects gives each (expandProjectDirs), and a folder that is none is refused without stopping
 * the others. With no project at all, the first refusal is thrown: the usage error it is
 * (runHerald prints it, exit 2). The command reports the rest with `reportRefused`.
 */
export function openProjects(dirs: readonly string[]): OpenedProjects {
  const projects: Project[] = [];
  const refused: Error[] = [];
  for (const dir of expandProjectDirs(dirs)) {
    try {
      projects.push(openProject(dir));
    } catch (error) {
      refused.push(error as Error);
    }
  }
  if (projects.length === 0 && refused[0]) throw refused[0];
  return { projects, refused };
}

/** Each refused folder named on stderr, after the command's output; any makes the exit code 2. */
export function reportRefused(refused: readonly Error[]): void {
  for (const error of refused) process.stderr.write(`herald: ${error.message}\n`);
  if (refused.length > 0) process.exitCode = 2;
}
