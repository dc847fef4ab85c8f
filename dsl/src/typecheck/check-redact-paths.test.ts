import { describe, expect, it } from 'vitest';
import { Project } from '../project/project.js';

const MANIFESTS: Record<string, string> = {
  '/repo/node_modules/@herald/channel-email/herald-plugin.json': JSON.stringify({ name: '@herald/channel-email', kind: 'channel', message: 'email', configSchema: { type: 'object' } }),
};

/** The unknown-redact-path (or `code`) diagnostics of a small project whose herald.yaml redacts `redact`. */
function check(redact: string, code = 'unknown-redact-path') {
  const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
  const config = `project: p
channels:
  email: { use: "@herald/channel-email" }
defaults: { policy: default }
events:
  invoice.paid:
    fields: { subjectId: string, iban: string, items: "list<{sku: string}>", extra: any, meta: "map<string>" }
archive:
  redact: ${redact}
`;
  p.setFile('herald.yaml', config);
  p.setFile('default.policy.yaml', 'policy: default\ncategory: billing\nchannels: [email]\n');
  p.setFile('paid.journey.yaml', 'journey: paid\ntrigger: { event: invoice.paid }\nsteps:\n  - set: { total: 3 }\n  - send: receipt\n');
  p.setFile('receipt.template.yaml', 'template: receipt\nemail:\n  en:\n    subject: Paid\n    text: "{{trigger.iban}} {{total}}"\n    x-note: hi\n');
  return p
    .check()
    .diagnostics.filter((d) => d.code === code)
    .map((d) => ({ at: config.slice(d.range.start.offset, d.range.end.offset), message: d.message, hint: d.hint, fix: d.fix?.newText, related: d.related?.map((r) => `${r.file}:${r.range.start.line}:${r.range.start.column}`) }));
}

describe('unknown-redact-path', () => {
  it('accepts rendered fields, message-kind fields and paths of any journey’s render data, up to any and maps', () => {
    expect(check('[content.text, content.html, vars.trigger.iban, vars.trigger.extra.deep.x, vars.trigger.meta.k, vars.total, vars.trigger.items, vars.journey]')).toEqual([]);
  });

  it('reports a content field no template renders, with a did-you-mean and fix', () => {
    expect(check('[content.txt]')).toEqual([
      { at: 'content.txt', message: '`content.txt` names no field a template renders, so it blanks nothing', hint: 'did you mean `content.text`?', fix: 'content.text', related: undefined },
    ]);
  });

  it('reports a vars path that no journey has, at the segment that is missing', () => {
    expect(check('[vars.trigger.ibn, vars.totl, vars.nothing_like_it]')).toEqual([
      expect.objectContaining({ at: 'vars.trigger.ibn', message: '`vars.trigger.ibn`: `vars.trigger` has no field `ibn` in any journey, so it blanks nothing', hint: 'did you mean `vars.trigger.iban`?', fix: 'vars.trigger.iban' }),
      expect.objectContaining({ at: 'vars.totl', message: '`vars.totl`: no journey has `totl` in its render data, so it blanks nothing', hint: 'did you mean `vars.total`?', fix: 'vars.total' }),
      expect.objectContaining({ at: 'vars.nothing_like_it', hint: expect.stringMatching(/^known here: .*`trigger`/) }),
    ]);
  });

  it('says why subject paths and paths through a list blank nothing', () => {
    const found = check('[vars.subject.email, vars.trigger.items.sku]');
    expect(found.map((d) => d.message)).toEqual([
      '`vars.subject.email` blanks nothing: the subject\'s profile is not kept with a message\'s render data',
      '`vars.trigger.items.sku` goes through a list at `vars.trigger.items`, and redaction does not enter lists, so it blanks nothing',
    ]);
    expect(found[1]!.hint).toBe('redact the whole list (`vars.trigger.items`), or the rendered field that shows the value (`content.text`)');
  });
});

describe('redacted-value-rendered', () => {
  it('warns when a template renders a redacted value into a field the archive keeps, with the tag as related location', () => {
    expect(check('[vars.trigger.iban, vars.total]', 'redacted-value-rendered')).toEqual([
      {
        at: 'vars.trigger.iban',
        message: '`vars.trigger.iban` is blanked in the render data, but template `receipt` renders it into `text` (`email` variant `en`), which the archive keeps',
        hint: 'add `content.text` to `redact` to keep that field out of the archive too, or stop rendering the value',
        fix: undefined,
        related: ['receipt.template.yaml:5:12'],
      },
      expect.objectContaining({ at: 'vars.total', related: ['receipt.template.yaml:5:29'] }),
    ]);
  });

  it('is quiet when the field is redacted too, or when no template renders the value', () => {
    expect(check('[vars.trigger.iban, content.text]', 'redacted-value-rendered')).toEqual([]);
    expect(check('[vars.trigger.extra, vars.trigger.items]', 'redacted-value-rendered')).toEqual([]);
  });
});
