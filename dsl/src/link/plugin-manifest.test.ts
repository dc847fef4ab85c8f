import { describe, expect, it } from 'vitest';
import { resolvePluginManifest } from './plugin-manifest.js';

const at = '/p/plugins/fax/herald-plugin.json';
const read = (text: string) => (path: string) => (path === at ? text : undefined);
const reason = (text: string) => {
  const r = resolvePluginManifest('./plugins/fax', '/p', read(text));
  return r.ok ? 'ok' : r.reason;
};

describe('resolvePluginManifest', () => {
  it('says which field of a manifest is wrong', () => {
    expect(reason('{"name":"fax","kind":"chanel","message":"fax"}')).toBe(`${at}: \`kind\` must be "channel" or "source", got "chanel"`);
    expect(reason('{"name":"fax","message":"fax"}')).toBe(`${at}: \`kind\` must be "channel" or "source", it has none`);
    expect(reason('{"kind":"channel","message":"fax"}')).toBe(`${at} needs \`name\` (the package name, a string)`);
    expect(reason('[1]')).toBe(`${at} must hold a JSON object`);
    expect(reason('{"name":"fax","kind":"channel"}')).toBe(`${at}: a channel plugin's manifest needs \`message\` (its message kind)`);
    expect(reason('{"name":"fax","kind":"channel","message":"fax"}')).toBe('ok');
  });
});
