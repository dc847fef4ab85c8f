import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { T } from '@herald/dsl';
import { createApiServer } from '../../api/create-server.js';
import type { ArchivedMessage } from '../../driver/driver.js';
import { createEmbeddedDriver } from '../../driver/embedded/index.js';
import { createFakeRuntime, EMPTY_GRAPH, type FakeRuntime } from '../../testing/fake-runtime.js';
import { registerArchiveCommand } from './archive.js';
import { registerSendEventCommand } from './send-event.js';

async function herald(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('herald').exitOverride();
  registerSendEventCommand(program);
  registerArchiveCommand(program);
  let out = '';
  let err = '';
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true)),
  ];
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, err, code };
}

const archived = {
  delivery: {
    id: 'd-1',
    subjectId: 'c-100',
    journey: 'invoice-overdue',
    node: 'first-reminder',
    template: 'payment-reminder',
    status: 'delivered',
    createdAt: Date.UTC(2026, 0, 5, 10),
  },
  contents: [],
  attempts: [{ channel: 'email', attempt: 1, idempotencyKey: 'k', at: 0, result: { status: 'delivered' } }],
} as unknown as ArchivedMessage;

describe('herald send-event and herald archive (over the API)', () => {
  let server: FastifyInstance;
  let runtime: FakeRuntime;
  let url: string;
  beforeAll(async () => {
    runtime = createFakeRuntime({
      graph: { ...EMPTY_GRAPH, events: { 'invoice.paid': { type: T.object({ invoiceId: T.string }) } } },
      archive: [archived],
    });
    server = createApiServer(runtime, { token: 'tok' });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  it('posts an event and prints its id', async () => {
    const res = await herald(['send-event', 'invoice.paid', '--data', '{"invoiceId":"INV-1"}', '--id', 'p-1', '--url', url, '--token', 'tok']);
    expect(res).toMatchObject({ code: 0, out: 'invoice.paid accepted (event id p-1)\n' });
    expect(runtime.ingested).toEqual([{ type: 'invoice.paid', data: { invoiceId: 'INV-1' }, id: 'p-1' }]);
  });

  it('prints the field errors of a refused event and exits 1', async () => {
    const res = await herald(['send-event', 'invoice.paid', '--data', '{"invoiceId":7}', '--url', url, '--token', 'tok']);
    expect(res.code).toBe(1);
    expect(res.err).toBe('invalid_event: the invoice.paid event is invalid: /data/invoiceId must be a string, got a number (7)\n  /data/invoiceId: must be a string, got a number (7)\n');
  });

  it('says what is wrong with the data, the token or the address', async () => {
    await expect(herald(['send-event', 'invoice.paid', '--data', '{nope', '--url', url])).rejects.toThrow('--data is not valid JSON');
    expect((await herald(['send-event', 'invoice.paid', '--data', '{}', '--url', url])).err).toContain('unauthorized: this route needs an Authorization: Bearer <token> header');
    // A token was given: it is the wrong one, not a missing one (as archive says).
    const wrong = await herald(['send-event', 'invoice.paid', '--data', '{}', '--url', url, '--token', 'wrong']);
    expect(wrong).toMatchObject({ code: 1, out: '' });
    expect(wrong.err).toBe(
      'unauthorized: the bearer token is not valid\n  the token given (--token or HERALD_TOKEN) is not the one this Herald was started with\n',
    );
    await expect(herald(['send-event', 'x', '--data', '{}', '--url', 'http://127.0.0.1:1'])).rejects.toThrow(/cannot reach the Herald API at http:\/\/127\.0\.0\.1:1/);
  });

  it('says a --data file that is not there is not there, and a --url that is no URL is invalid', async () => {
    const missing = join(tmpdir(), 'herald-no-such-event.json');
    await expect(herald(['send-event', 'x', '--data', `@${missing}`, '--url', url])).rejects.toThrow(`--data @${missing}: no such file: ${missing}`);
    await expect(herald(['send-event', 'x', '--data', `@${tmpdir()}`, '--url', url])).rejects.toThrow(`--data @${tmpdir()}: ${tmpdir()} is a folder, not a file`);
    for (const bad of ['notaurl', 'localhost:3000', 'ftp://127.0.0.1']) {
      await expect(herald(['send-event', 'x', '--data', '{}', '--url', bad])).rejects.toThrow(
        `--url is not a valid URL: "${bad}"; give the Herald API's base URL with http:// or https://, such as http://127.0.0.1:3000`,
      );
      await expect(herald(['archive', 'search', '--url', bad])).rejects.toThrow(`--url is not a valid URL: "${bad}"`);
    }
    await expect(herald(['archive', 'search', '--data', missing])).rejects.toThrow(`--data: no such file: ${missing}`);
  });

  it('searches and shows the archive through the API', async () => {
    const search = await herald(['archive', 'search', '--subject', 'c-100', '--url', url, '--token', 'tok']);
    expect(search.code).toBe(0);
    expect(search.out).toMatch(/^d-1\s+2026-01-05T10:00:00Z\s+c-100\s+invoice-overdue\/first-reminder\s+payment-reminder\s+delivered\s+email$/m);
    expect(runtime.archiveQueries.at(-1)).toEqual({ subjectId: 'c-100', limit: 50 });
    // A bad value is a usage error: thrown for runHerald to print with `herald:` and exit 2 (program.test.ts).
    await expect(herald(['archive', 'search', '--from', 'yesterday', '--url', url, '--token', 'tok'])).rejects.toThrow('--from: must be an ISO 8601 time');
    const missing = await herald(['archive', 'show', 'd-2', '--url', url, '--token', 'tok']);
    expect(missing).toMatchObject({ code: 1, err: 'no archived message with id d-2\n' });
    const json = await herald(['archive', 'show', 'd-1', '--json', '--url', url, '--token', 'tok']);
    expect(JSON.parse(json.out).delivery.id).toBe('d-1');
  });

  it('reads a --data file without writing the database; SQLite leaves its -shm and an empty -wal beside it (docs/operations.md)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'herald-archive-readonly-'));
    const file = join(scratch, 'herald.db');
    try {
      const driver = createEmbeddedDriver({ path: file, checkpointThread: false });
      await driver.open();
      await driver.close();
      // Stopped cleanly: the database alone.
      expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)]).toEqual([false, false]);
      const before = readFileSync(file);
      expect(await herald(['archive', 'search', '--data', file])).toEqual({ code: 0, out: 'no archived messages match\n', err: '' });
      expect(readFileSync(file).equals(before)).toBe(true);
      // What docs/operations.md says a read-only open leaves: SQLite's WAL index, and a WAL with nothing in it.
      expect(existsSync(`${file}-shm`)).toBe(true);
      expect(statSync(`${file}-wal`).size).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('says a --cursor the store did not make is one, through the API and from a file', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'herald-archive-cursor-'));
    const file = join(scratch, 'herald.db');
    const driver = createEmbeddedDriver({ path: file, checkpointThread: false });
    await driver.open();
    // The API in front of a real store: only the store can tell its cursors.
    const fake = runtime.searchArchive;
    runtime.searchArchive = (q) => driver.searchArchive(q);
    try {
      const api = await herald(['archive', 'search', '--cursor', 'garbage', '--url', url, '--token', 'tok']);
      expect(api).toEqual({
        code: 1,
        out: '',
        err:
          'invalid_request: bad search parameters: /cursor is not the cursor of a previous page of this search (pass it on as it was given, with the same filters)\n' +
          '  /cursor: is not the cursor of a previous page of this search (pass it on as it was given, with the same filters)\n',
      });
    } finally {
      runtime.searchArchive = fake;
      await driver.close();
    }
    try {
      const local = await herald(['archive', 'search', '--cursor', 'garbage', '--data', file]);
      expect(local).toEqual({ code: 1, out: '', err: '--cursor: is not the cursor of a previous page of this search (pass it on as it was given, with the same filters)\n' });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
