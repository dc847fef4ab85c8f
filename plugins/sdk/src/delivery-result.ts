import { isPlainObject, nonJsonPlace, type JsonValue } from './json.js';

/**
 * What a provider said about a message it took. `providerMessageId` is the id the provider
 * will use in later status callbacks (and what support staff search for); other fields are
 * provider-specific and are archived as they are, so they must be JSON values.
 */
export interface DeliveryReceipt {
  readonly providerMessageId?: string;
  readonly [field: string]: JsonValue | undefined;
}

/** A receipt that a status callback will be matched against: it must name the provider's id. */
export interface AcceptedReceipt extends DeliveryReceipt {
  readonly providerMessageId: string;
}

/** The provider took the message and it counts as delivered (SMTP 250, a 2xx from an API that delivers synchronously). */
export interface Delivered {
  readonly status: 'delivered';
  readonly receipt: DeliveryReceipt;
}

/** The provider queued the message; the outcome follows through a status callback matched on `receipt.providerMessageId`. */
export interface Accepted {
  readonly status: 'accepted';
  readonly receipt: AcceptedReceipt;
}

/**
 * Not sent, and trying again may work (timeouts, connection refused, 4xx, 429, 5xx of an HTTP API).
 * The runtime retries with the policy's backoff (never sooner than `retryAfterMs` when given),
 * then fails over to the next channel when the attempts are used up.
 */
export interface RetryableFailure {
  readonly status: 'failed';
  readonly retryable: true;
  readonly reason: string;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly bounced?: false;
}

/**
 * Not sent, and the same message to the same address will fail again (invalid credentials,
 * content rejected, recipient unknown). The runtime does not retry; it fails over.
 * `bounced` says the address itself is undeliverable (SMTP 550 on RCPT TO, a hard bounce),
 * which the runtime records on the subject's contact.
 */
export interface PermanentFailure {
  readonly status: 'failed';
  readonly retryable: false;
  readonly reason: string;
  readonly code?: string;
  readonly bounced?: boolean;
}

export type DeliveryFailure = RetryableFailure | PermanentFailure;

/** What `ChannelInstance.send` resolves to. Send never rejects for a delivery problem: failures are values. */
export type DeliveryResult = Delivered | Accepted | DeliveryFailure;

export type DeliveryStatus = DeliveryResult['status'];

/** The code carried by a failure that happened because the send's signal was aborted. */
export const ABORTED_CODE = 'ABORTED';

export function delivered(receipt: DeliveryReceipt = {}): Delivered {
  return Object.freeze({ status: 'delivered', receipt: Object.freeze({ ...receipt }) });
}

export function accepted(receipt: AcceptedReceipt): Accepted {
  return Object.freeze({ status: 'accepted', receipt: Object.freeze({ ...receipt }) });
}

export interface RetryableOptions {
  readonly code?: string;
  /** The provider asked to wait at least this long (HTTP 429 `Retry-After`, for example). */
  readonly retryAfterMs?: number;
}

export interface PermanentOptions {
  readonly code?: string;
}

function retryable(reason: string, options: RetryableOptions = {}): RetryableFailure {
  return Object.freeze({
    status: 'failed',
    retryable: true,
    reason,
    ...(options.code === undefined ? {} : { code: options.code }),
    ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
  });
}

function permanent(reason: string, options: PermanentOptions = {}): PermanentFailure {
  return Object.freeze({
    status: 'failed',
    retryable: false,
    reason,
    ...(options.code === undefined ? {} : { code: options.code }),
  });
}

/** `failed.retryable(reason)` / `failed.permanent(reason)`. */
export const failed = Object.freeze({ retryable, permanent });

/** A permanent failure because the recipient address is undeliverable. */
export function bounced(reason: string, options: PermanentOptions = {}): PermanentFailure {
  return Object.freeze({ ...permanent(reason, options), bounced: true });
}

/**
 * The send stopped because `ctx.signal` was aborted (a delivery timeout or a shutdown).
 * Retryable: the runtime decides whether to try again; the idempotency key makes that safe.
 */
export function aborted(signal?: AbortSignal): RetryableFailure {
  const why = signal?.reason;
  const detail = why instanceof Error ? why.message : typeof why === 'string' ? why : undefined;
  return retryable(detail ? `aborted: ${detail}` : 'aborted', { code: ABORTED_CODE });
}

/**
 * Problems that make `value` not a DeliveryResult; empty when it is one.
 * The runtime runs this on everything a plugin returns, because plugins are not trusted to be typed.
 */
export function checkDeliveryResult(value: unknown): string[] {
  if (!isPlainObject(value)) return ['a DeliveryResult must be an object'];
  const problems: string[] = [];
  switch (value['status']) {
    case 'delivered':
    case 'accepted': {
      const receipt = value['receipt'];
      if (!isPlainObject(receipt)) {
        problems.push(`a '${value['status']}' result needs a receipt object`);
        break;
      }
      const id = receipt['providerMessageId'];
      if (value['status'] === 'accepted' && (typeof id !== 'string' || id === '')) {
        problems.push("an 'accepted' result needs receipt.providerMessageId: the status callback is matched on it");
      } else if (id !== undefined && typeof id !== 'string') {
        problems.push('receipt.providerMessageId must be a string');
      }
      const notJson = nonJsonPlace(receipt);
      if (notJson !== undefined) problems.push(`the receipt must hold only JSON values; ${notJson.replace(/^the value/, 'the receipt')}`);
      break;
    }
    case 'failed': {
      if (typeof value['retryable'] !== 'boolean') problems.push("a 'failed' result needs retryable: true or false");
      if (typeof value['reason'] !== 'string' || value['reason'] === '') problems.push("a 'failed' result needs a reason");
      if (value['code'] !== undefined && typeof value['code'] !== 'string') problems.push('code must be a string');
      if (value['bounced'] !== undefined && typeof value['bounced'] !== 'boolean') problems.push('bounced must be a boolean');
      if (value['bounced'] === true && value['retryable'] === true) problems.push('a bounce is permanent: bounced needs retryable: false');
      const after = value['retryAfterMs'];
      if (after !== undefined && (typeof after !== 'number' || !Number.isFinite(after) || after < 0)) {
        problems.push('retryAfterMs must be a non-negative number');
      }
      break;
    }
    default:
      problems.push(`status must be 'delivered', 'accepted' or 'failed', got ${JSON.stringify(value['status'])}`);
  }
  return problems;
}

export function isDeliveryResult(value: unknown): value is DeliveryResult {
  return checkDeliveryResult(value).length === 0;
}

