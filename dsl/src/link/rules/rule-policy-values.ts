/**
 * Policy values that are valid one by one but do not do what they say:
 * - `quiet-hours-empty` (warning): `from` and `to` are the same time, so nothing is held back;
 * - `retry-max-below-initial` (warning): every backoff delay is capped below the first one;
 * - `unknown-timezone` (error): `quietHours.timezone` is a literal that names no IANA zone. At run
 *   time it would quietly give way to the subject's zone; a literal can be checked now.
 */
import { isValidTimeZone } from '../../expr/timestamp.js';
import type { LinkRule } from '../link-context.js';

/** A quoted string literal's text (`'Europe/Berlin'` or `"Europe/Berlin"`), else undefined: an expression is checked when it runs. */
function literal(text: string): string | undefined {
  const m = /^\s*(['"])([^'"]*)\1\s*$/.exec(text);
  return m ? m[2] : undefined;
}

const formatMs = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

export const policyValues: LinkRule = ({ model, report }) => {
  for (const p of model.policies) {
    const qh = p.quietHours;
    if (qh && qh.from.value === qh.to.value) {
      report({
        code: 'quiet-hours-empty',
        message: `quiet hours of policy \`${p.id.value}\` run from ${qh.from.value} to ${qh.to.value}: they hold nothing back`,
        span: qh.to.span,
        hint: 'give `to` the time the quiet hours end (they may cross midnight: `from: "21:00", to: "08:00"`), or remove `quietHours`',
      });
    }
    const zone = qh?.timezone ? literal(qh.timezone.text) : undefined;
    if (qh?.timezone && zone !== undefined && !isValidTimeZone(zone)) {
      report({
        code: 'unknown-timezone',
        message: `\`${zone}\` is not an IANA time zone (quiet hours of policy \`${p.id.value}\`)`,
        span: qh.timezone.span,
        hint: 'use a zone such as `Europe/Berlin` or `America/New_York`, or leave `timezone` out to use the subject’s',
      });
    }
    const retry = p.retry;
    if (retry?.initial && retry.max && retry.max.value < retry.initial.value) {
      report({
        code: 'retry-max-below-initial',
        message: `retry of policy \`${p.id.value}\`: \`max\` ${formatMs(retry.max.value)} is below \`initial\` ${formatMs(retry.initial.value)}, so every retry waits ${formatMs(retry.max.value)}`,
        span: retry.max.span,
        hint: '`max` caps the growing delay; make it at least `initial`, or use `backoff: fixed`',
      });
    }
  }
};
