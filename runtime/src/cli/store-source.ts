/**
 * The two ways `herald archive` and `herald instances` read what Herald keeps: through a running
 * Herald's API (`--url`, the default, which works the same over any driver and respects the API
 * token), or straight from an embedded-driver SQLite file (`--data .herald/dev.db`), for when no
 * Herald is running — after `herald dev` stopped, or on a copy of a production file. The file
 * is opened as the driver opens it (SQLite WAL lets it sit beside a running Herald), read-only:
 * the database is never created nor written, though SQLite creates its -shm and -wal side files,
 * which it needs to read a WAL file safely while a writer may run, and a reader leaves them
 * (docs/operations.md).
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiUnreachable, TOKEN_OPTION_HELP, URL_OPTION_HELP } from '../api/api-client.js';
import type { Driver } from '../driver/driver.js';
import { createEmbeddedDriver } from '../driver/embedded/index.js';

export interface SourceOptions {
  readonly url?: string;
  readonly token?: string;
  readonly data?: string;
  readonly json?: boolean;
}

/** A problem found in what was read (an unknown id, a refused token): said on stderr, exit 1. */
export class CliError extends Error {}

const DATA_FILE_HINT = "it names the embedded driver's SQLite file of herald dev/start, such as .herald/dev.db";

/** The store in the file, opened read-only; a path that names no database is a usage error (exit 2). */
export async function openDataFile(path: string): Promise<Driver> {
  // Usage errors, as a missing --data @file of send-event is: the command cannot start with what
  // it was given — a file that is not there, a folder, a file that is no database.
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    throw new Error(`--data: no such file: ${path} (${DATA_FILE_HINT})`);
  }
  if (folder) throw new Error(`--data: ${path} is a folder, not a file (${DATA_FILE_HINT})`);
  // Read-only: Herald may be running on this file right now.
  const driver: Driver = createEmbeddedDriver({ path, readonly: true });
  try {
    await driver.open();
  } catch (error) {
    throw new Error(`--data ${path}: ${error instanceof Error ? error.message : String(error)} (${DATA_FILE_HINT})`, { cause: error });
  }
  return driver;
}

/** Runs `run` on the source `open` gives for the options, closing it after; a CliError is said and exits 1. */
export async function withSource<S extends { close(): Promise<void> }>(opts: SourceOptions, open: (opts: SourceOptions) => Promise<S>, run: (source: S) => Promise<void>): Promise<void> {
  let source: S | undefined;
  try {
    source = await open(opts);
    await run(source);
  } catch (error) {
    // What the API keeps is in the data file too: once `herald dev` has stopped, that is the way in.
    if (error instanceof ApiUnreachable) throw new Error(`${error.message}; or read the data file: --data <file> (herald dev keeps it in <project>/.herald/dev.db)`);
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await source?.close();
  }
}

/** `--url`, `--token`, `--data`, `--json`. */
export function sourceOptions(command: Command): Command {
  return command
    .option('--url <url>', URL_OPTION_HELP)
    .option('--token <token>', TOKEN_OPTION_HELP)
    .option('--data <file>', 'read an embedded-driver SQLite file instead of asking a running Herald')
    .option('--json', 'print JSON');
}
