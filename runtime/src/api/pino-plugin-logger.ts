/** The runtime logs through the plugin SDK's `PluginLogger`; `herald start` gives it pino (JSON lines, one per entry). */
import type { PluginLogger } from '@herald/plugin-sdk';
import type { Logger } from 'pino';

export function pinoPluginLogger(logger: Logger): PluginLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}
