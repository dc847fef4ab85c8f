import type { JsonValue, OutboundMessage, SendContext } from '@herald/plugin-sdk';
import { signatureHeader } from './sign.js';
import { HEADER_NAME, HEADER_VALUE, IDEMPOTENCY_HEADER, RESERVED_HEADERS, SIGNATURE_HEADER } from './webhook-config.js';
import type { ResolvedConfig, WebhookContent } from './webhook-config.js';

/** What the receiver gets as the request body. Field names are a contract with receivers: keep them stable. */
export interface WebhookPayload {
  /** The idempotency key: the same on every retry of one send, so receivers can drop duplicates. */
  readonly id: string;
  readonly channel: string;
  readonly to: string;
  readonly locale: string;
  readonly subjectId: string;
  readonly journey: string;
  readonly step: string;
  readonly category?: string;
  /** The template's `body`, parsed: the JSON value the template wrote. */
  readonly content: JsonValue;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface WebhookRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type BuildRequestResult = { readonly ok: true; readonly request: WebhookRequest } | { readonly ok: false; readonly reason: string };

/**
 * The request for one send. The body holds nothing that changes between attempts (no time, no
 * attempt number), so a retry is byte-identical and a receiver may compare or hash it; the
 * time only goes into the signature header.
 */
export function buildRequest(
  config: ResolvedConfig,
  message: OutboundMessage<WebhookContent>,
  ctx: Pick<SendContext, 'idempotencyKey' | 'clock' | 'logger'>,
  userAgent: string,
): BuildRequestResult {
  const text = message.content.body;
  if (typeof text !== 'string') return { ok: false, reason: 'the webhook message has no body field' };
  let content: JsonValue;
  try {
    content = JSON.parse(text) as JsonValue;
  } catch (error) {
    // Rendering the same template again gives the same text: retrying cannot help.
    return { ok: false, reason: `the webhook body is not valid JSON (${(error as Error).message}); check the template's quoting` };
  }
  const payload: WebhookPayload = {
    id: ctx.idempotencyKey,
    channel: message.channel,
    to: message.to,
    locale: message.locale,
    subjectId: message.subjectId,
    journey: message.journey,
    step: message.step,
    ...(message.category === undefined ? {} : { category: message.category }),
    content,
    metadata: message.metadata,
  };
  const body = JSON.stringify(payload);

  // Later entries win: template headers, then the operator's config, then the channel's own.
  const headers = new Map<string, { name: string; value: string }>();
  headers.set('user-agent', { name: 'User-Agent', value: userAgent });
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const key = name.toLowerCase();
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value) || RESERVED_HEADERS.has(key)) {
      ctx.logger.warn('webhook: ignoring a header the template may not set', { header: name });
      continue;
    }
    headers.set(key, { name, value });
  }
  for (const [name, value] of Object.entries(config.headers)) headers.set(name.toLowerCase(), { name, value });
  headers.set('content-type', { name: 'Content-Type', value: 'application/json; charset=utf-8' });
  headers.set(IDEMPOTENCY_HEADER.toLowerCase(), { name: IDEMPOTENCY_HEADER, value: ctx.idempotencyKey });
  if (config.secret !== undefined) {
    const signature = signatureHeader(config.secret, Math.floor(ctx.clock.now() / 1000), body);
    headers.set(SIGNATURE_HEADER.toLowerCase(), { name: SIGNATURE_HEADER, value: signature });
  }

  return {
    ok: true,
    request: { url: config.url, headers: Object.fromEntries([...headers.values()].map((h) => [h.name, h.value])), body },
  };
}
