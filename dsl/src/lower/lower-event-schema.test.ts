import { describe, expect, it } from 'vitest';
import { tryValidatorFor } from '../schema/ajv-instance.js';
import { Project } from '../project/project.js';
import { IR_SCHEMA } from './ir-schema.js';
import { stableStringify } from './stable-json.js';

const MANIFESTS: Record<string, string> = {
  '/repo/node_modules/@herald/channel-email/herald-plugin.json': JSON.stringify({ name: '@herald/channel-email', kind: 'channel', message: 'email', configSchema: { type: 'object' } }),
};

const CONFIG = `project: p
defaults: { policy: std }
channels:
  email: { use: "@herald/channel-email" }
events:
  user.signed_up:
    schema:
      type: object
      required: [subjectId, plan]
      additionalProperties: false
      properties:
        subjectId: { type: string }
        plan: { enum: [free, pro] }
        code: { type: string, pattern: "^[A-Z]{3}$", minLength: 3 }
  order.placed:
    fields: { subjectId: string, total: number }
`;

function compile(config = CONFIG) {
  const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
  p.setFile('herald.yaml', config);
  p.setFile('std.policy.yaml', 'policy: std\nchannels: [email]\n');
  p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: user.signed_up }\nsteps:\n  - send: t\n');
  p.setFile('t.template.yaml', 'template: t\nemail:\n  en: { subject: "Welcome", text: "{{trigger.plan}}" }\n');
  const { ir, diagnostics } = p.compile();
  expect(diagnostics).toEqual([]);
  return ir!;
}

describe('an event JSON Schema in the IR', () => {
  it('keeps the schema of an event declared with `schema:` as written, keys sorted; a `fields:` event has none', () => {
    const ir = compile();
    expect(ir.events['user.signed_up']!.schema).toEqual({
      additionalProperties: false,
      properties: {
        code: { minLength: 3, pattern: '^[A-Z]{3}$', type: 'string' },
        plan: { enum: ['free', 'pro'] },
        subjectId: { type: 'string' },
      },
      required: ['subjectId', 'plan'],
      type: 'object',
    });
    expect(Object.keys(ir.events['user.signed_up']!.schema!)).toEqual(['additionalProperties', 'properties', 'required', 'type']);
    expect('schema' in ir.events['order.placed']!).toBe(false);
  });

  it('is valid against the IR schema, and compiles to the same bytes every time', () => {
    const v = tryValidatorFor(IR_SCHEMA as object);
    if (!v.ok) throw new Error(v.error);
    const ir = compile();
    expect(v.validate(ir), JSON.stringify(v.validate.errors)).toBe(true);
    expect(stableStringify(compile(), 2)).toBe(stableStringify(ir, 2));
    // Written in another key order, the same schema is the same graph.
    const reordered = CONFIG.replace('      type: object\n      required: [subjectId, plan]\n', '      required: [subjectId, plan]\n      type: object\n');
    expect(reordered).not.toBe(CONFIG);
    expect(stableStringify(compile(reordered), 2)).toBe(stableStringify(ir, 2));
  });

  it('makes a change to the schema alone a new version', () => {
    const ir = compile();
    expect(compile(CONFIG.replace('"^[A-Z]{3}$"', '"^[A-Z]{4}$"')).version).not.toBe(ir.version);
  });
});
