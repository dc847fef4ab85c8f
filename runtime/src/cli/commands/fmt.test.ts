import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { heraldInProcess as herald } from '../../../../test/helpers/herald-in-process.js';

const examples = fileURLToPath(new URL('../../../../examples', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'herald-fmt-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the onboarding example with an untidy policy and a file that is not valid YAML. */
function untidyProject(name: string): { root: string; policy: string; broken: string } {
  const root = join(scratch, name);
  cpSync(join(examples, 'onboarding'), root, { recursive: true });
  const policy = join(root, 'policies', 'extra.policy.yaml');
  writeFileSync(policy, 'policy: extra   # the spare one\nchannels: [ email,  sms ]\nretry:\n    attempts: 2\n');
  const broken = join(root, 'journeys', 'broken.journey.yaml');
  writeFileSync(broken, 'journey: broken\nsteps: [\n');
  return { root, policy, broken };
}

describe('herald fmt', () => {
  it('--check passes on the examples, which are written in the formatter\'s style', async () => {
    const r = await herald(['fmt', '--check', examples]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^All \d+ files formatted \(1 not valid YAML, left as it is\)\.\n$/);
    expect(r.err).toContain('tabs.journey.yaml as it is: it is not valid YAML');
  });

  it('--check names what is not formatted, writes nothing and exits 1', async () => {
    const { root, policy, broken } = untidyProject('check');
    const before = readFileSync(policy, 'utf8');
    const r = await herald(['fmt', '--check', root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`not formatted: ${policy}\n`);
    expect(r.out).toMatch(/1 of \d+ files not formatted \(1 not valid YAML, left as it is\); run herald fmt\n$/);
    expect(r.err).toContain(`left ${broken} as it is`);
    expect(readFileSync(policy, 'utf8')).toBe(before);
  });

  it('formats in place, keeping comments, and a second run finds nothing to do', async () => {
    const { root, policy, broken } = untidyProject('write');
    const r = await herald(['fmt', root]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`formatted: ${policy}\n`);
    expect(readFileSync(policy, 'utf8')).toBe('policy: extra   # the spare one\nchannels: [email, sms]\nretry:\n  attempts: 2\n');
    expect(readFileSync(broken, 'utf8')).toBe('journey: broken\nsteps: [\n');
    const again = await herald(['fmt', '--check', root]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^All \d+ files formatted/);
  });
});
