import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
// Real time: the example's policy has quiet hours, so subjects live where it is midday now.
import { herald } from '../../../../test/helpers/cli.js';
import { middayZone } from '../../../../test/helpers/daytime.js';
import { heraldInProcess as runCli } from '../../../../test/helpers/herald-in-process.js';
import { freePort } from '../../../../test/helpers/ports.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerArchiveCommand } from './archive.js';
import type { SmtpCatcher } from '../../dev/smtp-catcher.js';
import { createFakeRuntime } from '../../testing/fake-runtime.js';
import { runHerald } from '../program.js';
import { createDevApiServer, registerDevCommand, startDev } from './dev.js';

const example = fileURLToPath(new URL('../../../../examples/invoice-dunning', import.meta.url));
/** A copy of the example without the data a `herald dev` run on it left (`.herald/`): each test starts on an empty store. */
const withoutDevData = { recursive: true, filter: (src: string) => !src.split(/[\\/]/).includes('.herald') };
const overdue = (invoiceId: string) => ({
  type: 'invoice.overdue',
  data: { subjectId: 'c-100', invoiceId, amount: 1200, currency: 'EUR', dueDate: '2026-01-01T00:00:00Z' },
});

async function post(url: string, path: string, body: unknown, method = 'POST') {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}


/** Fails when something still listens on the port. */
function expectFree(port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const again = createServer().once('error', reject).listen(port, '127.0.0.1', () => again.close(() => resolve()));
  });
}

async function run(register: (p: Command) => void, args: string[]): Promise<{ out: string; code: number }> {
  const program = new Command('herald').exitOverride();
  register(program);
  let out = '';
  const capture = (chunk: unknown) => {
    out += String(chunk);
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, code };
}

