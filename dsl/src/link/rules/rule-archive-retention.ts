/**
 * `archive.retention` values that delete more than the archive (herald.yaml). Retention is
 * applied at start and every hour: it deletes finished messages created longer ago than the
 * retention, and with them the record of sent messages that dedupe and frequency caps
 * count on, accepted event ids and finished idempotency-ledger entries
 * (runtime/src/driver/embedded, `purgeArchive`).
 * - `zero-duration` (warning): `retention: 0s` keeps nothing: every finished message is deleted
 *   at start and every hour, and no dedupe window or frequency cap holds past the next purge.
 * - `retention-shorter-than-window` (warning): a policy's `dedupe.window` or `frequencyCap.per`
 *   is longer than the retention, so a message's record is purged while its window still runs:
 *   a message with the same dedupe key is sent again, and purged messages stop counting
 *   against the cap. A window equal to the retention is fine: both count a message sent
 *   exactly that long ago.
 * Warnings, not errors: Herald runs as written, it only forgets early.
 */
import type { PolicyFile } from '../../model/ast.js';
import type { Span } from '../../source/source-file.js';
import { formatDuration } from '../../types/parse-duration.js';
import type { LinkRule } from '../link-context.js';

interface Window {
  readonly policy: PolicyFile;
  readonly ms: number;
  readonly span: Span;
  /** `the dedupe window (`window: 30d`)`: what the window is, as the message names it. */
  readonly what: string;
  /** What purging its record early lets through. */
  readonly consequence: string;
}

function windowsOf(p: PolicyFile): Window[] {
  const out: Window[] = [];
  if (p.dedupe) {
    const w = formatDuration(p.dedupe.window.value);
    out.push({
      policy: p,
      ms: p.dedupe.window.value,
      span: p.dedupe.window.span,
      what: `the dedupe window (\`window: ${w}\`)`,
      consequence: `once a message's record is purged, another with the same dedupe key is sent again although its ${w} window still runs`,
    });
  }
  if (p.frequencyCap) {
    const per = formatDuration(p.frequencyCap.per.value);
    out.push({
      policy: p,
      ms: p.frequencyCap.per.value,
      span: p.frequencyCap.per.span,
      what: `the frequency-cap period (\`per: ${per}\`)`,
      consequence: `purged messages stop counting against the cap, and more than ${p.frequencyCap.max.value} per ${per} can get through`,
    });
  }
  return out;
}

export const archiveRetention: LinkRule = ({ model, report }) => {
  const retention = model.config?.archive?.retention;
  if (!retention) return;
  if (retention.value === 0) {
    report({
      code: 'zero-duration',
      message:
        'an archive retention of 0 keeps nothing: at start and every hour every finished message is deleted, and with it the record dedupe and frequency caps count on and the ids of accepted events',
      span: retention.span,
      hint: 'write how long to keep messages, at least as long as any dedupe window or frequency-cap period (e.g. `retention: 56w`), or remove `retention` to keep them forever; to keep content out of the archive, use `redact`',
    });
    return;
  }
  const kept = formatDuration(retention.value);
  const windows = model.policies.flatMap(windowsOf).filter((w) => w.ms > retention.value);
  const longest = Math.max(...windows.map((w) => w.ms));
  for (const w of windows) {
    report({
      code: 'retention-shorter-than-window',
      message: `archive retention ${kept} is shorter than ${w.what} of policy \`${w.policy.id.value}\`: the purge (at start and every hour) deletes the record of messages sent more than ${kept} ago, so ${w.consequence}`,
      span: retention.span,
      hint: `make \`retention\` at least \`${formatDuration(longest)}\`, the longest window of any policy, or shorten the policy's window to \`${kept}\` or less`,
      related: [{ span: w.span, message: `${w.what.replace(/^the /, '')} of policy \`${w.policy.id.value}\`` }],
    });
  }
};
