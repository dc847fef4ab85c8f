import { describe, expect, it } from 'vitest';
import { signatureHeader } from './sign.js';

describe('signatureHeader', () => {
  it('is HMAC-SHA256 over "<t>.<body>" in hex (vector computed with openssl dgst -sha256 -hmac)', () => {
    expect(signatureHeader('whsec_test', 1893456000, '{"id":"k"}')).toBe(
      't=1893456000,v1=d21a6eb968b9a01949aef00bb460bc7d19a9a41557f67d5a7d6f08f8397ccd01',
    );
  });

  it('changes with the timestamp, the body and the secret', () => {
    const base = signatureHeader('s', 1, 'b');
    expect(signatureHeader('s', 2, 'b')).not.toBe(base);
    expect(signatureHeader('s', 1, 'c')).not.toBe(base);
    expect(signatureHeader('t', 1, 'b')).not.toBe(base);
  });
});