describe('herald dev', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'herald-dev-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('catches the mail an event over HTTP leads to, switches to a new graph on a change, and leaves an archive to read', async () => {
    const project = join(scratch, 'project');
    cpSync(example, project, withoutDevData);
    const lines: string[] = [];
    const session = await startDev({ dir: project, port: 0, smtpPort: 0, data: '.herald/dev.db', watch: false, out: (t) => lines.push(t) });
    let closed = false;
    try {
      const url = session.apiUrl()!;
      expect(lines.join('')).toContain(`curl -X POST ${url}/events`);
      expect((await post(url, '/subjects/c-100', { contacts: { email: 'ada@example.com' }, timezone: middayZone() }, 'PUT')).status).toBe(200);
      expect((await post(url, '/events', overdue('INV-1'))).status).toBe(202);
      const first = await session.catcher.waitFor((m) => m.subject.includes('INV-1'));
      expect(first).toMatchObject({ subject: 'Invoice INV-1 is overdue', envelope: { to: ['ada@example.com'] } });
      expect(first.html).toContain('<strong>INV-1</strong>');
      expect(lines.join('')).toMatch(/mail #1: "Invoice INV-1 is overdue" → ada@example\.com/);
      // Every decision of the delivery, as it is made.
      await vi.waitFor(() => expect(lines.join('')).toContain('  c-100 invoice-overdue/first-reminder (payment-reminder): email delivered\n'));
      expect(lines.filter((l) => l.startsWith('  c-100 invoice-overdue/first-reminder'))).toEqual([
        '  c-100 invoice-overdue/first-reminder (payment-reminder): sms skipped: no address\n',
        '  c-100 invoice-overdue/first-reminder (payment-reminder): letter skipped: no address\n',
        '  c-100 invoice-overdue/first-reminder (payment-reminder): email attempt 1\n',
        '  c-100 invoice-overdue/first-reminder (payment-reminder): email delivered\n',
      ]);

      // A changed template is a new graph version: new instances use it, the first keeps its own.
      const template = join(project, 'templates/payment-reminder.template.yaml');
      writeFileSync(template, readFileSync(template, 'utf8').replace('subject: "Invoice {{trigger.invoiceId}} is overdue"', 'subject: "Reminder: {{trigger.invoiceId}}"'));
      await session.rebuild();
      // Versions as every message abbreviates them (shortVersion): the algorithm and 12 hex digits.
      expect(lines.join('')).toMatch(/graph sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}: new instances start on it/);
      await post(url, '/subjects/c-200', { contacts: { email: 'alan@example.com' }, timezone: middayZone() }, 'PUT');
      expect((await post(url, '/events', { ...overdue('INV-2'), data: { ...overdue('INV-2').data, subjectId: 'c-200' } })).status).toBe(202);
      const second = await session.catcher.waitFor((m) => m.subject.includes('INV-2'));
      expect(second.subject).toBe('Reminder: INV-2');
      const res = await fetch(`${url}/instances?journey=invoice-overdue`);
      const items = ((await res.json()) as { items: { version: string; subjectId: string; history: { note: string }[] }[] }).items;
      const versions = new Set(items.map((i) => i.version));
      const startedOn = items.find((i) => i.subjectId === 'c-100')!.history.map((h) => h.note);
      expect(versions.size).toBe(2);

      // A compile error keeps the running version.
      const working = readFileSync(template, 'utf8');
      writeFileSync(template, 'template: payment-reminder\nemail: [');
      await session.rebuild();
      expect(lines.join('')).toMatch(/not switched; still running graph sha256:[0-9a-f]{12}\n/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // Fixing it gives the graph that runs: said, not silent.
      const running = /still running graph (sha256:[0-9a-f]{12})/.exec(lines.join(''))![1]!;
      writeFileSync(template, working);
      await session.rebuild();
      expect(lines.at(-1)).toBe(`herald dev: compiles again; graph ${running} unchanged, still running\n`);

      await session.close();
      closed = true;

      const search = await run(registerArchiveCommand, ['archive', 'search', '--data', join(project, '.herald/dev.db'), '--subject', 'c-100']);
      expect(search.code).toBe(0);
      expect(search.out).toMatch(/^ID\s+CREATED\s+SUBJECT\s+JOURNEY\/STEP\s+TEMPLATE\s+STATUS\s+CHANNELS$/m);
      expect(search.out).toMatch(/c-100\s+invoice-overdue\/first-reminder\s+payment-reminder\s+delivered\s+email/);
      const id = search.out.split('\n')[1]!.split(/\s+/)[0]!;
      const show = await run(registerArchiveCommand, ['archive', 'show', id, '--data', join(project, '.herald/dev.db')]);
      expect(show.out).toContain('subject: Invoice INV-1 is overdue');
      expect(show.out).toContain('email (email, en) to ada@example.com');
      // The first instance started on the first graph: `archive show` and its history name it as dev did.
      const firstGraph = /\(graph (sha256:[0-9a-f]{12})\) on the embedded driver/.exec(lines.join(''))![1]!;
      expect(show.out).toContain(`, version ${firstGraph})`);
      expect(startedOn).toContain(`started on invoice-overdue@${firstGraph}`);
      const bad = await runCli(['archive', 'search', '--data', join(project, '.herald/dev.db'), '--status', 'sent']);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('herald: --status: must be one of pending, attempting');
    } finally {
      if (!closed) await session.close();
    }
  });

  it('a folder that does not exist, or has no herald.yaml, fails the start and leaves no port open', async () => {
    const free = await freePort();
    await expect(startDev({ dir: join(scratch, 'no-such-project'), port: 0, smtpPort: free, data: '.herald/dev.db', watch: false, out: () => {} })).rejects.toThrow(/ENOENT|no such/);
    // The mail catcher's port is free again.
    await expectFree(free);
    const parent = join(scratch, 'projects');
    cpSync(example, join(parent, 'billing'), withoutDevData);
    await expect(startDev({ dir: parent, port: 0, smtpPort: free, data: '.herald/dev.db', watch: false, out: () => {} })).rejects.toThrow(
      `no herald.yaml in ${parent}; did you mean ${join(parent, 'billing')}?`,
    );
    await expectFree(free);
  });

  it('a taken API or mail catcher port stops it with the port and the flag to change it, and nothing listening', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const busy = (taken.address() as { port: number }).port;
    try {
      const free = await freePort();
      const data = join(scratch, 'ports.db');
      await expect(startDev({ dir: example, port: busy, smtpPort: free, data, watch: false, out: () => {} })).rejects.toThrow(
        `port ${busy} on 127.0.0.1 (the API) is in use by another program; choose another with --port <port> (0 for any free port)`,
      );
      await expectFree(free);
      await expect(startDev({ dir: example, port: free, smtpPort: busy, data, watch: false, out: () => {} })).rejects.toThrow(
        `port ${busy} on 127.0.0.1 (the mail catcher) is in use by another program; choose another with --smtp-port <port> (0 for any free port)`,
      );
      await expectFree(free);

      // On the command line: one line, no stack, exit 2 (a command that cannot start with what it was given).
      const cli = await runCli(['dev', example, '--port', String(busy), '--smtp-port', String(free), '--data', data, '--no-watch', '--exit-after', '10s']);
      expect(cli.code).toBe(2);
      expect(cli.err).toBe(`herald: port ${busy} on 127.0.0.1 (the API) is in use by another program; choose another with --port <port> (0 for any free port)\n`);
      expect(cli.out).toBe('');
      await expectFree(free);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('after a restart on the same data file, says the file holds instances and why a re-posted event starts nothing', async () => {
    const project = join(scratch, 'restart');
    cpSync(example, project, withoutDevData);
    const subject = { contacts: { email: 'ada@example.com' }, timezone: middayZone() };
    const lines: string[] = [];
    const start = () => startDev({ dir: project, port: 0, smtpPort: 0, data: '.herald/dev.db', watch: false, out: (t) => lines.push(t) });

    const first = await start();
    try {
      const url = first.apiUrl()!;
      expect(lines.join('')).not.toContain('from earlier runs');
      await post(url, '/subjects/c-100', subject, 'PUT');
      expect((await post(url, '/events', overdue('INV-1'))).status).toBe(202);
      await vi.waitFor(() => expect(lines).toContain('  c-100 invoice-overdue: started by invoice.overdue (key INV-1)\n'));
      await first.catcher.waitFor((m) => m.subject.includes('INV-1'));
    } finally {
      await first.close();
    }

    lines.length = 0;
    const second = await start();
    try {
      const url = second.apiUrl()!;
      // The file is under the system's temp folder, outside the working directory: shown absolute.
      expect(lines).toContain(`  data         ${join(project, '.herald/dev.db')} holds 1 active instance from earlier runs; to start fresh, delete it or use --data <new file>\n`);
      // The "Try it" curl again (a new event, no id): the invoice's journey from the earlier run is
      // still active, and `key: event.invoiceId` with `reentry: after-exit` starts no second one.
      expect((await post(url, '/events', overdue('INV-1'))).status).toBe(202);
      await vi.waitFor(() =>
        expect(lines.join('')).toMatch(/ {2}c-100 invoice-overdue: not started by invoice\.overdue: reentry after-exit: instance \S+ \(key INV-1\) is still active\n/),
      );
      expect(lines.join('')).not.toContain('deduplicated');
      // A payment from a customer with no dunning in flight changes nothing either, and says so.
      expect((await post(url, '/events', { type: 'invoice.paid', data: { subjectId: 'c-404', invoiceId: 'INV-9' } })).status).toBe(202);
      await vi.waitFor(() => expect(lines).toContain('  c-404 invoice.paid: no instance was waiting for it\n'));
    } finally {
      await second.close();
    }
  });

  it('a second herald dev on the same data file says who holds it and exits, instead of hanging', async () => {
    const data = join(scratch, 'held.db');
    const session = await startDev({ dir: example, port: 0, smtpPort: 0, data, watch: false, out: () => {} });
    try {
      const second = herald(['dev', example, '--port', '0', '--smtp-port', '0', '--data', data, '--no-watch', '--exit-after', '60s'], { timeoutMs: 20_000 });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`is in use by another Herald process (pid ${process.pid} on `);
    } finally {
      await session.close();
    }
  });

  it("prints the error behind an API 500 in the dev terminal (the answer says the server log has it)", async () => {
    const runtime = createFakeRuntime();
    runtime.getInstance = async () => {
      throw new Error('SQLITE_BUSY: database is locked');
    };
    const lines: string[] = [];
    const server = createDevApiServer(runtime, { catcher: {} as SmtpCatcher, validateEvent: () => [], say: (line) => lines.push(line) });
    try {
      const res = await server.inject('/instances/i-1');
      expect(res.statusCode).toBe(500);
      expect(res.json().message).toBe('Herald could not handle this request; the server log has the details');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^herald dev: API request failed \(GET \/instances\/:id\)\n {2}Error: SQLITE_BUSY: database is locked\n {6}at /);
      // A request that went well, or a client's mistake, prints nothing.
      expect((await server.inject('/healthz')).statusCode).toBe(200);
      expect((await server.inject('/archive?limit=0')).statusCode).toBe(400);
      expect(lines).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('--public-url: unsubscribe links in caught mail point at the public address (a tunnel), and the banner says so', async () => {
    const project = join(scratch, 'public-url');
    cpSync(example, project, withoutDevData);
    const lines: string[] = [];
    const session = await startDev({ dir: project, port: 0, smtpPort: 0, data: '.herald/dev.db', watch: false, out: (t) => lines.push(t), publicUrl: 'https://tunnel.example' });
    try {
      const url = session.apiUrl()!;
      expect(lines.join('')).toContain(`  API          ${url} (public: https://tunnel.example, for links and provider callbacks)\n`);
      await post(url, '/subjects/c-100', { contacts: { email: 'ada@example.com' }, timezone: middayZone() }, 'PUT');
      expect((await post(url, '/events', overdue('INV-7'))).status).toBe(202);
      const mail = await session.catcher.waitFor((m) => m.subject.includes('INV-7'));
      expect(mail.headers['list-unsubscribe']).toMatch(/^<https:\/\/tunnel\.example\/unsubscribe\/[^>]+>$/);
    } finally {
      await session.close();
    }
  });

  it('--public-url must be an absolute http(s) URL, as for herald start', async () => {
    const { err, code } = await runCli(['dev', example, '--port', '0', '--smtp-port', '0', '--no-watch', '--exit-after', '300ms', '--public-url', 'tunnel.example']);
    expect(code).toBe(2);
    expect(err).toMatch(/--public-url is not an absolute http\(s\) URL: "tunnel\.example"/);
  });

  it('starts and stops by itself with --exit-after', async () => {
    const { out, code } = await run(registerDevCommand, ['dev', example, '--port', '0', '--smtp-port', '0', '--data', join(scratch, 'exit.db'), '--no-watch', '--exit-after', '300ms']);
    expect(code).toBe(0);
    expect(out).toContain('herald dev: invoice-dunning');
    expect(out).toContain('herald dev: --exit-after 300ms; stopping');
  });

  it('--log-level lets the runtime say more than warnings', async () => {
    const quiet = await run(registerDevCommand, ['dev', example, '--port', '0', '--smtp-port', '0', '--data', join(scratch, 'quiet.db'), '--no-watch', '--exit-after', '300ms']);
    expect(quiet.out).not.toMatch(/herald: running invoice-dunning/);
    const chatty = await run(registerDevCommand, ['dev', example, '--port', '0', '--smtp-port', '0', '--data', join(scratch, 'chatty.db'), '--no-watch', '--exit-after', '300ms', '--log-level', 'info']);
    expect(chatty.code).toBe(0);
    expect(chatty.out).toMatch(/herald: running invoice-dunning/);
  });

  it('with --exit-after, exits 1 when the project does not compile', async () => {
    const project = join(scratch, 'broken-exit');
    cpSync(example, project, withoutDevData);
    writeFileSync(join(project, 'templates/payment-reminder.template.yaml'), 'template: payment-reminder\nemail: [');
    const { out, code } = await run(registerDevCommand, ['dev', project, '--port', '0', '--smtp-port', '0', '--no-watch', '--exit-after', '300ms']);
    expect(out).toContain('herald dev: the project does not compile; fix the errors above\n');
    expect(out).toContain('herald dev: --exit-after 300ms; stopping\nherald dev: the project does not compile (exit 1)\n');
    expect(code).toBe(1);
  });
});
