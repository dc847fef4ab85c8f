import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { convert } from 'xmlbuilder2';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerTestCommand } from './test.js';

const example = fileURLToPath(new URL('../../../../examples/invoice-dunning', import.meta.url));

/**
 * Runs `herald test ...args` in-process: `out` is stdout and stderr as a terminal shows them,
 * `stdout` and `stderr` each alone, and the exit code.
 */
async function heraldTest(...args: string[]): Promise<{ out: string; stdout: string; stderr: string; code: number }> {
  const program = new Command('herald').exitOverride();
  registerTestCommand(program);
  let out = '';
  let stdout = '';
  let stderr = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    await program.parseAsync(['test', ...args, '--no-color'], { from: 'user' });
  } finally {
    write.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, stdout, stderr, code };
}

/** `fn` run with the current folder at `dir`: paths are printed relative to it. */
async function inFolder<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

/** A copy of the example without its tests, with one passing test of this name. */
function exampleWithOneTest(dir: string, name: string): string {
  cpSync(example, dir, { recursive: true, filter: (src) => !src.includes(`${join('invoice-dunning', 'tests')}`) && !src.includes(`${join('invoice-dunning', '.herald')}`) });
  writeFileSync(
    join(dir, 'one.test.yaml'),
    `subjects:
  c-100: { contacts: { email: ada@example.com, sms: "+4915100000100" }, channels: [email, sms] }
fixtures:
  crm.customerById: { returns: { name: Ada, segment: business } }
tests:
  - name: ${name}
    steps:
      - event: { type: invoice.overdue, data: { subjectId: c-100, invoiceId: INV-2, amount: 5, currency: EUR, dueDate: "2026-01-01T00:00:00Z" } }
      - expect: { sent: [{ channel: email }] }
`,
  );
  return dir;
}

/** A project whose one journey does not compile (two errors). */
function notCompiling(dir: string): string {
  mkdirSync(join(dir, 'journeys'), { recursive: true });
  writeFileSync(join(dir, 'herald.yaml'), 'project: broken\n');
  writeFileSync(join(dir, 'journeys/a.journey.yaml'), 'journey: a\ntrigger: { event: nope }\nsteps: []\n');
  return dir;
}

