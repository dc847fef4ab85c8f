import { bounced, failed } from '@herald/plugin-sdk';
import type { DeliveryFailure } from '@herald/plugin-sdk';

/** The fields nodemailer puts on its errors (and Node on socket errors). */
interface SmtpErrorLike {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly responseCode?: unknown;
  readonly response?: unknown;
  readonly command?: unknown;
}

/** Socket and DNS trouble: the next attempt may well get through. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION', // nodemailer: connection closed or failed
  'ESOCKET', // nodemailer: socket error
  'ETIMEDOUT', // nodemailer and node: a timeout
  'EDNS', // nodemailer: DNS lookup failed
  'ETLS', // nodemailer: TLS setup failed (a reset during the handshake as often as a bad certificate)
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const MAX_REASON = 500;

/**
 * Maps a nodemailer error to a DeliveryResult failure:
 * - SMTP 4xx: retryable (greylisting, mailbox busy, rate limits);
 * - SMTP 5xx: permanent; a bounce when the server refused the recipient (RCPT TO, or an enhanced
 *   status 5.1.x / 5.2.1 anywhere), but not for 5.7.x policy refusals (relaying denied,
 *   authentication required), which are the sender's configuration, not the address;
 * - connection refused, reset, timeouts, DNS: retryable;
 * - authentication without a server reply, an invalid sender: permanent (configuration);
 * - a recipient nodemailer cannot parse: a bounce;
 * - anything else: retryable, so that an unexpected error never silently drops a message
 *   (the policy's attempt limit bounds the retries).
 */
export function classifySmtpError(error: unknown): DeliveryFailure {
  const e: SmtpErrorLike = typeof error === 'object' && error !== null ? (error as SmtpErrorLike) : { message: String(error) };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const response = typeof e.response === 'string' ? e.response.trim() : undefined;
  const command = typeof e.command === 'string' ? e.command : undefined;
  const message = typeof e.message === 'string' ? e.message : 'unknown error';

  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    const reason = truncate(`${command ? `${command}: ` : ''}${response ?? message}`);
    const resultCode = `SMTP_${responseCode}`;
    if (responseCode < 500) return failed.retryable(reason, { code: resultCode });
    const enhanced = enhancedStatus(response);
    const policy = enhanced?.startsWith('5.7.') ?? false;
    const badAddress = enhanced !== undefined && (enhanced.startsWith('5.1.') || enhanced === '5.2.1');
    if (badAddress || (command === 'RCPT TO' && !policy)) return bounced(reason, { code: resultCode });
    return failed.permanent(reason, { code: resultCode });
  }
  if (code !== undefined && TRANSIENT_CODES.has(code)) return failed.retryable(truncate(message), { code });
  if (code === 'EAUTH') return failed.permanent(truncate(message), { code });
  if (code === 'EENVELOPE') {
    return /invalid recipient|no recipients/i.test(message)
      ? bounced(truncate(message), { code })
      : failed.permanent(truncate(message), { code });
  }
  if (code === 'EMESSAGE') return failed.permanent(truncate(message), { code });
  return failed.retryable(truncate(message), { code: code ?? 'UNKNOWN' });
}

/** `5.1.1` from `550 5.1.1 <x@y>: Recipient address rejected`. */
function enhancedStatus(response: string | undefined): string | undefined {
  return response?.match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

function truncate(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}
