import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { heraldInProcess as herald } from '../../../../test/helpers/herald-in-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'herald-validate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folder(rel: string, files: Record<string, string>): string {
  const dir = join(scratch, rel);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const smsSchema = {
  type: 'object',
  properties: { endpoint: { type: 'string' }, apiKey: { type: 'string', writeOnly: true }, sender: { type: 'string' } },
  required: ['endpoint', 'apiKey', 'sender'],
  additionalProperties: false,
};
const smsManifest = { name: '@acme/channel-sms', kind: 'channel', version: '1.0.0', message: 'sms', configSchema: smsSchema };

/** A local plugin folder beside the projects (used as `../plugins/<name>`), holding only its manifest. */
function plugin(name: string, manifest: unknown): void {
  folder(`plugins/${name}`, { 'herald-plugin.json': typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2) });
}

const { configSchema, ...rest } = smsManifest;
plugin('typo', { ...rest, configschema: configSchema });

/** A project whose herald.yaml has the channel `sms` on line 4 (`use:` at column 10). */
function project(name: string, use: string, config = '{ endpoint: https://sms.example, apiKey: "${ACME_SMS_KEY}", sender: ACME }', extra = ''): string {
  return folder(name, {
    'herald.yaml': ['project: ' + name, 'channels:', '  sms:', `    use: ${use}`, `    config: ${config}`, extra].join('\n'),
  });
}

describe('herald validate checks each plugin manifest as the SDK does', () => {
  it('reports a misspelt configSchema at the `use:` line, where the compiler alone saw nothing', async () => {
    // The config has a misspelt key too: with no configSchema nothing could check it.
    const dir = project('typo-project', '../plugins/typo', '{ endpoint: https://sms.example, apiKey: x, sender: ACME, senderr: x }');
    const r = await herald(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/herald\.yaml:4:10 - error invalid-plugin-manifest: the manifest of plugin `\.\.\/plugins\/typo` \(channel `sms`\) is not valid: /);
    expect(r.out).toContain('unknown key "configschema" for a channel manifest');
    expect(r.out).toContain('configSchema must be a JSON Schema object');
    expect(r.out).toContain(`fix ${join(scratch, 'plugins/typo/herald-plugin.json')}`);
    expect(r.out).toContain('Found 1 error');
    expect(r.out).not.toContain('No problems found');
  });

  it('gives the diagnostic a stable code and range in JSON output', async () => {
    const dir = project('typo-json', '../plugins/typo');
    const r = await herald(['validate', '--format', 'json', dir]);
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.out) as { code: string; severity: string; file: string; range: { start: { line: number; column: number } } }[];
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'invalid-plugin-manifest', severity: 'error', range: { start: { line: 4, column: 10 } } });
    expect(diagnostics[0]!.file).toMatch(/herald\.yaml$/);
  });

  it('reports a source plugin and every problem of its manifest', async () => {
    plugin('bad-source', { name: 'crm', kind: 'source', configSchema: { type: 'object' }, querySchema: { type: 'string' }, extra: 1 });
    const dir = folder('source-project', {
      'herald.yaml': ['project: source-project', 'sources:', '  crm:', '    use: ../plugins/bad-source', ''].join('\n'),
    });
    const r = await herald(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/herald\.yaml:4:10 - error invalid-plugin-manifest: the manifest of plugin `\.\.\/plugins\/bad-source` \(source `crm`\)/);
    expect(r.out).toContain('unknown key "extra"');
    expect(r.out).toContain('version must be a semver string');
    expect(r.out).toContain('querySchema: the root schema must have "type": "object"');
  });

  it('says nothing more about a valid manifest, and still checks the config against its schema', async () => {
    plugin('good', smsManifest);
    const ok = await herald(['validate', project('good-project', '../plugins/good')]);
    expect(ok.out).toContain('No problems found');
    expect(ok.code).toBe(0);

    const bad = await herald(['validate', project('bad-config', '../plugins/good', '{ endpoint: https://sms.example, apiKey: x, senderr: ACME }')]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('error invalid-plugin-config');
    expect(bad.out).toContain('unknown key `senderr`');
    expect(bad.out).not.toContain('invalid-plugin-manifest');
  });

  it('reports a manifest the compiler already refuses once, with the compiler\'s diagnostic', async () => {
    plugin('no-kind', { name: 'x', version: '1.0.0', configSchema: { type: 'object' } });
    plugin('not-json', '{ "name": ');
    plugin('bad-schema', { ...smsManifest, configSchema: { type: 'object', properties: 5 } });
    const dir = project('compiler-refuses', '../plugins/no-kind', '{}', ['  other:', '    use: ../plugins/not-json', '  third:', '    use: ../plugins/bad-schema', ''].join('\n'));
    const r = await herald(['validate', '--format', 'json', dir]);
    const found = JSON.parse(r.out) as { code: string; message: string; range: { start: { line: number } } }[];
    expect(found.map((d) => `${d.code}@${d.range.start.line}`)).toEqual(['invalid-plugin-manifest@4', 'invalid-plugin-manifest@7', 'invalid-plugin-manifest@9']);
    expect(found[2]!.message).toContain('`configSchema`');
  });

  it('checks a plugin used by two channels at each `use:`', async () => {
    const dir = project('two-uses', '../plugins/typo', '{}', ['  sms2:', '    use: ../plugins/typo', ''].join('\n'));
    const r = await herald(['validate', '--format', 'json', dir]);
    const lines = (JSON.parse(r.out) as { code: string; range: { start: { line: number } } }[]).map((d) => `${d.code}@${d.range.start.line}`);
    expect(lines).toEqual(['invalid-plugin-manifest@4', 'invalid-plugin-manifest@7']);
  });
});

