/**
 * The domain of a channel's Message-IDs. Receivers trust Message-IDs under the sender's own
 * domain more than `herald.invalid`, so a channel whose config has a `from` address uses that
 * address's domain; otherwise the runtime's configured domain, else the SDK default.
 */
import { DEFAULT_MESSAGE_ID_DOMAIN } from '@herald/plugin-sdk';

const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

export function messageIdDomainFor(config: unknown, fallback: string = DEFAULT_MESSAGE_ID_DOMAIN): string {
  if (config !== null && typeof config === 'object') {
    const from = (config as Record<string, unknown>)['from'];
    const address = typeof from === 'string' ? (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from) : undefined;
    const domain = address?.trim().split('@')[1]?.trim();
    if (domain && DOT_ATOM.test(domain)) return domain.toLowerCase();
  }
  return fallback;
}
