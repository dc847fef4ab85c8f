/**
 * `herald start [dir]`: production. Compiles the project, opens the store (the embedded driver's
 * SQLite file), starts the runtime and the HTTP API, logs JSON lines (pino) to stdout, and on
 * SIGTERM/SIGINT stops intake, drains the work in flight and exits 0. No mail catcher, no
 * file watching: a new version of the project is a restart (in-flight instances keep theirs).
 *
 * What it cannot start with is a usage error (exit 2, `herald: <why>`), said before anything is
 * started: a flag or the environment variable behind it that is no value it can take, a port
 * in use, an address not of this machine, a data file that is not one.
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Diagnostic } from '@herald/dsl';
import type { Command } from 'commander';
import { Option } from 'commander';
import { pino } from 'pino';
import { createApiServer, DEFAULT_BODY_LIMIT } from '../../api/create-server.js';
import { installShutdown } from '../../api/install-shutdown.js';
import { pinoPluginLogger } from '../../api/pino-plugin-logger.js';
import { createEmbeddedDriver } from '../../driver/embedded/index.js';
import { createRuntime } from '../../orchestrator/create-runtime.js';
import { loadProject } from '../load-project.js';
import { ensurePortFree, portError, type PortUse } from '../port-conflict.js';
import { renderDiagnostics } from '../print-diagnostics.js';
import { shownPath } from '../shown-path.js';
import { useColor } from '../use-color.js';
import { publicUrlSetting } from '../public-url.js';

interface StartOptions {
  readonly port: string;
  readonly host: string;
  readonly data: string;
  readonly driver: 'embedded' | 'redis';
  readonly token?: string;
  readonly publicUrl?: string;
  readonly bodyLimit: string;
  readonly threads?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** `name`: what the value came from, as the user gave it (`--port`, or `PORT` from the environment, with a `note` saying so). */