describe('validate --max-warnings', () => {
  const example = fileURLToPath(new URL('../../../../examples/invoice-dunning', import.meta.url));

  it('refuses a value that is not a count (exit 2), instead of ignoring it', async () => {
    for (const bad of ['abc', '-1', '1.5']) {
      const r = await herald(['validate', example, '--max-warnings', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.err, bad).toMatch(/--max-warnings.*must be a whole number, 0 or more/);
    }
  });

  it('says when the warnings, not errors, fail the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-max-warnings-'));
    try {
      cpSync(example, dir, { recursive: true });
      // A wait for an event without a timeout is a warning (wait-without-timeout).
      const journey = join(dir, 'journeys', 'invoice-overdue.journey.yaml');
      writeFileSync(journey, readFileSync(journey, 'utf8').replace('wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }\n    onEvent: thank-you\n    onTimeout: second-notice', 'wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId" }\n    onEvent: thank-you'));
      const r = await herald(['validate', dir, '--max-warnings', '0']);
      expect(r.out).toMatch(/0 errors and [1-9]\d* warnings?/);
      expect(r.err).toMatch(/herald validate: \d+ warnings?, more than --max-warnings 0 allows/);
      expect(r.code).toBe(1);
      expect((await herald(['validate', dir, '--max-warnings', '99'])).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('herald validate checks journey test files as herald test reads them', () => {
  const example = fileURLToPath(new URL('../../../../examples/onboarding', import.meta.url));
  /** A copy of the onboarding example with one more test file. */
  function withTestFile(name: string, text: string, herald = ''): string {
    const dir = join(scratch, name);
    cpSync(example, dir, { recursive: true });
    writeFileSync(join(dir, 'tests', 'extra.test.yaml'), text);
    if (herald) writeFileSync(join(dir, 'herald.yaml'), readFileSync(join(dir, 'herald.yaml'), 'utf8') + herald);
    return dir;
  }
  const badShape = ['subjects:', '  u-1: { contacts: { email: a@b.c } }', 'tests:', '  - name: t', '    steps:', '      - evnt: { type: user.signed_up }', ''].join('\n');
  const badName = ['tests:', '  - name: t', '    steps:', '      - event: { type: user.signed_up, data: { userId: u-1 } }', '      - expect: { sent: [{ template: welcom }] }', ''].join('\n');

  it('says nothing about the example projects, whose test files are sound', async () => {
    const r = await herald(['validate', example]);
    expect(r.out).toContain('No problems found');
    expect(r.code).toBe(0);
  });

  it("reports a test file's problems with file, line, column, code and hint, and fails", async () => {
    const r = await herald(['validate', '--no-color', withTestFile('bad-test-shape', badShape)]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/tests\/extra\.test\.yaml:6:9 - error unknown-step-kind: a step is one of event:/);
    expect(r.out).toContain('hint: did you mean `event`?');
  });

  it('checks the names a test file takes from the project against it', async () => {
    const r = await herald(['validate', '--format', 'json', withTestFile('bad-test-name', badName)]);
    expect(r.code).toBe(1);
    const [d, ...more] = JSON.parse(r.out) as { code: string; file: string; range: { start: { line: number; column: number } }; hint?: string }[];
    expect(more).toEqual([]);
    expect(d).toMatchObject({ code: 'unknown-template', range: { start: { line: 5, column: 38 } } });
    expect(d!.file).toMatch(/tests\/extra\.test\.yaml$/);
    expect(d!.hint).toContain('`welcome-long`');
  });

  it("still checks a test file's shape when the project has errors, without the names", async () => {
    const broken = 'oops: 1\n';
    const shape = await herald(['validate', '--format', 'json', withTestFile('bad-project-shape', badShape, broken)]);
    const codes = (JSON.parse(shape.out) as { code: string; file: string }[]).map((d) => `${d.file.split('/').pop()} ${d.code}`);
    expect(codes).toEqual(['herald.yaml unknown-key', 'extra.test.yaml unknown-step-kind']);
    const names = await herald(['validate', '--format', 'json', withTestFile('bad-project-name', badName, broken)]);
    expect((JSON.parse(names.out) as { file: string }[]).map((d) => d.file.split('/').pop())).toEqual(['herald.yaml']);
  });
});
