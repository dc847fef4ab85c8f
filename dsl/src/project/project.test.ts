import { describe, expect, it } from 'vitest';
import { classifyFile, isYamlFile } from './classify-file.js';
import { lowerProject } from '../lower/lower-project.js';
import { Project } from './project.js';

const MANIFESTS: Record<string, string> = {
  '/repo/node_modules/@herald/channel-email/herald-plugin.json': JSON.stringify({ name: '@herald/channel-email', kind: 'channel', message: 'email', configSchema: { type: 'object' } }),
};

function project() {
  const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
  p.setFile(
    'herald.yaml',
    `project: p
defaults: { policy: std }
channels:
  email: { use: "@herald/channel-email" }
events:
  a.b: { fields: { subjectId: string, amount: number } }
`,
  );
  p.setFile('std.policy.yaml', 'policy: std\nchannels: [email]\n');
  p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: t\n');
  p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: "Amount {{trigger.amount}}"\n    text: hi\n');
  return p;
}

const codes = (p: Project) => p.check().diagnostics.map((d) => `${d.file}:${d.code}`);

describe('Project (incremental)', () => {
  it('re-checks a journey when a template it sends changes, and only reports what is wrong now', () => {
    const p = project();
    expect(codes(p)).toEqual([]);
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: "Amount {{trigger.amont}}"\n    text: hi\n');
    expect(codes(p)).toEqual(['t.template.yaml:unknown-field']);
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: "Amount {{trigger.amount}}"\n    text: hi\n');
    expect(codes(p)).toEqual([]);
  });

  it('an empty file (or one of comments only) is an error, not a file without problems', () => {
    const p = project();
    p.setFile('herald.yaml', '# nothing yet\n');
    p.setFile('k.journey.yaml', '');
    const found = p.check().diagnostics.filter((d) => d.code === 'wrong-type');
    expect(found.map((d) => [d.file, d.message])).toEqual([
      ['herald.yaml', 'herald.yaml is empty'],
      ['k.journey.yaml', 'this journey file is empty'],
    ]);
  });

  it('notices a template appearing and disappearing for a journey that did not change', () => {
    const p = project();
    p.removeFile('t.template.yaml');
    expect(codes(p)).toEqual(['j.journey.yaml:unknown-template']);
    p.setFile('t2.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    text: x\n');
    expect(codes(p)).toEqual([]);
  });

  it('re-types every journey when herald.yaml changes an event type', () => {
    const p = project();
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b, when: "event.amount > 1" }\nsteps:\n  - exit: x\n');
    expect(codes(p)).toEqual([]);
    p.setFile('herald.yaml', p.sourceFile('herald.yaml')!.text.replace('amount: number', 'amount: string'));
    expect(codes(p)).toEqual(['k.journey.yaml:type-mismatch']);
  });

  it('re-checks a template whose included file changes', () => {
    const files: Record<string, string> = { ...MANIFESTS, '/repo/proj/body.html': '<p>{{trigger.amount}}</p>' };
    const p = new Project('/repo/proj', { readFile: (path) => files[path] });
    const base = project();
    for (const f of base.paths()) p.setFile(f, base.sourceFile(f)!.text);
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    html: { file: body.html }\n');
    expect(codes(p)).toEqual([]);
    p.setFile('body.html', '<p>{{trigger.nope}}</p>');
    expect(codes(p)).toEqual(['body.html:unknown-field']);
  });

  it('keeps results identical between a fresh and an incrementally updated project', () => {
    const a = project();
    a.check();
    a.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: nope\n  - goto: missing\n');
    const b = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
    for (const f of a.paths()) b.setFile(f, a.sourceFile(f)!.text);
    expect(a.check().diagnostics).toEqual(b.check().diagnostics);
    expect(a.check().diagnostics.map((d) => d.code)).toEqual(['unknown-template', 'unknown-step', 'unused-template']);
  });

  it('compiles only a project without errors, and the IR pins the content hash', () => {
    const p = project();
    const r = p.compile();
    expect(r.ir?.version).toMatch(/^sha256:/);
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: t\n# a comment moves nothing that runs\n');
    expect(p.compile().ir?.version).toBe(r.ir?.version);
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: t\n  - wait: 1d\n');
    expect(p.compile().ir?.version).not.toBe(r.ir?.version);
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: nope\n');
    expect(p.compile().ir).toBeUndefined();
  });

  it('reports a missing herald.yaml once', () => {
    const p = new Project('/x', { readFile: () => undefined });
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - exit: x\n');
    expect(codes(p)).toEqual(['herald.yaml:missing-project-file']);
  });
});

