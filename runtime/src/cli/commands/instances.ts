/**
 * `herald instances list --journey <id> | --subject <id> [--status] [--limit]` and
 * `herald instances show <id>`: where journeys stand — which instances a customer has, where
 * each waits, its variables and recent history — through a running Herald's API or from an
 * embedded-driver file (store-source.ts), as `GET /instances` answers. `herald instances stop
 * <id> --reason <text>`: an operator stops one, through the API (`POST /instances/:id/stop`);
 * a store file is only read.
 */
import type { Command } from 'commander';
import { apiTarget, callApi, formatApiError, TOKEN_OPTION_HELP, URL_OPTION_HELP } from '../../api/api-client.js';
import { DEFAULT_INSTANCE_LIMIT, MAX_INSTANCE_LIMIT, MAX_STOP_REASON } from '../../api/instances-routes.js';
import type { ArchivedMessage } from '../../driver/driver.js';
import type { Instance, InstanceStatus, Waiting } from '../../engine/types.js';
import { shortVersion } from '../../engine/describe.js';
import { CliError, openDataFile, sourceOptions, withSource, type SourceOptions } from '../store-source.js';
import { isoTime, table } from '../text-table.js';

const STATUSES: readonly InstanceStatus[] = ['active', 'completed', 'exited', 'failed'];

export interface InstanceFilter {
  readonly journey?: string;
  readonly subject?: string;
  readonly status?: InstanceStatus;
  readonly limit: number;
}

interface InstanceSource {
  list(filter: InstanceFilter): Promise<{ items: Instance[]; more: boolean; notes?: string[] }>;
  show(id: string): Promise<Instance | undefined>;
  /** A page of the archive of the instance's subject and journey (its messages are among them). */
  archivePage(instance: Instance, cursor: string | null): Promise<{ items: ArchivedMessage[]; cursor: string | null }>;
  close(): Promise<void>;
}

type ListOptions = SourceOptions & { readonly journey?: string; readonly subject?: string; readonly status?: string; readonly limit?: string };

/** The filter, or what is wrong with the command line (a usage error, said before anything is asked). */
export function instanceFilter(opts: ListOptions): InstanceFilter {
  if (opts.journey === undefined && opts.subject === undefined) throw new Error('name a journey (--journey) or a subject (--subject), or both');
  if (opts.status !== undefined && !STATUSES.includes(opts.status as InstanceStatus)) throw new Error(`--status: must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(opts.status)}`);
  const limit = opts.limit === undefined ? DEFAULT_INSTANCE_LIMIT : Number(opts.limit);
  if (!/^\d+$/.test(opts.limit ?? '1') || limit < 1 || limit > MAX_INSTANCE_LIMIT) throw new Error(`--limit: must be a whole number from 1 to ${MAX_INSTANCE_LIMIT}, got ${JSON.stringify(opts.limit)}`);
  return {
    ...(opts.journey === undefined ? {} : { journey: opts.journey }),
    ...(opts.subject === undefined ? {} : { subject: opts.subject }),
    ...(opts.status === undefined ? {} : { status: opts.status as InstanceStatus }),
    limit,
  };
}

function apiSource(opts: SourceOptions): InstanceSource {
  const target = apiTarget(opts);
  return {
    async list(filter) {
      const qs = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)]));
      const res = await callApi(target, 'GET', `/instances?${qs.toString()}`);
      if (res.status !== 200) throw new CliError(formatApiError(res, target));
      return res.body as { items: Instance[]; more: boolean; notes?: string[] };
    },
    async show(id) {
      const res = await callApi(target, 'GET', `/instances/${encodeURIComponent(id)}`);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new CliError(formatApiError(res, target));
      return res.body as Instance;
    },
    async archivePage(instance, cursor) {
      const qs = new URLSearchParams({ subject: instance.subjectId, journey: instance.journey, limit: '500', ...(cursor === null ? {} : { cursor }) });
      const res = await callApi(target, 'GET', `/archive?${qs.toString()}`);
      if (res.status !== 200) throw new CliError(formatApiError(res, target));
      return res.body as { items: ArchivedMessage[]; cursor: string | null };
    },
    close: async () => {},
  };
}

async function fileSource(path: string): Promise<InstanceSource> {
  const driver = await openDataFile(path);
  return {
    async list({ journey, subject, status, limit }) {
      // One more than asked tells whether there are others, as the API does.
      const found = await driver.findInstances({
        ...(journey === undefined ? {} : { journey }),
        ...(subject === undefined ? {} : { subjectId: subject }),
        ...(status === undefined ? {} : { status }),
        limit: limit + 1,
      });
      return { items: found.slice(0, limit), more: found.length > limit };
    },
    show: (id) => driver.getInstance(id),
    archivePage: (instance, cursor) => driver.searchArchive({ subjectId: instance.subjectId, journey: instance.journey, limit: 500, ...(cursor === null ? {} : { cursor }) }),
    close: () => driver.close(),
  };
}

const openInstances = async (opts: SourceOptions): Promise<InstanceSource> => (opts.data ? fileSource(opts.data) : apiSource(opts));

/** What an active instance waits for, in a few words; `-` once it ended. */
export function waitingText(w: Waiting | null, status: InstanceStatus): string {
  if (status !== 'active' || w === null) return '-';
  switch (w.kind) {
    case 'timer':
      return `timer until ${isoTime(w.until)}`;
    case 'event':
      return `${w.event}${w.until === null ? '' : ` until ${isoTime(w.until)}`}`;
    case 'batch':
      return `batch of ${w.event} (${w.items.length}) until ${isoTime(w.until)}`;
    case 'fetch':
      return 'data';
  }
}

