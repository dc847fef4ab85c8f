import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineSource, isSourcePlugin } from './define-source.js';
import type { SourcePlugin } from './define-source.js';
import { sourceOk } from './source-result.js';

describe('defineSource', () => {
  it('returns a frozen, typed source plugin whose query gets the with: block', async () => {
    const plugin = defineSource<{ baseUrl: string }, { path: string }>({
      name: '@acme/source-rest',
      version: '0.1.0',
      configSchema: { type: 'object', properties: { baseUrl: { type: 'string' } }, required: ['baseUrl'] },
      querySchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      create: (config) => ({
        async query(name, args, definition) {
          return sourceOk({ url: `${config.baseUrl}${definition.path}`, name, args });
        },
      }),
    });
    expectTypeOf(plugin).toEqualTypeOf<SourcePlugin<{ baseUrl: string }, { path: string }>>();
    expect(plugin.kind).toBe('source');
    expect(Object.isFrozen(plugin)).toBe(true);
    const ctx = { config: { baseUrl: 'http://crm' }, logger: console, clock: Date, signal: new AbortController().signal };
    const instance = await plugin.create({ baseUrl: 'http://crm' }, ctx);
    const result = await instance.query('customerById', { id: 7 }, { path: '/customers/7' }, { ...ctx, attempt: 1 });
    expect(result).toEqual({ ok: true, value: { url: 'http://crm/customers/7', name: 'customerById', args: { id: 7 } } });
  });

  it('has no querySchema key when none is declared, and checks the manifest kind', () => {
    const create = () => ({ query: async () => sourceOk(null) });
    const plugin = defineSource({ name: 's', version: '1.0.0', configSchema: { type: 'object' }, create });
    expect('querySchema' in plugin).toBe(false);
    expect(isSourcePlugin(plugin)).toBe(true);
    expect(isSourcePlugin({ ...plugin })).toBe(false);
    expect(() =>
      defineSource({ manifest: { name: 's', kind: 'channel', version: '1.0.0', message: 'sms', configSchema: { type: 'object' } } as never, create }),
    ).toThrow(/manifest is for a channel plugin/);
  });
});