describe('Project (one diagnostic per mistake)', () => {
  const journey = (steps: string) => `journey: j\ntrigger: { event: a.b }\nsteps:\n${steps}`;
  const found = (p: Project) => p.check().diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.code}`);

  it('reports a split weight of 0 once', () => {
    const p = project();
    p.removeFile('t.template.yaml'); // no longer sent
    p.setFile('j.journey.yaml', journey('  - split:\n      - { weight: 0, goto: x }\n      - { weight: 1, goto: y }\n  - id: x\n    exit: a\n  - id: y\n    exit: b\n'));
    expect(found(p)).toEqual(['j.journey.yaml:5:split-weights']);
  });

  it('reports a negative wait timeout as an invalid duration only, not as a missing timeout', () => {
    const p = project();
    p.removeFile('t.template.yaml'); // no longer sent
    p.setFile('j.journey.yaml', journey('  - wait: { event: a.b, timeout: -1d }\n    onTimeout: y\n  - id: y\n    exit: b\n'));
    expect(found(p)).toEqual(['j.journey.yaml:4:invalid-duration']);
  });

  it('reports a template file that does not parse there, with one note per journey instead of unknown-template at each send', () => {
    const p = project();
    p.setFile('j.journey.yaml', journey('  - send: t\n  - send: t\n'));
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b }\nsteps:\n  - send: t\n');
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n\tsubject: s\n');
    const diagnostics = p.check().diagnostics;
    expect(diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.severity}:${d.code}`)).toEqual([
      'j.journey.yaml:4:info:unbuilt-template',
      'k.journey.yaml:4:info:unbuilt-template',
      't.template.yaml:4:error:yaml-syntax',
    ]);
    expect(diagnostics[0]!.message).toBe('template `t` is in `t.template.yaml`, which has errors; sends of it are checked once they are fixed');
    expect(diagnostics[0]!.related).toEqual([
      { file: 't.template.yaml', range: expect.objectContaining({ start: { line: 1, column: 11, offset: 10 } }), message: 'this file would define template `t`' },
    ]);
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    text: x\n');
    expect(found(p)).toEqual([]);
  });

  it('takes the id of a broken template file from its name when its `template:` line is the broken one', () => {
    const p = project();
    p.setFile('t.template.yaml', 'template: [t\nemail: {}\n');
    expect(found(p)).toEqual(['j.journey.yaml:4:unbuilt-template', 't.template.yaml:2:yaml-syntax']);
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n\tsubject: s\n');
    p.setFile('j.journey.yaml', journey('  - send: tt\n'));
    expect(p.check().diagnostics.map((d) => [d.code, d.hint])).toEqual([
      ['unknown-template', 'did you mean `t`?'],
      ['yaml-syntax', 'indent with spaces; YAML does not allow tabs for indentation'],
    ]);
  });

  it('keeps a fresh and an incrementally updated project in step while a template is broken', () => {
    const a = project();
    a.check();
    a.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n\tsubject: s\n');
    a.check();
    a.setFile('t.template.yaml', '# moved down\ntemplate: t\nemail:\n  en:\n\tsubject: s\n');
    const b = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
    for (const f of a.paths()) b.setFile(f, a.sourceFile(f)!.text);
    expect(a.check().diagnostics).toEqual(b.check().diagnostics);
    expect(a.check().diagnostics[0]!.related![0]!.range.start.line).toBe(2);
  });
});

