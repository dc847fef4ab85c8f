/**
 * Unsubscribe links: `${publicBaseUrl}/unsubscribe/${token}`. The token names the subject and
 * the message category and is signed with HMAC-SHA256 under a secret from the runtime's
 * config, so a link cannot be forged for someone else nor edited to another category. It does
 * not expire: an unsubscribe link in an old email must keep working (CAN-SPAM, RFC 8058).
 *
 * Format: base64url(JSON [subjectId, category]) "." base64url(first 16 bytes of the HMAC).
 * Opaque to recipients; nothing secret is in it (the subject id is readable by design: it is
 * what the receiving endpoint needs, and the link goes only to that subject).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UnsubscribeClaim {
  readonly subjectId: string;
  /** The policy's message category (`billing`, `marketing`); the opt-out applies to it. */
  readonly category: string;
}

const MAC_BYTES = 16;

/** Longer tokens are refused unread (and the API accepts no longer path parameter). */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 4096;

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`herald-unsubscribe:${payload}`, 'utf8').digest().subarray(0, MAC_BYTES);
}

export function signUnsubscribeToken(claim: UnsubscribeClaim, secret: string): string {
  if (secret === '') throw new TypeError('signUnsubscribeToken: the secret is empty');
  const payload = Buffer.from(JSON.stringify([claim.subjectId, claim.category]), 'utf8').toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** The claim of a genuine token; null for anything forged, edited or malformed. */
export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaim | null {
  if (secret === '' || token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(decoded) || decoded.length !== 2) return null;
    const [subjectId, category] = decoded as unknown[];
    if (typeof subjectId !== 'string' || typeof category !== 'string') return null;
    return { subjectId, category };
  } catch {
    return null;
  }
}

/** The link for one message: `${baseUrl}/unsubscribe/${token}` (a trailing slash on baseUrl is ignored). */
export function unsubscribeUrl(baseUrl: string, claim: UnsubscribeClaim, secret: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/unsubscribe/${signUnsubscribeToken(claim, secret)}`;
}
