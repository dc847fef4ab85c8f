/**
 * `herald archive search` and `herald archive show <id>`: find and read archived messages,
 * through a running Herald's API or from an embedded-driver file (store-source.ts).
 */
import type { Command } from 'commander';
import { apiTarget, callApi, formatApiError } from '../../api/api-client.js';
import { ARCHIVE_PARAMS, INVALID_CURSOR_MESSAGE, isInvalidCursorError, parseArchiveQuery, type ArchiveParams } from '../../api/parse-archive-query.js';
import type { ArchiveQuery, ArchivedMessage } from '../../driver/driver.js';
import { shortVersion } from '../../engine/describe.js';
import { CliError, openDataFile, sourceOptions, withSource, type SourceOptions } from '../store-source.js';
import { isoTime as time, table } from '../text-table.js';

type SearchOptions = SourceOptions & ArchiveParams;

interface ArchiveSource {
  /** `notes`: why an empty answer may be empty (a filter naming nothing in the project; the API says so). */
  search(params: ArchiveParams): Promise<{ items: ArchivedMessage[]; cursor: string | null; notes?: string[] }>;
  show(id: string): Promise<ArchivedMessage | undefined>;
  close(): Promise<void>;
}

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

async function fileSource(path: string): Promise<ArchiveSource> {
  const driver = await openDataFile(path);
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

/** One line per delivery: id, created, subject, journey/step, template, status, channels tried. */
export function formatSearchResult(items: readonly ArchivedMessage[], cursor: string | null, notes: readonly string[] = []): string {
  if (items.length === 0) return `no archived messages match${notes.map((n) => `\n  note: ${n}`).join('')}\n`;
  const rows = items.map((m) => {
    const d = m.delivery;
    const channels = [...new Set(m.attempts.map((a) => a.channel))].join('→') || '-';
    return [d.id, time(d.createdAt), d.subjectId, `${d.journey}/${d.node}`, d.template, d.status, channels];
  });
  const more = cursor ? `\nmore: add --cursor ${cursor}\n` : '';
  return `${table(['ID', 'CREATED', 'SUBJECT', 'JOURNEY/STEP', 'TEMPLATE', 'STATUS', 'CHANNELS'], rows)}${more}`;
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

const openArchive = async (opts: SourceOptions): Promise<ArchiveSource> => (opts.data ? fileSource(opts.data) : apiSource(opts));

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
    await withSource(opts, openArchive, async (source) => {
      const result = await source.search(params);
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatSearchResult(result.items, result.cursor, result.notes));
    });
  });

  sourceOptions(archive.command('show').description('one archived message: content, attempts, decisions').argument('<id>', 'delivery id')).action(
    async (id: string, opts: SourceOptions) => {
      await withSource(opts, openArchive, async (source) => {
        const message = await source.show(id);
        if (!message) throw new CliError(`no archived message with id ${id}`);
        process.stdout.write(opts.json ? `${JSON.stringify(message, null, 2)}\n` : formatArchivedMessage(message));
      });
    },
  );
}
