import { describe, expect, it } from 'vitest';
import type { ManifestResult } from '../plugin-manifest.js';
import { pluginConfig } from './rule-plugin-config.js';
import { BASE_CONFIG, checkRule, DEFAULT_MANIFESTS } from './test-project.js';

const config = (channels: string, sources = '') => `project: test\nchannels:\n${channels}${sources ? `sources:\n${sources}` : ''}`;
const check = (yaml: string, manifests: Record<string, ManifestResult> = DEFAULT_MANIFESTS) =>
  checkRule(pluginConfig, { 'herald.yaml': yaml }, { manifests });

describe('plugin manifests', () => {
  it('accepts the base project', () => {
    expect(check(BASE_CONFIG)).toEqual([]);
  });

  it('reports a plugin that is not installed, with the npm command', () => {
    const r = check(config("  push: { use: '@herald/channel-push' }\n"), {
      ...DEFAULT_MANIFESTS,
      '@herald/channel-push': { ok: false, reason: 'package `@herald/channel-push` is not installed' },
    });
    expect(r).toEqual([
      expect.objectContaining({
        code: 'unknown-plugin',
        severity: 'error',
        at: "'@herald/channel-push'",
        message: 'cannot find plugin `@herald/channel-push` for channel `push`',
        hint: 'install it with `npm install @herald/channel-push`, or check the name',
      }),
    ]);
  });

  it('suggests a plugin the project does have for a misspelt name', () => {
    const r = check(config("  email: { use: '@herald/channel-emial', config: { from: a@b.c } }\n"), {
      ...DEFAULT_MANIFESTS,
      '@herald/channel-emial': { ok: false, reason: 'not installed' },
    });
    expect(r[0]).toMatchObject({ code: 'unknown-plugin', hint: 'did you mean `@herald/channel-email`?', fix: { newText: '@herald/channel-email' } });
  });

  it('says to check a local path', () => {
    const r = check(config('  mine: { use: ./plugins/mine }\n'), { './plugins/mine': { ok: false, reason: 'no herald-plugin.json in `./plugins/mine`' } });
    expect(r[0]).toMatchObject({ code: 'unknown-plugin', at: './plugins/mine' });
    expect(r[0]!.hint).toMatch(/^check the path: it is relative to the project root/);
  });

  it('reports an invalid manifest with its reason', () => {
    const r = check(config('  mine: { use: ./plugins/mine }\n'), { './plugins/mine': { ok: false, invalid: true, reason: 'herald-plugin.json is not valid JSON' } });
    expect(r).toEqual([
      expect.objectContaining({
        code: 'invalid-plugin-manifest',
        at: './plugins/mine',
        message: 'the manifest of plugin `./plugins/mine` (channel `mine`) is not valid',
        hint: 'herald-plugin.json is not valid JSON; update the plugin or tell its author',
      }),
    ]);
  });

  it('reports a config schema that does not compile as an invalid manifest', () => {
    const broken: ManifestResult = { ok: true, path: 'x', manifest: { name: 'x', kind: 'channel', message: 'sms', configSchema: { type: 'nonsense' } } };
    const r = check(config('  mine: { use: ./plugins/mine }\n'), { './plugins/mine': broken });
    expect(r[0]).toMatchObject({ code: 'invalid-plugin-manifest', message: 'the `configSchema` in the manifest of plugin `./plugins/mine` is not a valid JSON Schema' });
  });

  it('reports a source plugin used as a channel and a channel plugin used as a source', () => {
    const r = check(
      config("  crm: { use: '@herald/source-http', config: { baseUrl: x } }\n", "  mail: { use: '@herald/channel-log', queries: { q: { returns: string } } }\n"),
    );
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      [
        'wrong-plugin-kind',
        "'@herald/source-http'",
        'channel `crm` uses `@herald/source-http`, which is a source plugin',
        'declare it under `sources:` instead, or use a channel plugin here',
      ],
      [
        'wrong-plugin-kind',
        "'@herald/channel-log'",
        'source `mail` uses `@herald/channel-log`, which is a channel plugin',
        'declare it under `channels:` instead, or use a source plugin here',
      ],
    ]);
  });
});

