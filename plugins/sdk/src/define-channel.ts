import type { PluginContext, SendContext } from './context.js';
import { requireSchema, requireString, resolveIdentity } from './define-plugin-identity.js';
import type { DeliveryResult } from './delivery-result.js';
import type { JsonSchemaObject } from './json-schema.js';
import type { ChannelManifest, MessageKind } from './manifest.js';
import type { MessageContent, OutboundMessage } from './outbound-message.js';
import type { CallbackContext, CallbackReading, ProviderCallback } from './provider-callback.js';

/** A live channel, made by `create`. One instance per configured channel per worker thread. */
export interface ChannelInstance<Content extends MessageContent = Readonly<Record<string, string>>> {
  /**
   * Sends one message. Resolves to a DeliveryResult for every delivery outcome, including
   * failures; a rejection is treated by the runtime as a bug in the plugin (and as retryable).
   * Must return promptly with `aborted(ctx.signal)` once `ctx.signal` is aborted.
   */
  send(message: OutboundMessage<Content>, ctx: SendContext): Promise<DeliveryResult>;
  /**
   * Reads the provider's status callback for messages it `accepted` (`POST /receipts/<channel>`):
   * which messages it reports delivered, bounced or failed. Verify the provider's signature here
   * when it signs its calls. Must not throw for a bad body: refuse it (`refuseCallback(400, ...)`).
   * Without it, the route takes Herald's own receipt JSON only (docs/api.md, "Receipts").
   */
  readCallback?(callback: ProviderCallback, ctx: CallbackContext): CallbackReading | Promise<CallbackReading>;
  /** Releases connections, files, timers. Called once at shutdown, but must be safe to call twice. */
  close?(): Promise<void>;
}

interface ChannelIdentity {
  /** Package name, e.g. `@herald/channel-email`. */
  readonly name: string;
  readonly version: string;
  readonly configSchema: JsonSchemaObject;
  readonly messageKind: MessageKind;
}

interface ChannelFactory<Config, Content extends MessageContent> {
  /** Called once per configured channel, with its validated config (secrets resolved). May be async. */
  create(config: Config, ctx: PluginContext<Config>): Promise<ChannelInstance<Content>> | ChannelInstance<Content>;
}

/**
 * What a plugin author passes to `defineChannel`: the identity fields, or a manifest they come
 * from (`loadManifest(...)`), or both when they agree.
 */
export type ChannelDefinition<Config, Content extends MessageContent> = ChannelFactory<Config, Content> &
  (
    | (ChannelIdentity & { readonly manifest?: ChannelManifest })
    | (Partial<ChannelIdentity> & { readonly manifest: ChannelManifest })
  );

/** The default export of a channel plugin package, as the runtime loads it. */
export interface ChannelPlugin<Config = unknown, Content extends MessageContent = Readonly<Record<string, string>>>
  extends ChannelIdentity,
    ChannelFactory<Config, Content> {
  readonly kind: 'channel';
  /** The parsed herald-plugin.json, when the definition was given one. */
  readonly manifest: ChannelManifest | undefined;
}

/** Any channel plugin, whatever its config and content types: what the runtime's loader handles. */
export type AnyChannelPlugin = ChannelPlugin<any, any>;

/**
 * Builds a channel plugin: checks the definition, reconciles it with the manifest, and returns
 * a frozen, typed object. Throws TypeError on a malformed definition (a bug in the plugin, found
 * when its module is imported rather than when the first message is sent).
 */
export function defineChannel<Config = unknown, Content extends MessageContent = Readonly<Record<string, string>>>(
  definition: ChannelDefinition<Config, Content>,
): ChannelPlugin<Config, Content> {
  const helper = 'defineChannel';
  const manifest = definition.manifest;
  if (manifest !== undefined && manifest.kind !== 'channel') {
    throw new TypeError(`${helper}: the manifest is for a ${String(manifest.kind)} plugin`);
  }
  const identity = resolveIdentity(helper, definition, manifest, [
    ['name', 'name'],
    ['version', 'version'],
    ['configSchema', 'configSchema'],
    ['messageKind', 'message'],
  ]);
  if (typeof definition.create !== 'function') throw new TypeError(`${helper}: create must be a function`);
  const create = definition.create;
  return Object.freeze({
    kind: 'channel',
    name: requireString(helper, 'name', identity.name),
    version: requireString(helper, 'version', identity.version),
    messageKind: requireString(helper, 'messageKind', identity.messageKind),
    configSchema: requireSchema(helper, 'configSchema', identity.configSchema),
    manifest,
    // Bound to the definition so `this` inside create keeps working when the runtime calls plugin.create(...).
    create: (config: Config, ctx: PluginContext<Config>) => create.call(definition, config, ctx),
  });
}

/**
 * True for what `defineChannel` returns (frozen, kind 'channel', with a create function): what the
 * runtime's loader checks on a package's default export before trusting its type.
 */
export function isChannelPlugin(value: unknown): value is AnyChannelPlugin {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return false;
  const v = value as Partial<AnyChannelPlugin>;
  return v.kind === 'channel' && typeof v.name === 'string' && typeof v.messageKind === 'string' && typeof v.create === 'function';
}
