import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerTestCommand } from './test.js';

const example = fileURLToPath(new URL('../../../../examples/invoice-dunning', import.meta.url));

/** Runs `herald test ...args` in-process; returns its stdout and exit code. */
async function heraldTest(...args: string[]): Promise<{ out: string; code: number }> {
  const program = new Command('herald').exitOverride();
  registerTestCommand(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    out += String(chunk);
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
  return { out, code };
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
      { file: 'typo.test.yaml', line: 4, column: 18, code: 'invalid-value', message: 'advance takes a duration (7d, 36h, 1h30m) or {to: <ISO time>}' },
      { file: 'typo.test.yaml', line: 5, column: 19, code: 'unknown-key', message: 'expect has no field "snet"', hint: 'did you mean `sent`?' },
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
});
