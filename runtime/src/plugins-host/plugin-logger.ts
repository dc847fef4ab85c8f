/**
 * Loggers for plugins and the runtime. Herald logs through the plugin SDK's `PluginLogger`
 * shape (`info(message, fields?)`), so one logger type serves the runtime and every plugin.
 */
import type { PluginLogger } from '@herald/plugin-sdk';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Every message of `logger`, with `[prefix] ` in front: how a plugin instance's lines are told apart. */
export function prefixLogger(logger: PluginLogger, prefix: string): PluginLogger {
  return {
    debug: (message, fields) => logger.debug(`[${prefix}] ${message}`, fields),
    info: (message, fields) => logger.info(`[${prefix}] ${message}`, fields),
    warn: (message, fields) => logger.warn(`[${prefix}] ${message}`, fields),
    error: (message, fields) => logger.error(`[${prefix}] ${message}`, fields),
  };
}

/** One line per entry on stderr (stdout belongs to channels such as channel-log's `path: -`). */
export function consoleLogger(level: LogLevel = 'info'): PluginLogger {
  const min = LEVELS[level];
  const at =
    (l: LogLevel) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void => {
      if (LEVELS[l] < min) return;
      const tail = fields === undefined || Object.keys(fields).length === 0 ? '' : ` ${safeJson(fields)}`;
      process.stderr.write(`${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} ${message}${tail}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: PluginLogger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserialisable fields]';
  }
}
