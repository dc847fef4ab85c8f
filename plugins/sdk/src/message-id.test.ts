import { describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_ID_DOMAIN, messageIdFor } from './message-id.js';

describe('messageIdFor', () => {
  it('is deterministic per key and differs between keys', () => {
    const a = messageIdFor('inst-1:step-2:email:0');
    expect(messageIdFor('inst-1:step-2:email:0')).toBe(a);
    expect(messageIdFor('inst-1:step-2:email:1')).not.toBe(a);
  });

  it('is an RFC 5322 msg-id with the brackets, and does not expose the key', () => {
    const id = messageIdFor('customer-42:invoice', 'mail.acme.test');
    expect(id).toMatch(/^<[0-9a-f]{32}@mail\.acme\.test>$/);
    expect(id).not.toContain('customer-42');
    expect(messageIdFor('k')).toMatch(new RegExp(`@${DEFAULT_MESSAGE_ID_DOMAIN.replace('.', '\\.')}>$`));
  });

  it('rejects an empty key or a domain that cannot appear in a Message-ID', () => {
    expect(() => messageIdFor('')).toThrow(TypeError);
    expect(() => messageIdFor('k', 'bad domain')).toThrow(/not a valid Message-ID domain/);
    expect(() => messageIdFor('k', 'a..b')).toThrow(TypeError);
  });
});
