import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { candidateUrls, twilioSignature, verifyTwilioSignature } from './twilio-signature.js';

/*
 * Twilio's worked example, from its signature-validation snippet for twilio-node
 * (github.com/TwilioDevEd/api-snippets, security/signature_validation/signature_validation.2.x.js,
 * used by https://www.twilio.com/docs/usage/webhooks/webhooks-security): with Auth Token 12345,
 * this URL and these POST parameters, the X-Twilio-Signature header is RSOYDt4T1cUTdK1PDd93/VVr8B8=.
 */
const EXAMPLE = {
  authToken: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: new URLSearchParams({
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  }),
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};

/** The documented algorithm, written out independently of the module under test. */
function sign(token: string, url: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', token).update(url + sorted.map(([k, v]) => k + v).join('')).digest('base64');
}

describe('twilioSignature', () => {
  it('reproduces Twilio\'s worked example', () => {
    expect(twilioSignature(EXAMPLE.authToken, EXAMPLE.url, EXAMPLE.params)).toBe(EXAMPLE.signature);
    expect(verifyTwilioSignature(EXAMPLE.authToken, EXAMPLE.signature, [EXAMPLE.url], EXAMPLE.params)).toBe(true);
  });

  it('sorts parameters by name whatever order they were posted in, and signs decoded values', () => {
    const posted = new URLSearchParams('To=%2B15550100&MessageStatus=delivered&ErrorMessage=a+b%26c&AccountSid=AC1&MessageSid=SM1');
    const expected = sign('tok', 'https://h.example/callbacks/sms', [
      ['AccountSid', 'AC1'],
      ['ErrorMessage', 'a b&c'],
      ['MessageSid', 'SM1'],
      ['MessageStatus', 'delivered'],
      ['To', '+15550100'],
    ]);
    expect(twilioSignature('tok', 'https://h.example/callbacks/sms', posted)).toBe(expected);
  });

  it('signs each distinct value of a repeated parameter, sorted', () => {
    const params = new URLSearchParams('B=2&A=z&A=y&A=z');
    expect(twilioSignature('tok', 'https://h.example/x', params)).toBe(sign('tok', 'https://h.example/x', [['A', 'y'], ['A', 'z'], ['B', '2']]));
  });
});

describe('verifyTwilioSignature', () => {
  it('refuses another token, another URL, changed parameters and a truncated signature', () => {
    const { authToken, url, params, signature } = EXAMPLE;
    expect(verifyTwilioSignature('54321', signature, [url], params)).toBe(false);
    expect(verifyTwilioSignature(authToken, signature, ['https://mycompany.com/myapp.php?foo=1&bar=3'], params)).toBe(false);
    const changed = new URLSearchParams(params);
    changed.set('Digits', '1235');
    expect(verifyTwilioSignature(authToken, signature, [url], changed)).toBe(false);
    expect(verifyTwilioSignature(authToken, signature.slice(0, -1), [url], params)).toBe(false);
    expect(verifyTwilioSignature(authToken, '', [url], params)).toBe(false);
  });

  it('accepts a signature over the URL with or without its default port, and over any of the URLs given', () => {
    const params = new URLSearchParams({ MessageSid: 'SM1', MessageStatus: 'sent' });
    const withPort = sign('tok', 'https://h.example:443/callbacks/sms', [...params]);
    const withoutPort = sign('tok', 'https://h.example/callbacks/sms', [...params]);
    expect(verifyTwilioSignature('tok', withPort, ['https://h.example/callbacks/sms'], params)).toBe(true);
    expect(verifyTwilioSignature('tok', withoutPort, ['https://h.example:443/callbacks/sms'], params)).toBe(true);
    expect(verifyTwilioSignature('tok', withoutPort, ['https://other.example/callbacks/sms', 'https://h.example/callbacks/sms'], params)).toBe(true);
    expect(verifyTwilioSignature('tok', withoutPort, ['https://h.example:8443/callbacks/sms'], params)).toBe(false);
  });
});

describe('candidateUrls', () => {
  it('adds the default-port form of each URL and keeps the URL as given', () => {
    expect(candidateUrls(['https://h.example/r?a=1'])).toEqual(['https://h.example/r?a=1', 'https://h.example:443/r?a=1']);
    expect(candidateUrls(['http://h.example:80/r'])).toEqual(['http://h.example:80/r', 'http://h.example/r']);
    expect(candidateUrls(['http://127.0.0.1:8080/r'])).toEqual(['http://127.0.0.1:8080/r']);
    expect(candidateUrls(['not a url'])).toEqual(['not a url']);
  });

  it('also tries a URL without the basic-auth credentials it carries', () => {
    expect(candidateUrls(['https://herald:s3cret@h.example/callbacks/sms'])).toEqual([
      'https://herald:s3cret@h.example/callbacks/sms',
      'https://herald:s3cret@h.example:443/callbacks/sms',
      'https://h.example/callbacks/sms',
      'https://h.example:443/callbacks/sms',
    ]);
  });
});
