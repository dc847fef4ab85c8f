/**
 * `herald dev [dir]`: the local loop. Compiles the project, starts a mail catcher (SMTP on
 * 127.0.0.1) and points every `@herald/channel-email` channel at it (dev never mails anyone,
 * and needs no SMTP secrets), runs the runtime on the embedded driver with the HTTP API and
 * the caught-mail pages (/dev/mail), prints a ready-to-paste curl, and re-compiles on every
 * save: a new graph version is switched in for new instances, in-flight ones keep theirs.
 * A compile error is printed and the running version kept. What routing decides about each
 * event (started, or not and why) and every delivery decision are printed as they are made.
 * A taken port stops it at once, with the flag that picks another.
 *
 * HERALD_DEV_SMTP_HOST / HERALD_DEV_SMTP_PORT are set to the catcher for the runtime's
 * process, for project plugins that speak SMTP and want to follow dev's lead.
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { FastifyInstance } from 'fastify';
import { isSkippedPath, type GraphIR } from '@herald/dsl';
import { createApiServer } from '../../api/create-server.js';
import { publicUrlSetting } from '../public-url.js';
import { eventValidatorFor, type ValidateEvent } from '../../api/events-routes.js';
import { registerDevMailRoutes } from '../../dev/dev-mail-routes.js';
import { emailChannelsOf, pointEmailAtCatcher } from '../../dev/dev-graph.js';
import { decisionPrinter } from '../../dev/print-decisions.js';
import { instanceEndPrinter } from '../../dev/print-instance-ends.js';
import { routingPrinter } from '../../dev/print-routing.js';
import { sampleFromTests } from '../../dev/sample-from-tests.js';
import { tryItLines } from '../../dev/try-it.js';
import { startSmtpCatcher, summariseMail, type SmtpCatcher } from '../../dev/smtp-catcher.js';
import { createSwappableRuntime, type SwappableRuntime } from '../../dev/swappable-runtime.js';
import { createEmbeddedDriver } from '../../driver/embedded/index.js';
import { shortVersion } from '../../engine/describe.js';
import { createRuntime, type Runtime } from '../../orchestrator/create-runtime.js';
import { consoleLogger } from '../../plugins-host/plugin-logger.js';
import type { HeraldRuntime } from '../../runtime-api.js';
import { devApiLogger } from '../dev-api-logger.js';
import { loadProject } from '../load-project.js';
import { ensurePortFree, portError, type PortUse } from '../port-conflict.js';
import { renderDiagnostics } from '../print-diagnostics.js';
import { shownPath } from '../shown-path.js';
import { useColor } from '../use-color.js';

/** Signs unsubscribe links in dev only: not a secret, and stable so links in caught mail keep working across restarts. */
const DEV_UNSUBSCRIBE_SECRET = 'herald-dev-only-not-a-secret';

export interface DevOptions {
  readonly dir: string;
  /** API port; 0 for any free one. */
  readonly port: number;
  readonly smtpPort: number;
  /** SQLite file, relative to the project. */
  readonly data: string;
  /** The runtime's and the plugins' log lines on stderr from this level up; default warn (the decisions are printed anyway). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly host?: string;
  readonly watch?: boolean;
  readonly out?: (text: string) => void;
  /**
   * The URL the API is reached at from outside (`--public-url`: a tunnel's https address), for
   * unsubscribe links and for provider callbacks signed over the URL the provider called.
   * Default: the local address.
   */
  readonly publicUrl?: string;
}

export interface DevSession {
  /** Undefined while the project has never compiled. */
  readonly apiUrl: () => string | undefined;
  readonly catcher: SmtpCatcher;
  /** Whether the project, as last read, compiled and runs: what `--exit-after` exits with (1 when not). */
  readonly compiles: () => boolean;
  /** Re-compile now (what a file change does); resolves when the new graph runs or was refused. */
  rebuild(): Promise<void>;
  close(): Promise<void>;
}

