/** `--public-url` / HERALD_PUBLIC_URL, as `herald start` and `herald dev` read it. */
export interface PublicUrl {
  readonly url: string;
  /** `--public-url` or `HERALD_PUBLIC_URL`: what the operator set, for messages about it. */
  readonly from: string;
}

/**
 * The API's public base URL (`--public-url`, else HERALD_PUBLIC_URL; empty is unset). Throws
 * when it is not an absolute http(s) URL: unsubscribe links are `<url>/unsubscribe/<token>`, and
 * with `localhost:3105/` every one would be dropped by the email channel, message after message.
 */
export function publicUrlSetting(flag: string | undefined, env: string | undefined = process.env['HERALD_PUBLIC_URL']): PublicUrl | undefined {
  const from = flag !== undefined ? '--public-url' : 'HERALD_PUBLIC_URL';
  const url = flag ?? env;
  if (url === undefined || url === '') return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const example = 'such as https://herald.example.com';
  if (!/^https?:\/\/[^/?#]/i.test(url) || !parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new Error(`${from} is not an absolute http(s) URL: ${JSON.stringify(url)}; give the address customers reach this API at, with http:// or https://, ${example}`);
  }
  if (parsed.search !== '' || parsed.hash !== '' || url.includes('?') || url.includes('#')) {
    throw new Error(`${from} must not have a ?query or #fragment: ${JSON.stringify(url)}; unsubscribe links add /unsubscribe/<token> to it, so give the base URL alone, ${example}`);
  }
  return { url, from };
}
