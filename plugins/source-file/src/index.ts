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
 * project is. The file is read once, at create; edit it and restart (or reload) to see changes.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineSource, loadManifest, sourceFailed, sourceOk } from '@herald/plugin-sdk';
import type { SourceResult } from '@herald/plugin-sdk';

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

type Collection = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'source');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The file's collections, each as key → record. A collection may also be an array of records;
 * then a record's key is its `id` field (or its position when it has none).
 */
export function indexCollections(json: unknown, file: string): Map<string, Collection> {
  if (!isRecord(json)) throw new Error(`${file}: expected an object of collections, { "<collection>": { "<key>": <record> } }`);
  const collections = new Map<string, Collection>();
  for (const [name, value] of Object.entries(json)) {
    const records = new Map<string, Readonly<Record<string, unknown>>>();
    if (Array.isArray(value)) {
      value.forEach((record, i) => {
        if (isRecord(record)) records.set(String(record['id'] ?? i), record);
      });
    } else if (isRecord(value)) {
      for (const [key, record] of Object.entries(value)) if (isRecord(record)) records.set(key, record);
    } else {
      throw new Error(`${file}: collection "${name}" must be an object of records (or an array of records)`);
    }
    collections.set(name, records);
  }
  return collections;
}

/** Loose equality for argument matching: `"42"` matches `42`, since keys in JSON object form are strings. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string')) return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

export function runFileQuery(
  collections: ReadonlyMap<string, Collection>,
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

export default defineSource<FileSourceConfig, FileQueryDefinition>({
  manifest,
  async create(config, ctx) {
    const file = resolve(config.path);
    const text = await readFile(file, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    const collections = indexCollections(json, file);
    ctx.logger.debug('file source: loaded', { file, collections: collections.size });
    return {
      async query(_name, args, definition, queryCtx) {
        if (queryCtx.signal.aborted) return sourceFailed.retryable('aborted', { code: 'ABORTED' });
        return runFileQuery(collections, args, definition);
      },
      async close() {},
    };
  },
});
