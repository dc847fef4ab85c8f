/**
 * Durations: literals (`1h30m`), `duration("1h30m")`, and their run-time form, a number of
 * milliseconds (JSON-friendly; see docs/expressions.md "Runtime values"). Durations are written
 * back as text by `formatDuration` (types/parse-duration.ts), the one formatter for all of Herald.
 */

export const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;

/**
 * `1h30m` -> 5400000. A leading `-` or `+` is accepted (CEL's `duration("-1h")`); literals
 * never have one since `-30s` is unary minus applied to `30s`. `undefined` when not a duration.
 */
export function parseDuration(text: string): number | undefined {
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (i >= text.length) return undefined;
  if (text.length - i === 1 && text[i] === '0') return 0; // Go and CEL accept a bare "0"
  let total = 0;
  while (i < text.length) {
    PART.lastIndex = i;
    const m = PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    i = PART.lastIndex;
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

export const DURATION_HINT = 'a duration is a number and a unit (ms, s, m, h, d, w), e.g. `30m` or `1h30m`';
