import { describe, expect, it } from 'vitest';
import type { SubjectProfile } from '../engine/types.js';
import { checkConsent, type ConsentContext } from './check-consent.js';

const subject = (s: Partial<SubjectProfile>): SubjectProfile => ({
  id: 'c1',
  contacts: { email: 'a@example.com', sms: '+4912345', letter: 'Main St 1' },
  channels: [],
  optOuts: [],
  ...s,
});
const ctx = (s: Partial<SubjectProfile>, templateKinds = ['email', 'sms', 'letter']): ConsentContext => ({
  category: 'billing',
  subject: subject(s),
  channelKinds: { email: 'email', sms: 'sms', letter: 'any' },
  templateKinds: new Set(templateKinds),
});
const all = ['email', 'sms', 'letter'];

describe('checkConsent', () => {
  it('lets every channel through for a subject with addresses and no opt-outs', () => {
    expect(checkConsent(all, ctx({}))).toEqual({ eligible: all, skipped: [] });
  });

  it('honours opt-outs by channel, category, category:channel and *', () => {
    expect(checkConsent(all, ctx({ optOuts: ['sms'] })).eligible).toEqual(['email', 'letter']);
    expect(checkConsent(all, ctx({ optOuts: ['billing:email'] })).eligible).toEqual(['sms', 'letter']);
    expect(checkConsent(all, ctx({ optOuts: ['marketing:email', 'marketing'] })).eligible).toEqual(all);
    expect(checkConsent(all, ctx({ optOuts: ['billing'] })).eligible).toEqual([]);
    expect(checkConsent(all, ctx({ optOuts: ['*'] })).skipped).toEqual(all.map((channel) => ({ channel, reason: 'opted out' })));
  });

  it('skips a channel without an address', () => {
    const r = checkConsent(all, ctx({ contacts: { email: 'a@example.com', sms: '' } }));
    expect(r.eligible).toEqual(['email']);
    expect(r.skipped).toEqual([
      { channel: 'sms', reason: 'no address' },
      { channel: 'letter', reason: 'no address' },
    ]);
  });

  it('skips a channel whose message kind the template lacks; kind `any` always fits', () => {
    const r = checkConsent(all, ctx({}, ['email']));
    expect(r.eligible).toEqual(['email', 'letter']);
    expect(r.skipped).toEqual([{ channel: 'sms', reason: 'no sms variant in the template' }]);
  });

  it('skips a channel that is not configured', () => {
    expect(checkConsent(['push'], ctx({ contacts: { push: 'token' } })).skipped).toEqual([{ channel: 'push', reason: 'not configured' }]);
  });
});