describe('herald test', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'herald-test-cmd-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes on the invoice-dunning example', async () => {
    const { out, code } = await heraldTest(example);
    expect(out).toContain('✓ payment within the week gets a thank-you and no second notice');
    expect(out).toContain('✓ an event at night is held until the quiet hours end');
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    expect(code).toBe(0);
  });

  it("runs the tests of a project whose data file is missing (they run on fixtures), and says herald dev would stop", async () => {
    const project = exampleWithOneTest(join(scratch, 'no-data'), 'runs without crm.json');
    rmSync(join(project, 'data', 'crm.json'));
    const r = await heraldTest(project);
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ runs without crm.json');
    expect(r.stderr).toContain('warning missing-plugin-file');
    expect(r.stderr).toContain('run on fixtures, so they run; herald dev and herald start would stop on the above');
  });

  it.each(['onboarding', 'order-lifecycle'])('passes on the %s example, which ships journey tests too', async (name) => {
    const { out, code } = await heraldTest(fileURLToPath(new URL(`../../../../examples/${name}`, import.meta.url)));
    const summary = out.trimEnd().split('\n').at(-1) ?? '';
    expect(summary).toMatch(/^\d+ passed, 0 failed$/);
    // Not a folder without tests passing vacuously.
    expect(Number(summary.split(' ')[0])).toBeGreaterThan(10);
    expect(code).toBe(0);
  });

  it('fails with a message naming what was expected and what was sent', async () => {
    const project = join(scratch, 'failing');
    cpSync(example, project, { recursive: true, filter: (src) => !src.includes(`${join('invoice-dunning', 'tests')}`) });
    writeFileSync(
      join(project, 'wrong.test.yaml'),
      `subjects:
  c-100: { contacts: { email: ada@example.com, sms: "+4915100000100" }, channels: [email, sms] }
fixtures:
  crm.customerById: { returns: { name: Ada, segment: business } }
tests:
  - name: expects an sms where an email goes out
    steps:
      - event: { type: invoice.overdue, data: { subjectId: c-100, invoiceId: INV-1, amount: 5, currency: EUR, dueDate: "2026-01-01T00:00:00Z" } }
      - expect:
          sent: [{ channel: sms, subject: c-100 }]
  - name: passes
    steps:
      - event: { type: invoice.overdue, data: { subjectId: c-100, invoiceId: INV-2, amount: 5, currency: EUR, dueDate: "2026-01-01T00:00:00Z" } }
      - expect: { sent: [{ channel: email }] }
`,
    );
    const { out, code } = await heraldTest(project);
    expect(code).toBe(1);
    expect(out).toContain('✗ expects an sms where an email goes out');
    expect(out).toMatch(/wrong\.test\.yaml:9:9 {2}expect/);
    expect(out).toContain('expected an sms to c-100, got: email to ada@example.com (template payment-reminder, step first-reminder)');
    expect(out).toContain('✓ passes');
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed');

    const filtered = await heraldTest(project, '--filter', 'passes');
    expect(filtered.code).toBe(0);
    expect(filtered.out).toContain('1 filtered out');
  });

  it('reports a mistake in a test file at its line and column', async () => {
    const project = join(scratch, 'typo');
    cpSync(example, project, { recursive: true, filter: (src) => !src.includes(`${join('invoice-dunning', 'tests')}`) });
    writeFileSync(
      join(project, 'typo.test.yaml'),
      `tests:
  - name: typo
    steps:
      - advance: 7days
      - expect: { snet: [] }
`,
    );
    const { out, code } = await heraldTest(project, '--format', 'json');
    expect(code).toBe(1);
    const run = JSON.parse(out);
    expect(run.problems).toEqual([
      // Outside the current folder: absolute, as validate prints it.
      { file: join(project, 'typo.test.yaml'), line: 4, column: 18, code: 'invalid-value', message: 'advance takes a duration (7d, 36h, 1h30m) or {to: <ISO time>}' },
      { file: join(project, 'typo.test.yaml'), line: 5, column: 19, code: 'unknown-key', message: 'expect has no field "snet"', hint: 'did you mean `sent`?' },
    ]);
  });

  it('reports setup mistakes once, before any test runs, with their code and hint, and says why none ran under --filter', async () => {
    const project = join(scratch, 'setup');
    cpSync(example, project, { recursive: true, filter: (src) => !src.includes(`${join('invoice-dunning', 'tests')}`) });
    writeFileSync(
      join(project, 'setup.test.yaml'),
      `outcomes:
  emial: bounced
fixtures:
  crm.customerByID: { returns: { name: Ada } }
tests:
  - name: first
    steps: [{ expect: { sentCount: 0 } }]
  - name: second
    steps: [{ expect: { instance: { journey: invoice-overdue, at: wait-paymnt } } }]
`,
    );
    const { out, code } = await heraldTest(project);
    expect(code).toBe(1);
    expect(out).not.toContain('✗');
    expect(out).toContain('setup.test.yaml:2:3 - error unknown-channel: `emial` is not a channel of this project\n  hint: did you mean `email`?\n');
    expect(out).toContain('setup.test.yaml:4:3 - error unknown-query: `crm.customerByID` is not a query of this project\n  hint: did you mean `crm.customerById`?\n');
    expect(out).toContain('setup.test.yaml:9:67 - error unknown-step: `wait-paymnt` is not a step of journey invoice-overdue\n  hint: did you mean `wait-payment`?\n');
    expect(out.match(/emial/g)).toHaveLength(1);

    const filtered = await heraldTest(project, '--filter', 'second');
    expect(filtered.code).toBe(1);
    expect(filtered.out).not.toContain('none matches --filter');
    expect(filtered.out).toMatch(/no test ran: \S*setup\.test\.yaml has mistakes \(above\)/);
    const unmatched = await heraldTest(project, '--filter', 'third');
    expect(unmatched.out).toContain('no test ran (none matches --filter "third")');
  });

  it('says why an expected message was not sent: held by quiet hours', async () => {
    const project = join(scratch, 'night');
    cpSync(example, project, { recursive: true, filter: (src) => !src.includes(`${join('invoice-dunning', 'tests')}`) });
    writeFileSync(
      join(project, 'night.test.yaml'),
      `start: 2026-01-05
subjects:
  c-100: { contacts: { email: ada@example.com }, channels: [email], timezone: Europe/Berlin }
fixtures:
  crm.customerById: { returns: { name: Ada, segment: consumer } }
tests:
  - name: expects the reminder at once, at midnight
    steps:
      - event: { type: invoice.overdue, data: { subjectId: c-100, invoiceId: INV-1, amount: 5, currency: EUR, dueDate: "2026-01-01T00:00:00Z" } }
      - expect: { sent: [{ template: payment-reminder }] }
`,
    );
    const { out, code } = await heraldTest(project);
    expect(code).toBe(1);
    expect(out).toContain('expected a message (template payment-reminder), nothing was sent; 1 delivery deferred: quiet hours until 08:00 Europe/Berlin');
  });
  describe('--format json is one JSON document on stdout, whatever happens (docs/testing.md)', () => {
    it('when the project does not compile: its compile errors as problems, exit 1', async () => {
      const project = notCompiling(join(scratch, 'json-broken'));
      const r = await inFolder(scratch, () => heraldTest('json-broken', '--format', 'json'));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({
        passed: 0,
        failed: 0,
        skipped: 0,
        notRun: [],
        problems: [
          { file: 'json-broken/journeys/a.journey.yaml', line: 2, column: 19, code: 'unknown-event', message: expect.stringContaining('unknown event `nope`'), hint: expect.any(String) },
          { file: 'json-broken/journeys/a.journey.yaml', line: 3, column: 8, code: 'invalid-value', message: 'a journey needs at least one step', hint: expect.any(String) },
        ],
        results: [],
      });
      // Pretty: the code frames and why on stderr, as before.
      const pretty = await heraldTest(project);
      expect(pretty.code).toBe(1);
      expect(pretty.stdout).toBe('');
      expect(pretty.stderr).toContain('> 2 | trigger: { event: nope }');
      expect(pretty.stderr).toContain(`herald test: ${project} does not compile; fix the errors above first`);
    });

    it('when there are no *.test.yaml files: a problem saying so, at the herald.yaml, exit 1', async () => {
      mkdirSync(join(scratch, 'json-empty'), { recursive: true });
      writeFileSync(join(scratch, 'json-empty/herald.yaml'), 'project: empty\n');
      const r = await inFolder(scratch, () => heraldTest('json-empty', '--format', 'json'));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({
        passed: 0,
        failed: 0,
        skipped: 0,
        notRun: [],
        problems: [{ file: 'json-empty/herald.yaml', line: 1, column: 1, code: 'no-test-files', message: 'no *.test.yaml files in json-empty (see docs/testing.md)' }],
        results: [],
      });
      const pretty = await inFolder(scratch, () => heraldTest('json-empty'));
      expect(pretty).toMatchObject({ code: 1, stdout: '', stderr: 'herald test: no *.test.yaml files in json-empty (see docs/testing.md)\n' });
    });
  });

  it('gives each path in the JSON relative to the current folder, as validate does and the pretty output shows', async () => {
    const project = join(scratch, 'paths');
    cpSync(example, project, { recursive: true, filter: (src) => !src.includes(`${join('invoice-dunning', '.herald')}`) });
    writeFileSync(join(project, 'tests/typo.test.yaml'), 'tests:\n  - name: typo\n    steps:\n      - advance: 7days\n');
    const r = await inFolder(scratch, () => heraldTest('paths', '--format', 'json', '--filter', 'payment within the week'));
    const run = JSON.parse(r.stdout) as { skipped: number; problems: { file: string }[]; results: { name: string; file: string; line: number; ok: boolean; durationMs: number }[] };
    expect(run.results).toEqual([
      { name: 'payment within the week gets a thank-you and no second notice', file: 'paths/tests/payment.test.yaml', line: expect.any(Number), ok: true, durationMs: expect.any(Number) },
    ]);
    expect([...new Set(run.problems.map((p) => p.file))]).toEqual(['paths/tests/typo.test.yaml']);
    // `skipped`: the tests --filter left out.
    expect(run.skipped).toBeGreaterThan(0);
    const pretty = await inFolder(scratch, () => heraldTest('paths', '--filter', 'payment within the week'));
    expect(pretty.stdout).toMatch(/^paths\/tests\/payment\.test\.yaml\n/);
    expect(pretty.stdout).toContain('paths/tests/typo.test.yaml:4:18 - error invalid-value');
  });

  describe('several projects', () => {
    const many = join(scratch, 'many');
    exampleWithOneTest(join(many, 'alpha'), 'alpha sends a reminder');
    exampleWithOneTest(join(many, 'beta'), 'beta sends a reminder');
    mkdirSync(join(many, 'notes'), { recursive: true });

    it('runs the tests of each folder given, with one summary and one JSON document', async () => {
      const pretty = await inFolder(scratch, () => heraldTest('many/alpha', 'many/beta'));
      expect(pretty.code).toBe(0);
      expect(pretty.stdout).toContain('many/alpha/one.test.yaml\n  ✓ alpha sends a reminder');
      expect(pretty.stdout).toContain('many/beta/one.test.yaml\n  ✓ beta sends a reminder');
      expect(pretty.stdout.match(/passed, \d+ failed/g)).toEqual(['passed, 0 failed']);
      expect(pretty.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');

      const json = await inFolder(scratch, () => heraldTest('many/alpha', 'many/beta', '--format', 'json'));
      const run = JSON.parse(json.stdout) as { passed: number; failed: number; results: { name: string; file: string }[] };
      expect(run).toMatchObject({ passed: 2, failed: 0 });
      expect(run.results.map((t) => `${t.file}: ${t.name}`)).toEqual(['many/alpha/one.test.yaml: alpha sends a reminder', 'many/beta/one.test.yaml: beta sends a reminder']);
    });

    it('tests each project in a folder of projects, as validate checks each', async () => {
      const r = await inFolder(scratch, () => heraldTest('many', '--format', 'json'));
      expect(r.code).toBe(0);
      const run = JSON.parse(r.stdout) as { passed: number; results: { file: string }[] };
      expect(run.passed).toBe(2);
      expect(run.results.map((t) => t.file)).toEqual(['many/alpha/one.test.yaml', 'many/beta/one.test.yaml']);
    });

    it('exits 1 when a test of any project fails, or one does not compile; the others still run', async () => {
      const failing = join(scratch, 'some-fail');
      exampleWithOneTest(join(failing, 'good'), 'good');
      exampleWithOneTest(join(failing, 'bad'), 'bad');
      writeFileSync(join(failing, 'bad/one.test.yaml'), readFileSync(join(failing, 'bad/one.test.yaml'), 'utf8').replace('channel: email', 'channel: sms'));
      notCompiling(join(failing, 'broken'));
      const r = await inFolder(scratch, () => heraldTest('some-fail', '--format', 'json'));
      expect(r.code).toBe(1);
      const run = JSON.parse(r.stdout) as { passed: number; failed: number; problems: { file: string; code: string }[]; results: { file: string; ok: boolean }[] };
      expect(run).toMatchObject({ passed: 1, failed: 1 });
      expect(run.results.map((t) => `${t.file} ${t.ok}`)).toEqual(['some-fail/bad/one.test.yaml false', 'some-fail/good/one.test.yaml true']);
      expect(run.problems.map((p) => `${p.file} ${p.code}`)).toEqual(['some-fail/broken/journeys/a.journey.yaml unknown-event', 'some-fail/broken/journeys/a.journey.yaml invalid-value']);
      const pretty = await inFolder(scratch, () => heraldTest('some-fail'));
      expect(pretty.code).toBe(1);
      expect(pretty.stderr).toContain('herald test: some-fail/broken does not compile');
      expect(pretty.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed; 1 project does not compile (some-fail/broken)');
    });

    it('names a folder that is no project on stderr and exits 2, after running the others; with none at all, a usage error', async () => {
      const r = await inFolder(scratch, () => heraldTest('many/alpha', 'many/notes', '--format', 'json'));
      expect(r.code).toBe(2);
      expect((JSON.parse(r.stdout) as { passed: number }).passed).toBe(1);
      expect(r.stderr).toMatch(/^herald: no herald\.yaml in many\/notes; /);
      await expect(inFolder(scratch, () => heraldTest('many/notes'))).rejects.toThrow(/^no herald\.yaml in many\/notes; /);
    });
  });
});

