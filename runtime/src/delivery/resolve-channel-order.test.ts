import { describe, expect, it } from 'vitest';
import { resolveChannelOrder } from './resolve-channel-order.js';

describe('resolveChannelOrder', () => {
  const policy = ['email', 'sms', 'letter'];
  it('keeps the policy order without a preference', () => {
    expect(resolveChannelOrder(policy, null)).toEqual(policy);
    expect(resolveChannelOrder(policy, [])).toEqual(policy);
  });
  it('puts preferred channels first, in their order, then the rest', () => {
    expect(resolveChannelOrder(policy, ['sms'])).toEqual(['sms', 'email', 'letter']);
    expect(resolveChannelOrder(policy, ['letter', 'sms'])).toEqual(['letter', 'sms', 'email']);
  });
  it('ignores names the policy does not list, and repeats', () => {
    expect(resolveChannelOrder(policy, ['push', 'sms', 'sms', 'fax'])).toEqual(['sms', 'email', 'letter']);
  });
});
