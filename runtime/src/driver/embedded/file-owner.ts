/**
 * One Herald process per embedded file. The driver writes who holds the file into `meta` when it
 * opens it for writing, and removes that on close. Opening finds one of:
 *
 * - nobody, or a holder that is gone (its process no longer exists, the machine rebooted since,
 *   or the file was copied from another machine): the jobs that holder had leased are given
 *   back at once, instead of waiting out their leases (60 s by default) after a crash;
 * - a holder that still runs: opening fails with a message naming it. Two processes on one
 *   file would each run the other's jobs whenever a lease ran out, and the embedded scheduler
 *   is built for one.
 *
 * Read-only opens (`herald archive --data`) neither check nor write this.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Database } from 'better-sqlite3';
import type { Statements } from './prepare-statements.js';

const OWNER_KEY = 'owner';

export interface FileOwner {
  readonly pid: number;
  readonly host: string;
  /** Linux's boot id: a pid seen before a reboot says nothing about the process now. */
  readonly boot: string;
  /** Tells this opening from an earlier one of the same process. */
  readonly token: string;
}

/** Tokens of the files this process holds open now (a second open in the same process is refused too). */
const heldHere = new Set<string>();

export type OwnerCheck = { readonly kind: 'free' } | { readonly kind: 'dead'; readonly owner: FileOwner } | { readonly kind: 'live'; readonly owner: FileOwner };

/** Whether the recorded holder still runs (pure but for the process table lookup `isRunning`). */
export function checkOwner(recorded: FileOwner | undefined, me: Omit<FileOwner, 'token'>, isRunning: (pid: number) => boolean): OwnerCheck {
  if (recorded === undefined) return { kind: 'free' };
  if (recorded.host !== me.host || recorded.boot !== me.boot) return { kind: 'dead', owner: recorded };
  if (recorded.pid === me.pid) return heldHere.has(recorded.token) ? { kind: 'live', owner: recorded } : { kind: 'dead', owner: recorded };
  return isRunning(recorded.pid) ? { kind: 'live', owner: recorded } : { kind: 'dead', owner: recorded };
}

/** The statements the claim needs (prepare-statements.ts). */
type OwnerStatements = Pick<Statements, 'getMeta' | 'putMeta' | 'deleteMeta' | 'releaseAllLeases'>;

/** Takes the file for this process; throws when another live process holds it. Returns the token to release. */
export function claimFile(db: Database, s: OwnerStatements, path: string): string {
  const me = currentProcess();
  const claim = db.transaction((): string => {
    const value = s.getMeta.get(OWNER_KEY)?.value;
    const check = checkOwner(value === undefined ? undefined : parseOwner(value), me, processExists);
    if (check.kind === 'live') {
      throw new Error(
        `embedded driver: ${path} is in use by another Herald process (pid ${check.owner.pid} on ${check.owner.host}); ` +
          'the embedded driver serves one process per file: stop that process, or give this one its own data file',
      );
    }
    // The jobs the dead holder had leased run again now.
    if (check.kind === 'dead') s.releaseAllLeases.run();
    const token = randomUUID();
    s.putMeta.run(OWNER_KEY, JSON.stringify({ ...me, token } satisfies FileOwner));
    return token;
  });
  const token = claim.immediate();
  heldHere.add(token);
  return token;
}

/** Gives the file up (on close); a no-op when someone else's claim replaced ours. */
export function releaseFile(s: OwnerStatements, token: string): void {
  heldHere.delete(token);
  const value = s.getMeta.get(OWNER_KEY)?.value;
  if (value !== undefined && parseOwner(value)?.token === token) s.deleteMeta.run(OWNER_KEY);
}

function currentProcess(): Omit<FileOwner, 'token'> {
  return { pid: process.pid, host: hostname(), boot: bootId() };
}

let cachedBootId: string | undefined;
function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      // Not Linux: the process start time of the OS is not at hand; pids alone decide.
      cachedBootId = '';
    }
  }
  return cachedBootId;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(value: string): FileOwner | undefined {
  try {
    const v = JSON.parse(value) as Partial<FileOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.boot === 'string' && typeof v.token === 'string') return v as FileOwner;
  } catch {
    // A value we cannot read is nobody's claim.
  }
  return undefined;
}
