import { describe, expect, it } from 'vitest';
import { Project } from '../project/project.js';

const MANIFESTS: Record<string, string> = {
  '/repo/node_modules/@herald/channel-email/herald-plugin.json': JSON.stringify({ name: '@herald/channel-email', kind: 'channel', message: 'email', configSchema: { type: 'object' } }),
};

/** Diagnostics of a project whose herald.yaml declares `user.signed_up` with this schema (indented under `schema:`). */
function check(schema: string) {
  const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
  const text = `project: p\nchannels:\n  email: { use: "@herald/channel-email" }\nevents:\n  user.signed_up:\n    schema:\n${schema}`;
  p.setFile('herald.yaml', text);
  return p.check().diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    at: text.slice(d.range.start.offset, d.range.end.offset),
    message: d.message,
    hint: d.hint,
    fix: d.fix?.newText,
  }));
}

describe('invalid-event-schema', () => {
  it('accepts a schema the runtime can compile, with local $refs, formats and unknown keywords', () => {
    expect(
      check(`      type: object
      additionalProperties: false
      required: [subjectId]
      properties:
        subjectId: { type: string, minLength: 1 }
        email: { type: string, format: email, x-note: "checked at ingest" }
        address: { $ref: "#/$defs/address" }
      $defs:
        address: { type: object, properties: { zip: { type: string, pattern: "^[0-9]{5}$" } } }
`),
    ).toEqual([]);
  });

  it('refuses what the JSON Schema meta-schema refuses, at the keyword, with a did-you-mean', () => {
    expect(check('      type: object\n      properties:\n        plan: { type: strnig }\n        age: { type: number, minimum: low }\n')).toEqual([
      {
        code: 'invalid-event-schema',
        severity: 'error',
        at: 'strnig',
        message: 'the JSON Schema of event `user.signed_up` is not valid: `type` must be one of array, boolean, integer, null, number, object, string',
        hint: 'did you mean `string`?',
        fix: 'string',
      },
      expect.objectContaining({ code: 'invalid-event-schema', at: 'low', message: 'the JSON Schema of event `user.signed_up` is not valid: `minimum` must be number' }),
    ]);
  });

  it('refuses a pattern that is no regular expression, at the pattern', () => {
    const found = check('      type: object\n      properties:\n        code: { type: string, pattern: "[A-Z" }\n      patternProperties:\n        "(x": { type: string }\n');
    expect(found.map((d) => [d.code, d.at])).toEqual([
      ['invalid-event-schema', '"[A-Z"'],
      ['invalid-event-schema', '"(x"'],
    ]);
    expect(found[0]!.message).toMatch(/^the JSON Schema of event `user.signed_up`: `\[A-Z` is not a valid regular expression \(/);
  });

  it('refuses a $ref that resolves nowhere, at the $ref', () => {
    expect(check('      type: object\n      properties:\n        a: { $ref: "https://example.com/other.json" }\n')).toEqual([
      expect.objectContaining({
        code: 'invalid-event-schema',
        at: '"https://example.com/other.json"',
        hint: 'a `$ref` must point into the same schema (`#/$defs/address`): Herald loads no other schema files',
      }),
    ]);
  });
});

describe('unknown-schema-keyword', () => {
  it('warns at a misspelt keyword, with a did-you-mean and its fix, and the schema still applies', () => {
    expect(check('      type: object\n      requried: [plan]\n      properties:\n        plan: { type: string, maxLenght: 5 }\n')).toEqual([
      {
        code: 'unknown-schema-keyword',
        severity: 'warning',
        at: 'requried',
        message: 'the JSON Schema of event `user.signed_up`: `requried` is not a JSON Schema keyword, so it checks nothing',
        hint: 'did you mean `required`?',
        fix: 'required',
      },
      expect.objectContaining({ code: 'unknown-schema-keyword', at: 'maxLenght', hint: 'did you mean `maxLength`?', fix: 'maxLength' }),
    ]);
  });

  it('reads keywords only in schema positions: field names, $defs names and values are not keywords; x- annotations are allowed', () => {
    expect(
      check(`      type: object
      x-owner: billing
      properties:
        requried: { type: string, enum: [maxLenght], default: maxLenght, examples: [{ requried: 1 }] }
        tags: { type: array, items: { type: string }, prefixItems: [{ const: { a: 1 } }] }
      $defs:
        descripton: { type: string }
      allOf:
        - { description: fine, title: fine, $comment: fine, deprecated: false }
`),
    ).toEqual([]);
  });

  it('looks into nested schemas: items, allOf, $defs, if/then', () => {
    const found = check(`      type: object
      properties:
        lines: { type: array, items: { type: object, propertes: {} } }
      allOf:
        - { minimun: 1 }
      $defs:
        a: { tpye: string }
      if: { required: [a] }
      then: { requird: [b] }
`);
    expect(found.map((d) => [d.code, d.at, d.fix])).toEqual([
      ['unknown-schema-keyword', 'propertes', 'properties'],
      ['unknown-schema-keyword', 'minimun', 'minimum'],
      ['unknown-schema-keyword', 'tpye', 'type'],
      ['unknown-schema-keyword', 'requird', 'required'],
    ]);
  });

  it('reports an unknown keyword without a near name with a pointer to x- annotations', () => {
    expect(check('      type: object\n      owner: billing\n')).toEqual([
      expect.objectContaining({ code: 'unknown-schema-keyword', at: 'owner', hint: 'see https://json-schema.org/understanding-json-schema for the keywords; an annotation of your own starts with `x-` (`x-note`)' }),
    ]);
  });
});
