const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `1h30m` -> 5400000; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const re = /([0-9]+)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

const FORMAT_UNITS = [
  ['d', 86_400_000n],
  ['h', 3_600_000n],
  ['m', 60_000n],
  ['s', 1000n],
  ['ms', 1n],
] as const;

/**
 * The canonical text of a duration of `ms` milliseconds: the one formatter Herald prints
 * durations with (diagnostics, journey graphs, instance histories, `string(duration)` in
 * expressions). The text is always a valid Herald duration, reading back as the same value
 * with `parseDuration` here (YAML values) and with `duration()` and literals in expressions:
 * - compound, largest unit first, each unit once, zero parts left out: `90000` -> `1m30s`,
 *   `5400000` -> `1h30m`, `1500` -> `1s500ms`, `90061001` -> `1d1h1m1s1ms`;
 * - units `d`, `h`, `m`, `s`, `ms`, never `w`: `7d`, `14d`, `30d` (not `1w`, `2w`, `4w2d`), as
 *   instance histories and most journeys write it;
 * - whole numbers only, never `1.5s`: a fraction of a millisecond is rounded to the nearest
 *   millisecond (durations below a millisecond are not supported);
 * - zero is `0s`;
 * - a negative duration (possible in expressions only) has a leading `-`: `-15m`, as
 *   `duration("-15m")` reads it; YAML durations are never negative.
 * Throws a RangeError for NaN and infinities, which are not durations.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a duration: ${ms} ms`);
  // BigInt keeps every digit of very long durations (no `1e+21d`).
  let rest = BigInt(Math.round(Math.abs(ms)));
  if (rest === 0n) return '0s';
  let out = ms < 0 ? '-' : '';
  for (const [unit, size] of FORMAT_UNITS) {
    const n = rest / size;
    if (n > 0n) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
