import { describe, expect, it } from 'vitest';
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
    expect(a.check().diagnostics.map((d) => d.code)).toEqual(['unknown-template', 'unknown-step']);
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
    p.setFile('j.journey.yaml', journey('  - split:\n      - { weight: 0, goto: x }\n      - { weight: 1, goto: y }\n  - id: x\n    exit: a\n  - id: y\n    exit: b\n'));
    expect(found(p)).toEqual(['j.journey.yaml:5:split-weights']);
  });

  it('reports a negative wait timeout as an invalid duration only, not as a missing timeout', () => {
    const p = project();
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