export interface DevApiOptions {
  readonly catcher: SmtpCatcher;
  readonly validateEvent: ValidateEvent;
  /** A line for the dev terminal. */
  readonly say: (line: string) => void;
  /** DevOptions.publicUrl. */
  readonly publicUrl?: string | undefined;
}

/** The API as dev serves it: the caught-mail pages beside it, and the error behind a 500 printed in the terminal. */
export function createDevApiServer(runtime: HeraldRuntime, { catcher, validateEvent, say, publicUrl }: DevApiOptions): FastifyInstance {
  const server = createApiServer(runtime, { unsubscribeSecret: DEV_UNSUBSCRIBE_SECRET, validateEvent, logger: devApiLogger(say), publicUrl });
  registerDevMailRoutes(server, catcher);
  return server;
}

export async function startDev(options: DevOptions): Promise<DevSession> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const say = (line: string) => out(`${line}\n`);
  const host = options.host ?? '127.0.0.1';
  let apiUrl: string | undefined;

  const apiPort: PortUse = { port: options.port, host, what: 'the API', flag: '--port' };
  const smtpPort: PortUse = { port: options.smtpPort, host: '127.0.0.1', what: 'the mail catcher', flag: '--smtp-port' };
  // Before the catcher and the compile: a taken API port would otherwise only show once the runtime is up.
  await ensurePortFree(apiPort);
  let catcher: SmtpCatcher;
  try {
    catcher = await startSmtpCatcher({
      port: smtpPort.port,
      host: smtpPort.host,
      onMail: (m) => say(`${summariseMail(m)}${apiUrl ? `  ${apiUrl}/dev/mail/${m.id}` : ''}`),
    });
  } catch (error) {
    throw portError(error, smtpPort);
  }
  process.env['HERALD_DEV_SMTP_HOST'] = catcher.host;
  process.env['HERALD_DEV_SMTP_PORT'] = String(catcher.port);

  // A mistyped folder must not leave the catcher's port open and the process running.
  let first: Awaited<ReturnType<typeof loadProject>>;
  try {
    first = await loadProject(options.dir);
  } catch (err) {
    await catcher.close();
    throw err;
  }
  const root = first.root;
  const dataFile = isAbsolute(options.data) ? options.data : join(root, options.data);
  const shownDataFile = shownPath(dataFile);
  mkdirSync(dirname(dataFile), { recursive: true });
  const publicBaseUrl = options.publicUrl ?? (options.port === 0 ? undefined : `http://${host}:${options.port}`);

  // One printer across graph swaps: a delivery that moves on after a re-compile continues its lines.
  const printDecisions = decisionPrinter(say);
  const printRouting = routingPrinter(say);
  const printInstanceEnds = instanceEndPrinter(say);
  const runtimeFor = async (ir: GraphIR): Promise<Runtime> => {
    const runtime = createRuntime({
      driver: createEmbeddedDriver({ path: dataFile }),
      graph: pointEmailAtCatcher(ir, catcher.host, catcher.port),
      projectRoot: root,
      log: consoleLogger(options.logLevel ?? 'warn'),
      pool: { threads: 1, logLevel: options.logLevel ?? 'warn' },
      onDelivery: printDecisions,
      onRouted: printRouting,
      onInstance: printInstanceEnds,
      ...(publicBaseUrl ? { publicBaseUrl, unsubscribeSecret: DEV_UNSUBSCRIBE_SECRET } : {}),
    });
    await runtime.start();
    return runtime;
  };

  let running: SwappableRuntime | undefined;
  let server: FastifyInstance | undefined;
  let validator: { version: string; check: ValidateEvent } | undefined;
  const validateEvent: ValidateEvent = (event) => {
    const graph = running!.graph;
    if (validator?.version !== graph.version) validator = { version: graph.version, check: eventValidatorFor(graph) };
    return validator.check(event);
  };

  const serve = async (ir: GraphIR) => {
    running = createSwappableRuntime(await runtimeFor(ir));
    server = createDevApiServer(running, { catcher, validateEvent, say, publicUrl: options.publicUrl });
    try {
      apiUrl = await server.listen({ host, port: options.port });
    } catch (error) {
      throw portError(error, apiPort);
    }
    // Nothing was posted yet in this run: every active instance is an earlier run's, and its
    // journey's reentry rule may keep the "Try it" event from starting anything.
    const earlier = (await running.findInstances({ status: 'active' })).length;
    const mailChannels = emailChannelsOf(ir);
    say(`herald dev: ${ir.project.name} (graph ${shortVersion(ir.version)}) on the embedded driver (${shownDataFile})`);
    say(`  API          ${apiUrl}${options.publicUrl ? ` (public: ${options.publicUrl}, for links and provider callbacks)` : ''}`);
    say(`  mail catcher smtp://${catcher.host}:${catcher.port}${mailChannels.length ? ` (channels ${mailChannels.join(', ')} send here)` : ''}`);
    say(`  caught mail  ${apiUrl}/dev/mail`);
    if (earlier > 0) {
      say(`  data         ${shownDataFile} holds ${earlier} active instance${earlier === 1 ? '' : 's'} from earlier runs; to start fresh, delete it or use --data <new file>`);
    }
    for (const line of tryItLines(apiUrl, ir, mailChannels, Date.now(), sampleFromTests(root, ir))) say(line);
    say('');
  };

  const printDiagnostics = (loaded: Awaited<ReturnType<typeof loadProject>>) =>
    out(`${renderDiagnostics([{ root, project: loaded.project, diagnostics: loaded.result.diagnostics }], 'pretty', useColor(process.stdout))}\n`);

  // Nothing may keep the process alive after a failed start (the workers, a half-open server).
  const unserve = async () => {
    await server?.close().catch(() => {});
    await running?.stop().catch(() => {});
    server = undefined;
    running = undefined;
    apiUrl = undefined;
  };

  // Set by a failed compile, so the save that fixes it says so even when the graph comes out as the one running.
  let broken = false;
  if (first.result.ir) {
    try {
      await serve(first.result.ir);
    } catch (error) {
      await unserve();
      await catcher.close();
      throw error;
    }
  } else {
    broken = true;
    printDiagnostics(first);
    say(`herald dev: the project does not compile; fix the errors above${options.watch === false ? '' : ' (watching for changes)'}`);
  }

  const notSwitched = () =>
    say(running ? `herald dev: not switched; still running graph ${shortVersion(running.graph.version)}` : 'herald dev: still does not compile');
  let building: Promise<void> = Promise.resolve();
  const rebuild = (): Promise<void> => {
    building = building.then(async () => {
      let loaded: Awaited<ReturnType<typeof loadProject>>;
      try {
        loaded = await loadProject(options.dir);
      } catch (error) {
        // herald.yaml deleted, a file gone between listing and reading: the watcher keeps going.
        broken = true;
        say(`herald dev: ${(error as Error).message}`);
        return notSwitched();
      }
      const ir = loaded.result.ir;
      if (!ir) {
        broken = true;
        printDiagnostics(loaded);
        return notSwitched();
      }
      const fixed = broken;
      broken = false;
      if (loaded.result.diagnostics.length) printDiagnostics(loaded);
      if (!running) {
        try {
          return await serve(ir);
        } catch (error) {
          await unserve();
          say(`herald dev: cannot start: ${(error as Error).message}`);
          return;
        }
      }
      const before = running.graph;
      if (ir.version === before.version) {
        if (fixed) say(`herald dev: compiles again; graph ${shortVersion(before.version)} unchanged, still running`);
        return;
      }
      await running.swap(async () => {
        try {
          return await runtimeFor(ir);
        } catch (error) {
          say(`herald dev: the new graph does not start (${(error as Error).message}); back to ${shortVersion(before.version)}`);
          return runtimeFor(before);
        }
      });
      if (running.graph.version === ir.version) say(`herald dev: graph ${shortVersion(before.version)} → ${shortVersion(ir.version)}: new instances start on it, instances in flight keep theirs`);
    });
    return building;
  };

  let watcher: FSWatcher | undefined;
  if (options.watch !== false) {
    let timer: NodeJS.Timeout | undefined;
    watcher = watch(root, {
      ignoreInitial: true,
      ignored: (path) => isSkippedPath(root, path),
    });
    watcher.on('all', (_event, path) => {
      if (/\.test\.ya?ml$/.test(path)) return; // tests do not change the graph
      clearTimeout(timer);
      timer = setTimeout(() => void rebuild(), 150);
    });
  }

  let closing: Promise<void> | undefined;
  return {
    apiUrl: () => apiUrl,
    compiles: () => !broken && running !== undefined,
    catcher,
    rebuild,
    close() {
      closing ??= (async () => {
        await watcher?.close();
        await building;
        await server?.close();
        await running?.stop();
        await catcher.close();
      })();
      return closing;
    },
  };
}

