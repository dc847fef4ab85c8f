/** The channel's config, as validated against herald-plugin.json's configSchema (keep the two in step). */
export interface WebhookConfig {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly secret?: string;
  readonly timeoutMs?: number;
}

/** Rendered fields of a `webhook` template variant: `body` is JSON text. */
export type WebhookContent = {
  readonly body: string;
};

export const DEFAULT_TIMEOUT_MS = 10_000;

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const SIGNATURE_HEADER = 'Herald-Signature';

/**
 * Headers neither the config nor a template may set: the channel owns the body's framing and
 * the request's identity, and undici refuses connection-level headers outright.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'host',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  IDEMPOTENCY_HEADER.toLowerCase(),
  SIGNATURE_HEADER.toLowerCase(),
]);

// RFC 9110 field name (token) and a value fetch accepts.
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const HEADER_VALUE = /^[^\r\n\0]*$/;

/** The config after the checks the schema cannot make; `create` throws on the first problem. */
export interface ResolvedConfig {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly secret: string | undefined;
  readonly timeoutMs: number;
}

/**
 * Throws on a config that cannot work, so the runtime reports it at start rather than failing
 * every message: a URL fetch would refuse, or a header that would override the channel's own.
 */
export function resolveConfig(config: WebhookConfig): ResolvedConfig {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new Error(`webhook: url ${JSON.stringify(config.url)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`webhook: url must be http:// or https://, got ${url.protocol}`);
  // fetch refuses URLs with credentials; say where they belong instead of failing every send.
  if (url.username !== '' || url.password !== '') throw new Error('webhook: url must not contain credentials; send them in headers (Authorization)');
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new Error(`webhook: ${JSON.stringify(name)} is not a valid HTTP header name`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new Error(`webhook: headers may not set ${name}; the channel sets it`);
    if (!HEADER_VALUE.test(value)) throw new Error(`webhook: the value of header ${name} contains a line break or a NUL character`);
  }
  return {
    url,
    headers: config.headers ?? {},
    secret: config.secret,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}
