/**
 * `herald start` as a process (the built CLI: `npx tsc -b runtime` first): what an operator
 * sees of it — process metrics in GET /metrics, a /healthz that tells a caller without the
 * token only whether it is up, probes kept out of the info log, and SIGTERM exiting 0; the
 * project's compile warnings and the settings it doubts in the log; what it cannot start with
 * refused with exit 2, naming the flag or the environment variable.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, herald } from '../../../../test/helpers/cli.js';
import { freePort, waitFor } from '../../../../test/helpers/ports.js';
import { makeTestProject } from '../../orchestrator/orchestrator-test-project.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly url?: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly file?: string;
  readonly line?: number;
}

const parseLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

/** `herald start <root> ...args` until it says it listens; then SIGTERM, and its log lines and exit code. */
async function runUntilListening(root: string, args: readonly string[], env: Record<string, string>): Promise<{ lines: LogLine[]; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [CLI, 'start', root, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.push(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/ listening on http/.test(stdout)) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((code) => reject(new Error(`herald start exited ${code} before listening:\n${stdout}\n${stderr}`)));
  });
  child.kill('SIGTERM');
  const code = await exited;
  return { lines: parseLines(stdout), stderr, code };
}

describe('herald start', () => {
  it('serves process metrics, a tight-lipped /healthz, logs no probe at info, and exits 0 on SIGTERM', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'start', project.root, '--port', String(port), '--token', 't0ken', '--threads', '1'], {
      env: { ...process.env, HERALD_TOKEN: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${url}/healthz`);

    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    const detailed = (await (await fetch(`${url}/healthz`, { headers: { authorization: 'Bearer t0ken' } })).json()) as { details: Record<string, unknown> };
    expect(detailed.details).toMatchObject({ state: 'running', driver: 'embedded' });
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer t0ken' } })).text();
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(metrics).toMatch(/^# TYPE herald_deliveries_total counter$/m);
    expect((await fetch(`${url}/instances?journey=shipped`, { headers: { authorization: 'Bearer t0ken' } })).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = parseLines(stdout);
    // One line per request at info, none for the probes (they are at debug).
    expect(lines.filter((l) => l.statusCode !== undefined).map((l) => [l.level, l.msg.replace(/ [\d.]+ ms$/, '')])).toEqual([[30, 'GET /instances?journey=shipped 200']]);
    expect(lines.filter((l) => /incoming request|request completed/.test(l.msg))).toEqual([]);
    expect(lines.find((l) => l.msg === 'herald: stopped')).toMatchObject({ level: 30 });
    // Where it listens, once: Herald's line, not Fastify's `Server listening at` beside it.
    expect(lines.filter((l) => /listening/i.test(l.msg)).map((l) => l.msg)).toEqual([`herald: orchestrator-test listening on ${url}`]);
    expect(stderr).toBe('');
  }, 60_000);

  it('logs each compile warning once at warn, names the public URL setting it doubts, and says where it listens at --log-level warn', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    // A retention shorter than the policy's dedupe window: `retention-shorter-than-window`, which only `herald validate` used to show.
    writeFileSync(join(project.root, 'herald.yaml'), `${readFileSync(join(project.root, 'herald.yaml'), 'utf8')}archive:\n  retention: 12h\n`);
    project.write('policies/standard.policy.yaml', `${readFileSync(join(project.root, 'policies/standard.policy.yaml'), 'utf8')}dedupe: { key: "trigger.orderId", window: 1d }\n`);
    const port = await freePort();
    const { lines, stderr, code } = await runUntilListening(project.root, ['--port', String(port), '--threads', '1', '--log-level', 'warn', '--public-url', `http://127.0.0.1:${port}/`], {
      HERALD_TOKEN: '',
      HERALD_PUBLIC_URL: '',
      HERALD_UNSUBSCRIBE_SECRET: '',
    });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const warnings = lines.filter((l) => l.code !== undefined);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, code: 'retention-shorter-than-window', line: 14 });
    expect(warnings[0]!.msg).toMatch(/^\S*herald\.yaml:14:14 retention-shorter-than-window: archive retention 12h is shorter than the dedupe window \(`window: 1d`\) of policy `standard`/);
    // The flag was used: the warning names the flag, not the environment variable.
    expect(lines.filter((l) => l.level === 40 && /unsubscribe/.test(l.msg)).map((l) => l.msg)).toEqual([
      '--public-url without HERALD_UNSUBSCRIBE_SECRET: messages carry no unsubscribe link',
    ]);
    // Nothing below warn, but the one line that says where it listens (documented in docs/cli.md).
    expect(lines.filter((l) => l.level < 40).map((l) => l.msg)).toEqual([`herald: orchestrator-test listening on http://127.0.0.1:${port}`]);
  }, 60_000);

  it('warns of an unsubscribe secret too short to be safe', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const port = await freePort();
    const { lines, code } = await runUntilListening(project.root, ['--port', String(port), '--threads', '1', '--token', 't0ken', '--log-level', 'warn'], {
      HERALD_PUBLIC_URL: `http://127.0.0.1:${port}`,
      HERALD_UNSUBSCRIBE_SECRET: 'short',
    });
    expect(code).toBe(0);
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      'HERALD_UNSUBSCRIBE_SECRET has only 5 characters: a short secret can be guessed, and with it unsubscribe links forged for anyone; use 16 or more random characters (openssl rand -base64 32)',
    ]);
  }, 60_000);

  it('refuses what it cannot start with, exit 2, naming the flag or the environment variable it came from', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const port = String(await freePort());
    const env = { HERALD_TOKEN: 't0ken', HERALD_PUBLIC_URL: '', HERALD_UNSUBSCRIBE_SECRET: '', PORT: '' };
    const start = (args: string[], extra: Record<string, string> = {}) => herald(['start', project.root, '--threads', '1', ...args], { env: { ...env, ...extra } });
    const url = 'give the address customers reach this API at, with http:// or https://, such as https://herald.example.com';
    expect(start(['--port', port, '--public-url', 'localhost:3105/'])).toEqual({ code: 2, stdout: '', stderr: `herald: --public-url is not an absolute http(s) URL: "localhost:3105/"; ${url}\n` });
    expect(start(['--port', port], { HERALD_PUBLIC_URL: 'localhost:3105' })).toEqual({ code: 2, stdout: '', stderr: `herald: HERALD_PUBLIC_URL is not an absolute http(s) URL: "localhost:3105"; ${url}\n` });
    expect(start(['--port', port, '--public-url', 'https://h.example/?a=1']).stderr).toMatch(/^herald: --public-url must not have a \?query or #fragment: "https:\/\/h\.example\/\?a=1"; /);
    expect(start([], { PORT: 'abc' })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'herald: PORT must be a whole number from 0 to 65535, got "abc" (PORT is set in the environment; fix it, or give --port, which wins)\n',
    });
    expect(start(['--port', 'abc'], { PORT: '3000' }).stderr).toBe('herald: --port must be a whole number from 0 to 65535, got "abc"\n');
    const host = start(['--port', port, '--host', '999.1.1.1']);
    expect(host).toMatchObject({ code: 2, stdout: '' });
    expect(host.stderr).toMatch(/^herald: --host 999\.1\.1\.1 is neither an IP address nor a host name this machine can resolve \(getaddrinfo E[A-Z_]+\); listen on 127\.0\.0\.1 \(this machine only\) or 0\.0\.0\.0 /);
    const notes = join(project.root, 'notes.txt');
    writeFileSync(notes, 'not a database, but long enough to be read as one: '.repeat(40));
    const data = start(['--port', port, '--data', notes, '--log-level', 'error']);
    expect(data).toMatchObject({ code: 2, stdout: '' });
    expect(data.stderr).toBe(
      `herald: --data ${notes} is not a Herald data file (SQLite: file is not a database); give the SQLite file herald start keeps its state in (default .herald/herald.db in the project), or a path with no file yet for a new one\n`,
    );
  }, 120_000);
});
