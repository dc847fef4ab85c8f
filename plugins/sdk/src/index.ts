/**
 * @herald/plugin-sdk: the only Herald package a plugin imports.
 * The contract tests live in the `@herald/plugin-sdk/test-kit` subpath, so that a plugin's
 * runtime code never loads test helpers.
 */
export { defineChannel, isChannelPlugin } from './define-channel.js';
export type { AnyChannelPlugin, ChannelDefinition, ChannelInstance, ChannelPlugin } from './define-channel.js';
export { defineSource, isSourcePlugin } from './define-source.js';
export type { AnySourcePlugin, SourceDefinition, SourceInstance, SourcePlugin } from './define-source.js';
export type { PluginClock, PluginContext, PluginLogger, QueryContext, SendContext } from './context.js';
export type { MessageContent, OutboundMessage } from './outbound-message.js';
export { ABORTED_CODE, aborted, accepted, bounced, checkDeliveryResult, delivered, failed, isDeliveryResult } from './delivery-result.js';
export type {
  Accepted,
  AcceptedReceipt,
  Delivered,
  DeliveryFailure,
  DeliveryReceipt,
  DeliveryResult,
  DeliveryStatus,
  PermanentFailure,
  PermanentOptions,
  RetryableFailure,
  RetryableOptions,
} from './delivery-result.js';
export { checkSourceResult, isSourceResult, sourceFailed, sourceOk } from './source-result.js';
export type { SourceFailure, SourceResult, SourceValue } from './source-result.js';
export { callbackReceipts, checkCallbackReading, providerCallbackOf, refuseCallback } from './provider-callback.js';
export type { CallbackContext, CallbackReading, CallbackReceipt, CallbackRequest, CallbackStatus, ProviderCallback } from './provider-callback.js';
export { readResponseStart, RESPONSE_START_BYTES } from './read-response-start.js';
export { fetchWithin, TIMEOUT_CODE } from './fetch-within.js';
export type { FetchLimits, FetchOutcome } from './fetch-within.js';
export { parseRetryAfter } from './retry-after.js';
export { DEFAULT_MESSAGE_ID_DOMAIN, messageIdFor } from './message-id.js';
export { ANY_MESSAGE_KIND, MANIFEST_FILE, ManifestError, checkManifest, loadManifest } from './manifest.js';
export type {
  ChannelManifest,
  ManifestCheck,
  MessageKind,
  PluginKind,
  PluginManifest,
  SourceManifest,
  StandardMessageKind,
} from './manifest.js';
export { JSON_SCHEMA_DIALECT } from './json-schema.js';
export type { JsonSchema, JsonSchemaObject, JsonSchemaTypeName } from './json-schema.js';
export { checkJsonSchema } from './check-json-schema.js';
export type { JsonObject, JsonValue } from './json.js';
