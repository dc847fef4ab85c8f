/** The plugin host: the only code in Herald that loads and calls plugins. */
export { createPluginHost, checkPlugins, PluginStartupError } from './plugin-host.js';
export type { PluginHost, PluginHostOptions, LoadedChannel, LoadedSource, SendOptions, QueryOptions } from './plugin-host.js';
export { sendWithDeadline, queryWithDeadline, readCallbackWithDeadline, withDeadline, TIMEOUT_CODE, PLUGIN_THREW_CODE, INVALID_RESULT_CODE, type CallbackAnswer, type CallProblem } from './call-plugin.js';
export { substituteEnv, type Env, type SubstituteResult } from './substitute-env.js';
export { resolveConfigPaths } from './resolve-config-paths.js';
export { resolvePluginEntry, type EntryResult } from './resolve-plugin-entry.js';
export { loadPluginModule, describeError, type LoadModuleResult, type PluginRole } from './load-plugin-module.js';
export { preparePluginConfig, pointerToDotPath, type PreparedConfig } from './prepare-plugin-config.js';
export { schemaCheck, toFieldProblems, type FieldProblem, type SchemaCheck } from './json-validator.js';
export { messageIdDomainFor } from './message-id-domain.js';
export {
  prefixLogger,
  pluginScopedLogger,
  consoleLogger,
  jsonLogger,
  loggerFor,
  silentLogger,
  logLimiter,
  isStructuredLogger,
  type LogLevel,
  type LogFormat,
  type LogLimiter,
  type StructuredLogger,
} from './plugin-logger.js';
