/**
 * Which files on disk make up a project: every YAML file below the folder with `herald.yaml`,
 * except in the folders a project's files never live in. One list, so the CLI, the runtime's
 * loader (`loadProjectGraph`), `herald test`, the file watchers and the language server all read
 * the same files and compile the same graph from a folder.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isYamlFile } from './classify-file.js';

/** Dependencies and build output; hidden files and folders (`.git`, `.herald`, `.github`, an editor's `.#x.yaml` lock) are skipped too. */
const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'dist', 'out']);

/** Whether a file or folder of this name is no part of a project (nor is anything in it). */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/** Whether `path`, below `root`, is no part of the project (what file watchers ignore). */
export function isSkippedPath(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && rel.split(/[\\/]/).some(isSkippedName);
}

/**
 * Every YAML file of the project at `root`: POSIX paths relative to it, each folder's names in
 * sorted order, a folder's files where its name sorts. Entries that
 * cannot be read (a folder without permission, a dangling symlink) are passed over, as a file
 * that is not there.
 */
export function listProjectYamlFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (isSkippedName(name)) continue;
      const path = join(dir, name);
      let folder: boolean;
      try {
        folder = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (folder) walk(path);
      else if (isYamlFile(name)) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}
