/**
 * Reads a file a command line names (`--data @event.json`), with what went wrong said the way
 * the CLI says it elsewhere (`no such file: <path>`), not Node's `ENOENT: ... open '<path>'`.
 */
import { readFileSync } from 'node:fs';

/** `-` is stdin. */
export function readInputFile(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new Error(fileErrorMessage(path, error));
  }
}

export function fileErrorMessage(path: string, error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return `no such file: ${path}`;
    case 'EISDIR':
      return `${path} is a folder, not a file`;
    case 'EACCES':
    case 'EPERM':
      return `cannot read ${path}: permission denied`;
    default:
      return `cannot read ${path}: ${(error as Error).message}`;
  }
}
