import { describe, expect, it } from 'vitest';
import { Project } from '../project/project.js';
import { diffGraphs } from './diff-graphs.js';

const MANIFESTS: Record<string, string> = {
  '/repo/node_modules/@herald/channel-email/herald-plugin.json': JSON.stringify({ name: '@herald/channel-email', kind: 'channel', message: 'email', configSchema: { type: 'object' } }),
};

const FILES: Record<string, string> = {
  'herald.yaml': 'project: p\ndefaults: { policy: std }\nchannels:\n  email: { use: "@herald/channel-email" }\nevents:\n  user.signed_up:\n    fields: { subjectId: string, plan: string }\n',
  'std.policy.yaml': 'policy: std\nchannels: [email]\nretry: { attempts: 3, backoff: fixed, initial: 1m }\n',
  'j.journey.yaml': 'journey: j\ntrigger: { event: user.signed_up }\nsteps:\n  - id: welcome\n    send: t\n  - id: pause\n    wait: 1d\n  - id: nudge\n    send: t\n',
  't.template.yaml': 'template: t\nemail:\n  en: { subject: "Welcome", text: "{{trigger.plan}}" }\n',
};

function compile(edits: Record<string, string> = {}) {
  const p = new Project('/repo/proj', { readFile: (path) => MANIFESTS[path] });
  for (const [file, text] of Object.entries({ ...FILES, ...edits })) p.setFile(file, text);
  const { ir, diagnostics } = p.compile();
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return ir!;
}

describe('diffGraphs', () => {
  it('finds nothing between a graph and itself, nor when only positions moved', () => {
    const base = compile();
    expect(diffGraphs(base, compile()).changes).toEqual([]);
    const moved = compile({ 'j.journey.yaml': `# a comment moves every step down a line\n${FILES['j.journey.yaml']}` });
    expect(diffGraphs(base, moved).changes).toEqual([]);
  });

  it('names steps added, removed and changed in their journey, and the fields of templates and policies that differ', () => {
    const base = compile();
    const next = compile({
      'j.journey.yaml': 'journey: j\ntrigger: { event: user.signed_up }\nsteps:\n  - id: welcome\n    send: t\n  - id: pause\n    wait: 2d\n  - id: reminder\n    send: t\n',
      't.template.yaml': 'template: t\nemail:\n  en: { subject: "Welcome aboard", text: "{{trigger.plan}}" }\n',
      'std.policy.yaml': 'policy: std\nchannels: [email]\nretry: { attempts: 5, backoff: fixed, initial: 1m }\n',
    });
    const diff = diffGraphs(base, next);
    expect(diff.before).toBe(base.version);
    expect(diff.after).toBe(next.version);
    const summary = diff.changes.map((c) => `${c.kind} ${c.part} ${c.journey ? `${c.journey}/` : ''}${c.id}${c.fields.map((f) => ` ${f.path}: ${JSON.stringify(f.before)} -> ${JSON.stringify(f.after)}`).join(',')}`);
    expect(summary).toEqual([
      'removed step j/nudge',
      'changed step j/pause ms: 86400000 -> 172800000, next: "nudge" -> "reminder"',
      'added step j/reminder',
      'changed template t variants.email.en.subject: "Welcome" -> "Welcome aboard"',
      'changed policy std retry.attempts: 3 -> 5',
    ]);
  });

  it('says a journey added or removed once, not step by step', () => {
    const base = compile();
    const next = compile({ 'k.journey.yaml': 'journey: k\ntrigger: { event: user.signed_up }\nsteps:\n  - send: t\n' });
    expect(diffGraphs(base, next).changes).toEqual([{ kind: 'added', part: 'journey', id: 'k', fields: [] }]);
    expect(diffGraphs(next, base).changes).toEqual([{ kind: 'removed', part: 'journey', id: 'k', fields: [] }]);
  });

  describe('steps without ids (positional: #1, #2, ...)', () => {
    const unnamed = (steps: string) => compile({ 'j.journey.yaml': `journey: j\ntrigger: { event: user.signed_up }\nsteps:\n${steps}` });
    const summary = (before: ReturnType<typeof compile>, after: ReturnType<typeof compile>) =>
      diffGraphs(before, after).changes.map((c) => `${c.kind} ${c.part} ${c.journey ? `${c.journey}/` : ''}${c.id}${c.fields.map((f) => ` ${f.path}: ${JSON.stringify(f.before)} -> ${JSON.stringify(f.after)}`).join(',')}`);
    const three = '  - send: t\n  - wait: 1d\n  - send: t\n  - exit: done\n';

    it('an inserted step is one step added; the steps after it, renumbered, are unchanged', () => {
      const base = unnamed(three);
      const next = unnamed('  - send: t\n  - wait: 2h\n  - wait: 1d\n  - send: t\n  - exit: done\n');
      expect(summary(base, next)).toEqual(['changed step j/#1 next: "#3" -> "#2"', 'added step j/#2']);
    });

    it('a step inserted first changes where the journey starts, said in the new numbering', () => {
      expect(summary(unnamed(three), unnamed(`  - wait: 2h\n${three}`))).toEqual(['changed journey j entry: "#2" -> "#1"', 'added step j/#1']);
    });

    it('a removed step is one removed, and what pointed at it says so', () => {
      const base = unnamed(three);
      const next = unnamed('  - send: t\n  - send: t\n  - exit: done\n');
      expect(summary(base, next)).toEqual(['changed step j/#1 next: "#2 (removed)" -> "#2"', 'removed step j/#2']);
    });

    it('a step changed in place is that step changed, by its fields', () => {
      expect(summary(unnamed(three), unnamed('  - send: t\n  - wait: 3d\n  - send: t\n  - exit: done\n'))).toEqual(['changed step j/#2 ms: 86400000 -> 259200000']);
    });

    it('named steps still match by id wherever they move', () => {
      const base = unnamed(`  - id: hello\n    send: t\n${three}`);
      const next = unnamed(`  - wait: 2h\n  - id: hello\n    send: t\n${three}`);
      expect(summary(base, next)).toEqual(['changed journey j entry: "hello" -> "#1"', 'added step j/#1']);
    });
  });
});