describe('Project (policy expressions)', () => {
  it('says which journey a policy expression fails for, and that the policy came from defaults.policy', () => {
    const p = project();
    p.setFile('std.policy.yaml', 'policy: std\nchannels: [email]\ndedupe: { key: trigger.invoiceId, window: 1d }\n');
    p.setFile('j.journey.yaml', 'journey: digest\ntrigger: { event: a.b }\nsteps:\n  - send: t\n');
    const d = p.check().diagnostics;
    expect(d.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.column}:${x.code}`)).toEqual(['std.policy.yaml:3:24:unknown-field']);
    expect(d[0]!.message).toMatch(/^`trigger` has no field `invoiceId` for journey `digest` \(send at step #1, policy from `defaults.policy`\)$/);
    expect(d[0]!.related?.map((r) => `${r.file}:${r.range.start.line}: ${r.message}`)).toEqual([
      'j.journey.yaml:4: journey `digest` sends with policy `std` here',
      'herald.yaml:2: the send takes policy `std` from `defaults.policy`',
    ]);
  });

  it('checks policy expressions that read only subject (or nothing) once, even when no journey uses the policy', () => {
    const p = project();
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - exit: x\n');
    p.setFile('std.policy.yaml', 'policy: std\nchannels: [email]\norder: subject.chanels\nquietHours: { from: "21:00", to: "08:00", timezone: "subject.timezone +" }\n');
    expect(p.check().diagnostics.map((x) => `${x.file}:${x.range.start.line}:${x.code}`)).toEqual([
      'std.policy.yaml:3:unknown-field',
      'std.policy.yaml:4:expr-syntax',
      't.template.yaml:1:unused-template',
    ]);
    // Used by a journey, the same problems are reported once, without a journey attached.
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: t\n');
    const d = p.check().diagnostics;
    expect(d.map((x) => `${x.file}:${x.range.start.line}:${x.code}`)).toEqual(['std.policy.yaml:3:unknown-field', 'std.policy.yaml:4:expr-syntax']);
    expect(d.every((x) => !x.message.includes('for journey'))).toBe(true);
  });

  it('notes a policy that no send and no defaults.policy uses', () => {
    const p = project();
    p.setFile('spare.policy.yaml', 'policy: spare\nchannels: [email]\n');
    const d = p.check().diagnostics;
    expect(d.map((x) => `${x.file}:${x.range.start.line}:${x.severity}:${x.code}`)).toEqual(['spare.policy.yaml:1:info:unused-policy']);
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: t\n    policy: spare\n');
    expect(codes(p)).toEqual([]);
  });
});

describe('Project (expressions written like templates)', () => {
  it('reports an expression partly wrapped in {{ }} once, with the unwrapped text as the fix', () => {
    const p = project();
    p.removeFile('t.template.yaml'); // no longer sent
    p.setFile('j.journey.yaml', `journey: j\ntrigger: { event: a.b }\nsteps:\n  - branch:\n      - when: "{{trigger.amount}} > 10 && {{ trigger.subjectId }} == 'x'"\n        goto: y\n      - else: y\n  - id: y\n    exit: done\n`);
    const d = p.check().diagnostics;
    expect(d.map((x) => `${x.range.start.line}:${x.range.start.column}:${x.code}`)).toEqual(['5:15:expr-syntax']);
    expect(d[0]!.message).toBe("expressions are written without `{{ }}`: write `trigger.amount > 10 && trigger.subjectId == 'x'`");
    expect(d[0]!.fix?.newText).toBe(`"trigger.amount > 10 && trigger.subjectId == 'x'"`);
  });

  it('leaves `{{` inside a string literal alone', () => {
    const p = project();
    p.removeFile('t.template.yaml'); // no longer sent
    p.setFile('j.journey.yaml', `journey: j\ntrigger: { event: a.b }\nsteps:\n  - set: { s: "'{{' + trigger.subjectId" }\n`);
    expect(codes(p)).toEqual([]);
  });
});

describe('Project (template sections)', () => {
  it('points a mis-nested close at the section it does not match, in the file', () => {
    const p = project();
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    text: "{{#trigger.amount}}many{{/trigger.amont}}"\n');
    const d = p.check().diagnostics;
    expect(d.map((x) => `${x.range.start.line}:${x.range.start.column}:${x.code}: ${x.message}`)).toEqual([
      '5:35:template-syntax: `{{/trigger.amont}}` does not match `{{#trigger.amount}}`',
    ]);
    expect(d[0]!.hint).toBe('did you mean {{/trigger.amount}}?');
    expect(d[0]!.related?.map((r) => `${r.file}:${r.range.start.line}:${r.range.start.column}: ${r.message}`)).toEqual([
      't.template.yaml:5:12: {{#trigger.amount}} is opened here',
    ]);
  });
});

describe('Project (herald.yaml types)', () => {
  it('refuses redeclaring a built-in subject field, at the key', () => {
    const p = project();
    p.setFile('herald.yaml', p.sourceFile('herald.yaml')!.text + 'subject:\n  fields: { locale: number, contacts: string, plan: string }\n');
    const d = p.check().diagnostics;
    expect(d.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.column}:${x.code}: ${x.message}`)).toEqual([
      'herald.yaml:8:13:reserved-name: `subject.locale` is a built-in subject field and cannot be declared again',
      'herald.yaml:8:29:reserved-name: `subject.contacts` is a built-in subject field and cannot be declared again',
    ]);
    expect(d[0]!.hint).toBe('it is always there, typed string; remove it, or give your field another name (e.g. `preferredLocale`)');
  });

  it('reports a bad field type once, without follow-on unknown fields where the field is used', () => {
    const p = project();
    p.setFile('herald.yaml', p.sourceFile('herald.yaml')!.text.replace('amount: number', 'amount: number, plan: strng'));
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b, when: "event.plan == \'pro\'" }\nsteps:\n  - set: { p: trigger.plan }\n  - send: t\n');
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: "Plan {{trigger.plan}}"\n    text: hi\n');
    expect(codes(p)).toEqual(['herald.yaml:invalid-type-syntax']);
    const [d] = p.check().diagnostics;
    expect(d!.hint).toBe('did you mean `string`?');
    expect(d!.fix).toMatchObject({ title: 'Change to `string`', newText: 'string' });
    expect(p.sourceFile('herald.yaml')!.text.slice(d!.fix!.range.start.offset, d!.fix!.range.end.offset)).toBe('strng');
  });
});

describe('Project (file names)', () => {
  it('warns of a YAML file whose name is no file kind, suggesting the suffix from its content', () => {
    const p = project();
    p.setFile('journeys/t7.yaml', 'journey: t7\ntrigger: { event: a.b }\nsteps:\n  - exit: x\n');
    p.setFile('data/notes.yml', 'a: 1\n');
    p.setFile('body.html', '<p>not YAML</p>');
    const d = p.check().diagnostics;
    expect(d.map((x) => `${x.file}:${x.range.start.line}:${x.severity}:${x.code}: ${x.message}`)).toEqual([
      'data/notes.yml:1:warning:unknown-file-kind: `notes.yml` is not a Herald file name, so Herald ignores it',
      'journeys/t7.yaml:1:warning:unknown-file-kind: `t7.yaml` is not a Herald file name, so Herald ignores it',
    ]);
    expect(d[0]!.hint).toContain('`*.journey.yaml`');
    expect(d[1]!.hint).toBe('it looks like a journey: rename it `t7.journey.yaml`');
  });

  it('reads file kinds ignoring the case of the suffix', () => {
    const p = project();
    p.removeFile('t.template.yaml');
    p.setFile('templates/Welcome.Template.YAML', 'template: t\nemail:\n  en:\n    subject: s\n    text: hi\n');
    expect(codes(p)).toEqual([]);
    expect(classifyFile('a/B.Journey.Yml')).toBe('journey');
    expect(isYamlFile('Welcome.Template.YAML')).toBe(true);
  });
});

describe('Project (trigger expressions)', () => {
  it('says a trigger `when` sees `event`, not `trigger`, with the rewritten path', () => {
    const p = project();
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b, when: "trigger.amount > 1" }\nsteps:\n  - exit: x\n');
    const d = p.check().diagnostics;
    expect(d.map((x) => `${x.range.start.line}:${x.range.start.column}:${x.code}: ${x.message}`)).toEqual(['2:31:unknown-variable: unknown variable `trigger`']);
    expect(d[0]!.hint).toBe("a trigger's `when` sees `event` and `subject`: write `event.amount`");
    expect(d[0]!.fix?.newText).toBe('event');
  });
});

describe('Project (templates no journey sends)', () => {
  const unsent = (fields: string) => `template: welcome\nemail:\n  en:\n${fields}`;
  const found = (p: Project) => p.check().diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.range.start.column}:${d.severity}:${d.code}: ${d.message}`);

  it('checks its Mustache syntax and its subject and journey names on its own, and notes that nothing sends it', () => {
    const p = project();
    p.setFile(
      'welcome.template.yaml',
      unsent(
        '    subject: "Hi {{subject.nmae}} ({{journey.idd}})"\n' +
          '    text: "{{#trigger.items}}{{sku}} {{subject.id}}{{/trigger.items}} {{customer.name}} {{#subject.channels}}{{.}}{{/subject.channels}}"\n' +
          '    html: "<p>{{#trigger.lines}}open</p>"\n',
      ),
    );
    expect(found(p)).toEqual([
      'welcome.template.yaml:1:11:info:unused-template: no journey sends template `welcome`',
      'welcome.template.yaml:4:28:error:unknown-field: `subject` has no field `nmae`',
      'welcome.template.yaml:4:46:error:unknown-field: `journey` has no field `idd`',
      'welcome.template.yaml:6:15:error:template-syntax: section `trigger.lines` is never closed',
    ]);
  });

  it('checks it against the journey once a journey sends it, and no longer notes it as unused', () => {
    const p = project();
    p.setFile('welcome.template.yaml', unsent('    subject: "Hi {{subject.id}}"\n    text: "{{trigger.amont}} {{customer.name}}"\n'));
    expect(found(p)).toEqual(['welcome.template.yaml:1:11:info:unused-template: no journey sends template `welcome`']);
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b }\nsteps:\n  - send: welcome\n');
    expect(found(p)).toEqual([
      'welcome.template.yaml:5:22:error:unknown-field: `trigger` has no field `amont`',
      'welcome.template.yaml:5:32:error:unknown-variable: unknown variable `customer`',
    ]);
  });

  it('re-checks it when herald.yaml changes the subject', () => {
    const p = project();
    p.setFile('welcome.template.yaml', unsent('    subject: "Hi {{subject.plan}}"\n    text: x\n'));
    expect(found(p)).toContain('welcome.template.yaml:4:28:error:unknown-field: `subject` has no field `plan`');
    p.setFile('herald.yaml', p.sourceFile('herald.yaml')!.text + 'subject:\n  fields: { plan: string }\n');
    expect(found(p)).toEqual(['welcome.template.yaml:1:11:info:unused-template: no journey sends template `welcome`']);
  });

  it('does not note a template or policy as unused while a journey file that names it does not build', () => {
    const p = project();
    p.setFile('welcome.template.yaml', unsent('    subject: s\n    text: x\n'));
    p.setFile('spare.policy.yaml', 'policy: spare\nchannels: [email]\n');
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b }\nsteps:\n  - send: welcome\n    policy: spare\n\t- exit: x\n');
    expect(codes(p)).toEqual(['k.journey.yaml:yaml-syntax']);
    // A step with two kinds is dropped from the journey, the send in it with it.
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b }\nsteps:\n  - send: welcome\n    policy: spare\n    wait: 1d\n');
    expect(codes(p)).toEqual(['k.journey.yaml:multiple-step-kinds']);
    // A broken journey file that names neither does not hide them.
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b }\nsteps:\n  - send: t\n\t- exit: x\n');
    expect(codes(p)).toEqual(['k.journey.yaml:yaml-syntax', 'spare.policy.yaml:unused-policy', 'welcome.template.yaml:unused-template']);
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b }\nsteps:\n  - send: welcome\n    policy: spare\n');
    expect(codes(p)).toEqual([]);
  });
});

