/** The HTTP API: `createApiServer(runtime, options)` and the graceful-shutdown helper. See docs/api.md. */
export { createApiServer, DEFAULT_BODY_LIMIT, type ApiServerOptions } from './create-server.js';
export { installShutdown, type ShutdownLogLevel, type ShutdownOptions } from './install-shutdown.js';
export { MAX_BATCH, type ValidateEvent } from './events-routes.js';
export type { ApiErrorBody, ApiErrorCode } from './api-error.js';
export { parseArchiveQuery, parseTime, DELIVERY_STATUSES, type ArchiveParams } from './parse-archive-query.js';