describe('herald test <test file>[:line]', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'herald-test-file-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const payment = join(example, 'tests', 'payment.test.yaml');
  /** Line and name of each test of the example's payment tests, as the file has them. */
  const tests = readFileSync(payment, 'utf8')
    .split('\n')
    .flatMap((text, i) => (/^  - name: (.*)$/.exec(text) ? [{ line: i + 1, name: /^  - name: (.*)$/.exec(text)![1]! }] : []));
  type Run = { passed: number; failed: number; skipped: number; problems: { file: string; line: number; code: string; message: string }[]; results: { name: string; file: string }[] };
  const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Run;

  it('runs the tests of the one file, in the project it lies in, from any folder', async () => {
    expect(tests.length).toBeGreaterThan(2);
    const r = await inFolder(join(example, 'tests'), () => heraldTest('payment.test.yaml', '--format', 'json'));
    expect(r.code).toBe(0);
    const run = json(r);
    expect(run.results.map((t) => t.name)).toEqual(tests.map((t) => t.name));
    expect(new Set(run.results.map((t) => t.file))).toEqual(new Set(['payment.test.yaml']));
    expect(run.skipped).toBe(0);
  });

  it('runs the test a line is in: its `- name:` line or any line below it, up to the next test', async () => {
    const [, second, third] = tests;
    for (const line of [second!.line, second!.line + 3, third!.line - 1]) {
      const run = json(await heraldTest(`${payment}:${line}`, '--format', 'json'));
      expect(run.results.map((t) => t.name), `line ${line}`).toEqual([second!.name]);
      expect(run.skipped).toBe(tests.length - 1);
    }
    const pretty = await inFolder(example, () => heraldTest(`tests/payment.test.yaml:${third!.line}`));
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toContain(`tests/payment.test.yaml\n  ✓ ${third!.name}`);
    expect(pretty.stdout).not.toContain(second!.name);
  });

  it('takes several lines and files, and a project named whole runs all its tests', async () => {
    const channels = join(example, 'tests', 'channels.test.yaml');
    const run = json(await heraldTest(`${payment}:${tests[0]!.line}`, `${payment}:${tests[1]!.line}`, channels, '--format', 'json'));
    expect(run.results.filter((t) => t.file.endsWith('payment.test.yaml')).map((t) => t.name)).toEqual([tests[0]!.name, tests[1]!.name]);
    expect(run.results.some((t) => t.file.endsWith('channels.test.yaml'))).toBe(true);
    expect(run.results.some((t) => t.file.endsWith('escalation.test.yaml'))).toBe(false);

    const whole = json(await heraldTest(example, `${payment}:${tests[0]!.line}`, '--format', 'json'));
    expect(whole.results.filter((t) => t.file.endsWith('payment.test.yaml'))).toHaveLength(tests.length);
    expect(whole.results.some((t) => t.file.endsWith('escalation.test.yaml'))).toBe(true);
  });

  it('says a line above every test as a problem at that line, with where the tests begin, and exits 1', async () => {
    const r = await inFolder(example, () => heraldTest('tests/payment.test.yaml:2', '--format', 'json'));
    expect(r.code).toBe(1);
    const run = json(r);
    expect(run.results).toEqual([]);
    expect(run.problems).toEqual([
      expect.objectContaining({ file: 'tests/payment.test.yaml', line: 2, code: 'no-test-at-line', message: `no test at line 2: the file's tests begin at lines ${tests.slice(0, -1).map((t) => t.line).join(', ')} and ${tests.at(-1)!.line}` }),
    ]);
  });

  it('refuses, as usage errors, a test file that is not there, one in no project, and a line of a file that is no test file', async () => {
    await expect(inFolder(example, () => heraldTest('tests/nope.test.yaml:3'))).rejects.toThrow('no such test file: tests/nope.test.yaml');
    const loose = join(scratch, 'loose.test.yaml');
    writeFileSync(loose, 'tests: []\n');
    await expect(inFolder(scratch, () => heraldTest('loose.test.yaml'))).rejects.toThrow('loose.test.yaml is in no Herald project (no herald.yaml in its folder or above it)');
    await expect(inFolder(example, () => heraldTest('herald.yaml:3'))).rejects.toThrow('herald.yaml is not a test file (*.test.yaml)');
    await expect(inFolder(example, () => heraldTest('tests/payment.test.yaml:0'))).rejects.toThrow('lines count from 1');
  });
});

