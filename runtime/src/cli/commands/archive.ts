/**
 * `herald archive search` and `herald archive show <id>`: find and read archived messages.
 *
 * Two ways in, one output: through a running Herald's API (`--url`, the default, which works
 * the same over any driver and respects the API token), or straight from an embedded-driver
 * SQLite file (`--data .herald/dev.db`), for when no Herald is running — after `herald dev`
 * stopped, or on a copy of a production file. The file is opened as the driver opens it
 * (SQLite WAL lets it sit beside a running Herald), read-only: the database is never created
 * nor written, though SQLite creates its -shm and -wal side files, which it needs to read a WAL
 * file safely while a writer may run, and a reader leaves them (docs/operations.md).
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiUnreachable, apiTarget, callApi, formatApiError, TOKEN_OPTION_HELP, URL_OPTION_HELP } from '../../api/api-client.js';
import { ARCHIVE_PARAMS, INVALID_CURSOR_MESSAGE, isInvalidCursorError, parseArchiveQuery, type ArchiveParams } from '../../api/parse-archive-query.js';
import type { ArchiveQuery, ArchivedMessage, Driver } from '../../driver/driver.js';
import { createEmbeddedDriver } from '../../driver/embedded/index.js';
import { shortVersion } from '../../engine/describe.js';

interface SourceOptions {
  readonly url?: string;
  readonly token?: string;
  readonly data?: string;
  readonly json?: boolean;
}

type SearchOptions = SourceOptions & ArchiveParams;

interface ArchiveSource {
  /** `notes`: why an empty answer may be empty (a filter naming nothing in the project; the API says so). */
  search(params: ArchiveParams): Promise<{ items: ArchivedMessage[]; cursor: string | null; notes?: string[] }>;
  show(id: string): Promise<ArchivedMessage | undefined>;
  close(): Promise<void>;
}

class CliError extends Error {}

function apiSource(opts: SourceOptions): ArchiveSource {
  const target = apiTarget(opts);
  return {
    async search(params) {
      const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
      const res = await callApi(target, 'GET', `/archive?${qs.toString()}`);
      if (res.status !== 200) throw new CliError(formatApiError(res, target));
      return res.body as { items: ArchivedMessage[]; cursor: string | null; notes?: string[] };
    },
    async show(id) {
      const res = await callApi(target, 'GET', `/archive/${encodeURIComponent(id)}`);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new CliError(formatApiError(res, target));
      return res.body as ArchivedMessage;
    },
    close: async () => {},
  };
}

const DATA_FILE_HINT = "it names the embedded driver's SQLite file of herald dev/start, such as .herald/dev.db";

async function fileSource(path: string): Promise<ArchiveSource> {
  // Usage errors (exit 2), as a missing --data @file of send-event is: the command cannot start
  // with what it was given — a file that is not there, a folder, a file that is no database.
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    throw new Error(`--data: no such file: ${path} (${DATA_FILE_HINT})`);
  }
  if (folder) throw new Error(`--data: ${path} is a folder, not a file (${DATA_FILE_HINT})`);
  // Read-only: Herald may be running on this file right now.
  const driver: Driver = createEmbeddedDriver({ path, readonly: true });
  try {
    await driver.open();
  } catch (error) {
    throw new Error(`--data ${path}: ${error instanceof Error ? error.message : String(error)} (${DATA_FILE_HINT})`, { cause: error });
  }
  return {
    async search(params) {
      const parsed = parseArchiveQuery(params);
      if (!parsed.ok) throw new CliError(parsed.errors.map((e) => `--${e.path.slice(1)}: ${e.message}`).join('\n'));
      try {
        return await driver.searchArchive(parsed.query satisfies ArchiveQuery);
      } catch (error) {
        if (isInvalidCursorError(error)) throw new CliError(`--cursor: ${INVALID_CURSOR_MESSAGE}`);
        throw error;
      }
    },
    show: (id) => driver.getArchived(id),
    close: () => driver.close(),
  };
}