describe('invalid-plugin-config', () => {
  it('points at an unknown key with a did-you-mean, and at a wrongly typed value', () => {
    const r = check(config("  email:\n    use: '@herald/channel-email'\n    config:\n      from: billing@example.com\n      prot: 25\n      secure: yes\n"));
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      ['invalid-plugin-config', 'prot', 'unknown key `prot` in the config of channel `email`', 'did you mean `port`?'],
      ['invalid-plugin-config', 'yes', '`secure` in the config of channel `email` must be a boolean, not the text `yes`', undefined],
    ]);
    expect(r[0]!.fix).toEqual({ at: 'prot', newText: 'port' });
  });

  it('reports a missing required key at the first key of the config, or at the channel when there is no config', () => {
    const r = check(config("  email:\n    use: '@herald/channel-email'\n    config: { host: smtp.example.com }\n"));
    expect(r).toEqual([
      expect.objectContaining({ at: 'host', message: 'the config of channel `email` is missing required key `from`', hint: 'add `from:`' }),
    ]);
    const none = check(config("  email: { use: '@herald/channel-email' }\n"));
    expect(none).toEqual([expect.objectContaining({ code: 'invalid-plugin-config', at: 'email', line: 3 })]);
  });

  it('reports enum and range violations at the value, with did-you-mean for enums', () => {
    const r = check(config("  email: { use: '@herald/channel-email', config: { from: a@b.c, mode: smpt, port: 70000 } }\n"));
    expect(r.map((p) => [p.at, p.message, p.hint])).toEqual([
      ['70000', '`port` in the config of channel `email` must be <= 65535', undefined],
      ['smpt', '`mode` in the config of channel `email` must be one of `smtp`, `api`', 'did you mean `smtp`?'],
    ]);
  });

  it('accepts ${ENV_VAR} wherever a string, number, integer or boolean is expected', () => {
    const r = check(
      config(
        "  email: { use: '@herald/channel-email', config: { from: '${SMTP_FROM}', port: '${SMTP_PORT}', secure: '${SMTP_TLS}', mode: '${MODE}', host: 'smtp.${DOMAIN}' } }\n",
        "  crm: { use: '@herald/source-http', config: { baseUrl: '${CRM_URL}', timeoutMs: '${T}', retries: '${R}' }, queries: { q: { returns: string, with: { path: /x } } } }\n",
      ),
    );
    expect(r).toEqual([]);
  });

  it('still reports a ${VAR} where an object is expected, and text that is not a whole reference', () => {
    const r = check(config("  email: { use: '@herald/channel-email', config: { from: a@b.c, port: 'port ${P}', secure: 'TRUE' } }\n"));
    expect(r.map((p) => p.at)).toEqual(["'port ${P}'", "'TRUE'"]);
    const withTls: ManifestResult = {
      ok: true,
      path: 'x',
      manifest: { name: 'x', kind: 'channel', message: 'email', configSchema: { type: 'object', properties: { tls: { type: 'object' } } } },
    };
    const obj = check(config("  mine: { use: ./mine, config: { tls: '${TLS}' } }\n"), { './mine': withTls });
    expect(obj.map((p) => [p.at, p.message])).toEqual([["'${TLS}'", '`tls` in the config of channel `mine` must be an object, not the text `${TLS}`']]);
  });

  it("validates each query's `with:` against the source's query schema", () => {
    const r = check(
      config(
        "  log: { use: '@herald/channel-log' }\n",
        `  crm:
    use: '@herald/source-http'
    config: { baseUrl: 'https://crm' }
    queries:
      ok: { returns: string, with: { path: /ok } }
      typo: { returns: string, with: { path: /x, methd: GET } }
      bad: { returns: string, with: { path: /x, method: PUT } }
      none: { returns: string }
`,
      ),
    );
    expect(r.map((p) => [p.at, p.message, p.hint])).toEqual([
      ['methd', 'unknown key `methd` in `with:` of query `crm.typo`', 'did you mean `method`?'],
      ['PUT', '`method` in `with:` of query `crm.bad` must be one of `GET`, `POST`', undefined],
      ['none', '`with:` of query `crm.none` is missing required key `path`', 'add `path:`'],
    ]);
  });
});
