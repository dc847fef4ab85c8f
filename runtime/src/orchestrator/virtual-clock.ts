/**
 * The runtime's clock. Real time by default; `herald test` and the tests use a virtual clock
 * that only moves when told, so a seven-day wait runs in milliseconds (`runUntilIdle`).
 */
export interface VirtualClock {
  readonly virtual: true;
  now(): number;
  /** Moves to `epochMs`; never backwards. */
  set(epochMs: number): void;
  advance(ms: number): void;
}

export type RuntimeClock = (() => number) | VirtualClock;

/** Starts at 2030-01-01T00:00:00Z unless told otherwise, so tests never depend on today's date. */
export function createVirtualClock(startMs: number = Date.UTC(2030, 0, 1)): VirtualClock {
  let t = startMs;
  return {
    virtual: true,
    now: () => t,
    set(epochMs) {
      if (epochMs > t) t = epochMs;
    },
    advance(ms) {
      if (ms > 0) t += ms;
    },
  };
}

export function isVirtualClock(clock: RuntimeClock | undefined): clock is VirtualClock {
  return typeof clock === 'object' && clock !== null && clock.virtual === true;
}

export function nowFunction(clock: RuntimeClock | undefined): () => number {
  if (clock === undefined) return Date.now;
  if (isVirtualClock(clock)) return () => clock.now();
  return clock;
}