describe('herald test --format junit', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'herald-test-junit-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  interface Case { '@name': string; '@line': string; failure?: { '@message': string; '#': string }; error?: { '@type': string; '#': string } }
  interface Suite { '@name': string; '@tests': string; '@failures': string; '@errors': string; testcase: Case | Case[] }
  const report = (xml: string) => convert(xml, { format: 'object' }) as unknown as { testsuites: Record<string, string> & { testsuite: Suite[] } };
  const cases = (s: Suite) => (Array.isArray(s.testcase) ? s.testcase : [s.testcase]);

  it('reports every test of every file, with failures and the mistakes of a test file as errors, and the exit code of a failure', async () => {
    const root = join(scratch, 'p');
    cpSync(example, root, { recursive: true });
    const payment = join(root, 'tests', 'payment.test.yaml');
    writeFileSync(payment, readFileSync(payment, 'utf8').replace('sentCount: 1', 'sentCount: 2'));
    writeFileSync(join(root, 'tests', 'bad.test.yaml'), 'tests:\n  - name: x\n    steps:\n      - evnt: {}\n');
    const r = await inFolder(root, () => heraldTest('--format', 'junit', '.'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = report(r.stdout);
    expect(doc.testsuites).toMatchObject({ '@name': 'herald test', '@failures': '1', '@errors': '1' });
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s['@name']).sort()).toEqual(['tests/bad.test.yaml', 'tests/channels.test.yaml', 'tests/escalation.test.yaml', 'tests/payment.test.yaml']);
    const failed = cases(suites.find((s) => s['@name'] === 'tests/payment.test.yaml')!).filter((c) => c.failure);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failure!['@message']).toMatch(/^expected 2 messages sent, got 1/);
    expect(failed[0]!.failure!['#']).toMatch(/^expect at tests\/payment\.test\.yaml:\d+:\d+\n/);
    const [error] = cases(suites.find((s) => s['@name'] === 'tests/bad.test.yaml')!);
    expect(error!.error).toMatchObject({ '@type': 'unknown-step-kind' });
    expect(error!.error!['#']).toContain('tests/bad.test.yaml:4:9 unknown-step-kind');
  });

  it('says a project that does not compile as errors at its diagnostics', async () => {
    const broken = fileURLToPath(new URL('../../../../examples/broken', import.meta.url));
    const r = await heraldTest('--format', 'junit', broken);
    expect(r.code).toBe(1);
    const suites = report(r.stdout).testsuites.testsuite;
    expect(suites.length).toBeGreaterThan(0);
    expect(suites.every((s) => Number(s['@errors']) > 0 && s['@failures'] === '0')).toBe(true);
  });
});

