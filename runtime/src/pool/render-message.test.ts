import { describe, expect, it } from 'vitest';
import { journey, reminder, subject, vars } from './pool-test-fixtures.js';
import { renderMessage, templateView } from './render-message.js';
import { selectVariant } from './select-variant.js';

describe('selectVariant', () => {
  it("follows the subject's locale, then its language, then the template's fallback", () => {
    expect(selectVariant(reminder, 'email', 'de', 'en')).toMatchObject({ ok: true, kind: 'email', locale: 'de' });
    expect(selectVariant(reminder, 'email', 'de-CH', 'en')).toMatchObject({ ok: true, locale: 'de' });
    expect(selectVariant(reminder, 'email', 'fr', 'en')).toMatchObject({ ok: true, locale: 'en' });
    expect(selectVariant(reminder, 'sms', 'de', 'en')).toMatchObject({ ok: true, kind: 'sms', locale: 'en' });
  });

  it('picks the first kind the template has for a channel of kind any, and reports a missing kind', () => {
    expect(selectVariant(reminder, 'any', 'en', 'en')).toMatchObject({ ok: true, kind: 'email' });
    expect(selectVariant({ ...reminder, variants: { letter: { en: { html: 'x' } }, sms: { en: { body: 'y' } } } }, 'any', 'en', 'en')).toMatchObject({
      kind: 'sms',
    });
    // ... unless the template has a variant named like the channel (a log channel standing in for sms).
    expect(selectVariant(reminder, 'any', 'en', 'en', 'sms')).toMatchObject({ ok: true, kind: 'sms' });
    expect(selectVariant(reminder, 'push', 'en', 'en')).toEqual({ ok: false, error: 'template reminder has no push variant' });
  });
});

describe('renderMessage', () => {
  it('escapes HTML fields only, and sees vars, subject and journey', () => {
    const r = renderMessage(reminder, 'email', templateView(vars, subject(), journey), 'en', 'en');
    expect(r).toEqual({
      ok: true,
      kind: 'email',
      locale: 'en',
      fields: {
        subject: 'Invoice INV-<1> & more',
        html: '<p>Dear Ada &lt;Lovelace&gt;</p><p>Acme & Co</p>',
        text: 'Dear Ada <Lovelace>, dunning',
      },
    });
  });
});

describe('renderMessage of a webhook body', () => {
  it('escapes values for a JSON string, so a quote in a name keeps the body valid JSON', () => {
    const hook = { ...reminder, variants: { webhook: { en: { body: '{"text": "Dear {{subject.name}}", "invoice": "{{trigger.invoiceId}}"}' } } } };
    const r = renderMessage(hook, 'webhook', templateView(vars, { ...subject(), name: 'Ada "the" Admin' }, journey), 'en', 'en');
    expect(r.ok && JSON.parse(r.fields['body']!)).toEqual({ text: 'Dear Ada "the" Admin', invoice: 'INV-<1>' });
  });
});
