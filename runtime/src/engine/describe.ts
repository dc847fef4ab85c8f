/** Short human forms for history notes: `30s`, `7d`, `1h30m`, ISO instants. */

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** `90000` -> `1m30s`, `2592000000` -> `30d`, `1500` -> `1.5s`. */
export function describeDuration(ms: number): string {
  if (ms < 0) return `-${describeDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  if (ms % 1000 !== 0 && ms < 60_000) return `${ms / 1000}s`;
  let rest = Math.round(ms / 1000) * 1000;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

export function describeInstant(ms: number): string {
  return new Date(ms).toISOString();
}
