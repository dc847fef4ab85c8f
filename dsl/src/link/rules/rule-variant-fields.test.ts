import { describe, expect, it } from 'vitest';
import { variantFields } from './rule-variant-fields.js';
import { checkRule } from './test-project.js';

const check = (template: string, earlierProblems?: readonly string[]) =>
  checkRule(variantFields, { 't.template.yaml': `template: t\n${template}`, 'sub/a.html': '<p>a</p>' }, earlierProblems ? { earlierProblems } : {});

describe('missing-variant-field', () => {
  it('accepts complete variants of every kind', () => {
    const t = `email:
  en: { subject: Hi, html: "<p>Pay</p>" }
  de: { subject: Hallo, text: Zahlen }
sms: { en: { body: Pay } }
push: { en: { title: Bill, body: Pay } }
webhook: { en: { body: "{}" } }
letter: { en: { html: "<p>Pay</p>" } }
`;
    expect(check(t)).toEqual([]);
  });

  it('reports a missing required field at the locale key', () => {
    const r = check('email:\n  en: { text: Pay }\npush:\n  de: { body: x }\n');
    expect(r.map((p) => [p.code, p.at, p.line, p.message, p.hint])).toEqual([
      ['missing-variant-field', 'en', 3, '`email` variant `en` of template `t` has no `subject`', 'add `subject:` (subject line)'],
      ['missing-variant-field', 'de', 5, '`push` variant `de` of template `t` has no `title`', 'add `title:` (notification title)'],
    ]);
  });

  it('requires an email body: html or text', () => {
    const r = check('email:\n  en: { subject: Hi }\n');
    expect(r).toEqual([
      expect.objectContaining({ code: 'missing-variant-field', at: 'en', message: '`email` variant `en` of template `t` has no body', hint: 'add `html:`, `text:` or both' }),
    ]);
  });

  it('reports no missing field where the field is written but its text could not be read', () => {
    // A file that is not there, a folder, a path outside the project, a value of the wrong type: each is its own problem.
    expect(check('email:\n  en: { subject: Hi, html: { file: nothere.html } }\n', ['template-file-not-found'])).toEqual([]);
    expect(check('email:\n  en: { subject: Hi, html: { file: sub } }\n', ['template-file-not-found'])).toEqual([]);
    expect(check('email:\n  en: { subject: Hi, text: { file: ../x.txt } }\n', ['template-file-not-found'])).toEqual([]);
    expect(check('email:\n  en: { subject: { file: nothere.txt }, text: x }\n', ['template-file-not-found'])).toEqual([]);
    expect(check('email:\n  en: { subject: Hi, html: [a] }\n', ['wrong-type'])).toEqual([]);
  });

  it('reports no missing field written under a misspelt name (the shape stage says `did you mean`)', () => {
    expect(check('email:\n  en: { subjet: Hi, text: x }\nsms:\n  en: { bdy: x }\n', ['unknown-key', 'unknown-key'])).toEqual([]);
    expect(check('email:\n  en: { subject: Hi, htm: x }\n', ['unknown-key'])).toEqual([]);
    // A key that is no near miss explains nothing.
    expect(check('sms:\n  en: { message: x }\n', ['unknown-key']).map((p) => p.message)).toEqual(['`sms` variant `en` of template `t` has no `body`']);
  });

  it('reads fields given as `file:`', () => {
    const r = checkRule(variantFields, { 't.template.yaml': 'template: t\nemail:\n  en: { subject: Hi, html: { file: mail.html } }\n', 'mail.html': '<p>Pay</p>' });
    expect(r).toEqual([]);
  });
});
