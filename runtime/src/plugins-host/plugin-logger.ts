/**
 * Loggers for plugins and the runtime. Herald logs through the plugin SDK's `PluginLogger`
 * shape (`info(message, fields?)`), so one logger type serves the runtime and every plugin.
 *
 * Two formats: `consoleLogger` writes one human-readable line per entry on stderr (`herald dev`,
 * tests); `jsonLogger` writes one JSON line per entry on stdout in the shape of the pino logger
 * `herald start` uses for its own logs (`{"level":40,"time":...,"pid":...,"hostname":...,
 * ...fields,"msg":...}`), so plugin lines from the worker threads land in the same stream, in
 * the same shape, as the rest. A logger may be *structured* (`child(bindings)`): a plugin's
 * logger then carries `{"channel":"sms"}` as a field instead of a `[channel:sms] ` prefix.
 */
import { hostname } from 'node:os';
import type { PluginLogger } from '@herald/plugin-sdk';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';

const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };
/** pino's numbers for the same levels. */
const PINO_LEVELS: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

/** A logger that can carry fixed fields on every entry (as pino's `child`). */
export interface StructuredLogger extends PluginLogger {
  child(bindings: Readonly<Record<string, unknown>>): PluginLogger;
}

export function isStructuredLogger(logger: PluginLogger): logger is StructuredLogger {
  return typeof (logger as Partial<StructuredLogger>).child === 'function';
}

/** Every message of `logger`, with `[prefix] ` in front: how a plugin instance's lines are told apart. */
export function prefixLogger(logger: PluginLogger, prefix: string): PluginLogger {
  return {
    debug: (message, fields) => logger.debug(`[${prefix}] ${message}`, fields),
    info: (message, fields) => logger.info(`[${prefix}] ${message}`, fields),
    warn: (message, fields) => logger.warn(`[${prefix}] ${message}`, fields),
    error: (message, fields) => logger.error(`[${prefix}] ${message}`, fields),
  };
}

/**
 * The logger a plugin instance gets: `{ channel: 'sms' }` (or `{ source: 'crm' }`) as a field
 * on a structured logger, the `[channel:sms] ` prefix on a text one.
 */
export function pluginScopedLogger(logger: PluginLogger, kind: 'channel' | 'source', name: string): PluginLogger {
  return isStructuredLogger(logger) ? logger.child({ [kind]: name }) : prefixLogger(logger, `${kind}:${name}`);
}

/** One line per entry on stderr (stdout belongs to channels such as channel-log's `path: -`). */
export function consoleLogger(level: LogLevel = 'info'): PluginLogger {
  const min = LEVELS[level];
  const at =
    (l: LogLevel) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void => {
      if (LEVELS[l] < min) return;
      // A stack trace reads best as it is: on the lines below, not escaped inside the JSON.
      const { stack, ...rest } = fields ?? {};
      const shown = typeof stack === 'string' ? rest : (fields ?? {});
      const tail = Object.keys(shown).length === 0 ? '' : ` ${safeJson(shown)}`;
      const below = typeof stack === 'string' ? `\n${stack.replace(/^/gm, '    ')}` : '';
      process.stderr.write(`${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} ${message}${tail}${below}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * One JSON line per entry, in pino's default shape (level number, time, pid, hostname, the
 * bindings and fields, msg), written whole with one `write` so lines from several threads never
 * interleave. On stdout by default, where `herald start`'s pino logger writes.
 */
export function jsonLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => void process.stdout.write(line)): StructuredLogger {
  const min = LEVELS[level];
  const host = hostname();
  const make = (bindings: Readonly<Record<string, unknown>>): StructuredLogger => {
    const at =
      (l: LogLevel) =>
      (message: string, fields?: Readonly<Record<string, unknown>>): void => {
        if (LEVELS[l] < min) return;
        const base = { level: PINO_LEVELS[l], time: Date.now(), pid: process.pid, hostname: host, ...bindings };
        let line: string;
        try {
          line = JSON.stringify({ ...base, ...fields, msg: message });
        } catch {
          line = JSON.stringify({ ...base, fields: '[unserialisable fields]', msg: message });
        }
        write(`${line}\n`);
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return make({});
}

/** The logger for a level and format; `silent` logs nothing. */
export function loggerFor(level: LogLevel | 'silent', format: LogFormat = 'text'): PluginLogger {
  if (level === 'silent') return silentLogger;
  return format === 'json' ? jsonLogger(level) : consoleLogger(level);
}

export const silentLogger: PluginLogger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

/**
 * Lets one entry per key through per window (default a minute), so a broken plugin that fails
 * every call cannot flood the log. `take(key)` answers how many entries with that key were held
 * back since the last one let through, or `undefined` when this one is to be held back.
 */
export interface LogLimiter {
  take(key: string): number | undefined;
}

export function logLimiter(windowMs = 60_000, maxKeys = 1_000, now: () => number = Date.now): LogLimiter {
  const windows = new Map<string, { until: number; held: number }>();
  return {
    take(key) {
      const t = now();
      const open = windows.get(key);
      if (open !== undefined && t < open.until) {
        open.held++;
        return undefined;
      }
      if (open === undefined && windows.size >= maxKeys) {
        for (const [k, w] of windows) if (t >= w.until) windows.delete(k);
        if (windows.size >= maxKeys) windows.clear();
      }
      windows.set(key, { until: t + windowMs, held: 0 });
      return open?.held ?? 0;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserialisable fields]';
  }
}
