/**
 * A command pointed at a folder without herald.yaml stops with "no herald.yaml in <dir>" and
 * where the project probably is: the one the folder is part of, or those one or two levels
 * below. Without this check the CLI compiled every YAML file under the folder as one project
 * (at a repository's root: all its examples and fixtures at once) and answered with dozens of
 * unrelated errors.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isSkippedName } from '@herald/dsl';
import { shownPath } from './shown-path.js';

const SHOWN = 5;

export function isProjectDir(dir: string): boolean {
  return existsSync(join(dir, 'herald.yaml')) || existsSync(join(dir, 'herald.yml'));
}

/** Project folders below `dir`, at most `depth` levels down, nearest first, as paths under `dir`. */
export function projectsBelow(dir: string, depth = 2): string[] {
  const found: string[] = [];
  let level = [dir];
  for (let d = 1; d <= depth; d++) {
    const next: string[] = [];
    for (const parent of level) {
      for (const name of subfolders(parent)) {
        const path = join(parent, name);
        if (isProjectDir(path)) found.push(path);
        else next.push(path);
      }
    }
    level = next;
  }
  return found;
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      // Never searched: dependencies, build output, hidden folders (as a project's files are never read from them).
      .filter((e) => e.isDirectory() && !isSkippedName(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return []; // unreadable: not worth a word in a hint
  }
}

/** Throws, with what to type instead, unless `dir` is a folder with a herald.yaml. */
export function requireProjectDir(dir: string): void {
  const shown = displayed(dir);
  if (!existsSync(dir)) throw new Error(`no such folder: ${shown}`);
  // `herald test tests/payment.test.yaml`: a file where the project folder goes.
  if (!statSync(dir).isDirectory()) {
    const parent = dirname(resolve(dir));
    throw new Error(`${shown} is a file, not a project folder; ${isProjectDir(parent) ? `did you mean ${shownPath(parent)}?` : hint(parent)}`);
  }
  if (isProjectDir(dir)) return;
  throw new Error(`no herald.yaml in ${shown}; ${hint(dir)}`);
}

/** The nearest folder above `dir` that is a project: a command run in its `journeys/`, say. */
export function projectAbove(dir: string): string | undefined {
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    if (isProjectDir(d)) return d;
    if (dirname(d) === d) return undefined;
  }
}

function hint(dir: string): string {
  const above = projectAbove(dir);
  if (above) return `did you mean ${shownPath(above)} (the project it is in)?`;
  const below = projectsBelow(dir);
  if (below.length === 0) return 'create one with at least `project: <name>`, or name the project folder';
  const names = below.slice(0, SHOWN);
  const more = below.length - names.length;
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')}${more ? ', ' : ' or '}${names.at(-1)!}`;
  return `did you mean ${list}${more ? ` (or ${more} more)` : ''}?`;
}

/** The folder as the user can read it: the current folder by name, others as given. */
function displayed(dir: string): string {
  return resolve(dir) === process.cwd() ? `the current folder (${process.cwd()})` : dir;
}
