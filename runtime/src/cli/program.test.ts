import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiServer } from '../api/create-server.js';
import { createFakeRuntime } from '../testing/fake-runtime.js';
import { buildProgram, commandsNeeded, runHerald, USAGE_ERROR } from './program.js';

/**
 * `herald ...args` in-process, as main.ts runs it: the exit code and what went to stdout and
 * stderr. Commander's own way out, process.exit (with 1 for a usage error), must not be taken.
 */
async function herald(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true)),
    vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`process.exit(${String(code)}) called`);
    }),
  ];
  process.exitCode = undefined;
  try {
    await runHerald(args, 'user');
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  expect(err).not.toContain('process.exit(');
  return { code: Number(process.exitCode ?? 0), out, err };
}

describe('herald exit codes (docs/cli.md: 0 success, 1 problems found, 2 a usage error)', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it.each([
    ['an unknown command', ['valdiate'], "error: unknown command 'valdiate'"],
    ['an unknown option', ['validate', '--strict'], "error: unknown option '--strict'"],
    ['a value not among the choices', ['validate', '--format', 'xml'], "error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are pretty, json, sarif."],
    ['a missing argument', ['graph'], "error: missing required argument 'journey'"],
    ['a missing required option', ['send-event', 'invoice.paid'], "error: required option '-d, --data <json>' not specified"],
    ['an option without its value', ['archive', 'search', '--limit'], "error: option '--limit <n>' argument missing"],
    ['no command at all', [], 'Usage: herald [options] [command]'],
  ])('%s exits 2 and says what is wrong', async (_what, args, message) => {
    const res = await herald(...args);
    expect(res.code).toBe(USAGE_ERROR);
    expect(res.err).toContain(message);
    if (args.length > 0) expect(res.err).toContain('(run with --help for usage)');
  });

  it.each([
    [['--status', 'sent'], 'herald: --status: must be one of pending, attempting, awaiting-receipt, deferred, delivered, failed, skipped, got "sent"\n'],
    [['--limit', '0'], 'herald: --limit: must be a whole number from 1 to 500, got "0"\n'],
    [['--from', 'yesterday'], 'herald: --from: must be an ISO 8601 time (2026-03-01T08:00:00Z) or epoch milliseconds, got "yesterday"\n'],
    [['--from', '2026-03-02', '--to', '2026-03-01', '--limit', 'x'], 'herald: --to: must be later than from; --limit: must be a whole number from 1 to 500, got "x"\n'],
  ])('archive search %j is a usage error, said before any API or file is asked', async (options, message) => {
    // The URL reaches nothing: the values are refused before it is tried.
    const res = await herald('archive', 'search', ...options, '--url', 'http://127.0.0.1:1');
    expect(res).toMatchObject({ code: USAGE_ERROR, out: '', err: message });
  });

  it('archive with no Herald at the URL points at the data file, the way in once herald dev has stopped', async () => {
    const res = await herald('archive', 'search', '--subject', 'c-100', '--url', 'http://127.0.0.1:1');
    expect(res.code).toBe(USAGE_ERROR);
    expect(res.err).toMatch(/^herald: cannot reach the Herald API at http:\/\/127\.0\.0\.1:1.*; or read the data file: --data <file> \(herald dev keeps it in <project>\/\.herald\/dev\.db\)\n$/);
  });

  it('archive --data that names no database exits 2, whatever is wrong with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-archive-data-'));
    try {
      const missing = join(dir, 'nope.db');
      const text = join(dir, 'notes.txt');
      writeFileSync(text, 'not a database, but long enough to be read as one: '.repeat(40));
      for (const command of [['search'], ['show', 'd-1']]) {
        expect(await herald('archive', ...command, '--data', missing)).toMatchObject({ code: USAGE_ERROR, out: '', err: expect.stringMatching(`^herald: --data: no such file: ${missing} \\(`) });
        expect(await herald('archive', ...command, '--data', text)).toMatchObject({ code: USAGE_ERROR, out: '', err: expect.stringMatching(`^herald: --data ${text}: file is not a database \\(`) });
        expect(await herald('archive', ...command, '--data', dir)).toMatchObject({ code: USAGE_ERROR, out: '', err: expect.stringMatching(`^herald: --data: ${dir} is a folder, not a file \\(`) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('archive --url without the token the API wants exits 1 and says how to give it', async () => {
    const server = createApiServer(createFakeRuntime(), { token: 's3cret' });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const saved = process.env['HERALD_TOKEN'];
    delete process.env['HERALD_TOKEN'];
    try {
      const none = await herald('archive', 'search', '--url', url);
      expect(none).toMatchObject({ code: 1, out: '' });
      expect(none.err).toBe(
        'unauthorized: this route needs an Authorization: Bearer <token> header\n' +
          '  this Herald needs its API token: pass --token <token> or set HERALD_TOKEN (the token herald start was given)\n',
      );
      const wrong = await herald('archive', 'show', 'd-1', '--url', url, '--token', 'nope');
      expect(wrong).toMatchObject({ code: 1, err: expect.stringContaining('the token given (--token or HERALD_TOKEN) is not the one this Herald was started with') });
    } finally {
      if (saved !== undefined) process.env['HERALD_TOKEN'] = saved;
      await server.close();
    }
  });

  it('--help and --version exit 0', async () => {
    const help = await herald('validate', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: herald validate');
    const version = await herald('--version');
    expect(version.code).toBe(0);
    const { version: packageVersion } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version.out).toBe(`${packageVersion}\n`);
  });
});

describe('loading only the command a command line names', () => {
  const all = ['validate', 'compile', 'fmt', 'diff', 'graph', 'schema', 'test', 'dev', 'start', 'send-event', 'archive', 'instances', 'plugin', 'lsp'];

  it('needs the command named, none for --version alone, and every one for help, an unknown command or none', () => {
    expect(commandsNeeded(['validate', 'examples', '--format', 'json'])).toEqual(['validate']);
    expect(commandsNeeded(['--no-color', 'test'])).toEqual(['test']);
    expect(commandsNeeded(['send-event', 'invoice.paid', '--data', '{}'])).toEqual(['send-event']);
    expect(commandsNeeded(['--version'])).toEqual([]);
    expect(commandsNeeded(['-V'])).toEqual([]);
    for (const args of [[], ['--help'], ['help', 'validate'], ['valdate'], ['toString'], ['--version', 'x']]) expect(commandsNeeded(args), args.join(' ')).toEqual(all);
  });

  it('builds the program with the commands asked for, in the order help lists them', async () => {
    expect((await buildProgram()).commands.map((c) => c.name())).toEqual(all);
    expect((await buildProgram(['lsp', 'validate'])).commands.map((c) => c.name())).toEqual(['validate', 'lsp']);
    expect((await buildProgram([])).commands).toEqual([]);
  });

  it('runs a command loaded alone as it runs among all (its help, its usage errors)', async () => {
    const help = await herald('validate', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: herald validate [options] [dirs...]');
    const bad = await herald('validate', '--format', 'xml');
    expect(bad.code).toBe(USAGE_ERROR);
    expect(bad.err).toContain("argument 'xml' is invalid");
  });
});
