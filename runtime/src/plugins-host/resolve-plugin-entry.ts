/**
 * Where a `use:` points, as a file to `import()`:
 * - `./plugins/fax` or `/abs/path`: a local folder (its package.json `exports`/`main`, else
 *   `index.js`) or a file;
 * - a package name: resolved as Node resolves it from the project root
 *   (`createRequire(<root>/package.json)`), then from the runtime's own node_modules, where the
 *   bundled `@herald/*` plugins live.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';

export type EntryResult = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly reason: string };

const runtimeRequire = createRequire(import.meta.url);

export function resolvePluginEntry(use: string, projectRoot: string): EntryResult {
  if (use.startsWith('.') || isAbsolute(use)) {
    const target = resolve(projectRoot, use);
    if (!existsSync(target)) return { ok: false, reason: `${target} does not exist` };
    if (statSync(target).isFile()) return { ok: true, file: target };
    const file = packageEntry(target);
    return file ? { ok: true, file } : { ok: false, reason: `${target} has no entry point (package.json "exports" or "main", or index.js)` };
  }
  const fromProject = resolvePackage(createRequire(join(resolve(projectRoot), 'package.json')), use);
  if (fromProject) return { ok: true, file: fromProject };
  const bundled = resolvePackage(runtimeRequire, use);
  if (bundled) return { ok: true, file: bundled };
  return { ok: false, reason: `package ${use} is not installed (not found from ${projectRoot} nor among the runtime's packages); run npm install ${use}` };
}

function resolvePackage(req: NodeJS.Require, name: string): string | undefined {
  try {
    return req.resolve(name);
  } catch {
    // Packages that export only an `import` condition cannot be found by require.resolve: look for the folder.
    for (const base of req.resolve.paths(name) ?? []) {
      const dir = join(base, name);
      if (existsSync(join(dir, 'package.json'))) return packageEntry(dir);
    }
    return undefined;
  }
}

/** The ESM entry of a package folder: `exports["."]` (import/node/default), `main`, or index.js. */
function packageEntry(dir: string): string | undefined {
  let pkg: Record<string, unknown> = {};
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // no package.json: a bare folder with index.js
  }
  const candidates: string[] = [];
  const fromExports = pickExport(pkg['exports']);
  if (fromExports) candidates.push(fromExports);
  if (typeof pkg['main'] === 'string') candidates.push(pkg['main']);
  candidates.push('index.js', 'index.mjs');
  for (const c of candidates) {
    const file = resolve(dir, c);
    if (existsSync(file) && statSync(file).isFile()) return file;
    if (existsSync(join(file, 'index.js'))) return join(file, 'index.js');
  }
  return undefined;
}

function pickExport(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (exports === null || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const root = Object.keys(map).some((k) => k.startsWith('.')) ? map['.'] : map;
  return pickCondition(root);
}

function pickCondition(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const picked = pickCondition(v);
      if (picked) return picked;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const conditions = value as Record<string, unknown>;
  for (const c of ['import', 'node', 'default']) if (c in conditions) return pickCondition(conditions[c]);
  return undefined;
}
