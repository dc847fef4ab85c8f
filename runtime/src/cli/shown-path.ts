/**
 * A path as the CLI prints it: relative to the working directory when it is inside it, where
 * that is shorter and what the user would type; absolute when it is not, since
 * `../../tmp/qa/p1/journeys/x.yaml` is longer than `/tmp/qa/p1/journeys/x.yaml` and makes the
 * reader count the `..`s. Forward slashes either way, as in the compiler's diagnostics.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

const slashes = (path: string) => path.split(sep).join('/');

export function shownPath(path: string, cwd = process.cwd()): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return slashes(absolute);
  return slashes(rel);
}