/** One line per instance: id, subject, journey, status, the step it is at and what it waits for. */
export function formatInstanceList(items: readonly Instance[], more: boolean, notes: readonly string[] = []): string {
  if (items.length === 0) return `no instances match${notes.map((n) => `\n  note: ${n}`).join('')}\n`;
  const rows = items.map((i) => [i.id, i.subjectId, i.journey, i.status, i.at ?? '-', waitingText(i.waiting, i.status), isoTime(i.startedAt)]);
  return `${table(['ID', 'SUBJECT', 'JOURNEY', 'STATUS', 'AT', 'WAITING FOR', 'STARTED'], rows)}${more ? '\nmore: raise --limit, or narrow with --status\n' : ''}`;
}

/** The instance's messages, oldest first, from its subject's and journey's archive. */
async function messagesOf(source: InstanceSource, instance: Instance): Promise<ArchivedMessage[]> {
  const found: ArchivedMessage[] = [];
  let cursor: string | null = null;
  do {
    const page = await source.archivePage(instance, cursor);
    found.push(...page.items.filter((m) => m.delivery.instanceId === instance.id));
    cursor = page.cursor;
  } while (cursor !== null);
  return found.reverse();
}

export function formatInstance(i: Instance, messages: readonly ArchivedMessage[] = []): string {
  const out = [
    `instance  ${i.id}`,
    `journey   ${i.journey} (version ${shortVersion(i.version)})${i.key === undefined ? '' : `, key ${i.key}`}`,
    `subject   ${i.subjectId}`,
    `status    ${i.status}${i.exitReason ? ` (${i.exitReason})` : ''}`,
    `at        ${i.at ?? '-'}   waiting for ${waitingText(i.waiting, i.status)}`,
    `started   ${isoTime(i.startedAt)}   updated ${isoTime(i.updatedAt)}`,
    '',
    'vars',
    ...Object.entries(i.vars).map(([name, value]) => `  ${name}: ${JSON.stringify(value)}`),
    '',
    'history',
    ...i.history.map((h) => `  ${isoTime(h.at)}  ${h.node ? `[${h.node}] ` : ''}${h.note}`),
  ];
  if (messages.length > 0) {
    out.push('', 'messages (herald archive show <id>)');
    for (const m of messages) {
      const d = m.delivery;
      const channels = [...new Set(m.attempts.map((a) => a.channel))].join('→') || '-';
      out.push(`  ${isoTime(d.createdAt)}  [${d.node}] ${d.template}  ${d.status}  ${channels}  ${d.id}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function registerInstancesCommand(program: Command): void {
  const instances = program.command('instances').description("list and read journey instances (where a customer's journeys stand)");

  sourceOptions(
    instances
      .command('list')
      .description('list the instances of a journey or a subject, oldest first')
      .option('--journey <id>', 'journey id')
      .option('--subject <id>', 'subject (customer) id')
      .option('--status <status>', `instance status: ${STATUSES.join(', ')}`)
      .option('--limit <n>', `most results (1-${MAX_INSTANCE_LIMIT}, default ${DEFAULT_INSTANCE_LIMIT})`),
  ).action(async (opts: ListOptions) => {
    const filter = instanceFilter(opts);
    await withSource(opts, openInstances, async (source) => {
      const result = await source.list(filter);
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatInstanceList(result.items, result.more, result.notes));
    });
  });

  sourceOptions(instances.command('show').description('one instance: where it is, its variables and recent history').argument('<id>', 'instance id')).action(
    async (id: string, opts: SourceOptions) => {
      await withSource(opts, openInstances, async (source) => {
        const instance = await source.show(id);
        if (!instance) throw new CliError(`no instance with id ${id}`);
        process.stdout.write(opts.json ? `${JSON.stringify(instance, null, 2)}\n` : formatInstance(instance, await messagesOf(source, instance)));
      });
    },
  );

  instances
    .command('stop')
    .description('stop an active instance (it exits; its messages waiting to start or deferred are skipped), through the API')
    .argument('<id>', 'instance id')
    .requiredOption('--reason <text>', `why, kept in its history and exit reason (at most ${MAX_STOP_REASON} characters)`)
    .option('--url <url>', URL_OPTION_HELP)
    .option('--token <token>', TOKEN_OPTION_HELP)
    .option('--json', 'print JSON')
    .action(async (id: string, opts: SourceOptions & { readonly reason: string }) => {
      if (opts.reason.trim() === '') throw new Error('--reason: say why the instance is stopped');
      const target = apiTarget(opts);
      const res = await callApi(target, 'POST', `/instances/${encodeURIComponent(id)}/stop`, { reason: opts.reason });
      // Unknown, ended already, a refused token: a problem found, not a usage error.
      if (res.status !== 200) {
        process.stderr.write(`${formatApiError(res, target)}\n`);
        process.exitCode = 1;
        return;
      }
      const body = res.body as { instance: Instance; cancelled: readonly string[] };
      const skipped = body.cancelled.length === 0 ? 'no message was waiting' : `${body.cancelled.length} waiting message${body.cancelled.length === 1 ? '' : 's'} skipped (${body.cancelled.join(', ')})`;
      process.stdout.write(opts.json ? `${JSON.stringify(body, null, 2)}\n` : `stopped ${id}: ${body.instance.exitReason}; ${skipped}\n`);
    });
}
