/**
 * Policy values that are valid one by one but do not do what they say:
 * - `quiet-hours-empty` (warning): `from` and `to` are the same time, so nothing is held back;
 * - `retry-max-below-initial` (warning): every backoff delay is capped below the first one, by a
 *   written `max` or by the default one (1h) when `initial` is longer;
 * - `unknown-timezone` (error): `quietHours.timezone` is a literal that names no IANA zone. At run
 *   time it would quietly give way to the subject's zone; a literal can be checked now. The same
 *   for `defaults.timezone` in herald.yaml, which would quietly give way to UTC.
 */
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { Problem } from '../../diagnostics/report.js';
import { isValidTimeZone } from '../../expr/timestamp.js';
import { POLICY_DEFAULTS } from '../../lower/lower-project.js';
import { offsetInText } from '../../model/ast.js';
import type { Span } from '../../source/source-file.js';
import { formatDuration } from '../../types/parse-duration.js';
import type { LinkRule } from '../link-context.js';

let zones: readonly string[] | undefined;
/** The IANA zones this Node knows, for did-you-mean. */
function knownZones(): readonly string[] {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zones;
}

/** An `unknown-timezone` problem for `zone` at `span` (exactly the zone's characters when `fixable`), with a did-you-mean and fix. */
export function unknownTimezone(zone: string, span: Span, where: string, otherwise: string, fixable: boolean): Problem {
  const suggestion = didYouMean(zone, knownZones());
  return {
    code: 'unknown-timezone',
    message: `\`${zone}\` is not an IANA time zone (${where})`,
    span,
    hint: suggestion
      ? `did you mean \`${suggestion}\`?`
      : `use a zone such as \`Europe/Berlin\` or \`America/New_York\`, ${otherwise}`,
    ...(suggestion && fixable ? { fix: { title: `Change to ${suggestion}`, span, newText: suggestion } } : {}),
  };
}

/** A quoted string literal's text (`'Europe/Berlin'` or `"Europe/Berlin"`), else undefined: an expression is checked when it runs. */
function literal(text: string): string | undefined {
  const m = /^\s*(['"])([^'"]*)\1\s*$/.exec(text);
  return m ? m[2] : undefined;
}


export const policyValues: LinkRule = ({ model, report }) => {
  const defaultZone = model.config?.defaults.timezone;
  if (defaultZone && !isValidTimeZone(defaultZone.value)) {
    report(unknownTimezone(defaultZone.value, defaultZone.span, '`defaults.timezone`', 'or leave it out to use UTC', true));
  }
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
      // Point at the zone's characters inside the quotes when the scalar maps exactly, so the fix keeps them.
      const inner = qh.timezone.text.indexOf(zone, qh.timezone.text.search(/['"]/) + 1);
      const start = offsetInText(qh.timezone, inner);
      const end = offsetInText(qh.timezone, inner + zone.length);
      const span = start !== undefined && end !== undefined ? { file: qh.timezone.span.file, start, end } : undefined;
      report(unknownTimezone(zone, span ?? qh.timezone.span, `quiet hours of policy \`${p.id.value}\``, 'or leave `timezone` out to use the subject’s', span !== undefined));
    }
    const retry = p.retry;
    if (retry?.initial && retry.max && retry.max.value < retry.initial.value) {
      report({
        code: 'retry-max-below-initial',
        message: `retry of policy \`${p.id.value}\`: \`max\` ${formatDuration(retry.max.value)} is below \`initial\` ${formatDuration(retry.initial.value)}, so every retry waits ${formatDuration(retry.max.value)}`,
        span: retry.max.span,
        hint: '`max` caps the growing delay; make it at least `initial`, or use `backoff: fixed`',
      });
    } else if (retry?.initial && !retry.max && retry.initial.value > POLICY_DEFAULTS.retry.maxMs) {
      // Unwritten, `max` is 1h: `initial: 2h` would quietly retry after 1h, whatever the backoff.
      const max = formatDuration(POLICY_DEFAULTS.retry.maxMs);
      report({
        code: 'retry-max-below-initial',
        message: `retry of policy \`${p.id.value}\`: \`initial\` ${formatDuration(retry.initial.value)} is above the default \`max\` of ${max}, so every retry waits ${max}`,
        span: retry.initial.span,
        hint: `set \`max:\` (at least \`initial\`: \`max: ${formatDuration(retry.initial.value)}\`) for longer delays, or make \`initial\` at most ${max}`,
      });
    }
  }
};
