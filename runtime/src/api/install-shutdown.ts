/**
 * Graceful shutdown on SIGTERM/SIGINT: stop intake first (close the server: new requests get
 * 503 or a refused connection, requests in flight finish), then `runtime.stop()` drains the
 * work in flight — no new provider call starts; what waits stays queued for the next start —
 * and closes the store, then exit 0. A second signal, or a drain that takes longer than
 * `timeoutMs`, exits 1 at once (logged as an error: work was cut short): an operator
 * pressing Ctrl-C twice means it.
 */
import type { FastifyInstance } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';

export interface ShutdownOptions {
  readonly signals?: readonly NodeJS.Signals[];
  /** Give up draining after this long and exit 1. Default 30 s. */
  readonly timeoutMs?: number;
  /** Called instead of process.exit (tests). */
  readonly exit?: (code: number) => void;
  /** Other things to close after the runtime (the dev SMTP catcher, a file watcher). */
  readonly alsoClose?: readonly (() => Promise<void>)[];
  /** Where the lines go, with their level: a forced exit is `error`, a second signal `warn`. Default: stderr. */
  readonly log?: (line: string, level: ShutdownLogLevel) => void;
}

export type ShutdownLogLevel = 'info' | 'warn' | 'error';

/** Returns a function that removes the signal handlers again; `shutdown` runs the same sequence by hand. */
export function installShutdown(
  server: FastifyInstance,
  runtime: HeraldRuntime,
  options: ShutdownOptions = {},
): { readonly shutdown: (reason: string) => Promise<void>; readonly uninstall: () => void } {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const timeoutMs = options.timeoutMs ?? 30_000;
  let running: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      log(`herald: ${reason}: stopping intake, draining work in flight (again to force)`, 'info');
      const timer = setTimeout(() => {
        log(`herald: still draining after ${timeoutMs} ms; exiting with code 1 (jobs still in flight run again at the next start)`, 'error');
        exit(1);
      }, timeoutMs);
      timer.unref();
      let code = 0;
      try {
        await server.close();
        await runtime.stop();
        for (const close of options.alsoClose ?? []) await close();
        log('herald: stopped', 'info');
      } catch (error) {
        log(`herald: shutdown failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
        code = 1;
      } finally {
        clearTimeout(timer);
      }
      exit(code);
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      log(`herald: ${signal} again; exiting with code 1 without waiting (jobs still in flight run again at the next start)`, 'warn');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const s of signals) process.on(s, onSignal);
  return { shutdown, uninstall: () => signals.forEach((s) => process.off(s, onSignal)) };
}
