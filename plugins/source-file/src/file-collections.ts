/**
 * The file's collections, kept current: a query looks at the file's size and modification time
 * at most once per `recheckMs` and re-reads it when either changed, so editing the data file
 * during `herald dev` (or any run) is seen within a second without a restart. A file that is
 * broken after an edit (half-saved, bad JSON) keeps the last good collections and is logged once
 * per change; a file broken from the start fails `create`, since nothing good was ever read.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export type Collection = ReadonlyMap<string, Readonly<Record<string, unknown>>>;
export type Collections = ReadonlyMap<string, Collection>;

export interface FileCollectionsOptions {
  readonly recheckMs?: number;
  readonly now?: () => number;
  readonly warn?: (message: string) => void;
}

export interface FileCollections {
  current(): Promise<Collections>;
}

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

async function readCollections(file: string): Promise<Map<string, Collection>> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return indexCollections(json, file);
}

const fingerprint = (s: Stats) => `${s.size}:${s.mtimeMs}`;
/** The fingerprint of a file that cannot be read. */
const GONE = 'gone';

export async function openFileCollections(file: string, options: FileCollectionsOptions = {}): Promise<FileCollections> {
  const recheckMs = options.recheckMs ?? 1000;
  const now = options.now ?? Date.now;
  let seen = fingerprint(await stat(file));
  let collections: Collections = await readCollections(file);
  let checkedAt = now();
  // One check at a time: queries arriving during a re-read share it.
  let checking: Promise<void> | undefined;

  const check = async () => {
    let stats: Stats;
    try {
      stats = await stat(file);
    } catch (error) {
      // Gone for a moment (an editor saving by rename) or for good: answer from what was read,
      // and say so once, not at every recheck while it stays gone.
      if (seen !== GONE) options.warn?.(`file source: cannot read ${file} (${(error as Error).message}); answering from its last good contents`);
      seen = GONE;
      return;
    }
    const next = fingerprint(stats);
    if (next === seen) return;
    seen = next;
    try {
      collections = await readCollections(file);
    } catch (error) {
      options.warn?.(`file source: ${(error as Error).message}; answering from its last good contents until it is fixed`);
    }
  };

  return {
    async current() {
      if (now() - checkedAt >= recheckMs) {
        checkedAt = now();
        checking ??= check().finally(() => {
          checking = undefined;
        });
      }
      if (checking) await checking;
      return collections;
    },
  };
}