const time = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** One line per delivery: id, created, subject, journey/step, template, status, channels tried. */
export function formatSearchResult(items: readonly ArchivedMessage[], cursor: string | null, notes: readonly string[] = []): string {
  if (items.length === 0) return `no archived messages match${notes.map((n) => `\n  note: ${n}`).join('')}\n`;
  const rows = items.map((m) => {
    const d = m.delivery;
    const channels = [...new Set(m.attempts.map((a) => a.channel))].join('→') || '-';
    return [d.id, time(d.createdAt), d.subjectId, `${d.journey}/${d.node}`, d.template, d.status, channels];
  });
  const header = ['ID', 'CREATED', 'SUBJECT', 'JOURNEY/STEP', 'TEMPLATE', 'STATUS', 'CHANNELS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const more = cursor ? `\nmore: add --cursor ${cursor}\n` : '';
  return `${[header, ...rows].map(line).join('\n')}\n${more}`;
}

export function formatArchivedMessage(m: ArchivedMessage): string {
  const d = m.delivery;
  const out = [
    `delivery  ${d.id}`,
    `subject   ${d.subjectId}`,
    `journey   ${d.journey} (step ${d.node}, instance ${d.instanceId}, version ${shortVersion(d.version)})`,
    `template  ${d.template} (policy ${d.policy}, category ${d.category})`,
    `status    ${d.status}`,
    `created   ${time(d.createdAt)}   updated ${time(d.updatedAt)}`,
    '',
    'history',
    ...d.history.map((h) => `  ${time(h.at)}  ${h.channel ? `[${h.channel}] ` : ''}${h.note}`),
  ];
  for (const c of m.contents) {
    out.push('', `${c.channel} (${c.kind}, ${c.locale}) to ${c.to}, rendered ${time(c.renderedAt)}`);
    for (const [field, value] of Object.entries(c.fields)) {
      const text = value.includes('\n') ? `\n${value.replace(/^/gm, '    ')}` : ` ${value}`;
      out.push(`  ${field}:${text}`);
    }
  }
  if (m.attempts.length) {
    out.push('', 'attempts');
    for (const a of m.attempts) out.push(`  ${time(a.at)}  ${a.channel} #${a.attempt}  ${JSON.stringify(a.result)}`);
  }
  return `${out.join('\n')}\n`;
}

async function withSource<T>(opts: SourceOptions, run: (source: ArchiveSource) => Promise<T>): Promise<void> {
  let source: ArchiveSource | undefined;
  try {
    source = opts.data ? await fileSource(opts.data) : apiSource(opts);
    await run(source);
  } catch (error) {
    // The archive is in the data file too: once `herald dev` has stopped, that is the way in.
    if (error instanceof ApiUnreachable) throw new Error(`${error.message}; or read the data file: --data <file> (herald dev keeps it in <project>/.herald/dev.db)`);
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await source?.close();
  }
}

function sourceOptions(command: Command): Command {
  return command
    .option('--url <url>', URL_OPTION_HELP)
    .option('--token <token>', TOKEN_OPTION_HELP)
    .option('--data <file>', 'read an embedded-driver SQLite file instead of asking a running Herald')
    .option('--json', 'print JSON');
}

export function registerArchiveCommand(program: Command): void {
  const archive = program.command('archive').description('search and read archived messages (what was sent, to whom, what happened)');

  sourceOptions(
    archive
      .command('search')
      .description('list archived messages, newest first')
      .option('--subject <id>', 'subject (customer) id')
      .option('--journey <id>', 'journey id')
      .option('--status <status>', 'delivery status: pending, attempting, awaiting-receipt, deferred, delivered, failed, skipped')
      .option('--channel <name>', 'channel tried')
      .option('--from <time>', 'created at or after (ISO 8601 or epoch ms)')
      .option('--to <time>', 'created before (ISO 8601 or epoch ms)')
      .option('--limit <n>', 'most results (1-500, default 50)')
      .option('--cursor <cursor>', 'next page, as printed after a full page'),
  ).action(async (opts: SearchOptions) => {
    const params: ArchiveParams = Object.fromEntries(ARCHIVE_PARAMS.filter((p) => opts[p] !== undefined).map((p) => [p, opts[p]]));
    // Checked here, before any API or file is asked: a bad value is the command line's mistake
    // (a usage error, exit 2), not a problem found in the archive.
    const checked = parseArchiveQuery(params);
    if (!checked.ok) throw new Error(checked.errors.map((e) => `--${e.path.slice(1)}: ${e.message}`).join('; '));
    await withSource(opts, async (source) => {
      const result = await source.search(params);
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatSearchResult(result.items, result.cursor, result.notes));
    });
  });

  sourceOptions(archive.command('show').description('one archived message: content, attempts, decisions').argument('<id>', 'delivery id')).action(
    async (id: string, opts: SourceOptions) => {
      await withSource(opts, async (source) => {
        const message = await source.show(id);
        if (!message) throw new CliError(`no archived message with id ${id}`);
        process.stdout.write(opts.json ? `${JSON.stringify(message, null, 2)}\n` : formatArchivedMessage(message));
      });
    },
  );
}
