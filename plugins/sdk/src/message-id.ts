import { createHash } from 'node:crypto';

/** Domain used when the runtime is not told the sender's domain. `.invalid` is reserved (RFC 2606), so never someone else's. */
export const DEFAULT_MESSAGE_ID_DOMAIN = 'herald.invalid';

const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * The RFC 5322 Message-ID for an idempotency key: `<sha256(key) as 32 hex chars@domain>`.
 * Deterministic, so a retried or duplicated send carries the same Message-ID and receivers
 * (and our own archive) can recognise the duplicate. The key itself is not exposed in it.
 */
export function messageIdFor(idempotencyKey: string, domain: string = DEFAULT_MESSAGE_ID_DOMAIN): string {
  if (idempotencyKey === '') throw new TypeError('messageIdFor: the idempotency key is empty');
  if (!DOT_ATOM.test(domain)) throw new TypeError(`messageIdFor: ${JSON.stringify(domain)} is not a valid Message-ID domain`);
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  return `<${digest}@${domain}>`;
}
