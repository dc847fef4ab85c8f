/**
 * Where a `use:` points, as a file to `import()`:
 * - `./plugins/fax`, `../fax` (relative to the project root) or `/abs/path`: a local folder
 *   (its package.json `exports`/`main`, else `index.js`) or a file;
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
    const entry = packageEntry(target);
    if (entry.file) return { ok: true, file: entry.file };
    return {
      ok: false,
      reason: entry.declared
        ? `${target} has no entry point: ${missingEntry(entry.declared)}; build the plugin first (e.g. npm run build in ${target})`
        : `${target} has no entry point (package.json "exports" or "main", or index.js)`,
    };
  }
  const fromProject = resolvePackage(createRequire(join(resolve(projectRoot), 'package.json')), use);
  if (fromProject.file) return { ok: true, file: fromProject.file };
  const bundled = resolvePackage(runtimeRequire, use);
  if (bundled.file) return { ok: true, file: bundled.file };
  const found = fromProject.dir ? fromProject : bundled;
  if (found.dir) {
    return {
      ok: false,
      reason: found.declared
        ? `package ${use} (${found.dir}) has no entry point: ${missingEntry(found.declared)}; build the package (npm run build in its folder) or reinstall it`
        : `package ${use} (${found.dir}) has no entry point (package.json "exports" or "main", or index.js)`,
    };
  }
  return { ok: false, reason: `package ${use} is not installed (not found from ${projectRoot} nor among the runtime's packages); run npm install ${use}` };
}

/** Where package.json says the entry is, when it says so: `"exports" points at ./dist/index.js`. */
interface DeclaredEntry {
  readonly field: 'exports' | 'main';
  readonly path: string;
}

interface PackageEntry {
  /** The file to import, when it exists. */
  readonly file?: string;
  /** The folder of a package found without an entry point. */
  readonly dir?: string;
  /** The entry its package.json names, which does not exist (not built yet). */
  readonly declared?: DeclaredEntry;
}

function missingEntry(declared: DeclaredEntry): string {
  return `its package.json "${declared.field}" points at ${declared.path}, which does not exist`;
}

function resolvePackage(req: NodeJS.Require, name: string): PackageEntry {
  try {
    return { file: req.resolve(name) };
  } catch {
    // Packages that export only an `import` condition cannot be found by require.resolve, and
    // neither can one whose entry file is missing: look for the folder.
    for (const base of req.resolve.paths(name) ?? []) {
      const dir = join(base, name);
      if (existsSync(join(dir, 'package.json'))) return { ...packageEntry(dir), dir };
    }
    return {};
  }
}

/** The ESM entry of a package folder: `exports["."]` (import/node/default), `main`, or index.js. */
function packageEntry(dir: string): PackageEntry {
  let pkg: Record<string, unknown> = {};
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // no package.json: a bare folder with index.js
  }
  const declared: DeclaredEntry[] = [];
  const fromExports = pickExport(pkg['exports']);
  if (fromExports) declared.push({ field: 'exports', path: fromExports });
  if (typeof pkg['main'] === 'string') declared.push({ field: 'main', path: pkg['main'] });
  for (const c of [...declared.map((d) => d.path), 'index.js', 'index.mjs']) {
    const file = resolve(dir, c);
    if (existsSync(file) && statSync(file).isFile()) return { file };
    if (existsSync(join(file, 'index.js'))) return { file: join(file, 'index.js') };
  }
  return declared[0] ? { declared: declared[0] } : {};
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
