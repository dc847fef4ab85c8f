import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SendContext } from './context.js';
import { defineChannel, isChannelPlugin } from './define-channel.js';
import type { ChannelPlugin } from './define-channel.js';
import { delivered } from './delivery-result.js';
import type { ChannelManifest } from './manifest.js';
import type { OutboundMessage } from './outbound-message.js';

const configSchema = { type: 'object', properties: { prefix: { type: 'string' } }, additionalProperties: false } as const;
type Config = { prefix?: string };
type SmsContent = { body: string };

describe('defineChannel', () => {
  it('returns a frozen, typed channel plugin', async () => {
    const plugin = defineChannel<Config, SmsContent>({
      name: '@acme/channel-sms',
      version: '1.2.3',
      messageKind: 'sms',
      configSchema,
      create(config) {
        return {
          async send(message, ctx) {
            expectTypeOf(message).toEqualTypeOf<OutboundMessage<SmsContent>>();
            expectTypeOf(ctx).toEqualTypeOf<SendContext>();
            return delivered({ providerMessageId: `${config.prefix ?? ''}${message.content.body}` });
          },
        };
      },
    });
    expectTypeOf(plugin).toEqualTypeOf<ChannelPlugin<Config, SmsContent>>();
    expect(plugin).toMatchObject({ kind: 'channel', name: '@acme/channel-sms', version: '1.2.3', messageKind: 'sms', manifest: undefined });
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(() => {
      (plugin as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('infers config and content types from create', () => {
    const plugin = defineChannel({
      name: 'n',
      version: '1.0.0',
      messageKind: 'push',
      configSchema,
      create: (_config: { token: string }) => ({
        send: async (message: OutboundMessage<{ title: string; body: string }>) => delivered({ providerMessageId: message.content.title }),
      }),
    });
    expectTypeOf(plugin).toEqualTypeOf<ChannelPlugin<{ token: string }, { title: string; body: string }>>();
  });

  it('takes its identity from a manifest, and insists they agree', () => {
    const manifest: ChannelManifest = { name: 'm', kind: 'channel', version: '2.0.0', message: 'email', configSchema: { ...configSchema } };
    const create = () => ({ send: async () => delivered() });
    const plugin = defineChannel({ manifest, create });
    expect(plugin).toMatchObject({ name: 'm', version: '2.0.0', messageKind: 'email', manifest });
    expect(plugin.configSchema).toEqual(configSchema);
    // The same schema written with keys in another order still agrees.
    expect(() => defineChannel({ manifest, create, configSchema: { additionalProperties: false, properties: configSchema.properties, type: 'object' } })).not.toThrow();
    expect(() => defineChannel({ manifest, create, version: '2.0.1' })).toThrow(/version differs from the manifest's version/);
    expect(() => defineChannel({ manifest, create, messageKind: 'sms' })).toThrow(/messageKind differs from the manifest's message/);
  });

  it('calls create and passes config and ctx', async () => {
    const seen: unknown[] = [];
    const plugin = defineChannel<Config>({
      name: 'n',
      version: '1.0.0',
      messageKind: 'any',
      configSchema,
      async create(config, ctx) {
        seen.push(config, ctx.config);
        return { send: async () => delivered() };
      },
    });
    const ctx = { config: { prefix: 'p' }, logger: console, clock: Date, signal: new AbortController().signal };
    const instance = await plugin.create({ prefix: 'p' }, ctx);
    expect(typeof instance.send).toBe('function');
    expect(seen).toEqual([{ prefix: 'p' }, { prefix: 'p' }]);
  });

  it('throws TypeError on a malformed definition', () => {
    const create = () => ({ send: async () => delivered() });
    expect(() => defineChannel({ name: '', version: '1.0.0', messageKind: 'sms', configSchema, create })).toThrow(/name must be a non-empty string/);
    expect(() => defineChannel({ name: 'n', version: '1.0.0', messageKind: 'sms', configSchema: { type: 'nope' }, create } as never)).toThrow(
      /configSchema is not a valid JSON Schema/,
    );
    expect(() => defineChannel({ name: 'n', version: '1.0.0', messageKind: 'sms', configSchema, create: 3 } as never)).toThrow(/create must be a function/);
    expect(() =>
      defineChannel({ manifest: { name: 'n', kind: 'source', version: '1.0.0', configSchema } as never, create }),
    ).toThrow(/manifest is for a source plugin/);
  });

  it('isChannelPlugin recognises what defineChannel returns', () => {
    const plugin = defineChannel({ name: 'n', version: '1.0.0', messageKind: 'sms', configSchema, create: () => ({ send: async () => delivered() }) });
    expect(isChannelPlugin(plugin)).toBe(true);
    expect(isChannelPlugin({ ...plugin })).toBe(false); // not frozen: not made by defineChannel
    expect(isChannelPlugin({ default: plugin })).toBe(false);
    expect(isChannelPlugin(undefined)).toBe(false);
  });
});
