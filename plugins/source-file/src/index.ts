/**
 * @herald/source-file: answers data queries from a local JSON file — fixtures, demos and small
 * lookup tables. The file holds collections keyed by record key:
 *
 *   { "customers": { "c-100": { "name": "Ada" }, "c-200": { "name": "Alan" } } }
 *
 * A query's `with:` block names the collection, and either
 * - `key` (default `id`): the argument whose value selects one record (`null` when absent), or
 * - `list: true`: every record of the collection whose fields equal all the given arguments.
 *
 * `path` is relative to the project root: the runtime's plugin host resolves relative `path`
 * config values against the project root before `create`, since plugins never learn where the
 * project is. The file is read at create and again when it changes (file-collections.ts).
 */
import { resolve } from 'node:path';
import { defineSource, loadManifest, sourceFailed, sourceOk } from '@herald/plugin-sdk';
import type { SourceResult } from '@herald/plugin-sdk';
import { openFileCollections, type Collections } from './file-collections.js';

export { indexCollections } from './file-collections.js';

export interface FileSourceConfig {
  /** JSON file; relative paths were resolved against the project root by the runtime. */
  readonly path: string;
}

export interface FileQueryDefinition {
  readonly collection: string;
  /** Argument whose value selects the record; default `id`. */
  readonly key?: string;
  /** Return the records of the collection that match every argument, as a list. */
  readonly list?: boolean;
}

const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'source');

/** Loose equality for argument matching: `"42"` matches `42`, since keys in JSON object form are strings. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string')) return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

export function runFileQuery(
  collections: Collections,
  args: Readonly<Record<string, unknown>>,
  definition: FileQueryDefinition,
): SourceResult {
  const collection = collections.get(definition.collection);
  if (collection === undefined) {
    const known = [...collections.keys()].map((k) => JSON.stringify(k)).join(', ') || 'none';
    return sourceFailed.permanent(`no collection "${definition.collection}" in the file (collections: ${known})`, { code: 'NO_COLLECTION' });
  }
  if (definition.list === true) {
    const wanted = Object.entries(args);
    const rows = [...collection.values()].filter((record) => wanted.every(([k, v]) => sameValue(record[k], v)));
    return sourceOk(rows);
  }
  const keyArg = definition.key ?? 'id';
  const key = args[keyArg];
  if (key === undefined || key === null) {
    return sourceFailed.permanent(`the query needs the argument "${keyArg}" to select a record`, { code: 'MISSING_KEY' });
  }
  const direct = collection.get(String(key));
  if (direct !== undefined) return sourceOk(direct);
  // Records keyed otherwise but carrying the key as a field (an array collection with `email` keys, say).
  for (const record of collection.values()) if (sameValue(record[keyArg], key)) return sourceOk(record);
  return sourceOk(null);
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Why `path` names no file this source can read, or undefined. The runtime resolves a relative
 * path against the project root but leaves `-`, URLs and an empty string as written, so without
 * this they would reach `stat` as a mangled path (`/proj/https:/x.example/crm.json`: ENOENT).
 */
export function pathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string' || path.trim() === '') return 'config.path is empty; name a JSON file, relative to the project root';
  if (path === '-') return 'config.path is "-" (standard input or output), but the file source reads a JSON file; name one, relative to the project root';
  if (URL_LIKE.test(path)) return `config.path is a URL (${path}), but the file source reads local files only; save the file in the project and name that copy`;
  return undefined;
}

export default defineSource<FileSourceConfig, FileQueryDefinition>({
  manifest,
  async create(config, ctx) {
    const problem = pathProblem(config.path);
    if (problem !== undefined) throw new Error(problem);
    const file = resolve(config.path);
    const collections = await openFileCollections(file, { warn: (message) => ctx.logger.warn(message) });
    ctx.logger.debug('file source: loaded', { file });
    return {
      async query(_name, args, definition, queryCtx) {
        if (queryCtx.signal.aborted) return sourceFailed.retryable('aborted', { code: 'ABORTED' });
        return runFileQuery(await collections.current(), args, definition);
      },
      async close() {},
    };
  },
});
