/**
 * A small client of this API for the CLI (`herald send-event`, `herald archive`): the base URL
 * and token (flags, else HERALD_URL / HERALD_TOKEN), one JSON request helper, and an API error
 * body printed with its field errors.
 */

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface ApiTarget {
  readonly url: string;
  readonly token: string | undefined;
}

export const URL_OPTION_HELP = `Herald API base URL (env HERALD_URL; default ${DEFAULT_API_URL})`;
export const TOKEN_OPTION_HELP = 'API bearer token (env HERALD_TOKEN)';

/**
 * Throws when the URL is not an http(s) URL: fetch would fail on it as on a server that is
 * down, and "is herald dev running?" is the wrong thing to ask about a mistyped `--url`.
 */
export function apiTarget(opts: { url?: string; token?: string }): ApiTarget {
  const env = process.env['HERALD_URL'];
  const url = opts.url ?? env ?? DEFAULT_API_URL;
  const from = opts.url !== undefined ? '--url' : 'HERALD_URL';
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new Error(`${from} is not a valid URL: ${JSON.stringify(url)}; give the Herald API's base URL with http:// or https://, such as ${DEFAULT_API_URL}`);
  }
  return { url: url.replace(/\/+$/, ''), token: opts.token ?? process.env['HERALD_TOKEN'] ?? undefined };
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** No Herald answered at the URL: a command that has another way in (a data file) can say so. */
export class ApiUnreachable extends Error {
  override readonly name = 'ApiUnreachable';
}

export async function callApi(target: ApiTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (target.token) headers['authorization'] = `Bearer ${target.token}`;
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new ApiUnreachable(`cannot reach the Herald API at ${target.url}${cause ? ` (${cause})` : ''}: is \`herald dev\` or \`herald start\` running? (--url to point elsewhere)`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/**
 * `error: the invoice.overdue event is invalid` + one indented line per field. A 401 says how
 * to give the token: `target` tells whether one was sent (then it is the wrong one).
 */
export function formatApiError(res: ApiResponse, target?: ApiTarget): string {
  const body = res.body as { error?: string; message?: string; errors?: { path: string; message: string; index?: number }[] } | string;
  if (typeof body !== 'object' || body === null) return `HTTP ${res.status}: ${String(body).slice(0, 500)}`;
  const lines = [`${body.error ?? `HTTP ${res.status}`}: ${body.message ?? ''}`.trimEnd()];
  for (const e of body.errors ?? []) lines.push(`  ${e.path}: ${e.message}`);
  if (res.status === 401) lines.push(`  ${tokenHint(target)}`);
  return lines.join('\n');
}

function tokenHint(target: ApiTarget | undefined): string {
  if (target?.token) return 'the token given (--token or HERALD_TOKEN) is not the one this Herald was started with';
  return "this Herald needs its API token: pass --token <token> or set HERALD_TOKEN (the token herald start was given)";
}
