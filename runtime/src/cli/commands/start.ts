/**
 * `herald start [dir]`: production. Compiles the project, opens the store (the embedded driver's
 * SQLite file), starts the runtime and the HTTP API, logs JSON lines (pino) to stdout, and on
 * SIGTERM/SIGINT stops intake, drains the work in flight and exits 0. No mail catcher, no
 * file watching: a new version of the project is a restart (in-flight instances keep theirs).
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
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

const int = (name: string, text: string, min: number, max: number): number => {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
};

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run a project in production: the runtime on the embedded driver and the HTTP API')
    .argument('[dir]', 'project folder', '.')
    .option('-p, --port <port>', 'API port (env PORT)', process.env['PORT'] ?? '3000')
    .option('--host <address>', 'address to listen on (0.0.0.0 in a container)', '127.0.0.1')
    .option('--data <file>', 'SQLite file of the embedded driver (relative to the project)', '.herald/herald.db')
    .addOption(new Option('--driver <driver>', 'store and queue').choices(['embedded', 'redis']).default('embedded'))
    .option('--token <token>', 'require this bearer token on the API (env HERALD_TOKEN)')
    .option('--public-url <url>', 'public base URL of this API, for unsubscribe links (env HERALD_PUBLIC_URL)')
    .option('--body-limit <bytes>', 'largest request body', String(DEFAULT_BODY_LIMIT))
    .option('--threads <n>', 'worker threads (default: one per CPU)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .action(async (dir: string, opts: StartOptions) => {
      const logger = pino({ level: opts.logLevel });
      if (opts.driver === 'redis') throw new Error('--driver redis is not available yet; use the embedded driver');
      const port = int('port', opts.port, 0, 65535);
      const bodyLimit = int('body-limit', opts.bodyLimit, 1024, 100 * 1024 * 1024);
      const apiPort: PortUse = { port, host: opts.host, what: 'the API', flag: '--port' };
      await ensurePortFree(apiPort);
      const { root, project, result } = await loadProject(dir);
      if (!result.ir) {
        process.stderr.write(`${renderDiagnostics([{ root, project, diagnostics: result.diagnostics }], 'pretty', process.stderr.isTTY === true)}\n`);
        process.exitCode = 1;
        return;
      }
      const token = opts.token ?? process.env['HERALD_TOKEN'];
      const publicBaseUrl = opts.publicUrl ?? process.env['HERALD_PUBLIC_URL'];
      const unsubscribeSecret = process.env['HERALD_UNSUBSCRIBE_SECRET'];
      if (!token) logger.warn('no API token (--token or HERALD_TOKEN): anyone who reaches the port can post events and read the archive');
      if (publicBaseUrl && !unsubscribeSecret) logger.warn('HERALD_PUBLIC_URL without HERALD_UNSUBSCRIBE_SECRET: messages carry no unsubscribe link');

      const dataFile = isAbsolute(opts.data) ? opts.data : join(root, opts.data);
      mkdirSync(dirname(dataFile), { recursive: true });
      const runtime = createRuntime({
        driver: createEmbeddedDriver({ path: dataFile }),
        graph: result.ir,
        projectRoot: root,
        log: pinoPluginLogger(logger),
        // herald_process_* (CPU, memory, event loop lag, GC) in GET /metrics.
        processMetrics: true,
        pool: { logLevel: opts.logLevel, logFormat: 'json', ...(opts.threads ? { threads: int('threads', opts.threads, 1, 256) } : {}) },
        ...(publicBaseUrl && unsubscribeSecret ? { publicBaseUrl, unsubscribeSecret } : {}),
      });
      await runtime.start();
      const server = createApiServer(runtime, { token, bodyLimit, logger, unsubscribeSecret });
      let url: string;
      try {
        url = await server.listen({ host: opts.host, port });
      } catch (error) {
        // Taken since ensurePortFree looked, say: the runtime's workers must not keep the process alive.
        await runtime.stop();
        throw portError(error, apiPort);
      }
      installShutdown(server, runtime, { log: (line, level) => logger[level](line) });
      // Always printed (one JSON line on stdout, whatever --log-level): with --port 0 it is the only way to learn the port.
      logger.child({}, { level: 'info' }).info({ url, data: dataFile, graph: result.ir.version }, `herald: ${result.ir.project.name} listening on ${url}`);
    });
}