describe('herald test --watch', () => {
  const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'herald-test-watch-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs the tests, again after a file changes, and stops on Ctrl-C with exit 0', async () => {
    const root = join(scratch, 'watched');
    cpSync(example, root, { recursive: true });
    const child = spawn(process.execPath, [CLI, 'test', '--watch', '--no-color', root], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const until = async (pattern: RegExp, count = 1) => {
      const deadline = Date.now() + 60_000;
      while ((out.match(new RegExp(pattern, 'g')) ?? []).length < count) {
        if (Date.now() > deadline) throw new Error(`waited for ${pattern} (${count}) in:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(/for changes \(Ctrl-C to stop\)/);
      expect(out).toMatch(/\d+ passed, 0 failed/);
      // A test now expects two messages where one goes out: the next run fails it.
      const file = join(root, 'tests', 'payment.test.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('sentCount: 1', 'sentCount: 2'));
      await until(/for changes \(Ctrl-C to stop\)/, 2);
      expect(out).toMatch(/tests\/payment\.test\.yaml changed; running the tests again/);
      expect(out).toMatch(/\d+ passed, 1 failed/);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('refuses --format json as a usage error: watching is for a person', () => {
    const r = spawnSync(process.execPath, [CLI, 'test', '--watch', '--format', 'json', example], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('herald: --watch prints for a person; use it without --format json\n');
    expect(r.stdout).toBe('');
  });
});