interface DevCommandOptions {
  readonly port: string;
  readonly smtpPort: string;
  readonly data: string;
  readonly watch: boolean;
  readonly exitAfter?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly publicUrl?: string;
}

const port = (name: string, text: string): number => {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 0 && n <= 65535)) throw new Error(`--${name} must be a port number (0 for any free port), got ${JSON.stringify(text)}`);
  return n;
};

/** `--exit-after 30s` / `500ms` / `2m` / plain milliseconds. */
function parseWait(text: string): number {
  const m = /^(\d+)(ms|s|m)?$/.exec(text);
  if (!m) throw new Error(`--exit-after takes a time such as 30s, 500ms or 2m, got ${JSON.stringify(text)}`);
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[(m[2] ?? 'ms') as 'ms' | 's' | 'm'];
}

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('run a project locally: runtime, API, a mail catcher, re-compile on save')
    .argument('[dir]', 'project folder', '.')
    .option('-p, --port <port>', 'API port', '3000')
    .option('--smtp-port <port>', 'mail catcher port (email channels are pointed at it)', '2525')
    .option('--data <file>', 'SQLite file of the embedded driver (relative to the project)', '.herald/dev.db')
    .option('--no-watch', 'do not re-compile on file changes')
    .option('--exit-after <time>', 'stop by itself after this long (30s, 500ms): for scripts and tests')
    .option('--public-url <url>', "the API's public address, such as a tunnel's https URL: unsubscribe links point there, and provider callbacks are signed over it (env HERALD_PUBLIC_URL)")
    .addOption(new Option('--log-level <level>', "the runtime's and plugins' log lines from this level up (stderr)").choices(['debug', 'info', 'warn', 'error']).default('warn'))
    .action(async (dir: string, opts: DevCommandOptions) => {
      const wait = opts.exitAfter === undefined ? undefined : parseWait(opts.exitAfter);
      const publicUrl = publicUrlSetting(opts.publicUrl)?.url;
      const session = await startDev({
        dir,
        port: port('port', opts.port),
        smtpPort: port('smtp-port', opts.smtpPort),
        data: opts.data,
        watch: opts.watch,
        logLevel: opts.logLevel,
        ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
      });
      const stop = async (why: string) => {
        process.stderr.write(`herald dev: ${why}; stopping\n`);
        await session.close();
      };
      if (wait !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        // Scripts and CI run dev this way: a project that does not compile must fail them.
        const compiles = session.compiles();
        await stop(`--exit-after ${opts.exitAfter}`);
        if (!compiles) {
          process.stderr.write('herald dev: the project does not compile (exit 1)\n');
          process.exitCode = 1;
        }
        return;
      }
      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
          void stop(signal).then(resolve);
        };
        process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
      });
    });
}
