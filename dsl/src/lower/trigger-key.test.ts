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
  invoice.overdue:
    fields: { subjectId: string, invoiceId: string, invoiceNo: number, lines: "list<string>", paid: bool, note: string? }
`;

function compile(trigger: string) {
  const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
  p.setFile('herald.yaml', CONFIG);
  p.setFile('std.policy.yaml', 'policy: std\nchannels: [email]\n');
  p.setFile('j.journey.yaml', `journey: j\ntrigger:\n${trigger}\nsteps:\n  - send: t\n`);
  p.setFile('t.template.yaml', 'template: t\nemail:\n  en: { subject: "Overdue", text: "{{trigger.invoiceId}}" }\n');
  const { ir, diagnostics } = p.compile();
  return { ir, diagnostics: diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, line: d.range.start.line })) };
}

describe('trigger.key', () => {
  it('is lowered into the trigger, and the IR is valid against the IR schema', () => {
    const { ir, diagnostics } = compile('  event: invoice.overdue\n  key: event.invoiceId\n  reentry: after-exit');
    expect(diagnostics).toEqual([]);
    expect(ir!.journeys[0]!.trigger).toEqual({ event: 'invoice.overdue', subject: 'event.subjectId', when: null, reentry: 'after-exit', key: 'event.invoiceId' });
    const v = tryValidatorFor(IR_SCHEMA as object);
    if (!v.ok) throw new Error(v.error);
    expect(v.validate(JSON.parse(stableStringify(ir)))).toBe(true);
  });

  it('without a key, the trigger has no `key` property: the IR bytes (and so the version) are what they were', () => {
    const { ir } = compile('  event: invoice.overdue\n  reentry: after-exit');
    expect(stableStringify(ir!.journeys[0]!.trigger)).toBe('{"event":"invoice.overdue","reentry":"after-exit","subject":"event.subjectId","when":null}');
    // A key changes the graph, so it changes the version.
    expect(compile('  event: invoice.overdue\n  key: event.invoiceId\n  reentry: after-exit').ir!.version).not.toBe(ir!.version);
  });

  it('takes a number, and a value typed at run time', () => {
    expect(compile('  event: invoice.overdue\n  key: event.invoiceNo\n  reentry: never').diagnostics).toEqual([]);
    expect(compile('  event: invoice.overdue\n  key: "event.paid ? event.invoiceId : null"\n  reentry: never').diagnostics).toEqual([]);
  });

  it('must be a string or a number', () => {
    const { ir, diagnostics } = compile('  event: invoice.overdue\n  key: event.lines\n  reentry: after-exit');
    expect(ir).toBeUndefined();
    expect(diagnostics).toEqual([
      { code: 'wrong-expression-type', severity: 'error', message: "a trigger's `key` must be a `string` or a `number`, got `list<string>`", line: 4 },
    ]);
    expect(compile('  event: invoice.overdue\n  key: event.paid\n  reentry: never').diagnostics.map((d) => d.message)).toEqual([
      "a trigger's `key` must be a `string` or a `number`, got `bool`",
    ]);
  });

  it('sees `event` only, like `subject:`: unknown names are reported, `trigger.x` with the hint to write `event.x`', () => {
    expect(compile('  event: invoice.overdue\n  key: event.invoiceID\n  reentry: never').diagnostics.map((d) => d.code)).toEqual(['unknown-field']);
    expect(compile('  event: invoice.overdue\n  key: subject.id\n  reentry: never').diagnostics.map((d) => [d.code, d.message])).toEqual([['unknown-variable', 'unknown variable `subject`']]);
    const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
    p.setFile('herald.yaml', CONFIG);
    p.setFile('std.policy.yaml', 'policy: std\nchannels: [email]\n');
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: invoice.overdue, key: trigger.invoiceId, reentry: never }\nsteps:\n  - send: t\n');
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en: { subject: "Overdue", text: "x" }\n');
    const [d, ...rest] = p.compile().diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'unknown-variable', hint: "a trigger's `key` sees `event`: write `event.invoiceId`" });
  });

  it('reads an optional field it does not test like any expression: a warning', () => {
    expect(compile('  event: invoice.overdue\n  key: event.note\n  reentry: never').diagnostics.map((d) => d.code)).toEqual(['optional-field-read']);
  });

  it('with reentry always: key-without-effect', () => {
    const { ir, diagnostics } = compile('  event: invoice.overdue\n  key: event.invoiceId\n  reentry: always');
    expect(ir).toBeDefined();
    expect(diagnostics).toEqual([
      { code: 'key-without-effect', severity: 'warning', message: "the trigger's `key` has no effect with `reentry: always`: journey `j` starts for every event", line: 4 },
    ]);
  });

  it('is a string expression in the schema: a YAML number or an empty key is refused', () => {
    expect(compile('  event: invoice.overdue\n  key: 42\n  reentry: never').diagnostics.map((d) => d.code)).toEqual(['wrong-type']);
    // As an empty `subject:` is.
    const codes = (t: string) => compile(t).diagnostics.map((d) => d.code);
    expect(codes('  event: invoice.overdue\n  key: ""\n  reentry: never')).toEqual(codes('  event: invoice.overdue\n  subject: ""\n  reentry: never'));
    // Once, in words: not also ajv's "must NOT have fewer than 1 characters" nor a parse error of the empty text.
    expect(compile('  event: invoice.overdue\n  key: ""\n  reentry: never').diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['invalid-value `key` must not be empty']);
  });
});
