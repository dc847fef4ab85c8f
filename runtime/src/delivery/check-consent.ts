/**
 * Which channels of the resolved order a message may go out on, and why the others may not:
 * - opted out: the subject's `optOuts` holds the channel (`sms`), the message category
 *   (`marketing`), the pair (`marketing:sms`), or everything (`*`);
 * - not configured: the channel is not in herald.yaml (a graph/policy mismatch);
 * - no address: `subject.contacts[channel]` is missing or empty;
 * - no template variant: the channel's message kind has no variant in the template
 *   (a channel of kind `any`, such as the log channel, takes any variant).
 */
import type { SubjectProfile } from '../engine/types.js';

export interface ConsentContext {
  readonly category: string;
  readonly subject: SubjectProfile;
  /** channel name -> message kind (GraphIR `channels[name].message`). */
  readonly channelKinds: Readonly<Record<string, string>>;
  /** Message kinds the template has variants for. */
  readonly templateKinds: ReadonlySet<string>;
}

export interface ChannelSkip {
  readonly channel: string;
  /** Reads after the channel name: "opted out", "no address", "no sms variant in the template", "not configured". */
  readonly reason: string;
}

export interface ConsentResult {
  readonly eligible: readonly string[];
  readonly skipped: readonly ChannelSkip[];
}

export function checkConsent(channels: readonly string[], ctx: ConsentContext): ConsentResult {
  const eligible: string[] = [];
  const skipped: ChannelSkip[] = [];
  const optOuts = new Set(ctx.subject.optOuts);
  for (const channel of channels) {
    const reason = whyNot(channel, optOuts, ctx);
    if (reason === null) eligible.push(channel);
    else skipped.push({ channel, reason });
  }
  return { eligible, skipped };
}

function whyNot(channel: string, optOuts: ReadonlySet<string>, ctx: ConsentContext): string | null {
  if (optOuts.has('*') || optOuts.has(channel) || optOuts.has(ctx.category) || optOuts.has(`${ctx.category}:${channel}`)) return 'opted out';
  const kind = ctx.channelKinds[channel];
  if (kind === undefined) return 'not configured';
  const address = ctx.subject.contacts[channel];
  if (typeof address !== 'string' || address === '') return 'no address';
  if (kind !== 'any' && !ctx.templateKinds.has(kind)) return `no ${kind} variant in the template`;
  return null;
}
