/**
 * The send journal: what a worker thread writes the moment a plugin's `send` returns, before
 * the result travels back to the scheduler and into the ledger (`ledgerFinish`).
 *
 * Why: the ledger is written by the main thread, after the result has crossed the thread
 * boundary and waited its turn in the event loop. A process killed in between leaves the
 * ledger `in-flight` for a message the provider already took, and the next run sends it again.
 * One synchronous append here (write(2): in the kernel's page cache, which survives kill -9)
 * shrinks that window to the time between the provider's answer and this line. At startup
 * the orchestrator replays the journals into the ledger (`ledgerFinish`), so the re-run of such
 * an attempt finds it `done` and sends nothing.
 *
 * One file per worker thread (`sends-<pid>-<thread>-<n>.jsonl`); a file is rotated at 16 MiB
 * and the one before it deleted: its entries reached the ledger long ago. A journal folder
 * belongs to one process: another process's replay would delete its live files.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROTATE_BYTES = 16 * 1024 * 1024;
const FILE = /^sends-\d+-\d+-\d+\.jsonl$/;

export interface SendJournal {
  record(ledgerKey: string, result: unknown): void;
}

export function createSendJournal(dir: string, threadId: number): SendJournal {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  let bytes = 0;
  let previous: string | null = null;
  let current = join(dir, `sends-${process.pid}-${threadId}-${n}.jsonl`);
  return {
    record(ledgerKey, result) {
      const line = `${JSON.stringify([ledgerKey, result])}\n`;
      appendFileSync(current, line);
      bytes += line.length;
      if (bytes < ROTATE_BYTES) return;
      if (previous) rmSync(previous, { force: true });
      previous = current;
      current = join(dir, `sends-${process.pid}-${threadId}-${++n}.jsonl`);
      bytes = 0;
    },
  };
}

export interface JournalContents {
  /** ledger key -> the plugin's result. */
  readonly entries: Map<string, unknown>;
  readonly files: readonly string[];
}

/** Every entry of the journal files in `dir` (a torn last line, from a kill mid-write, is skipped). */
export function readSendJournals(dir: string): JournalContents {
  const entries = new Map<string, unknown>();
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((f) => FILE.test(f));
  } catch {
    return { entries, files: [] };
  }
  const files = names.map((f) => join(dir, f));
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        const [key, result] = JSON.parse(line) as [string, unknown];
        entries.set(key, result);
      } catch {
        // torn write at the moment of the kill
      }
    }
  }
  return { entries, files };
}

export function removeSendJournals(files: readonly string[]): void {
  for (const f of files) rmSync(f, { force: true });
}
