/**
 * The runtime logs through the plugin SDK's `PluginLogger`; `herald start` gives it pino (JSON
 * lines, one per entry). It is structured (`child`), as the worker threads' `jsonLogger` is
 * (plugins-host/plugin-logger.ts), whose lines have the same shape: a plugin's lines carry
 * `"channel":"sms"` (or `"source":"crm"`) as a field.
 */
import type { PluginLogger } from '@herald/plugin-sdk';
import type { Logger } from 'pino';
import type { StructuredLogger } from '../plugins-host/plugin-logger.js';

export function pinoPluginLogger(logger: Logger): StructuredLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
    child: (bindings): PluginLogger => pinoPluginLogger(logger.child(bindings)),
  };
}
