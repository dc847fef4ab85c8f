/**
 * The file system as a CompilerHost reads it (project.ts): the one place the compiler's hosts
 * (the CLI, the runtime's loader, the language server) touch the disk for it. The Project itself
 * reads only through its host, so tests and the editor can give it files from memory.
 */
import { readFileSync, statSync } from 'node:fs';

export function readFileOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function isFolderOnDisk(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Bytes, following symlinks; undefined for a path that names no file. */
export function fileSizeOnDisk(path: string): number | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** Follows symlinks, as a plugin opening the path would. */
export function isFileOnDisk(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
