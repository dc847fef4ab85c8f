/**
 * Plugins never learn where the project is (their ctx has no project root), yet users write
 * file paths relative to the project (`path: data/crm.json`). So the host resolves them
 * before `create`: every string config value under a key named `path` (at any depth) that is
 * relative becomes absolute against the project root. `-` (stdout, by convention) and URLs are
 * left alone.
 */
import { isAbsolute, resolve } from 'node:path';

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

export function resolveConfigPaths(config: unknown, projectRoot: string): unknown {
  if (Array.isArray(config)) return config.map((v) => resolveConfigPaths(v, projectRoot));
  if (config === null || typeof config !== 'object') return config;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    out[k] = k === 'path' && typeof v === 'string' && isRelativeFile(v) ? resolve(projectRoot, v) : resolveConfigPaths(v, projectRoot);
  }
  return out;
}

function isRelativeFile(value: string): boolean {
  return value !== '' && value !== '-' && !isAbsolute(value) && !URL_LIKE.test(value);
}
