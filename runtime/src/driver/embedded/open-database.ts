/**
 * Opening the SQLite file: pragmas, then schema migrations.
 *
 * Durability. The file runs in WAL mode with `synchronous = NORMAL`: a commit appends its
 * pages to the -wal file with write(2) and returns; fsync happens at checkpoints. Once
 * write(2) has returned the data is in the kernel's page cache, which survives the death
 * of the process however it dies (kill -9, OOM killer, a crash in a native plugin), so no
 * committed unit is lost to a process crash (test/conformance/embedded.test.ts kills a
 * writer to check it). Only an OS crash or power cut can lose the last commits before the
 * next checkpoint, and even then the file is not corrupt: WAL frames are checksummed and a
 * torn tail is discarded on recovery, so the store rolls back to an earlier consistent unit.
 * `synchronous: 'FULL'` fsyncs every commit for hosts where that window matters, at a large
 * cost in commits per second.
 */
import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrateSchema, SCHEMA_VERSION } from './migrate-schema.js';

export interface OpenDatabaseOptions {
  /** A file path, or `:memory:` for a store that lives as long as the driver (tests, `herald test`). */
  readonly path: string;
  readonly synchronous?: 'NORMAL' | 'FULL';
  /**
   * SQLite's page cache for this connection, in MiB; default 8. The operating system caches
   * the file as well, so a larger cache buys little speed and costs the process resident
   * memory one for one once the file outgrows it (docs/operations.md, "Memory").
   */
  readonly cacheSizeMb?: number;
  /** How long a write waits for another process holding the file's write lock. */
  readonly busyTimeoutMs?: number;
  /**
   * Read an existing file without ever writing it (no migration, no pragma changes): for
   * tools that look into the file of a running Herald (`herald archive --data`), which may
   * be an older Herald than the tool. Writes throw.
   */
  readonly readonly?: boolean;
}

const DEFAULT_CACHE_MB = 8;

export function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  if (options.readonly === true) return openReadonly(options);
  if (isMemoryPath(options.path)) return openWritable(options);
  try {
    return openWritable(options);
  } catch (error) {
    throw explainOpenError(error, options.path);
  }
}

/**
 * SQLite's own words for a file it cannot write name neither the file nor the cause
 * (`unable to open database file`, `attempt to write a readonly database`): say which file,
 * and what it needs. WAL mode creates `<file>-wal` and `<file>-shm` beside the file, so the
 * folder must be writable even when the file itself is. Other errors pass unchanged.
 */
export function explainOpenError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (isFolder(path)) return new Error(`embedded driver: ${path} is a folder; give the path of the database file in it (such as ${path}/herald.db)`, { cause: error });
  const notAFolder = fileAbove(path);
  if (notAFolder !== null && (code === 'ENOTDIR' || code === 'EEXIST' || code === 'SQLITE_CANTOPEN')) {
    return new Error(`embedded driver: cannot create ${path}: ${notAFolder} is a file, not a folder`, { cause: error });
  }
  const unwritable = code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
  if (!unwritable) return error;
  const file = basename(path);
  const what = code === 'SQLITE_READONLY' ? `${path} and its folder ${dirname(path)} must be writable` : `the folder ${dirname(path)} must be writable`;
  return new Error(`embedded driver: cannot open ${path} for writing (${reason}): ${what}: SQLite writes ${file}-wal and ${file}-shm next to it`, {
    cause: error,
  });
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest folder on the path that is a file instead, if any. */
function fileAbove(path: string): string | null {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) return dir;
    } catch {
      // not there (yet): look further up
    }
  }
  return null;
}

/** The page size of a file the store creates. */
export const PAGE_SIZE = 8192;

function openWritable(options: OpenDatabaseOptions): Database.Database {
  if (!isMemoryPath(options.path)) mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    if (!isMemoryPath(options.path)) {
      // A new file gets 8 KiB pages (set before WAL, as only an empty file can take it; a file
      // that exists keeps its own). Each commit appends every page it touched to the WAL; with
      // larger pages the main thread writes fewer frames per message (7 instead of 10 writes):
      // measured ~6% more messages/s than 4 KiB (docs/operations.md, "Capacity").
      db.pragma(`page_size = ${PAGE_SIZE}`);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`embedded driver: ${options.path} cannot use WAL mode (got ${String(mode)})`);
      // After a checkpoint, trim the -wal file back rather than keep its high-water size.
      db.pragma('journal_size_limit = 67108864');
    }
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('temp_store = MEMORY');
    // Negative: KiB rather than pages.
    db.pragma(`cache_size = -${Math.max(1, Math.round((options.cacheSizeMb ?? DEFAULT_CACHE_MB) * 1024))}`);
    migrateSchema(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function openReadonly(options: OpenDatabaseOptions): Database.Database {
  const db = new Database(options.path, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs ?? 5000 });
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `embedded driver: ${options.path} has schema version ${version}, this Herald reads version ${SCHEMA_VERSION}; use the Herald that wrote it`,
    );
  }
  return db;
}
