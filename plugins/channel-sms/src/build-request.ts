import type { OutboundMessage, SendContext } from '@herald/plugin-sdk';
import { IDEMPOTENCY_HEADER } from './sms-config.js';
import type { ResolvedConfig, SmsContent } from './sms-config.js';

export interface SmsRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** `application/x-www-form-urlencoded`, as Twilio's API takes it. */
  readonly body: string;
}

export type BuildRequestResult = { readonly ok: true; readonly request: SmsRequest } | { readonly ok: false; readonly reason: string };

/**
 * The create-message request for one send. Nothing in it changes between attempts, so a retry
 * is the same request with the same idempotency token.
 */
export function buildRequest(
  config: ResolvedConfig,
  message: OutboundMessage<SmsContent>,
  ctx: Pick<SendContext, 'idempotencyKey'>,
  userAgent: string,
): BuildRequestResult {
  const text = message.content.body;
  // Rendering the same template again gives the same content: no attempt can fix it.
  if (typeof text !== 'string' || text === '') return { ok: false, reason: 'the sms message has no body: the template\'s sms variant must render a non-empty body' };

  const form = new URLSearchParams();
  form.set('To', message.to);
  if ('from' in config.sender) form.set('From', config.sender.from);
  else form.set('MessagingServiceSid', config.sender.messagingServiceSid);
  form.set('Body', text);
  if (config.statusCallback !== undefined) form.set('StatusCallback', config.statusCallback);

  const credentials = Buffer.from(`${config.accountSid}:${config.authToken}`, 'utf8').toString('base64');
  return {
    ok: true,
    request: {
      url: config.messagesUrl,
      headers: {
        Authorization: `Basic ${credentials}`,
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        Accept: 'application/json',
        'User-Agent': userAgent,
        [IDEMPOTENCY_HEADER]: ctx.idempotencyKey,
      },
      body: form.toString(),
    },
  };
}
