/** Short human forms for history notes and log lines: ISO instants, graph versions (durations: `formatDuration` from '@herald/dsl'). */

export function describeInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Hex digits of a graph version's hash that are shown: plenty to tell versions apart, short enough for a log line. */
const SHOWN_HASH_DIGITS = 12;

/**
 * A graph version as every message shows it: `sha256:ddf254bbac5f` for
 * `sha256:ddf254bbac5f…` (the algorithm and the first 12 hex digits). The full version is in
 * the IR, the API and the store; this is the one abbreviation of it in history notes, logs and
 * the CLI, so a version can be searched for by what any of them printed.
 */
export function shortVersion(version: string): string {
  const colon = version.indexOf(':');
  return version.slice(0, colon + 1 + SHOWN_HASH_DIGITS);
}