const int = (name: string, text: string, min: number, max: number, note = ''): number => {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}${note}`);
  return n;
};

/** A secret shorter than this can be guessed, and with it unsubscribe links forged for anyone. */
export const MIN_UNSUBSCRIBE_SECRET_LENGTH = 16;

/** One log line per compile warning, as `herald validate` names it: `herald.yaml:62:14 retention-shorter-than-window: ...`. */
function logCompileWarnings(logger: { warn(fields: object, msg: string): void }, root: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    if (d.severity !== 'warning') continue;
    const file = shownPath(join(root, d.file));
    const { line, column } = d.range.start;
    logger.warn({ code: d.code, file, line, column, ...(d.hint ? { hint: d.hint } : {}) }, `${file}:${line}:${column} ${d.code}: ${d.message}`);
  }
}

/** A data file SQLite cannot read as a database: say which file, and that it is not Herald's, instead of `file is not a database`. */
function dataFileError(error: unknown, dataFile: string): unknown {
  const code = (error as { code?: unknown } | null)?.code ?? ((error as { cause?: { code?: unknown } } | null)?.cause ?? {}).code;
  if (code !== 'SQLITE_NOTADB') return error;
  return new Error(
    `--data ${shownPath(dataFile)} is not a Herald data file (SQLite: ${error instanceof Error ? error.message : String(error)}); give the SQLite file herald start keeps its state in (default .herald/herald.db in the project), or a path with no file yet for a new one`,
    { cause: error },
  );
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run a project in production: the runtime on the embedded driver and the HTTP API')
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-p, --port <port>', 'API port').env('PORT').default('3000'))
    .option('--host <address>', 'address to listen on (0.0.0.0 in a container)', '127.0.0.1')
    .option('--data <file>', 'SQLite file of the embedded driver (relative to the project)', '.herald/herald.db')
    .addOption(new Option('--driver <driver>', 'store and queue').choices(['embedded', 'redis']).default('embedded'))
    .option('--token <token>', 'require this bearer token on the API (env HERALD_TOKEN)')
    .option('--public-url <url>', 'public base URL of this API: unsubscribe links point there, and provider callbacks are signed over it (env HERALD_PUBLIC_URL)')
    .option('--body-limit <bytes>', 'largest request body', String(DEFAULT_BODY_LIMIT))
    .option('--threads <n>', 'worker threads (default: one per CPU)')
    .addOption(
      new Option('--log-level <level>', 'log level (the line saying where the API listens is printed at any level)')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    )
    .action(async (dir: string, opts: StartOptions, command: Command) => {
      // Every flag first: a value it cannot take stops it before anything is compiled or opened.
      if (opts.driver === 'redis') throw new Error('--driver redis is not available yet; use the embedded driver');
      const port =
        command.getOptionValueSource('port') === 'env'
          ? int('PORT', opts.port, 0, 65535, ' (PORT is set in the environment; fix it, or give --port, which wins)')
          : int('--port', opts.port, 0, 65535);
      const bodyLimit = int('--body-limit', opts.bodyLimit, 1024, 100 * 1024 * 1024);
      const threads = opts.threads === undefined ? undefined : int('--threads', opts.threads, 1, 256);
      const publicUrl = publicUrlSetting(opts.publicUrl);
      const token = opts.token ?? process.env['HERALD_TOKEN'];
      const unsubscribeSecret = process.env['HERALD_UNSUBSCRIBE_SECRET'] || undefined;
      const logger = pino({ level: opts.logLevel });
      const apiPort: PortUse = { port, host: opts.host, what: 'the API', flag: '--port', hostFlag: '--host' };
      await ensurePortFree(apiPort);
      const { root, project, result } = await loadProject(dir);
      if (!result.ir) {
        process.stderr.write(`${renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], 'pretty', useColor(process.stderr))}\n`);
        process.exitCode = 1;
        return;
      }
      // `herald validate` shows them with their code frames; an operator reads them here.
      logCompileWarnings(logger, root, result.diagnostics);
      if (!token) logger.warn('no API token (--token or HERALD_TOKEN): anyone who reaches the port can post events and read the archive');
      if (publicUrl && !unsubscribeSecret) logger.warn(`${publicUrl.from} without HERALD_UNSUBSCRIBE_SECRET: messages carry no unsubscribe link`);
      if (unsubscribeSecret && unsubscribeSecret.length < MIN_UNSUBSCRIBE_SECRET_LENGTH) {
        logger.warn(
          `HERALD_UNSUBSCRIBE_SECRET has only ${unsubscribeSecret.length} characters: a short secret can be guessed, and with it unsubscribe links forged for anyone; use ${MIN_UNSUBSCRIBE_SECRET_LENGTH} or more random characters (openssl rand -base64 32)`,
        );
      }

      const dataFile = isAbsolute(opts.data) ? opts.data : join(root, opts.data);
      mkdirSync(dirname(dataFile), { recursive: true });
      const runtime = createRuntime({
        driver: createEmbeddedDriver({ path: dataFile }),
        graph: result.ir,
        projectRoot: root,
        log: pinoPluginLogger(logger),
        // herald_process_* (CPU, memory, event loop lag, GC) in GET /metrics.
        processMetrics: true,
        pool: { logLevel: opts.logLevel, logFormat: 'json', ...(threads === undefined ? {} : { threads }) },
        ...(publicUrl && unsubscribeSecret ? { publicBaseUrl: publicUrl.url, unsubscribeSecret } : {}),
      });
      try {
        await runtime.start();
      } catch (error) {
        throw dataFileError(error, dataFile);
      }
      const server = createApiServer(runtime, { token, bodyLimit, logger, unsubscribeSecret, publicUrl: publicUrl?.url });
      let url: string;
      // Fastify logs `Server listening at <address>` at info, a line per address (each interface
      // for 0.0.0.0): Herald's own line below says it once, with the project and the data file.
      const level = server.log.level;
      server.log.level = 'silent';
      try {
        url = await server.listen({ host: opts.host, port });
      } catch (error) {
        // Taken since ensurePortFree looked, say: the runtime's workers must not keep the process alive.
        await runtime.stop();
        throw portError(error, apiPort);
      } finally {
        server.log.level = level;
      }
      installShutdown(server, runtime, { log: (line, level) => logger[level](line) });
      // Printed at info whatever --log-level (documented in docs/cli.md): with --port 0 it is the
      // only way to learn the port, and it tells a supervisor the API is up.
      logger.child({}, { level: 'info' }).info({ url, data: dataFile, graph: result.ir.version }, `herald: ${result.ir.project.name} listening on ${url}`);
    });
}
