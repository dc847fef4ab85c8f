import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (X-Twilio-Signature), as documented at
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security and implemented by twilio-node
 * (src/webhooks/webhooks.ts): base64 of HMAC-SHA1, keyed with the account's Auth Token, over the
 * full URL Twilio called (query string included) followed by every POST parameter, sorted by
 * name, as name + value with no separators. A name sent more than once contributes each distinct
 * value, sorted, as twilio-node does.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  let data = url;
  for (const name of [...new Set(params.keys())].sort(byCodeUnit)) {
    for (const value of [...new Set(params.getAll(name))].sort(byCodeUnit)) data += name + value;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Whether `signature` is Twilio's for one of `urls` and `params`. Each URL is also tried with its
 * default port added or removed (Twilio signs some requests with `:443` and some without, and
 * twilio-node accepts both for that reason), and without the user name and password it may
 * carry for basic auth.
 */
export function verifyTwilioSignature(authToken: string, signature: string, urls: readonly string[], params: URLSearchParams): boolean {
  const given = Buffer.from(signature, 'utf8');
  let valid = false;
  // Every candidate is compared, so the time taken does not say which URL form matched.
  for (const url of candidateUrls(urls)) {
    const expected = Buffer.from(twilioSignature(authToken, url, params), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

/**
 * Each URL as given, and with its default port made explicit or left out, with and without its
 * credentials: Twilio signs "the exact URL your application supplied", so a status callback
 * with basic auth in it is signed with them, while the URL Herald was called at has none.
 */
export function candidateUrls(urls: readonly string[]): string[] {
  const out = new Set<string>();
  for (const url of urls) {
    out.add(url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : undefined;
    if (defaultPort === undefined) continue;
    const auth = parsed.username === '' ? '' : `${parsed.username}${parsed.password === '' ? '' : `:${parsed.password}`}@`;
    for (const userinfo of auth === '' ? [''] : [auth, '']) {
      const rest = `${parsed.pathname}${parsed.search}${parsed.hash}`;
      // URL drops a default port when parsing, so `host` is the form without it.
      out.add(`${parsed.protocol}//${userinfo}${parsed.host}${rest}`);
      if (parsed.port === '') out.add(`${parsed.protocol}//${userinfo}${parsed.host}:${defaultPort}${rest}`);
    }
  }
  return [...out];
}

// Twilio's libraries sort names with their language's default string order: code units, not locale.
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
