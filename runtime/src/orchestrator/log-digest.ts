/**
 * One log line for a burst of the same notice. After a crash every attempt that was in flight
 * is sent again (handle-attempt-job.ts), hundreds at once with the default concurrency; a warn
 * per attempt would bury everything else the restart logs. The first of a burst is logged
 * with its detail, the ones after it within `intervalMs` only counted (and logged at debug),
 * and the count goes out with the next notice after the interval, or at `flush()` (stop).
 */
import type { PluginLogger } from '@herald/plugin-sdk';

export interface LogDigest {
  /** `detail`: this occurrence (an attempt's key), logged in full when it opens a burst. */
  note(detail: string): void;
  /** Logs what is counted and not logged yet. */
  flush(): void;
}

export interface LogDigestOptions {
  readonly log: PluginLogger;
  /** What happened, without the occurrence: `an earlier run may have reached the provider ...`. */
  readonly what: string;
  /** What an occurrence is, singular and plural: `['attempt', 'attempts']`. */
  readonly noun: readonly [string, string];
  readonly intervalMs?: number;
  /** Wall time, not the runtime's clock: a virtual clock must not split a burst or join two. */
  readonly clock?: () => number;
}

export function createLogDigest({ log, what, noun, intervalMs = 10_000, clock = () => performance.now() }: LogDigestOptions): LogDigest {
  let openedAt: number | null = null;
  let unlogged = 0;
  const summarise = (now: number) => {
    if (unlogged > 0) {
      const seconds = Math.max(1, Math.ceil((now - (openedAt ?? now)) / 1000));
      log.warn(`${unlogged} more ${noun[unlogged === 1 ? 0 : 1]} within ${seconds} s (each logged at debug level): ${what}`);
    }
    unlogged = 0;
    openedAt = null;
  };
  return {
    note(detail) {
      const now = clock();
      if (openedAt !== null && now - openedAt < intervalMs) {
        unlogged += 1;
        log.debug(`${detail}: ${what}`);
        return;
      }
      summarise(now);
      log.warn(`${detail}: ${what}`);
      openedAt = now;
    },
    flush() {
      summarise(clock());
    },
  };
}
