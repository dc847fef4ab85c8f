/** The channel's config, as validated against herald-plugin.json's configSchema (keep the two in step). */
export interface SmsConfig {
  readonly accountSid: string;
  readonly authToken: string;
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly baseUrl?: string;
  readonly statusCallback?: string;
  readonly verifyCallbacks?: boolean;
  readonly timeoutMs?: number;
}

/**
 * Rendered fields of an `sms` template variant. `body` is the name docs/plugins.md gives the sms
 * kind ("Content fields by kind"), so templates written for any SMS channel work here.
 */
export type SmsContent = {
  readonly body: string;
};

export const DEFAULT_BASE_URL = 'https://api.twilio.com';
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Twilio reads this header on create requests; a gateway that honours it drops a retried send. */
export const IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token';
export const SIGNATURE_HEADER = 'X-Twilio-Signature';

/** Who the message is from: a sender, or a Messaging Service that picks one. */
export type Sender = { readonly from: string } | { readonly messagingServiceSid: string };

/** The config after the checks the schema cannot make; `create` throws on the first problem. */
export interface ResolvedConfig {
  readonly accountSid: string;
  readonly authToken: string;
  readonly sender: Sender;
  /** The Messages resource of the account. */
  readonly messagesUrl: URL;
  readonly statusCallback: string | undefined;
  readonly verifyCallbacks: boolean;
  readonly timeoutMs: number;
}

/**
 * Throws on a config that cannot work, so the runtime reports it at start rather than failing
 * every message. Messages never quote the auth token: start-up errors end up in logs.
 */
export function resolveConfig(config: SmsConfig): ResolvedConfig {
  if (typeof config.accountSid !== 'string' || config.accountSid === '') throw new Error('sms: accountSid is required');
  // Basic auth cannot carry a user name with a colon, and the SID is also a path segment.
  if (!/^[A-Za-z0-9_-]+$/.test(config.accountSid)) throw new Error('sms: accountSid may hold only letters, digits, "_" and "-"');
  if (typeof config.authToken !== 'string' || config.authToken === '') throw new Error('sms: authToken is required (write "${TWILIO_AUTH_TOKEN}")');
  const hasFrom = config.from !== undefined && config.from !== '';
  const hasService = config.messagingServiceSid !== undefined && config.messagingServiceSid !== '';
  if (hasFrom === hasService) throw new Error('sms: give exactly one of from and messagingServiceSid');
  const sender: Sender = hasFrom ? { from: config.from! } : { messagingServiceSid: config.messagingServiceSid! };

  const base = parseHttpUrl('baseUrl', config.baseUrl ?? DEFAULT_BASE_URL);
  // fetch refuses URLs with credentials; the account's credentials go in the Authorization header.
  if (base.username !== '' || base.password !== '') throw new Error('sms: baseUrl must not contain credentials; they come from accountSid and authToken');
  if (base.search !== '' || base.hash !== '') throw new Error('sms: baseUrl must not have a query string or a fragment');
  // A gateway may mount the API under a path (…/api/laml); keep it, without doubling the slash.
  const prefix = base.pathname.replace(/\/+$/, '');
  const messagesUrl = new URL(`${prefix}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`, base.origin);

  if (config.statusCallback !== undefined) parseHttpUrl('statusCallback', config.statusCallback);

  return {
    accountSid: config.accountSid,
    authToken: config.authToken,
    sender,
    messagesUrl,
    statusCallback: config.statusCallback,
    verifyCallbacks: config.verifyCallbacks ?? true,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

function parseHttpUrl(key: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`sms: ${key} ${JSON.stringify(value)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`sms: ${key} must be http:// or https://, got ${url.protocol}`);
  return url;
}
