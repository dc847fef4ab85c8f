import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { heraldInProcess as herald } from '../../../../test/helpers/herald-in-process.js';

const example = fileURLToPath(new URL('../../../../examples/invoice-dunning', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'herald-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The example's graph as `herald compile -o` writes it, and a copy of the example to change. */
async function baseAndCopy(name: string): Promise<{ base: string; root: string }> {
  const base = join(scratch, `${name}.graph.json`);
  expect((await herald(['compile', example, '-o', base])).code).toBe(0);
  const root = join(scratch, name);
  cpSync(example, root, { recursive: true });
  return { base, root };
}

describe('herald diff', () => {
  it('lists what changed against a compiled graph, step by step, and that instances in flight keep their version', async () => {
    const { base, root } = await baseAndCopy('changed');
    const policy = join(root, 'policies', 'dunning.policy.yaml');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace('attempts: 3', 'attempts: 5'));
    const journey = join(root, 'journeys', 'invoice-overdue.journey.yaml');
    writeFileSync(journey, readFileSync(journey, 'utf8').replace('when: event.amount > 0', 'when: event.amount > 10'));
    const r = await herald(['diff', root, '--base', base]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^graph sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}: 2 changes\n\n/);
    expect(r.out).toContain('~ journey invoice-overdue\n    trigger.when: "event.amount > 0" → "event.amount > 10"\n');
    expect(r.out).toContain('~ policy dunning\n    retry.attempts: 3 → 5\n');
    expect(r.out).toMatch(/Instances started on sha256:\w{12} finish on it; new instances start on sha256:\w{12}\.\n$/);
    const json = await herald(['diff', root, '--base', base, '--format', 'json', '--exit-code']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as { changes: { part: string; id: string }[] }).changes.map((c) => `${c.part} ${c.id}`)).toEqual(['journey invoice-overdue', 'policy dunning']);
  });

  it('says there is nothing to deploy when the graph is the same, and --exit-code exits 0', async () => {
    const { base } = await baseAndCopy('same');
    const r = await herald(['diff', example, '--base', base, '--exit-code']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No changes: the graph is the same as the base \(sha256:\w{12}\)\.\n$/);
  });

  it('refuses a base that is no compiled graph, as a usage error', async () => {
    const notGraph = join(scratch, 'not-a-graph.json');
    writeFileSync(notGraph, '{"journeys": []}');
    const r = await herald(['diff', example, '--base', notGraph]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`herald: ${notGraph} is not a graph \`herald compile -o\` wrote (format herald.ir/v1)\n`);
    const missing = await herald(['diff', example, '--base', join(scratch, 'nope.json')]);
    expect(missing.err).toBe(`herald: no such file: ${join(scratch, 'nope.json')}\n`);
  });

  it('--against compares with the project as a git commit has it, a template include from the commit too', async () => {
    const repo = join(scratch, 'repo');
    const root = join(repo, 'comms');
    mkdirSync(repo, { recursive: true });
    cpSync(example, root, { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    expect((await herald(['diff', root, '--against', 'HEAD'])).out).toMatch(/^No changes/);
    // Changed on disk since the commit: a step's template text (an included HTML file) and a policy.
    const html = join(root, 'templates', 'payment-reminder.en.html');
    writeFileSync(html, readFileSync(html, 'utf8').replace('Dear {{customer.name}}', 'Hello {{customer.name}}'));
    const policy = join(root, 'policies', 'dunning.policy.yaml');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace('attempts: 3', 'attempts: 4'));
    const r = await herald(['diff', root, '--against', 'HEAD', '--format', 'json']);
    expect(r.code).toBe(0);
    const changes = (JSON.parse(r.out) as { changes: { part: string; id: string; fields: { path: string }[] }[] }).changes;
    expect(changes.map((c) => `${c.part} ${c.id} ${c.fields.map((f) => f.path).join(',')}`)).toEqual([
      'template payment-reminder variants.email.en.html',
      'policy dunning retry.attempts',
    ]);
  });

  it('asks for exactly one of --against and --base, and names a ref git does not know', async () => {
    const none = await herald(['diff', example]);
    expect(none.code).toBe(2);
    expect(none.err).toBe('herald: give what to compare with: --against <git ref> or --base <graph.json> (one of them)\n');
    const unknown = await herald(['diff', join(scratch, 'repo', 'comms'), '--against', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(`herald: git knows no commit \`no-such-branch\` in ${join(scratch, 'repo')}\n`);
    const inThisRepo = await herald(['diff', example, '--against', 'HEAD']);
    expect(inThisRepo.code).toBe(0);
    const { root } = await baseAndCopy('no-repo');
    const outside = await herald(['diff', root, '--against', 'HEAD']);
    expect(outside.err).toBe(`herald: ${root} is not in a git repository; compare with a compiled graph instead (--base)\n`);
  });
});
