import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from './unsubscribe-token.js';

describe('unsubscribe token', () => {
  const claim = { subjectId: 'c-100', category: 'billing' };

  it('round-trips a claim, and is deterministic and URL-safe', () => {
    const token = signUnsubscribeToken(claim, 'secret');
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(signUnsubscribeToken(claim, 'secret')).toBe(token);
    expect(verifyUnsubscribeToken(token, 'secret')).toEqual(claim);
  });

  it('refuses another secret, an edited payload, an edited signature and garbage', () => {
    const token = signUnsubscribeToken(claim, 'secret');
    const [payload, sig] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify(['c-200', 'billing'])).toString('base64url');
    expect(verifyUnsubscribeToken(token, 'other')).toBeNull();
    expect(verifyUnsubscribeToken(`${other}.${sig}`, 'secret')).toBeNull();
    expect(verifyUnsubscribeToken(`${payload}.${sig.slice(0, -2)}AA`, 'secret')).toBeNull();
    expect(verifyUnsubscribeToken('nonsense', 'secret')).toBeNull();
    expect(verifyUnsubscribeToken('a.b.c', 'secret')).toBeNull();
    expect(verifyUnsubscribeToken(token, '')).toBeNull();
  });

  it('builds the link under the public base URL', () => {
    const url = unsubscribeUrl('https://herald.acme.example/', claim, 'secret');
    expect(url).toBe(`https://herald.acme.example/unsubscribe/${signUnsubscribeToken(claim, 'secret')}`);
  });
});