describe('Project (a mistake that keeps a value from being read is the one diagnostic)', () => {
  const said = (p: Project) => p.check().diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.code}: ${d.message}`);

  it('a YAML error in herald.yaml is the one diagnostic: its `defaults.policy` is not called unused', () => {
    const p = project();
    p.removeFile('j.journey.yaml');
    p.setFile('herald.yaml', p.sourceFile('herald.yaml')!.text.replace('email: { use: "@herald/channel-email" }', 'email: { use: "@herald/channel-email", config: { port: ${SMTP_PORT} } }'));
    expect(said(p).map((x) => x.replace(/: .*/, ''))).toEqual(['herald.yaml:4:yaml-syntax', 't.template.yaml:1:unused-template']);
  });

  it('a misspelt `defaults.policy` is one unknown-key, not a missing policy at every send nor an unused policy', () => {
    const p = project();
    p.setFile('herald.yaml', p.sourceFile('herald.yaml')!.text.replace('defaults: { policy: std }', 'defaults: { polciy: std }'));
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: t\n  - wait: 1d\n  - send: t\n');
    p.setFile('k.journey.yaml', 'journey: k\ntrigger: { event: a.b }\nsteps:\n  - send: t\n  - id: again\n    send: t\n');
    const diagnostics = p.check().diagnostics;
    expect(said(p)).toEqual(['herald.yaml:2:unknown-key: unknown key `polciy` under `defaults`']);
    expect(diagnostics[0]!.fix?.newText).toBe('policy');
    // Fixed, the project is clean; a project with the mistake has no IR.
    expect(p.compile().ir).toBeUndefined();
    p.setFile('herald.yaml', p.sourceFile('herald.yaml')!.text.replace('polciy', 'policy'));
    expect(said(p)).toEqual([]);
  });

  it('a step whose value has a problem stays in its journey: a goto to it is no unknown step, and nothing after it is unreachable', () => {
    const p = project();
    const steps = [
      '  - send: t',
      '  - goto: late',
      '  - id: late2',
      '    exit: early',
      '  - id: late',
      '    wait: 1 day',
      '  - id: more',
      '    batch: { event: a.b, window: 2 days, as: orders }',
      '  - set: { n: "size(orders)" }',
      '  - exit: done',
    ];
    p.setFile('j.journey.yaml', `journey: j\ntrigger: { event: a.b }\nsteps:\n${steps.join('\n')}\n`);
    expect(said(p)).toEqual([
      'j.journey.yaml:7:unreachable-step: step `late2` is never reached',
      'j.journey.yaml:9:invalid-duration: `1 day` is not a duration',
      'j.journey.yaml:11:invalid-duration: `2 days` is not a duration',
    ]);
    // The steps that were not built never reach lowering: a project with errors compiles to no IR.
    expect(p.compile().ir).toBeUndefined();
  });

  it('lowering refuses a journey with a step that was not built', () => {
    const p = project();
    p.setFile('j.journey.yaml', 'journey: j\ntrigger: { event: a.b }\nsteps:\n  - send: t\n  - wait: 1 day\n');
    const { model, symbols, scopes } = p.check();
    expect(() => lowerProject({ model, symbols, scopes, fileOf: (f) => p.sourceFile(f) })).toThrow('cannot lower journey `j`: step #2 was not built');
  });

  it('a template field whose file cannot be read is one template-file-not-found, not also a missing field', () => {
    const p = project();
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    html: { file: nothere.html }\n');
    expect(said(p)).toEqual(['t.template.yaml:5:template-file-not-found: template file `nothere.html` not found (looked for `nothere.html`)']);
    // A folder is said to be one: known from the project's files, or from the host.
    p.setFile('mail/footer.html', '<p>bye</p>');
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    html: { file: mail }\n');
    expect(said(p)).toEqual(['t.template.yaml:5:template-file-not-found: `mail` is a folder, not a file (`mail`)']);
    expect(p.check().diagnostics[0]!.hint).toBe('name a file in it, e.g. `file: mail/<file>`');
    const q = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path], isFolder: (path) => path === '/repo/proj/bodies' });
    for (const f of project().paths()) q.setFile(f, project().sourceFile(f)!.text);
    q.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    text: { file: bodies }\n');
    expect(said(q)).toEqual(['t.template.yaml:5:template-file-not-found: `bodies` is a folder, not a file (`bodies`)']);
  });

  it('says where a template file was looked for: relative to the template file\'s folder', () => {
    const p = project();
    p.removeFile('t.template.yaml');
    p.setFile('templates/t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    html: { file: mail.html }\n');
    expect(said(p)).toEqual(['templates/t.template.yaml:5:template-file-not-found: template file `mail.html` not found (looked for `templates/mail.html`)']);
    expect(p.check().diagnostics[0]!.hint).toBe(
      '`file:` paths are relative to the folder of the template file, `templates/`: this one names `templates/mail.html` from the project root; check the name, or create the file',
    );
    // A file that is there from the project root: the path was written from the root.
    p.setFile('mail.html', '<p>hi</p>');
    p.setFile('templates/t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    html: { file: mail.html }  # again\n');
    expect(p.check().diagnostics[0]!.hint).toBe('`file:` paths are relative to the folder of the template file, `templates/`: write `file: ../mail.html` to name `mail.html` (from the project root)');
    // A template in the project root looks from there.
    const q = project();
    q.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: s\n    html: { file: mail.html }\n');
    expect(q.check().diagnostics[0]!.hint).toBe('`file:` paths are relative to the folder of the template file, here the project root; check the name, or create the file');
  });

  it('a partial whose file cannot be read is not also an unknown partial where it is included', () => {
    const p = project();
    p.setFile('t.template.yaml', 'template: t\npartials:\n  footer: { file: footer.html }\nemail:\n  en:\n    subject: s\n    text: "hi {{> footer}}"\n');
    expect(said(p)).toEqual(['t.template.yaml:3:template-file-not-found: template file `footer.html` not found (looked for `footer.html`)']);
  });
});

describe('Project (a template sent by several journeys)', () => {
  const sender = (id: string, steps: string) => `journey: ${id}\ntrigger: { event: a.b }\nsteps:\n${steps}`;
  function several() {
    const p = project();
    p.removeFile('j.journey.yaml');
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: "Plan {{plan}}"\n    text: "{{trigger.amont}}"\n');
    p.setFile('journeys/welcome.journey.yaml', sender('welcome', '  - set: { plan: "\'pro\'" }\n  - send: t\n'));
    p.setFile('journeys/reminder.journey.yaml', sender('reminder', '  - send: t\n'));
    return p;
  }

  it('says which journey sends it when an error exists only in that journey\'s scope, with the send as related location', () => {
    const found = several().check().diagnostics.filter((d) => d.file === 't.template.yaml');
    expect(found.map((d) => [d.code, d.message, d.hint])).toEqual([
      [
        'unknown-variable',
        'unknown variable `plan`',
        'sent by journey `reminder` (journeys/reminder.journey.yaml:4), whose scope has `trigger`, `subject`, `journey`',
      ],
      // Wrong in every journey that sends it: the template's own mistake, said once and as it is.
      ['unknown-field', '`trigger` has no field `amont`', 'did you mean `amount`?'],
    ]);
    expect(found[0]!.related).toEqual([
      { file: 'journeys/reminder.journey.yaml', range: expect.objectContaining({ start: expect.objectContaining({ line: 4, column: 5 }) }), message: 'journey `reminder` sends template `t` here' },
    ]);
    expect(found[1]!.related).toBeUndefined();
  });

  it('reports an error found in several (not all) of its journeys once, naming each of them', () => {
    const p = several();
    p.setFile('journeys/digest.journey.yaml', sender('digest', '  - exit: early\n  - send: t\n'));
    const found = p.check().diagnostics.filter((d) => d.code === 'unknown-variable');
    expect(found.map((d) => d.hint)).toEqual([
      'sent by journeys `digest` (journeys/digest.journey.yaml:5) and `reminder` (journeys/reminder.journey.yaml:4), whose scopes have `trigger`, `subject`, `journey`',
    ]);
    expect(found[0]!.related?.map((r) => r.file)).toEqual(['journeys/digest.journey.yaml', 'journeys/reminder.journey.yaml']);
  });

  it('keeps the hint of an error that is not about the scope, and adds the journey', () => {
    const p = several();
    p.setFile('herald.yaml', p.sourceFile('herald.yaml')!.text + '  c.d: { fields: { subjectId: string, amont: number } }\n');
    p.setFile('journeys/welcome.journey.yaml', 'journey: welcome\ntrigger: { event: c.d }\nsteps:\n  - send: t\n');
    p.setFile('t.template.yaml', 'template: t\nemail:\n  en:\n    subject: "{{trigger.amont}}"\n    text: x\n');
    const found = p.check().diagnostics.filter((d) => d.file === 't.template.yaml');
    expect(found.map((d) => [d.message, d.hint])).toEqual([
      ['`trigger` has no field `amont`', 'did you mean `amount`?; sent by journey `reminder` (journeys/reminder.journey.yaml:4)'],
    ]);
  });
});
